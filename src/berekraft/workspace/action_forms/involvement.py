"""The citizen-involvement form (medverknad): the process, whom it reached, what changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from berekraft.action.inputs import InvolvementInput
from berekraft.action.models import Involvement
from berekraft.workspace.action_forms.fields import DATE, VersionForm, blank


class InvolvementForm(VersionForm):
    title = forms.CharField(label=pgettext_lazy("admin", "title"), max_length=200, required=False)
    method = forms.ChoiceField(
        label=pgettext_lazy("admin", "method"), choices=blank(Involvement.Method.choices), required=False
    )
    project = forms.TypedChoiceField(
        label=pgettext_lazy("admin", "project"), coerce=int, required=False, empty_value=None
    )
    start_date = forms.DateField(label=pgettext_lazy("admin", "start date"), widget=DATE, required=False)
    end_date = forms.DateField(label=pgettext_lazy("admin", "end date"), required=False, widget=DATE)
    participants = forms.IntegerField(label=pgettext_lazy("admin", "number of participants"), required=False)
    groups = forms.MultipleChoiceField(
        label=pgettext_lazy("admin", "groups reached"),
        choices=Involvement.Group.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    asked = forms.CharField(
        label=pgettext_lazy("admin", "what was asked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.CharField(
        label=pgettext_lazy("admin", "what came out"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    changes = forms.CharField(
        label=pgettext_lazy("admin", "what changed as a result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, projects: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = blank(projects or [])  # type: ignore[attr-defined]

    def input(self) -> InvolvementInput:
        d = self.cleaned_data
        return InvolvementInput(
            title=d["title"],
            method=d["method"],
            start_date=d["start_date"],
            end_date=d["end_date"],
            project=d["project"],
            participants=d["participants"],
            groups=tuple(d["groups"]),
            asked=d["asked"],
            outcome=d["outcome"],
            changes=d["changes"],
        )
