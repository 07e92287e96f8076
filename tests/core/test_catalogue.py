"""The packaged reference data: the counts published for U4SSC, and every target cited."""

from __future__ import annotations

from collections import Counter
from datetime import date

from berekraft.core import geography
from berekraft.core.catalogue import load_catalogue, normalise_code


def test_catalogue_has_the_91_u4ssc_kpis_split_as_the_codes_say() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.indicators) == 91
    by_dimension = Counter(i.dimension for i in catalogue.indicators)
    assert by_dimension == {"EC": 45, "EN": 17, "SC": 29}
    assert Counter(i.type for i in catalogue.indicators) == {"core": 55, "advanced": 36}
    # The core/advanced letter at the end of the code agrees with the type.
    assert all(i.code[-1] == ("C" if i.type == "core" else "A") for i in catalogue.indicators)


def test_every_indicator_has_names_in_three_languages_and_sdg_goals() -> None:
    for i in load_catalogue().indicators:
        assert i.names.en and i.names.nb and i.names.nn, i.code
        assert i.goals and all(1 <= g <= 17 for g in i.goals), i.code


def test_multi_point_kpis_have_their_series() -> None:
    catalogue = load_catalogue()
    counts = {i.code: len(i.series) for i in catalogue.indicators if len(i.series) > 1}
    assert counts == {
        "EC: ICT: ICT: 4C": 2,
        "EC: ICT: PS: 1A": 2,
        "EC: I: T: 4A": 5,
        "EC: I: UP: 2A": 5,
        "EN: EN: AQ: 1C": 5,
        "EN: EN: WS: 4C": 3,
        "EN: EN: WA: 1C": 6,
    }
    assert sum(1 for _ in catalogue.series) == 112


def test_every_default_target_names_a_known_series_and_cites_a_source() -> None:
    catalogue = load_catalogue()
    for t in catalogue.targets:
        assert catalogue.series_by_code(t.series) is not None, t.series
        assert len(t.source) > 20 and ("http" in t.source or "Directive" in t.source), t.series
        assert t.value is not None or (t.lower is not None and t.upper is not None), t.series
        series = catalogue.series_by_code(t.series)
        assert series is not None
        if series.direction == "lower" and t.value == 0:
            assert t.baseline is not None, f"{t.series}: a zero lower-is-better target needs a baseline"


def test_the_17_goals_have_un_colours_and_names() -> None:
    goals = load_catalogue().goals
    assert [g.number for g in goals] == list(range(1, 18))
    assert goals[0].colour.upper() == "#E5243B"
    assert goals[12].names.nb == "Stoppe klimaendringene"


def test_codes_are_accepted_as_printed_in_either_official_spelling() -> None:
    assert normalise_code("SC: EH: ED:1C") == "SC: EH: ED: 1C"
    assert normalise_code(" en:en:aq:1c/PM2.5 ") == "EN: EN: AQ: 1C/PM2.5"


def test_geography_has_both_municipal_structures() -> None:
    places = geography.places()
    municipalities = [p for p in places if p.kind == "municipality"]
    counties = [p for p in places if p.kind == "county"]
    assert sum(p.valid_on(date(2024, 1, 1)) for p in municipalities) == 357
    assert sum(p.valid_on(date(2023, 12, 31)) for p in municipalities) == 356
    assert sum(p.valid_on(date(2024, 1, 1)) for p in counties) == 15
    assert sum(p.valid_on(date(2023, 12, 31)) for p in counties) == 11
    assert all(len(p.code) == 4 for p in municipalities) and all(len(p.code) == 2 for p in counties)
    assert next(p for p in places if p.code == "0301").population == 717710


def test_reform_links_carry_old_codes_to_new_ones() -> None:
    changes = geography.changes()
    assert geography.successors("3024", changes) == [("3201", 1.0)]  # Bærum renumbered
    alesund = dict(geography.successors("1507", changes))
    assert set(alesund) == {"1508", "1580"} and abs(sum(alesund.values()) - 1) < 1e-9
    assert geography.successors("5001", changes) == [("5001", 1.0)]


def test_the_network_has_15_members_with_2024_codes() -> None:
    members = geography.members()
    assert len(members) == 15
    codes = {m.code for m in members}
    assert {"3203", "3201", "1508", "5001", "15", "50", "30"} <= codes
    viken = next(m for m in members if m.code == "30")
    assert viken.left == date(2023, 12, 31)


def test_every_sdg_has_a_kpi_and_solid_waste_treatment_serves_target_12_5() -> None:
    """SDG 12 had no KPI though recycling is what target 12.5 measures (indicator 12.5.1,
    national recycling rate); see SOURCES.md (issue 7, finding 28)."""
    catalogue = load_catalogue()
    linked = {g for i in catalogue.indicators for g in i.goals}
    assert linked == set(range(1, 18))
    waste = next(i for i in catalogue.indicators if i.code == "EN: EN: WA: 1C")
    assert waste.goals == (11, 12)


def test_nynorsk_definitions_are_nynorsk_not_a_copy_of_bokmal() -> None:
    catalogue = load_catalogue()
    household = next(i for i in catalogue.indicators if i.code == "EC: ICT: ICT: 1C")
    assert household.definition.nn == "Hushald med internettilgang (fast eller mobil) / alle hushald × 100"
    assert all(i.definition.nn for i in catalogue.indicators)
    same = {i.code for i in catalogue.indicators if i.definition.nn == i.definition.nb}
    assert same == {"EC: P: EM: 1C", "EC: P: EM: 2C"}  # "Arbeidsledige / arbeidsstyrken × 100" is both


def test_numerators_and_denominators_are_in_bokmal_and_nynorsk_not_english() -> None:
    """The KPI page's formula row shows them in the reader's language (finding 27)."""
    import re

    from tests.web.test_words import BOKMAL_ONLY, ENGLISH

    def words(text: str, vocabulary: set[str]) -> set[str]:
        return {w for w in vocabulary if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/-])", text, re.I)}

    catalogue = load_catalogue()
    household = next(i for i in catalogue.indicators if i.code == "EC: ICT: ICT: 1C")
    assert household.numerator.get("nn") == "Hushald med internettilgang (fast eller mobil)"
    assert household.denominator.get("nb") == "Alle husholdninger"
    assert household.denominator.get("en") == "Total households"
    texts = [t for i in catalogue.indicators for t in (i.numerator, i.denominator) if t.en]
    assert len([i for i in catalogue.indicators if i.numerator.en]) == 91
    for t in texts:
        assert t.nb and t.nn, t.en
        assert t.nb != t.en and t.nn != t.en, t.en
        assert words(t.nb, ENGLISH) == set() and words(t.nn, ENGLISH) == set(), t.en
        assert words(t.nn, BOKMAL_ONLY) == set(), t.nn
    for i in catalogue.indicators:  # a denominator only where English has one
        assert bool(i.denominator.nb) == bool(i.denominator.nn) == bool(i.denominator.en), i.code
    differ = [t for t in texts if t.nn != t.nb]
    assert len(differ) > 0.75 * len(texts)
