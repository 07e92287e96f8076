"""The organisation form: a partner in the network's shared register."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from berekraft.action.inputs import OrganisationInput
from berekraft.action.models import Organisation
from berekraft.workspace.action_forms.fields import VersionForm, blank


class OrganisationForm(VersionForm):
    name = forms.CharField(label=pgettext_lazy("admin", "name"), max_length=200, required=False)
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

    def input(self) -> OrganisationInput:
        d = self.cleaned_data
        return OrganisationInput(
            name=d["name"], kind=d["kind"], org_number=d["org_number"], website=d["website"]
        )
