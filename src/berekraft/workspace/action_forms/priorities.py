"""The priority form: a goal or KPI series a member prioritises, why and for how long."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from berekraft.action.inputs import PriorityInput
from berekraft.workspace.action_forms.fields import DATE, VersionForm, blank, goal_choices, series_choices


class PriorityForm(VersionForm):
    goal = forms.TypedChoiceField(
        label=pgettext_lazy("admin", "goal"), coerce=int, required=False, empty_value=None
    )
    series = forms.ChoiceField(label=pgettext_lazy("admin", "series"), required=False)
    reason = forms.CharField(
        label=pgettext_lazy("admin", "why"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    valid_from = forms.DateField(label=pgettext_lazy("admin", "from"), widget=DATE, required=False)
    valid_until = forms.DateField(label=pgettext_lazy("admin", "until"), required=False, widget=DATE)
    decision_url = forms.CharField(
        label=pgettext_lazy("admin", "council decision (link)"), required=False, max_length=500
    )

    def __init__(self, *args: Any, language: str = "nb", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = blank(goal_choices(language))  # type: ignore[attr-defined]
        self.fields["series"].choices = blank(series_choices(language))  # type: ignore[attr-defined]

    def input(self) -> PriorityInput:
        d = self.cleaned_data
        return PriorityInput(
            reason=d["reason"],
            valid_from=d["valid_from"],
            goal=d["goal"],
            series=d["series"],
            valid_until=d["valid_until"],
            decision_url=d["decision_url"],
        )
