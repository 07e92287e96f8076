"""Governance of published values (issue 7, finding 8): an editor cannot undo an import whose
values have since been published; a verifier or admin can, after an explicit confirmation, and the
undo re-publishes the previous values and rescoring. The public sees the source and quality of
the published version, never a draft's, and never a workflow status other than published."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from berekraft.errors import ConfirmationNeeded, ForbiddenError
from berekraft.observations.imports import import_table
from berekraft.observations.models import ImportBatch, Observation
from berekraft.observations.undo import import_undo
from berekraft.observations.workflow import observations_submit, observations_verify
from berekraft.places.models import Place
from berekraft.scores.models import SeriesScore
from tests.tables import table

pytestmark = pytest.mark.django_db

SERIES = "EC: I: WS: 1C"
DRAFT_SOURCE = "Draft source only the editor has seen"
ROW = table({"place": "5001", "indicator": SERIES, "year": "2024", "value": "42", "source": DRAFT_SOURCE})


def current() -> Observation:
    return Observation.objects.get(place__code="5001", series__code=SERIES, year=2024)


def imported_submitted_verified(people: dict[str, User]) -> ImportBatch:
    report = import_table(
        ROW, file_name="f.csv", checksum="x", reader="test", user=people["editor_a"], member=None
    )
    observations_submit(place=Place.objects.get(code="5001"), year=2024, user=people["editor_a"])
    observations_verify(ids=[current().pk], user=people["verifier"])
    return ImportBatch.objects.get(pk=report.batch_id)


def score() -> float:
    return SeriesScore.objects.get(place__code="5001", series__code=SERIES, year=2024).value


def test_an_editor_cannot_undo_an_import_whose_values_were_verified_since(people: dict[str, User]) -> None:
    batch = imported_submitted_verified(people)
    with pytest.raises(ForbiddenError, match="5001 EC: I: WS: 1C 2024"):
        import_undo(batch=batch, user=people["editor_a"])
    assert (current().published_value, score()) == (42.0, 42.0)


def test_a_verifier_undoes_a_published_import_only_after_confirming(people: dict[str, User]) -> None:
    before = current()
    before_score = score()
    batch = imported_submitted_verified(people)
    with pytest.raises(ConfirmationNeeded, match="5001 EC: I: WS: 1C 2024"):
        import_undo(batch=batch, user=people["verifier"])
    assert current().published_value == 42.0  # nothing was done without the confirmation
    import_undo(batch=batch, user=people["verifier"], confirm=True)
    after = current()
    assert (after.published_value, after.published_source) == (
        before.published_value,
        before.published_source,
    )
    assert score() == before_score


def test_the_workspace_asks_the_verifier_to_confirm_an_undo_of_published_values(
    people: dict[str, User],
) -> None:
    batch = imported_submitted_verified(people)
    verifier = Client(headers={"Accept-Language": "en"})
    verifier.force_login(people["verifier"])
    page = verifier.post(f"/workspace/imports/{batch.pk}/undo/", follow=True).content.decode()
    assert 'name="confirm"' in page and current().published_value == 42.0
    verifier.post(f"/workspace/imports/{batch.pk}/undo/", {"confirm": "1"}, follow=True)
    assert current().published_value != 42.0


def test_the_public_sees_the_published_source_not_the_draft(people: dict[str, User]) -> None:
    from berekraft.web.selectors.common import series_slug

    demo_source = current().published_source
    import_table(ROW, file_name="f.csv", checksum="x", reader="test", user=people["editor_a"])
    public = Client(headers={"Accept-Language": "en"})
    kpi = f"/kpis/{series_slug(SERIES)}/"

    def shown() -> str:
        return "".join(
            public.get(url).content.decode() for url in ("/members/5001/", "/members/5001.json", kpi)
        )

    assert public.get(kpi).status_code == 200
    assert DRAFT_SOURCE not in shown() and demo_source and demo_source in shown()
    observations_submit(place=Place.objects.get(code="5001"), year=2024, user=people["editor_a"])
    assert DRAFT_SOURCE not in shown()
    observations_verify(ids=[current().pk], user=people["verifier"])
    assert DRAFT_SOURCE in shown()  # now it is the published version's source


def test_the_public_never_sees_a_workflow_status(people: dict[str, User]) -> None:
    import_table(ROW, file_name="f.csv", checksum="x", reader="test", user=people["editor_a"])
    observations_submit(place=Place.objects.get(code="5001"), year=2024, user=people["editor_a"])
    text = json.dumps(json.loads(Client().get("/members/5001.json").content))
    for word in ("submitted", "returned", "draft"):
        assert f'"{word}"' not in text


def test_a_verifier_sees_the_imports_it_may_undo_and_the_queue_shows_a_cleared_value(
    people: dict[str, User],
) -> None:
    rows = table({"place": "5001", "indicator": SERIES, "year": "2024", "value": "-"})
    report = import_table(rows, file_name="clear.csv", checksum="x", reader="test", user=people["editor_a"])
    observations_submit(place=Place.objects.get(code="5001"), year=2024, user=people["editor_a"])
    verifier = Client(headers={"Accept-Language": "en"})
    verifier.force_login(people["verifier"])
    assert (
        f"/workspace/imports/{report.batch_id}/undo/" in verifier.get("/workspace/imports/").content.decode()
    )
    queue = verifier.get("/workspace/verify/")
    assert queue.status_code == 200 and SERIES in queue.content.decode()
