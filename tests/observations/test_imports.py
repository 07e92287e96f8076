"""Imports are all-or-nothing, idempotent, versioned, and can be undone as a whole."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from berekraft.catalogue.models import Series
from berekraft.errors import ConflictError, ForbiddenError
from berekraft.observations.imports import import_table
from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
from berekraft.observations.services import observation_set
from berekraft.observations.undo import import_undo
from berekraft.observations.workflow import observation_edit
from berekraft.places.models import Place
from berekraft.scores.models import SeriesScore
from tests.tables import table

pytestmark = pytest.mark.django_db

GOOD = table(
    {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "42"},  # changes a demo value
    {"place": "5001", "indicator": "EN: EN: AQ: 1C", "series": "PM2.5", "year": "2024", "value": "6.1"},
    {"place": "1103", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "43"},
)


@pytest.fixture(autouse=True)
def published(db: None) -> None:
    """The three values GOOD changes are published: the demo leaves gaps, so fill the ones it left
    (a demo value that is there stays, so its stored score stays right)."""
    for place, series, value in (
        ("5001", "EC: I: WS: 1C", 98.0),
        ("5001", "EN: EN: AQ: 1C/PM2.5", 5.5),
        ("1103", "EC: I: WS: 1C", 99.0),
    ):
        key = {
            "place": Place.objects.get(code=place),
            "series": Series.objects.get(code=series),
            "year": 2024,
        }
        if not Observation.objects.filter(**key, published_value__isnull=False).exists():
            observation_set(
                place_id=key["place"].pk,
                series_id=key["series"].pk,
                year=2024,
                value=value,
                published_value=value,
                status=Observation.Status.VERIFIED,
            )


def run(data: object = GOOD, **kwargs: object):  # type: ignore[no-untyped-def]
    options = {"file_name": "data.csv", "checksum": "abc", "reader": "test", "user": None} | kwargs
    return import_table(data, **options)  # type: ignore[arg-type]


def observation(place: str, series: str, year: int) -> Observation:
    return Observation.objects.get(place__code=place, series__code=series, year=year)


def test_a_good_file_is_written_as_one_batch_of_drafts_with_history() -> None:
    before = observation("5001", "EC: I: WS: 1C", 2024)
    report = run()
    assert report.ok and (report.new, report.changed, report.unchanged) == (0, 3, 0)
    after = observation("5001", "EC: I: WS: 1C", 2024)
    assert (after.value, after.status, after.version) == (42.0, "draft", before.version + 1)
    assert after.published_value == before.published_value  # published figures wait for verification
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.history.count() == 3
    row = batch.history.get(observation=after)
    assert (row.before["value"], row.after["value"]) == (before.value, 42.0)


def test_importing_the_same_file_again_changes_nothing() -> None:
    run()
    batches, history = ImportBatch.objects.count(), ObservationHistory.objects.count()
    again = run()
    assert (again.new, again.changed, again.unchanged, again.batch_id) == (0, 0, 3, None)
    assert (ImportBatch.objects.count(), ObservationHistory.objects.count()) == (batches, history)


def test_a_file_with_any_error_writes_nothing() -> None:
    bad = table(
        *[r for r in GOOD.iter_rows(named=True)],
        {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2023", "value": "lots"},
    )
    counts = (Observation.objects.count(), ObservationHistory.objects.count(), ImportBatch.objects.count())
    report = run(bad)
    assert not report.ok and len(report.errors) == 1 and report.batch_id is None
    assert (
        Observation.objects.count(),
        ObservationHistory.objects.count(),
        ImportBatch.objects.count(),
    ) == counts
    assert observation("5001", "EC: I: WS: 1C", 2024).value != 42.0


def test_dry_run_counts_but_writes_nothing() -> None:
    history = ObservationHistory.objects.count()
    new_row = table(
        {"place": "0301", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "99"},
        *[r for r in GOOD.iter_rows(named=True)],
    )
    report = run(new_row, dry_run=True)
    assert (report.new, report.changed, report.unchanged, report.batch_id) == (1, 3, 0, None)
    assert ObservationHistory.objects.count() == history
    assert not Observation.objects.filter(place__code="0301").exists()


def test_undo_puts_everything_back() -> None:
    new_row = table(
        {"place": "0301", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "99"},
        *[r for r in GOOD.iter_rows(named=True)],
    )
    before = {
        o.pk: o.snapshot() for o in Observation.objects.filter(place__code__in=["5001", "1103"], year=2024)
    }
    report = run(new_row)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert import_undo(batch=batch, user=None) == 4
    after = {
        o.pk: o.snapshot() for o in Observation.objects.filter(place__code__in=["5001", "1103"], year=2024)
    }
    assert after == before
    oslo = observation("0301", "EC: I: WS: 1C", 2024)
    assert oslo.value is None and oslo.published_value is None  # created by the import: back to unreported
    batch.refresh_from_db()
    assert batch.undone_at is not None
    with pytest.raises(ConflictError, match="already undone"):
        import_undo(batch=batch, user=None)


def test_undo_refuses_to_overwrite_a_later_change() -> None:
    report = run()
    obs = observation("5001", "EC: I: WS: 1C", 2024)
    observation_edit(
        place=obs.place, series=obs.series, year=2024, expected_version=obs.version, user=None, value="44"
    )
    with pytest.raises(ConflictError, match="changed after import"):
        import_undo(batch=ImportBatch.objects.get(pk=report.batch_id), user=None)


def test_publish_verifies_and_rescores() -> None:
    report = run(publish=True)
    obs = observation("5001", "EC: I: WS: 1C", 2024)
    assert (obs.status, obs.published_value) == ("verified", 42.0)
    score = SeriesScore.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024)
    assert (score.value, score.points) == (42.0, 2)
    import_undo(batch=ImportBatch.objects.get(pk=report.batch_id), user=None, confirm=True)
    score = SeriesScore.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024)
    assert score.value != 42.0


TRONDHEIM_ONLY = table({"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "42"})


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("verifier", False), ("editor_a", True), ("editor_b", False), ("public", False)],
)
def test_import_by_each_role(people: dict[str, User], who: str, allowed: bool) -> None:
    report = run(TRONDHEIM_ONLY, user=people[who])
    assert report.ok is allowed
    if not allowed:
        assert "belongs to another member" in str(report.errors[0])


def test_publishing_needs_both_write_and_verify_rights(people: dict[str, User]) -> None:
    assert run(TRONDHEIM_ONLY, user=people["admin"], publish=True).ok
    # A verifier checks members' data but does not write it; an editor writes but does not verify.
    assert "belongs to another member" in str(
        run(TRONDHEIM_ONLY, user=people["verifier"], publish=True).errors[0]
    )
    with pytest.raises(ForbiddenError):
        run(TRONDHEIM_ONLY, user=people["editor_a"], publish=True)


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("editor_a", True), ("editor_b", False), ("verifier", False)]
)
def test_undo_by_each_role(people: dict[str, User], who: str, allowed: bool) -> None:
    report = run(TRONDHEIM_ONLY, user=people["editor_a"])
    batch = ImportBatch.objects.get(pk=report.batch_id)
    if allowed:
        assert import_undo(batch=batch, user=people[who]) == 1
    else:
        with pytest.raises(ForbiddenError):
            import_undo(batch=batch, user=people[who])


def test_member_option_fills_rows_without_place(people: dict[str, User]) -> None:
    rows = table({"indicator": "EC: I: WS: 1C", "year": "2024", "value": "41"})
    report = run(rows, member=Place.objects.get(code="5001"), user=people["editor_a"])
    assert report.ok and observation("5001", "EC: I: WS: 1C", 2024).value == 41.0
    with pytest.raises(ForbiddenError):
        run(rows, member=Place.objects.get(code="1506"), user=people["editor_a"])


def test_series_exists_for_every_catalogue_code() -> None:
    assert Series.objects.filter(code="EN: EN: AQ: 1C/PM2.5").exists()


def test_undo_after_submit_and_verify_puts_the_published_scores_back() -> None:
    from berekraft.observations.workflow import observations_submit, observations_verify

    before = observation("5001", "EC: I: WS: 1C", 2024).snapshot()
    score_before = SeriesScore.objects.get(place__code="5001", series__code="EC: I: WS: 1C", year=2024).value
    report = run(TRONDHEIM_ONLY)
    place = Place.objects.get(code="5001")
    observations_submit(place=place, year=2024, user=None)
    observations_verify(ids=[observation("5001", "EC: I: WS: 1C", 2024).pk], user=None)
    assert SeriesScore.objects.get(place=place, series__code="EC: I: WS: 1C", year=2024).value == 42.0
    import_undo(batch=ImportBatch.objects.get(pk=report.batch_id), user=None, confirm=True)
    assert observation("5001", "EC: I: WS: 1C", 2024).snapshot() == before
    assert SeriesScore.objects.get(place=place, series__code="EC: I: WS: 1C", year=2024).value == score_before
