"""What every register form in the workspace is built from: the date widget, the choice lists
(goals, series, organisations, with a blank first choice), and the hidden version the editor opened
the record on, which the services compare before they write (no lost update)."""

from __future__ import annotations

from typing import Any

from django import forms

from berekraft.action.models import Organisation
from berekraft.catalogue.models import Goal, Series

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def blank(choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", "—"), *choices]


def goal_choices(language: str) -> list[tuple[int, str]]:
    return [
        (g.number, f"{g.number} {getattr(g, f'name_{language}', g.name_en)}")
        for g in Goal.objects.order_by("number")
    ]


def series_choices(language: str) -> list[tuple[str, str]]:
    return [
        (s.code, f"{s.code} – {getattr(s, f'name_{language}', '') or s.name_en}")
        for s in Series.objects.order_by("code").only("code", "name_en", "name_nb", "name_nn")
    ]


def organisation_choices() -> list[tuple[int, str]]:
    return [
        (o.pk, f"{o.name} ({o.org_number})" if o.org_number else o.name)
        for o in Organisation.objects.order_by("name", "pk").only("pk", "name", "org_number")
    ]


class VersionForm(forms.Form):
    """The version the editor opened the record on (0 for a new one)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)
