"""The forms of a project's parts (KPIs, partners, deliverables, funding, links, timeline), each
edited as a form set with room for one more, and the new-partner form that registers an
organisation with the project; kept apart from the project form because they are many small forms
handled alike."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from berekraft.action.inputs import OrganisationInput
from berekraft.action.models import Deliverable, Funding, Organisation, Partnership, ProjectSeries
from berekraft.workspace.action_forms.fields import DATE, blank, organisation_choices, series_choices


class KpiForm(forms.Form):
    series = forms.ChoiceField(label=pgettext_lazy("admin", "series"))
    expected = forms.ChoiceField(
        label=pgettext_lazy("admin", "expected direction"),
        choices=ProjectSeries.Expected.choices,
        initial=ProjectSeries.Expected.choices[0][0],  # what a browser preselects: untouched is unchanged
    )
    expected_value = forms.FloatField(label=pgettext_lazy("admin", "expected value"), required=False)
    expected_year = forms.IntegerField(label=pgettext_lazy("admin", "by year"), required=False)

    def __init__(self, *args: Any, series: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].choices = blank(series or [])  # type: ignore[attr-defined]


class PartnerForm(forms.Form):
    organisation = forms.TypedChoiceField(label=pgettext_lazy("admin", "organisation"), coerce=int)
    role = forms.ChoiceField(
        label=pgettext_lazy("admin", "role"),
        choices=Partnership.Role.choices,
        initial=Partnership.Role.choices[0][0],  # what a browser preselects: untouched is unchanged
    )
    note = forms.CharField(label=pgettext_lazy("admin", "note"), required=False, max_length=300)

    def __init__(self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = blank(organisations or [])  # type: ignore[attr-defined]


class DeliverableForm(forms.Form):
    what = forms.CharField(label=pgettext_lazy("admin", "what"), max_length=300)
    due_date = forms.DateField(label=pgettext_lazy("admin", "due date"), widget=DATE)
    status = forms.ChoiceField(
        label=pgettext_lazy("admin", "status"),
        choices=Deliverable.Status.choices,
        initial=Deliverable.Status.choices[0][0],  # what a browser preselects: untouched is unchanged
    )
    organisation = forms.TypedChoiceField(
        label=_("Partner that owes it"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, organisations: list[tuple[int, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = blank(organisations or [])  # type: ignore[attr-defined]


class FundingForm(forms.Form):
    # blank first: an untouched spare row is no funding line
    source = forms.ChoiceField(
        label=pgettext_lazy("admin", "funding source"), choices=blank(Funding.Source.choices)
    )
    amount_nok = forms.IntegerField(label=pgettext_lazy("admin", "amount (NOK)"), required=False)
    note = forms.CharField(label=pgettext_lazy("admin", "note"), required=False, max_length=300)


class LinkForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("admin", "title"), max_length=200)
    url = forms.CharField(label=pgettext_lazy("admin", "address"), max_length=500)


class TimelineForm(forms.Form):
    date = forms.DateField(label=pgettext_lazy("admin", "date"), widget=DATE)
    text = forms.CharField(label=pgettext_lazy("admin", "what happened"), max_length=500)


class NewPartnerForm(forms.Form):
    """An organisation not yet in the network's register, created with the project (all or nothing)."""

    name = forms.CharField(label=pgettext_lazy("admin", "name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=pgettext_lazy("admin", "kind"), choices=blank(Organisation.Kind.choices), required=False
    )
    org_number = forms.CharField(
        label=pgettext_lazy("admin", "organisation number"),
        required=False,
        max_length=20,
        help_text=pgettext_lazy("admin", "Norwegian organisation number: 9 digits, with its check digit"),
    )
    website = forms.CharField(label=pgettext_lazy("admin", "website"), required=False, max_length=500)
    role = forms.ChoiceField(
        label=pgettext_lazy("admin", "role"), choices=blank(Partnership.Role.choices), required=False
    )

    def organisation(self) -> OrganisationInput | None:
        data = self.cleaned_data
        if not data.get("name"):
            return None
        return OrganisationInput(
            name=data["name"], kind=data["kind"], org_number=data["org_number"], website=data["website"]
        )


PARTS: dict[str, type[forms.Form]] = {
    "kpis": KpiForm,
    "partners": PartnerForm,
    "deliverables": DeliverableForm,
    "funding": FundingForm,
    "links": LinkForm,
    "timeline": TimelineForm,
}
PART_LABELS = {
    "kpis": pgettext_lazy("admin", "project KPIs"),
    "partners": pgettext_lazy("admin", "partnerships"),
    "deliverables": pgettext_lazy("admin", "deliverables"),
    "funding": pgettext_lazy("admin", "funding"),
    "links": pgettext_lazy("admin", "links"),
    "timeline": pgettext_lazy("admin", "timeline"),
}


def part_formsets(
    data: Any, initial: dict[str, list[dict[str, Any]]], language: str
) -> dict[str, BaseFormSet]:  # type: ignore[type-arg]
    """One form set per part of a project, each with room for one more."""
    organisations = organisation_choices()
    kwargs: dict[str, dict[str, Any]] = {
        "kpis": {"series": series_choices(language)},
        "partners": {"organisations": organisations},
        "deliverables": {"organisations": organisations},
    }
    sets: dict[str, BaseFormSet] = {}  # type: ignore[type-arg]
    for prefix, form in PARTS.items():
        factory = formset_factory(form, extra=1, can_delete=True)
        sets[prefix] = factory(
            data, prefix=prefix, initial=initial.get(prefix), form_kwargs=kwargs.get(prefix, {})
        )
    return sets


def kept_forms(formset: BaseFormSet) -> list[tuple[int, dict[str, Any]]]:  # type: ignore[type-arg]
    """The filled-in, not deleted forms of a form set: (form index, cleaned data)."""
    kept = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        kept.append((index, data))
    return kept
