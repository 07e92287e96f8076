"""A member's local indicators in the database: writes (``local_indicator_save``) and reads.

Why an Indicator + Series and not a model of its own: values, imports, the workspace, the
submit/verify workflow, history, undo and scores all key on ``catalogue.Series``. A local
indicator stored as a catalogue Indicator (``owner`` = the member; null for U4SSC) with exactly one
Series of the same code gets all of that unchanged. What keeps it apart:

- its code ``LOCAL:<member>:<slug>`` (``core.local``), which no U4SSC code can take;
- its framework node ``LOCAL`` (not in the U4SSC tree, never listed as a category);
- the member's own target as a ``local``-scope Target (place = the member), with its source;
- every U4SSC read filters ``indicator__owner__isnull=True`` (``u4ssc_series``), and the score
  run scores local series in a run of their own without peers or aggregates
  (``scores.services.compute``), so no U4SSC total, network median, rank, map or heat map moves;
- validation accepts a local series only for its owner (``core.validation``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from berekraft.accounts.selectors import can_edit
from berekraft.catalogue.models import LOCAL_NODE, FrameworkNode, Goal, Indicator, Series, Target
from berekraft.core import local as core_local
from berekraft.core.catalogue import Direction, Names, parse_direction
from berekraft.errors import ForbiddenError, InputError
from berekraft.places.models import Place

# Local indicators sort after every U4SSC series (the catalogue's order is below 1 000).
LOCAL_ORDER = 1_000_000


def u4ssc_series() -> QuerySet[Series]:
    """The U4SSC series only: what every network comparison and aggregate is built from."""
    return Series.objects.filter(indicator__owner__isnull=True)


def series_for_member(place: Place) -> QuerySet[Series]:
    """The U4SSC series and ``place``'s own local series (what its editors may write)."""
    return Series.objects.filter(Q(indicator__owner__isnull=True) | Q(indicator__owner=place))


def local_node() -> FrameworkNode:
    """The framework node of local indicators, created when the first one is."""
    node, _ = FrameworkNode.objects.get_or_create(
        code=LOCAL_NODE,
        defaults={
            "level": FrameworkNode.Level.CATEGORY,
            "name_en": "Local indicators",
            "name_nb": "Lokale indikatorer",
            "name_nn": "Lokale indikatorar",
            "order": LOCAL_ORDER,
        },
    )
    return node


@dataclass
class LocalIndicatorView:
    """A local indicator with its one series and the member's own target (if any)."""

    indicator: Indicator
    series: Series
    target: Target | None
    goals: list[int]

    @property
    def slug(self) -> str:
        return self.indicator.code.rsplit(":", 1)[-1]

    def definition(self, language: str) -> str:
        ind = self.indicator
        return str(
            getattr(ind, f"definition_{language}", "")
            or ind.definition_nb
            or ind.definition_nn
            or ind.definition_en
        )


def local_indicators(*, place: Place) -> list[LocalIndicatorView]:
    """``place``'s local indicators, in the order they were made: 1 query when it has none, 3
    otherwise (however many it has)."""
    series = list(
        Series.objects.filter(indicator__owner=place).select_related("indicator").order_by("order", "pk")
    )
    if not series:
        return []
    links: dict[int, list[int]] = {}
    for indicator_id, number in Indicator.goals.through.objects.filter(indicator__owner=place).values_list(
        "indicator_id", "goal__number"
    ):
        links.setdefault(indicator_id, []).append(number)
    targets = {
        t.series_id: t
        for t in Target.objects.filter(scope=Target.Scope.LOCAL, place=place, series__indicator__owner=place)
    }
    return [
        LocalIndicatorView(s.indicator, s, targets.get(s.pk), sorted(links.get(s.indicator_id, [])))
        for s in series
    ]


def local_indicator(*, place: Place, slug: str) -> LocalIndicatorView | None:
    code = core_local.local_code(place.code, slug)
    return next((v for v in local_indicators(place=place) if v.indicator.code == code), None)


def as_input(view: LocalIndicatorView, language: str = "nb") -> core_local.LocalIndicatorInput:
    """A stored local indicator as the form shows it (numbers as typed: plain, dot decimal)."""
    ind, t = view.indicator, view.target

    def num(x: float | None) -> str:
        return "" if x is None else f"{x:g}"

    return core_local.LocalIndicatorInput(
        slug=view.slug,
        name_nb=ind.name_nb,
        name_nn=ind.name_nn,
        name_en=ind.name_en,
        unit=ind.unit_nb or ind.unit_en or ind.unit_nn,
        direction=ind.direction,
        definition=view.definition(language),
        source=ind.source,
        target=num(t.value) if t else "",
        target_lower=num(t.lower) if t else "",
        target_upper=num(t.upper) if t else "",
        baseline=num(t.baseline) if t else "",
        target_year=str(t.year) if t and t.year else "",
        target_source=t.source if t else "",
        goals=tuple(str(g) for g in view.goals),
    )


