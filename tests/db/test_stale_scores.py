"""Scores never silently disagree with the published values (issue 7, finding 7).

Every change of a published value or a target raises the data version in the same transaction;
a score run records the version it read. A score run that dies after the data committed (here:
made to raise) leaves scores that are detectably stale, and the next import, verify or
``berekraft recompute --if-stale`` redoes it. The run is out of the request (scores.tasks): the
import or verify that asked for it has returned, its data committed, whatever became of the run
(tests/db/test_score_worker.py: the worker, its retries and its lock)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from berekraft.observations.imports import import_table
from berekraft.observations.models import Observation
from berekraft.observations.workflow import observations_submit, observations_verify
from berekraft.scores import services
from berekraft.scores.models import SeriesScore
from berekraft.scores.selectors import scores_are_current
from tests.tables import table

pytestmark = pytest.mark.django_db

ROW = table({"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "42"})


def run(**kwargs: object):  # type: ignore[no-untyped-def]
    options = {"file_name": "data.csv", "checksum": "abc", "reader": "test", "user": None} | kwargs
    return import_table(ROW, **options)  # type: ignore[arg-type]


def stored() -> float:
    return SeriesScore.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024).value


@pytest.fixture
def killed_score_run(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The score run dies after the data transaction committed."""

    def killed() -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(services, "compute", killed)
    return monkeypatch


def test_the_scores_of_a_fresh_database_are_current() -> None:
    assert scores_are_current()


def test_a_killed_score_run_after_a_publishing_import_is_detected_and_the_next_import_repairs_it(
    killed_score_run: pytest.MonkeyPatch,
) -> None:
    before = stored()
    run(publish=True)  # returns: the score run is not part of the import
    assert (
        Observation.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024).published_value
        == 42
    )
    assert stored() == before and not scores_are_current()
    killed_score_run.undo()
    again = run(publish=True)
    assert (again.new, again.changed) == (0, 0)  # "0 changed", and still:
    assert stored() == 42.0 and scores_are_current()


def test_a_killed_score_run_after_verify_is_repaired_by_recompute_if_stale(
    killed_score_run: pytest.MonkeyPatch,
) -> None:
    run()
    obs = Observation.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024)
    observations_submit(place=obs.place, year=2024, user=None)
    assert observations_verify(ids=[obs.pk], user=None) == 1
    assert not scores_are_current()
    killed_score_run.undo()
    out = StringIO()
    call_command("recompute", "--if-stale", stdout=out)
    assert stored() == 42.0 and scores_are_current()
    call_command("recompute", "--if-stale", stdout=(quiet := StringIO()))
    assert "current" in quiet.getvalue()  # nothing to do the second time


def test_a_changed_target_makes_the_scores_stale() -> None:
    from berekraft.catalogue.models import Target

    target = Target.objects.filter(place__isnull=True).first()
    assert target is not None and target.value is not None
    target.value = target.value + 1
    target.save()
    assert not scores_are_current()


def test_a_draft_does_not_make_the_scores_stale() -> None:
    run()  # a draft: the published value is unchanged
    assert scores_are_current()
