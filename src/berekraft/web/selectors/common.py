"""What every page needs: the catalogue in the reader's language, the network's members, and the
state of the stored scores. A fixed handful of queries, whatever the size of the network."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import pgettext

from berekraft.catalogue.local import u4ssc_series
from berekraft.catalogue.models import LOCAL_NODE, FrameworkNode, Goal, Indicator, Target
from berekraft.errors import NotFoundError
from berekraft.observations.models import DataVersion, Observation
from berekraft.places.models import Membership, Network, Place
from berekraft.scores.models import ScoreRun, SeriesScore

DEFAULT_NETWORK = "baerekraftsnettverket"
DIMENSIONS = ("EC", "EN", "SC")
# The fewest members reporting a year for which a network mean, median or range is shown.
NETWORK_MINIMUM = 2


def series_slug(code: str) -> str:
    """A series code as a URL part: ``EN: EN: AQ: 1C/PM2.5`` → ``en-en-aq-1c-pm2-5``."""
    return re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def _series_unit(unit: str) -> str:
    """A data point's own unit (the catalogue has them in English only)."""
    known = {"number": pgettext("unit", "number"), "yes/no": pgettext("unit", "yes/no")}
    return known.get(unit, unit)


@dataclass(frozen=True)
class SeriesInfo:
    """One scored series with its names and its place in the framework, in one language."""

    id: int
    code: str
    slug: str
    name: str
    indicator_name: str
    series_name: str
    unit: str
    direction: str
    indicator: Indicator
    indicator_slug: str
    category: str
    sub_dimension: str
    dimension: str
    goals: tuple[int, ...]
    order: int


@dataclass
class Catalogue:
    language: str
    series: list[SeriesInfo]
    nodes: dict[str, FrameworkNode]
    goals: list[Goal]
    by_id: dict[int, SeriesInfo] = field(default_factory=dict)
    by_slug: dict[str, SeriesInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.series}
        self.by_slug = {s.slug: s for s in self.series}

    def node_name(self, code: str) -> str:
        node = self.nodes.get(code)
        return node.name(self.language) if node else code

    def level(self, level: str) -> list[FrameworkNode]:
        return [n for n in self.nodes.values() if n.level == level]

    def series_for(self, slug: str) -> SeriesInfo:
        try:
            return self.by_slug[slug]
        except KeyError:
            raise NotFoundError(f"no series {slug!r}") from None

    def goal(self, number: int) -> Goal:
        for g in self.goals:
            if g.number == number:
                return g
        raise NotFoundError(f"no goal {number}")


def catalogue(*, language: str) -> Catalogue:
    """The catalogue in ``language`` (4 queries)."""
    # U4SSC only: members' local indicators (node LOCAL) are shown apart, never compared.
    nodes = {n.code: n for n in FrameworkNode.objects.exclude(code=LOCAL_NODE).order_by("order")}
    by_pk = {n.pk: n for n in nodes.values()}
    goals = list(Goal.objects.order_by("number"))
    goal_numbers = {g.pk: g.number for g in goals}
    links: dict[int, list[int]] = {}
    for indicator_id, goal_id in Indicator.goals.through.objects.values_list("indicator_id", "goal_id"):
        links.setdefault(indicator_id, []).append(goal_numbers[goal_id])
    series = []
    for s in u4ssc_series().select_related("indicator").order_by("order"):
        ind = s.indicator
        category = by_pk[ind.category_id]
        sub = by_pk[category.parent_id] if category.parent_id else category
        dim = by_pk[sub.parent_id] if sub.parent_id else sub
        series_name = s.name(language) if s.key else ""
        unit = _series_unit(s.unit) if s.key and s.unit and s.unit != ind.unit_en else ind.unit(language)
        series.append(
            SeriesInfo(
                id=s.pk,
                code=s.code,
                slug=series_slug(s.code),
                name=ind.name(language) + (f" – {series_name}" if series_name else ""),
                indicator_name=ind.name(language),
                series_name=series_name,
                unit=unit,
                direction=s.direction or ind.direction,
                indicator=ind,
                indicator_slug=series_slug(ind.code),
                category=category.code,
                sub_dimension=sub.code,
                dimension=dim.code,
                goals=tuple(sorted(links.get(ind.pk, []))),
                order=s.order,
            )
        )
    return Catalogue(language=language, series=series, nodes=nodes, goals=goals)