@transaction.atomic
def local_indicator_save(
    *,
    member: Place,
    user: User | None,
    given: core_local.LocalIndicatorInput,
    indicator: Indicator | None = None,
) -> Indicator:
    """Create (``indicator`` None) or change a local indicator of ``member``: all or nothing.

    Only an editor of ``member`` or an admin (``user`` None: the command line). Every problem is
    raised at once (InputError, each naming its field). The code is fixed once made: imports and
    values refer to it, so an edit keeps the slug. The definition is stored in bokmål, nynorsk and
    English alike (the member writes it once, in its own language).
    """
    if user is not None and not can_edit(user, member):
        raise ForbiddenError(f"you may not write local indicators for {member.name_nb}")
    if indicator is not None and indicator.owner_id != member.pk:
        raise ForbiddenError(f"{indicator.code} is not a local indicator of {member.name_nb}")
    if indicator is not None:
        given = _replace_slug(given, indicator.code.rsplit(":", 1)[-1])
        taken: frozenset[str] = frozenset()
    else:
        prefix = core_local.local_code(member.code, "")
        taken = frozenset(
            c.removeprefix(prefix)
            for c in Indicator.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        )
    checked, problems = core_local.check(given, taken=taken)
    if checked is None:
        raise InputError(problems, summary="the local indicator has problems")
    code = core_local.local_code(member.code, checked.slug)
    fields = {
        "name_en": checked.names.en,
        "name_nb": checked.names.nb,
        "name_nn": checked.names.nn,
        "unit_en": checked.unit,
        "unit_nb": checked.unit,
        "unit_nn": checked.unit,
        "direction": checked.direction,
        "definition_en": checked.definition,
        "definition_nb": checked.definition,
        "definition_nn": checked.definition,
        "source": checked.source,
    }
    if indicator is None:
        order = (Indicator.objects.aggregate(m=Max("order"))["m"] or 0) + 1
        indicator = Indicator.objects.create(
            code=code,
            category=local_node(),
            type="local",
            owner=member,
            order=max(order, LOCAL_ORDER),
            **fields,
        )
        series = Series.objects.create(
            code=code,
            indicator=indicator,
            direction=checked.direction,
            unit=checked.unit,
            order=indicator.order,
        )
    else:
        Indicator.objects.filter(pk=indicator.pk).update(**fields)
        series = indicator.series.get()
        Series.objects.filter(pk=series.pk).update(direction=checked.direction, unit=checked.unit)
        indicator.refresh_from_db()
    indicator.goals.set(Goal.objects.filter(number__in=checked.goals))
    _save_target(series=series, member=member, checked=checked, user=user)
    return indicator


def _replace_slug(given: core_local.LocalIndicatorInput, slug: str) -> core_local.LocalIndicatorInput:
    from dataclasses import replace

    return replace(given, slug=slug)


def _save_target(
    *, series: Series, member: Place, checked: core_local.LocalIndicator, user: User | None
) -> None:
    """The member's own target; a change of it changes scores, so the data version is raised."""
    from berekraft.observations.services import data_version_bump

    current = Target.objects.filter(series=series, scope=Target.Scope.LOCAL, place=member).first()
    wanted = (
        checked.target,
        checked.target_lower,
        checked.target_upper,
        checked.baseline,
        checked.target_year,
        checked.target_source,
    )
    if not checked.has_target:
        if current is not None:
            current.delete()
            data_version_bump()
        return
    if (
        current is not None
        and (
            current.value,
            current.lower,
            current.upper,
            current.baseline,
            current.year,
            current.source,
        )
        == wanted
    ):
        return
    Target.objects.update_or_create(
        series=series,
        scope=Target.Scope.LOCAL,
        place=member,
        defaults={
            "value": checked.target,
            "lower": checked.target_lower,
            "upper": checked.target_upper,
            "baseline": checked.baseline,
            "year": checked.target_year,
            "source": checked.target_source,
            "updated_by": user,
        },
    )
    data_version_bump()


def local_catalogue() -> dict[str, tuple[str, Names, str, Direction, tuple[int, ...]]]:
    """Every local series: code → (owner's place code, names, unit, direction, goals). 2 queries."""
    links: dict[int, list[int]] = {}
    for indicator_id, number in Indicator.goals.through.objects.filter(
        indicator__owner__isnull=False
    ).values_list("indicator_id", "goal__number"):
        links.setdefault(indicator_id, []).append(number)
    return {
        s.code: (
            s.indicator.owner.code if s.indicator.owner else "",
            Names(s.indicator.name_en, s.indicator.name_nb, s.indicator.name_nn),
            s.unit,
            parse_direction(s.direction or s.indicator.direction) or "higher",
            tuple(sorted(links.get(s.indicator_id, []))),
        )
        for s in Series.objects.filter(indicator__owner__isnull=False).select_related("indicator__owner")
    }
