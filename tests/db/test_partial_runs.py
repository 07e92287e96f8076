"""Partial score runs (issue 9, item 2): a run scores only the series changed since the last run
(and the aggregates they reach), and what it stores equals a full run's, exactly.

A stateful property test on a small network (five members, six U4SSC series of every direction,
one a member's local series, six years): any sequence of published-value changes (edits that
publish, verifies through the workflow, publishing imports, values withdrawn), target changes
(network and local, made and deleted), members joining and leaving, and the worker's runs between
them. After each step the worker runs; then every stored SeriesScore and AggregateScore row is
compared, every column to the last bit, with what a full run stores (``berekraft recompute``, in a
savepoint rolled back afterwards, so the next step goes on from the partial runs' own state). And
the runs were partial where the record allows it, full where the basis changed (a member joined or
left, a local series was made).
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from berekraft.catalogue.local import local_indicator_save
from berekraft.catalogue.models import Series, Target
from berekraft.core.local import LocalIndicatorInput
from berekraft.observations.imports import import_table
from berekraft.observations.models import DataChange, Observation
from berekraft.observations.services import data_version_bump, observation_set
from berekraft.observations.workflow import observation_edit, observations_submit, observations_verify
from berekraft.places.models import Membership, Network, Place
from berekraft.scores.models import (
    AggregateScore,
    LatestAggregateScore,
    LatestSeriesScore,
    ScoreRun,
    SeriesScore,
)
from berekraft.scores.selectors import scores_are_current
from berekraft.scores.services import scores_recompute, scores_recompute_if_stale
from tests.tables import table

pytestmark = pytest.mark.django_db

PLACES = ("5001", "1506", "1508", "1103", "1505")
SERIES = (
    "EC: I: WS: 1C",  # higher, a default target
    "EC: P: EM: 1C",  # lower
    "SC: SH: SI: 1C",  # range
    "EN: EN: AQ: 1C/PM2.5",  # lower, one of a multi-series KPI
    "EN: EN: AQ: 1C/PM10",
)
LOCAL = "LOCAL:5001:sykkelveg"
YEARS = tuple(range(2019, 2025))
# Ties, zero, negatives and large values: ranks, bounds and trends at their edges.
VALUES = st.one_of(
    st.sampled_from((0.0, 4.0, 12.5, 37.0, 88.0, 100.0, -3.0)),
    st.floats(min_value=-1e4, max_value=1e6, allow_nan=False, allow_infinity=False),
)
# What a form or a file may hold for these series (validation refuses a percentage outside 0–100).
ENTERED = st.one_of(
    st.sampled_from((0.0, 4.0, 12.5, 37.0, 88.0, 100.0)),
    st.floats(min_value=0, max_value=100).map(lambda v: round(v, 4)),
)
PROFILE = {
    # A step costs a full run; shrinking a failure would take many minutes (the failing steps are
    # printed all the same): in CI, no shrinking.
    "ci": {
        "max_examples": 6,
        "stateful_step_count": 8,
        "phases": [Phase.explicit, Phase.reuse, Phase.generate],
    },
    "long": {"max_examples": 100, "stateful_step_count": 25},
}[os.environ.get("BEREKRAFT_HYPOTHESIS_PROFILE", "ci")]

u4ssc_keys = st.tuples(st.sampled_from(PLACES), st.sampled_from(SERIES), st.sampled_from(YEARS))
keys = st.one_of(u4ssc_keys, st.tuples(st.just("5001"), st.just(LOCAL), st.sampled_from(YEARS)))


def stored() -> tuple[list[tuple[Any, ...]], ...]:
    """Every stored score row, every column but the id, in key order: the scores, and the latest
    score of each pair that the pages read (scores.latest)."""

    def rows(model: Any, order: tuple[str, ...]) -> list[tuple[Any, ...]]:
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        return list(model.objects.order_by(*order).values_list(*fields))

    return (
        rows(SeriesScore, ("place_id", "series_id", "year")),
        rows(AggregateScore, ("level", "code", "place_id", "year")),
        rows(LatestSeriesScore, ("place_id", "series_id")),
        rows(LatestAggregateScore, ("level", "code", "place_id")),
    )


def small_network() -> None:
    """The demo network cut down to PLACES × SERIES × YEARS (and a local series of 5001), scored by
    a full run."""
    local_indicator_save(
        member=Place.objects.get(code="5001"),
        user=None,
        given=LocalIndicatorInput(
            slug="sykkelveg",
            name_nb="Sykkelveg",
            unit="km",
            direction="higher",
            target="40",
            target_year="2030",
            target_source="Bystyret",
            goals=("11",),
        ),
    )
    keep = Observation.objects.filter(
        place__code__in=PLACES, series__code__in=SERIES, year__in=YEARS, published_value__isnull=False
    )
    Observation.objects.exclude(pk__in=list(keep.values_list("pk", flat=True))).delete()
    for year in YEARS[1:]:
        observation_set(
            place_id=Place.objects.get(code="5001").pk,
            series_id=Series.objects.get(code=LOCAL).pk,
            year=year,
            value=float(year - 2000),
            published_value=float(year - 2000),
            status="verified",
        )
    scores_recompute()


class PartialRuns(RuleBasedStateMachine):
    """One example: changes, the worker's runs, and after each step the comparison."""

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.series = dict(Series.objects.filter(code__in=(*SERIES, LOCAL)).values_list("code", "pk"))
        self.places = dict(Place.objects.filter(code__in=PLACES).values_list("code", "pk"))
        self.basis_changed = False
        self.runs = ScoreRun.objects.count()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def _observation(self, place: str, series: str, year: int) -> Observation | None:
        return Observation.objects.filter(
            place_id=self.places[place], series_id=self.series[series], year=year
        ).first()

    # ---- changes ---------------------------------------------------------------------------------

    @rule(changes=st.lists(st.tuples(keys, st.one_of(st.none(), VALUES)), min_size=1, max_size=4))
    def values_are_published_or_withdrawn(
        self, changes: list[tuple[tuple[str, str, int], float | None]]
    ) -> None:
        """Publishing edits (an admin's correction) and withdrawn values; no run is asked for."""
        for (place, series, year), value in changes:
            observation_set(
                place_id=self.places[place],
                series_id=self.series[series],
                year=year,
                value=value,
                published_value=value,
                status="verified" if value is not None else "draft",
            )

    @rule(key=keys, value=ENTERED)
    def a_value_is_verified(self, key: tuple[str, str, int], value: float) -> None:
        """The workflow: an edit, a submit, a verify (which asks for a run; tests run it at once)."""
        place, series, year = key
        current = self._observation(*key)
        observation_edit(
            place=Place.objects.get(pk=self.places[place]),
            series=Series.objects.get(pk=self.series[series]),
            year=year,
            expected_version=current.version if current else 0,
            user=None,
            value=f"{value:.4f}",
        )
        observations_submit(place=Place.objects.get(pk=self.places[place]), year=year, user=None)
        submitted = Observation.objects.filter(place_id=self.places[place], year=year, status="submitted")
        observations_verify(ids=list(submitted.values_list("pk", flat=True)), user=None)

    @rule(rows=st.dictionaries(u4ssc_keys, ENTERED, min_size=1, max_size=5))
    def an_import_publishes(self, rows: dict[tuple[str, str, int], float]) -> None:
        """``berekraft import --publish``: several series at once."""
        data = table(
            *(
                {"place": p, "indicator": s, "year": str(y), "value": f"{v:.4f}"}
                for (p, s, y), v in rows.items()
            )
        )
        report = import_table(
            data,
            file_name="data.csv",
            checksum=hashlib.sha256(repr(rows).encode()).hexdigest(),
            reader="test",
            user=None,
            publish=True,
        )
        assert report.ok, [str(p) for p in report.errors]

    @rule(
        series=st.sampled_from((*SERIES, LOCAL)),
        place=st.one_of(st.none(), st.sampled_from(PLACES)),
        value=st.one_of(st.none(), VALUES),
    )
    def a_target_is_set_or_deleted(self, series: str, place: str | None, value: float | None) -> None:
        """The admin's network target (place None) or a member's local target; None deletes it."""
        network = Network.objects.get(code="baerekraftsnettverket") if place is None else None
        where = {
            "series_id": self.series[series],
            "scope": Target.Scope.NETWORK if place is None else Target.Scope.LOCAL,
            "network": network,
            "place_id": self.places[place] if place else None,
        }
        found = Target.objects.filter(**where)
        if value is None:
            for target in found:
                target.delete()  # one by one, as the admin does: each sends its signal
            return
        target = found.first() or Target(**where)
        target.value, target.year, target.source = value, 2030, "test"
        target.save()

    @rule(place=st.sampled_from(PLACES))
    def a_member_joins_or_leaves(self, place: str) -> None:
        """Membership is part of every peer score: the next run must score everything."""
        network = Network.objects.get(code="baerekraftsnettverket")
        gone, _ = Membership.objects.filter(network=network, place_id=self.places[place]).delete()
        if not gone:
            Membership.objects.create(network=network, place_id=self.places[place], kind="kommune")
        data_version_bump([self.series[SERIES[0]]])  # some change comes along, asking for a run
        self.basis_changed = True

    @precondition(lambda self: DataChange.objects.exists())
    @rule()
    def a_change_of_unknown_reach(self) -> None:
        """A version raised without saying which series: the next run must score everything."""
        data_version_bump()
        self.basis_changed = True

    # ---- the worker, and the comparison ----------------------------------------------------------

    @invariant()
    def the_partial_runs_stored_what_a_full_run_stores(self) -> None:
        scores_recompute_if_stale()  # the worker's run (after a verify it ran already)
        assert scores_are_current()
        runs = list(ScoreRun.objects.order_by("pk")[self.runs :])
        self.runs += len(runs)
        if runs:
            # Partial unless something every score depends on changed; then full, then partial again.
            assert [r.full for r in runs] == [self.basis_changed] + [False] * (len(runs) - 1), runs
            self.basis_changed = False
        partial = stored()
        with transaction.atomic():
            scores_recompute()
            full = stored()
            transaction.set_rollback(True)
        names = ("series", "aggregate", "latest series", "latest aggregate")
        for name, mine, theirs in zip(names, partial, full, strict=True):
            assert len(mine) == len(theirs), f"{name} scores: {len(mine)} stored, {len(theirs)} by a full run"
            differ = [(a, b) for a, b in zip(mine, theirs, strict=True) if a != b]
            assert not differ, f"{len(differ)} {name} scores differ, first: {differ[0]}"


