"""The admin speaks the reader's Norwegian: model names, field labels and choice labels of the
catalogue, places, observations, scores and accounts models are translated (issue 7, finding 27)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.utils import translation

APPS = ("catalogue", "places", "observations", "scores", "accounts")
SAME_IN_NORWEGIAN = {"type", "status", "import", "kvalitet"}  # the word is the same in en, nb and nn


def models() -> list[Any]:
    return [m for m in apps.get_models() if m._meta.app_label in APPS]


def in_language(language: str, text: Any) -> str:
    with translation.override(language):
        return str(text)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_model_names_are_translated(language: str) -> None:
    same = [
        f"{m.__name__}: {in_language(language, name)}"
        for m in models()
        for name in (m._meta.verbose_name, m._meta.verbose_name_plural)
        if in_language(language, name) == in_language("en", name)
        and in_language(language, name) not in SAME_IN_NORWEGIAN
    ]
    assert same == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_admin_field_labels_and_choices_are_translated(language: str) -> None:
    registered = [m for m in admin.site._registry if m._meta.app_label in APPS]
    inlines = [apps.get_model("places", "Membership")]
    same = []
    for model in registered + inlines:
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.name == "id":
                continue
            label = field.verbose_name
            if in_language(language, label) == in_language("en", label) and label not in SAME_IN_NORWEGIAN:
                same.append(f"{model.__name__}.{field.name}: {in_language(language, label)}")
    for model in models():
        for field in model._meta.concrete_fields:
            for _key, label in field.choices or ():
                if in_language(language, label) == in_language("en", label):
                    same.append(f"{model.__name__}.{field.name} choice: {label}")
    assert same == []


def test_nynorsk_statuses_in_the_admin_are_participles() -> None:
    status = apps.get_model("observations", "Observation")._meta.get_field("status")
    labels = {key: in_language("nn", label) for key, label in status.choices}
    assert labels == {
        "draft": "utkast",
        "submitted": "sendt inn",
        "verified": "kontrollert",
        "returned": "sendt tilbake",
    }
