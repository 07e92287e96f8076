"""Forms of the workspace. They only parse; services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from berekraft.core.quality import QUALITY_LEVELS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("The data-collection workbook (.xlsx), a CSV or a JSON-stat file")
    )
    member = forms.ChoiceField(label=_("Member"), required=False, help_text=_("For rows that name no place"))

    def __init__(self, *args: object, members: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class UploadTokenForm(forms.Form):
    """Which stored upload a confirm or cancel is about."""

    token = forms.CharField(widget=forms.HiddenInput)
    member = forms.CharField(widget=forms.HiddenInput, required=False)


class ConfirmForm(UploadTokenForm):
    seen = forms.CharField(widget=forms.HiddenInput)  # the versions the preview read (seen_dumps)


class ValueForm(forms.Form):
    """One value as typed; the numbers are checked by core.validation, not here."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    value = forms.CharField(label=_("Value"), required=False, max_length=40)
    numerator = forms.CharField(label=_("Numerator"), required=False, max_length=40)
    denominator = forms.CharField(label=_("Denominator"), required=False, max_length=40)
    quality = forms.ChoiceField(label=_("Quality level"), required=False)
    data_origin = forms.CharField(required=False, max_length=300, label=_("Data origin"))
    source = forms.CharField(label=_("Source"), required=False, max_length=300)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, language: str = "nb", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["quality"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((k, names.get(language)) for k, names in QUALITY_LEVELS.items()),
        ]


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class LocalIndicatorForm(forms.Form):
    """A member's local indicator as typed; core.local checks it (every problem, per field)."""

    slug = forms.CharField(
        label=_("Short code"),
        required=False,
        max_length=40,
        help_text=_("Lower-case letters a–z, digits and hyphens, e.g. cycle-lanes; fixed once saved"),
    )
    name_nb = forms.CharField(label=_("Name (Bokmål)"), required=False, max_length=200)
    name_nn = forms.CharField(label=_("Name (Nynorsk)"), required=False, max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), required=False, max_length=200)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=100)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", "—"),
            ("higher", _("higher is better")),
            ("lower", _("lower is better")),
            ("range", _("within a range")),
        ],
    )
    definition = forms.CharField(
        label=_("Definition"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(label=_("Source of the data"), required=False, max_length=1000)
    target = forms.CharField(label=_("Target"), required=False, max_length=40)
    target_lower = forms.CharField(label=_("Target from (range)"), required=False, max_length=40)
    target_upper = forms.CharField(label=_("Target to (range)"), required=False, max_length=40)
    baseline = forms.CharField(
        label=_("Baseline"),
        required=False,
        max_length=40,
        help_text=_("Only for a lower-is-better target of 0: the value the distance is measured from"),
    )
    target_year = forms.CharField(label=_("Target year"), required=False, max_length=4)
    target_source = forms.CharField(
        label=_("Source of the target"),
        required=False,
        max_length=1000,
        help_text=_("E.g. the council decision that set it"),
    )
    goals = forms.MultipleChoiceField(
        label=_("SDGs"),
        required=False,
        choices=[(str(n), str(n)) for n in range(1, 18)],
        widget=forms.CheckboxSelectMultiple,
    )