def test_partial_runs_store_what_a_full_run_stores() -> None:
    small_network()
    assert ScoreRun.objects.order_by("-pk").first().full  # type: ignore[union-attr]
    run_state_machine_as_test(
        PartialRuns,
        settings=settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], **PROFILE),
    )


def test_a_verify_rescores_its_series_only_and_the_aggregates_it_reaches() -> None:
    """Of the demo network: a verified value's run scores its series (every member) and the
    aggregates of its category, sub-dimension, dimension, goal and overall; no other row changes."""
    series = Series.objects.get(code="EC: I: WS: 1C")  # basic water supply: EC: I: WS, goal 6
    place = Place.objects.get(code="5001")
    reached = [
        ("category", "EC: I: WS"),
        ("sub_dimension", "EC: I"),
        ("dimension", "EC"),
        ("goal", "6"),
        ("overall", "all"),
    ]
    others = set(SeriesScore.objects.exclude(series=series).values_list("pk", "value", "points", "rank"))
    outside = AggregateScore.objects.exclude(
        pk__in=[
            pk
            for level, code in reached
            for pk in AggregateScore.objects.filter(level=level, code=code).values_list("pk", flat=True)
        ]
    )
    before = set(outside.values_list("pk", "percent", "normalised", "rank"))
    current = Observation.objects.get(place=place, series=series, year=2024)
    observation_edit(
        place=place, series=series, year=2024, expected_version=current.version, user=None, value="20"
    )
    observations_submit(place=place, year=2024, user=None)
    observations_verify(ids=[current.pk], user=None)
    run = ScoreRun.objects.order_by("-pk").first()
    assert run is not None and not run.full
    assert run.series_scores == SeriesScore.objects.filter(series=series).count()
    assert run.aggregate_scores == sum(
        AggregateScore.objects.filter(level=level, code=code).count() for level, code in reached
    )
    assert SeriesScore.objects.get(place=place, series=series, year=2024).value == 20.0
    assert (
        set(SeriesScore.objects.exclude(series=series).values_list("pk", "value", "points", "rank")) == others
    )
    assert set(outside.values_list("pk", "percent", "normalised", "rank")) == before
    assert not DataChange.objects.exists()  # the run's record is pruned with it


