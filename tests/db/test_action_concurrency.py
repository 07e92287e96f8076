"""Editors saving the same project at once against one PostgreSQL database: every save reported as
done is in the history, the history is one unbroken chain of versions (each "before" is the
previous "after"), and every refused save is a clear ConflictError."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from django.db import connection

from berekraft.errors import ConflictError

THREAD_SECONDS = 4.0
EDITORS = 4


@pytest.fixture
def committed_db() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs against PostgreSQL (SQLite serialises every write)")


@pytest.mark.django_db(transaction=True)
def test_editors_saving_one_project_at_once_lose_no_saved_change(committed_db: None) -> None:
    from berekraft.action import services
    from berekraft.action.inputs import OrganisationInput, PartnerInput, ProjectInput
    from berekraft.action.models import ActionHistory, Project
    from berekraft.places.models import Place

    member = Place.objects.get(code="5001")
    project = services.project_create(member=member, data=ProjectInput(title="start"), user=None)
    org = services.organisation_create(
        data=OrganisationInput(name="NTNU", kind="academia"),
        user=None,
    )
    stop = time.monotonic() + THREAD_SECONDS
    saved: list[tuple[int, str]] = []
    failures: list[str] = []
    conflicts = [0]
    lock = threading.Lock()

    def editor(n: int) -> None:
        try:
            i = 0
            while time.monotonic() < stop:
                i += 1
                read = Project.objects.get(pk=project.pk)
                title = f"editor {n} edit {i}"
                partners = (PartnerInput(organisation=org.pk, role="lead"),) if i % 2 else ()
                try:
                    done = services.project_update(
                        project=read,
                        data=ProjectInput(title=title, progress=i % 101, partners=partners),
                        expected_version=read.version,
                        user=None,
                    )
                except ConflictError:
                    with lock:
                        conflicts[0] += 1
                    continue
                with lock:
                    saved.append((done.version, title))
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert saved, "no edit was saved at all"
    rows = list(ActionHistory.objects.filter(model="project", object_id=project.pk).order_by("version"))
    assert [r.version for r in rows] == list(range(1, len(rows) + 1))
    for previous, row in itertools.pairwise(rows):
        assert row.before == previous.after
    by_version = {r.version: r.after for r in rows}
    for version, title in saved:
        assert by_version[version] is not None and by_version[version]["title"] == title
    final = Project.objects.get(pk=project.pk)
    assert final.version == rows[-1].version and final.title == rows[-1].after["title"]  # type: ignore[index]
    print(f"{len(saved)} saved, {conflicts[0]} conflicts")
