"""No lost update (issue 7, finding 6): an import plans, locks and writes in one transaction; an
import confirmed after a preview notices values changed since; versions are compare-and-set and
history versions are unique. These are deterministic interleavings: the plan step (a preview), then
the other change, then the write."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from berekraft.errors import ConflictError
from berekraft.observations import imports
from berekraft.observations.imports import import_table
from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
from berekraft.observations.services import apply_change
from berekraft.observations.undo import import_undo
from berekraft.observations.workflow import observation_edit
from tests.tables import table

pytestmark = pytest.mark.django_db

KEY = ("5001", "EC: I: WS: 1C", 2024)
ROWS = table(
    {"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "42"},
    {"place": "0301", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "99"},  # a new key
)


def run(data: object = ROWS, **kwargs: object):  # type: ignore[no-untyped-def]
    options = {"file_name": "data.csv", "checksum": "abc", "reader": "test", "user": None} | kwargs
    return import_table(data, **options)  # type: ignore[arg-type]


def current(place: str, series: str, year: int) -> Observation:
    return Observation.objects.get(place__code=place, series__code=series, year=year)


def edit(place: str, series: str, year: int, value: str) -> Observation:
    obs = current(place, series, year)
    return observation_edit(
        place=obs.place, series=obs.series, year=year, expected_version=obs.version, user=None, value=value
    )


def test_a_preview_confirmed_after_an_edit_names_the_value_and_writes_nothing() -> None:
    preview = run(dry_run=True)
    edit(*KEY, value="44")
    batches, history = ImportBatch.objects.count(), ObservationHistory.objects.count()
    with pytest.raises(ConflictError) as caught:
        run(expected=preview.seen)
    message = str(caught.value)
    assert "5001" in message and "EC: I: WS: 1C" in message and "2024" in message
    assert "0301" not in message  # only what changed meanwhile is named
    assert current(*KEY).value == 44.0  # the edit is kept
    assert (ImportBatch.objects.count(), ObservationHistory.objects.count()) == (batches, history)


def test_a_preview_confirmed_after_another_import_created_the_same_new_key_is_a_conflict() -> None:
    preview = run(dry_run=True)
    run(table({"place": "0301", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "98"}))
    with pytest.raises(ConflictError, match="0301"):
        run(expected=preview.seen)
    assert current("0301", "EC: I: WS: 1C", 2024).value == 98.0


def test_a_preview_confirmed_with_nothing_changed_meanwhile_is_written() -> None:
    preview = run(dry_run=True)
    report = run(expected=preview.seen)
    assert report.batch_id is not None and current(*KEY).value == 42.0


def test_an_import_writes_from_what_it_read_under_lock_not_from_an_earlier_read() -> None:
    """A plain import (no preview) plans inside its transaction: the edit saved before it is the
    'before' of its history row and the version continues from it."""
    edited = edit(*KEY, value="44")
    report = run()
    obs = current(*KEY)
    assert obs.version == edited.version + 1
    row = ObservationHistory.objects.get(observation=obs, batch_id=report.batch_id)
    assert (row.old_value, row.new_value, row.version) == (44.0, 42.0, obs.version)


def test_two_imports_of_the_same_new_keys_never_give_an_integrity_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The other import inserts the same new key between this one's plan and its insert: the insert
    collides and the import plans again (serially) instead of failing with IntegrityError."""
    calls: list[int] = []

    def collide() -> None:
        calls.append(1)
        if len(calls) == 1:
            from berekraft.places.models import Place

            Observation.objects.create(
                place=Place.objects.get(code="0301"), series=current(*KEY).series, year=2024, value=97
            )

    monkeypatch.setattr(imports, "_after_plan", collide)
    report = run()
    assert len(calls) == 2  # planned twice
    assert report.batch_id is not None
    assert current("0301", "EC: I: WS: 1C", 2024).value == 99.0


def test_an_observation_written_from_a_stale_read_is_refused() -> None:
    stale = current(*KEY)
    edit(*KEY, value="44")
    with pytest.raises(ConflictError, match="5001 EC: I: WS: 1C 2024"):
        apply_change(stale, {"value": 45.0}, user=None, reason="stale")
    assert current(*KEY).value == 44.0


def test_history_versions_are_unique() -> None:
    obs = current(*KEY)
    row = ObservationHistory.objects.filter(observation=obs).first()
    assert row is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationHistory.objects.create(observation=obs, version=row.version, new_status="draft")


def test_undo_after_a_later_import_of_the_same_keys_is_refused() -> None:
    first = run()
    run(table({"place": "5001", "indicator": "EC: I: WS: 1C", "year": "2024", "value": "43"}))
    with pytest.raises(ConflictError, match="changed after import"):
        import_undo(batch=ImportBatch.objects.get(pk=first.batch_id), user=None)
    assert current(*KEY).value == 43.0


def test_the_workspace_confirm_after_an_edit_names_the_value(people: dict[str, object]) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    editor = Client(headers={"Accept-Language": "en"})
    editor.force_login(people["editor_a"])  # type: ignore[arg-type]
    csv = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,41\n"
    preview = editor.post(
        "/workspace/upload/", {"file": SimpleUploadedFile("values.csv", csv), "member": ""}
    ).content.decode()
    fields = {name: preview.split(f'name="{name}" value="')[1].split('"')[0] for name in ("token", "seen")}
    edit(*KEY, value="44")
    page = editor.post("/workspace/upload/confirm/", {**fields, "member": ""}, follow=True)
    assert page.status_code == 200
    assert "changed after your preview: 5001 EC: I: WS: 1C 2024" in page.content.decode()
    assert current(*KEY).value == 44.0
    tampered = editor.post("/workspace/upload/confirm/", {**fields, "seen": "x", "member": ""}, follow=True)
    assert "no longer valid" in tampered.content.decode() and current(*KEY).value == 44.0