def test_replace_rows_of_a_part_replaces_that_part_and_leaves_the_rest() -> None:
    """bulk.Part: rows of the part not given are deleted, given ones written; outside it, nothing
    is touched (not even a row whose key is not among the rows given)."""
    from berekraft.bulk import Part, replace_rows

    columns = ["place_id", "series_id", "year", "value", "direction", "status", "trend", "target_scope"]
    water, other = Series.objects.get(code="EC: I: WS: 1C"), Series.objects.get(code="EC: P: EM: 1C")
    rows = sorted(SeriesScore.objects.filter(series=water).values_list(*columns))
    outside = set(SeriesScore.objects.exclude(series=water).values_list("pk", *columns))
    changed = (*rows[0][:3], rows[0][3] + 1.5, *rows[0][4:])
    kept = [changed, *rows[2:]]  # rows[1] is left out: it goes
    result = replace_rows(SeriesScore, columns, Part(kept, ("series_id",), [(water.pk,)]), key=columns[:3])
    assert (result.written, result.deleted) == (1, 1)
    assert sorted(SeriesScore.objects.filter(series=water).values_list(*columns)) == kept
    assert set(SeriesScore.objects.exclude(series=water).values_list("pk", *columns)) == outside
    # Two columns: the aggregates of one (level, code) pair; an empty part deletes all of it.
    assert AggregateScore.objects.filter(level="category", code="EC: P: EM").exists()
    before = AggregateScore.objects.exclude(level="category", code="EC: P: EM").count()
    keys = ["level", "code", "place_id", "year"]
    empty = Part([], ("level", "code"), [("category", "EC: P: EM")])
    gone = replace_rows(AggregateScore, [*keys, "percent"], empty, key=keys)
    assert gone.deleted > 0 and not AggregateScore.objects.filter(level="category", code="EC: P: EM").exists()
    assert AggregateScore.objects.count() == before
    assert SeriesScore.objects.filter(series=other).exists()
