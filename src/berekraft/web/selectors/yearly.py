"""The network in one year: every member's dimension, goal and overall scores for that year and
the year before, and every series' values across the members (best, mean, median). What the
network report reads; a page may read it too."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.web.selectors.common import NETWORK_MINIMUM, Catalogue, Member, SeriesInfo, members_in


@dataclass
class MemberYear:
    member: Member
    scores: dict[tuple[str, str], AggregateScore]  # (level, code) → score in the year
    previous: dict[tuple[str, str], AggregateScore]  # the same, the year before

    def percent(self, level: str, code: str) -> float | None:
        a = self.scores.get((level, code))
        return a.percent if a and a.max_points else None

    def band(self, level: str, code: str) -> int | None:
        a = self.scores.get((level, code))
        return a.band if a and a.max_points else None

    def change(self, level: str, code: str) -> float | None:
        """Percentage points since the year before; None unless both years are scored."""
        now, before = self.scores.get((level, code)), self.previous.get((level, code))
        if now and before and now.percent is not None and before.percent is not None:
            return now.percent - before.percent
        return None


@dataclass
class SeriesInYear:
    info: SeriesInfo
    values: dict[str, float]  # member code → value in the year
    best: list[Member]  # the members with the best value (ties share it)
    mean: float | None
    median: float | None
    previous_median: float | None  # the year before, same rule (at least NETWORK_MINIMUM members)

    @property
    def best_value(self) -> float | None:
        return self.values[self.best[0].code] if self.best else None

    @property
    def median_change(self) -> float | None:
        if self.median is None or self.previous_median is None:
            return None
        return self.median - self.previous_median


@dataclass
class NetworkYear:
    year: int
    members: list[MemberYear]
    series: list[SeriesInYear]


def _best(info: SeriesInfo, values: dict[str, float], by_code: dict[str, Member]) -> list[Member]:
    """Highest value, or lowest for a lower-is-better series; a range series has no single best."""
    if not values or info.direction not in ("higher", "lower"):
        return []
    pick = min if info.direction == "lower" else max
    top = pick(values.values())
    return [by_code[c] for c, v in values.items() if v == top]


def _summary(values: list[float]) -> tuple[float | None, float | None]:
    if len(values) < NETWORK_MINIMUM:  # one member's value is no mean or median
        return None, None
    return statistics.fmean(values), statistics.median(values)


def network_year(*, members: list[Member], catalogue: Catalogue, year: int) -> NetworkYear:
    """The members of ``year`` (a member that had left is not one), their aggregate scores for
    ``year`` and ``year - 1``, and each series' values in ``year``. 2 queries."""
    chosen = members_in(members, year)
    place_ids = [m.place.pk for m in chosen]
    by_pk = {m.place.pk: m for m in chosen}
    by_code = {m.code: m for m in chosen}
    scores: dict[int, dict[tuple[str, str], AggregateScore]] = {pid: {} for pid in place_ids}
    previous: dict[int, dict[tuple[str, str], AggregateScore]] = {pid: {} for pid in place_ids}
    for a in AggregateScore.objects.filter(
        place_id__in=place_ids, year__in=(year, year - 1), level__in=("dimension", "goal", "overall")
    ):
        (scores if a.year == year else previous)[a.place_id][(a.level, a.code)] = a
    values: dict[int, dict[int, dict[str, float]]] = {}
    for s in SeriesScore.objects.filter(place_id__in=place_ids, year__in=(year, year - 1)).only(
        "place_id", "series_id", "year", "value"
    ):
        values.setdefault(s.series_id, {}).setdefault(s.year, {})[by_pk[s.place_id].code] = s.value
    series = []
    for info in catalogue.series:
        now = values.get(info.id, {}).get(year, {})
        mean, median = _summary(list(now.values()))
        _mean, previous_median = _summary(list(values.get(info.id, {}).get(year - 1, {}).values()))
        series.append(SeriesInYear(info, now, _best(info, now, by_code), mean, median, previous_median))
    rows = [MemberYear(m, scores[m.place.pk], previous[m.place.pk]) for m in chosen]
    return NetworkYear(year, rows, series)