@dataclass(frozen=True)
class Member:
    place: Place
    kind: str
    left: date | None
    name: str
    joined: date | None = None

    def member_in(self, year: int) -> bool:
        """Whether the place was a member during ``year`` (its membership period, by calendar
        year): Viken, which left on 2023-12-31, is a member in 2023 and not in 2024."""
        return (self.joined is None or self.joined.year <= year) and (
            self.left is None or self.left.year >= year
        )

    @property
    def code(self) -> str:
        return self.place.code

    @property
    def is_county(self) -> bool:
        return self.kind == "fylkeskommune"


def members_in(members: list[Member], year: int) -> list[Member]:
    """The members whose membership period includes ``year``: every page that counts members for
    a year (coverage, who is missing) counts these, not everyone who was ever a member."""
    return [m for m in members if m.member_in(year)]


# Members per page of a wide page (a goal's heat map, a KPI's values by year, the home's cards): a
# table a person can read and a browser can draw. The .json/.csv twins and the download carry
# every member.
MEMBERS_PER_PAGE = 25


@dataclass(frozen=True)
class MembersPage:
    members: list[Member]
    page: int
    pages: int


def members_page(members: list[Member], page: int | None) -> MembersPage:
    """Page ``page`` of ``members``, MEMBERS_PER_PAGE to a page (a number past the last is the
    last); ``None`` (the twins): every member, as one page."""
    pages = max(1, -(-len(members) // MEMBERS_PER_PAGE))
    if page is None:
        return MembersPage(members, 1, 1)
    page = min(max(page, 1), pages)
    return MembersPage(members[(page - 1) * MEMBERS_PER_PAGE : page * MEMBERS_PER_PAGE], page, pages)


def network(code: str | None = None) -> Network:
    found = Network.objects.filter(code=code or DEFAULT_NETWORK).first()
    if found is None and code is None:
        found = Network.objects.order_by("pk").first()
    if found is None:
        raise NotFoundError("No network has been loaded yet: run `berekraft load-reference`.")
    return found


def members(*, network: Network) -> list[Member]:
    """The network's members, municipalities first, by name (1 query)."""
    rows = Membership.objects.filter(network=network).select_related("place", "place__parent")
    result = [
        Member(place=m.place, kind=m.kind, left=m.left, name=m.place.name_nb, joined=m.joined) for m in rows
    ]
    return sorted(result, key=lambda m: (m.is_county, m.name))


def public_place(code: str) -> Place:
    """A place with a public profile: a member of a network (also a former one), or a place with
    published scores. Any other place (most of Norway's 490) is "not found", not an empty page.
    1 query."""
    place = (
        Place.objects.select_related("parent")
        .filter(code=code)
        .annotate(
            is_member=Exists(Membership.objects.filter(place=OuterRef("pk"))),
            has_scores=Exists(SeriesScore.objects.filter(place=OuterRef("pk"))),
        )
        .first()
    )
    if place is None:
        raise NotFoundError(f"no place {code!r}")
    if not (place.is_member or place.has_scores):
        raise NotFoundError(f"{place.name_nb} ({code}) is not a member and has no published values")
    return place


def has_demo_data(place_ids: list[int]) -> bool:
    return Observation.objects.filter(origin=Observation.Origin.DEMO, place_id__in=place_ids).exists()


def latest_score_run() -> tuple[int, datetime, int, int | None] | None:
    """The latest ScoreRun's id and time (pages' ETag and Last-Modified), the data version it read
    and the data version now: the scores are being updated while the two differ (1 query)."""
    now = DataVersion.objects.filter(pk=1).values("version")[:1]
    return (
        ScoreRun.objects.order_by("-pk")
        .annotate(now=Subquery(now))
        .values_list("pk", "finished_at", "data_version", "now")
        .first()
    )


def target_sources(*, place: Place | None = None) -> dict[tuple[int, str], str]:
    """(series id, scope) → where the target comes from, for default/network and this place's local
    targets (1 query)."""
    rows = Target.objects.only("series_id", "scope", "place_id", "source")
    result: dict[tuple[int, str], str] = {}
    for t in rows:
        if t.scope == Target.Scope.LOCAL and (place is None or t.place_id != place.pk):
            continue
        result[(t.series_id, t.scope)] = t.source
    return result


# A member's (and the network's) headline year is the latest year in which it has published at
# least this share of the series it published in its fullest year: a reporting year that has only
# begun (5 of 112 values) does not replace a complete one in the wheel, goals, dimensions and cards.
HEADLINE_SHARE = 0.8


def headline_year(reported: dict[int, int]) -> int | None:
    """The latest year whose count of published values is at least HEADLINE_SHARE of the fullest
    year's; ``reported`` maps year → number of series with a published value."""
    if not reported:
        return None
    fullest = max(reported.values())
    return max(y for y, n in reported.items() if n >= HEADLINE_SHARE * fullest)
