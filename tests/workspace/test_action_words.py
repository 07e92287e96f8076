"""The action pages of the workspace speak only the reader's Norwegian (nb, nn), problems included;
official SDG target texts with no Norwegian version are shown in English, marked lang="en"."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from berekraft.action import services
from berekraft.action.inputs import (
    InvolvementInput,
    OrganisationInput,
    PartnerInput,
    PriorityInput,
    ProjectInput,
)
from berekraft.places.models import Place
from tests.web.test_words import check

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_action_pages_speak_only_the_readers_norwegian(people: dict[str, User], language: str) -> None:
    trondheim = Place.objects.get(code="5001")
    org = services.organisation_create(
        data=OrganisationInput(name="NTNU", kind="academia"), user=None, member=trondheim
    )
    project = services.project_create(
        member=trondheim,
        data=ProjectInput(title="Sykkel", partners=(PartnerInput(organisation=org.pk, role="research"),)),
        user=None,
    )
    involvement = services.involvement_create(
        member=trondheim,
        data=InvolvementInput(title="Møte", method="workshop", start_date=date(2025, 1, 1)),
        user=None,
    )
    priority = services.priority_create(
        member=trondheim, data=PriorityInput(reason="Vedtak", valid_from=date(2025, 1, 1), goal=11), user=None
    )
    services.record_publish(record=project, user=None)
    client = Client(headers={"Accept-Language": language})
    client.force_login(people["editor_a"])
    pages = [
        "/workspace/action/",
        "/workspace/action/5001/projects/new/",
        f"/workspace/action/project/{project.pk}/",
        f"/workspace/action/project/{project.pk}/history/",
        "/workspace/action/5001/involvement/new/",
        f"/workspace/action/involvement/{involvement.pk}/",
        "/workspace/action/5001/priorities/new/",
        f"/workspace/action/priority/{priority.pk}/",
        "/workspace/action/organisations/new/",
        f"/workspace/action/organisation/{org.pk}/",
        "/workspace/action/5001/projects/import/",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        check(response.content.decode(), language, path)
    form = client.get("/workspace/action/5001/projects/new/").content.decode()
    assert 'lang="en"' in form  # a target published in English only
    refused = client.post(
        "/workspace/action/5001/involvement/new/",
        {
            "version": 0,
            "title": "",
            "method": "workshop",
            "start_date": "2025-02-01",
            "end_date": "2025-01-01",
        },
    ).content.decode()
    check(refused, language, "involvement problems")
    upload = client.post(
        "/workspace/action/5001/projects/import/",
        {"file": SimpleUploadedFile("p.csv", b"key,title,progress\nP-1,,140\n")},
    ).content.decode()
    assert "p.csv" in upload
    check(upload, language, "project spreadsheet problems")
