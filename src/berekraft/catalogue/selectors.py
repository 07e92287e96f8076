"""Reads of the catalogue that the pages' ``web.selectors.common.catalogue`` does not hold."""

from __future__ import annotations

from dataclasses import dataclass

from berekraft.catalogue.models import SdgTarget


@dataclass(frozen=True)
class SdgTargetEntry:
    goal: int
    code: str
    text: str  # the official text in the reader's language; English where none was published
    source: str


def sdg_targets(*, language: str, goal: int | None = None) -> list[SdgTargetEntry]:
    """The SDG targets (169), or one goal's, in the official order. 1 query."""
    rows = SdgTarget.objects.select_related("goal").order_by("order", "code")
    if goal is not None:
        rows = rows.filter(goal__number=goal)
    return [
        SdgTargetEntry(
            goal=t.goal.number,
            code=t.code,
            text=t.text(language),
            source=str(getattr(t, f"source_{language}", "") or t.source_en),
        )
        for t in rows
    ]
