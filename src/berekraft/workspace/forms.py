"""Forms of the workspace. They only parse; services validate and decide."""

from __future__ import annotations

from django import forms

from berekraft.core.quality import QUALITY_LEVELS


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File", help_text="The data-collection workbook (.xlsx), a CSV or a JSON-stat file"
    )
    member = forms.ChoiceField(label="Member", required=False, help_text="For rows that name no place")

    def __init__(self, *args: object, members: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["member"].choices = [("", "—"), *members]  # type: ignore[attr-defined]


class ConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    member = forms.CharField(widget=forms.HiddenInput, required=False)


class ValueForm(forms.Form):
    """One value as typed; the numbers are checked by core.validation, not here."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    value = forms.CharField(required=False, max_length=40)
    numerator = forms.CharField(required=False, max_length=40)
    denominator = forms.CharField(required=False, max_length=40)
    quality = forms.ChoiceField(
        required=False, choices=[("", "—"), *((k, names.en) for k, names in QUALITY_LEVELS.items())]
    )
    data_origin = forms.CharField(required=False, max_length=300, label="Data origin")
    source = forms.CharField(required=False, max_length=300)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
