"""The 169 SDG targets as packaged: official texts only, English where no Norwegian was published."""

from __future__ import annotations

from collections import Counter

from berekraft.core.sdg_targets import is_target_code, load_sdg_targets


def test_there_are_169_targets_with_the_per_goal_counts_of_the_un_resolution() -> None:
    targets = load_sdg_targets()
    assert len(targets) == 169
    per_goal = Counter(t.goal for t in targets)
    # A/RES/71/313: targets per goal 1..17.
    assert [per_goal[g] for g in range(1, 18)] == [
        7,
        8,
        13,
        10,
        9,
        8,
        5,
        12,
        8,
        10,
        10,
        11,
        5,
        10,
        12,
        12,
        19,
    ]


def test_target_11_6_reads_as_published_and_falls_back_to_english_only_where_needed() -> None:
    by_code = {t.code: t for t in load_sdg_targets()}
    t = by_code["11.6"]
    assert t.text("en").startswith("By 2030, reduce the adverse per capita environmental impact of cities")
    for target in by_code.values():
        for language in ("nb", "nn"):
            own = target.text_nb if language == "nb" else target.text_nn
            assert target.text(language) == (own or target.text_en)


def test_target_codes() -> None:
    assert is_target_code("11.6") and is_target_code("17.a") and is_target_code("1.1")
    assert not any(is_target_code(c) for c in ("11", "11.6.1", "18.1", "0.1", "11.A", "1.0"))
