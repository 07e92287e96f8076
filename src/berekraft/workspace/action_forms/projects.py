"""The project form and the translation between it and action.inputs: a saved project as the
forms' initial values, and what was typed (the project and its parts' form sets) as one typed
ProjectInput; and the project-spreadsheet upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from berekraft.action.inputs import (
    DeliverableInput,
    FundingInput,
    KpiInput,
    LinkInput,
    PartnerInput,
    ProjectInput,
    TimelineInput,
)
from berekraft.action.models import Project
from berekraft.catalogue.models import SdgTarget
from berekraft.workspace.action_forms.fields import DATE, VersionForm, goal_choices
from berekraft.workspace.action_forms.project_parts import kept_forms


class TargetSelect(forms.SelectMultiple):
    """SDG targets with their official texts; a target with no text in the page's language shows
    the English one, marked ``lang="en"`` (read aloud as English; not a missing translation)."""

    english: set[str] = set()

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.english:
            option["attrs"]["lang"] = "en"
        return option


class ProjectForm(VersionForm):
    title = forms.CharField(label=pgettext_lazy("admin", "title"), max_length=200, required=False)
    summary = forms.CharField(label=pgettext_lazy("admin", "summary"), required=False, max_length=500)
    description = forms.CharField(
        label=pgettext_lazy("admin", "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=pgettext_lazy(
            "admin", "Plain text: blank lines make paragraphs, web addresses become links"
        ),
    )
    status = forms.ChoiceField(label=pgettext_lazy("admin", "status"), choices=Project.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), initial=0)
    start_date = forms.DateField(label=pgettext_lazy("admin", "start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=pgettext_lazy("admin", "end date"), required=False, widget=DATE)
    responsible_unit = forms.CharField(
        label=pgettext_lazy("admin", "responsible unit"), required=False, max_length=200
    )
    contact_name = forms.CharField(label=pgettext_lazy("admin", "contact"), required=False, max_length=200)
    contact_email = forms.CharField(
        label=pgettext_lazy("admin", "contact e-mail"), required=False, max_length=254
    )
    contact_public = forms.BooleanField(
        label=pgettext_lazy("admin", "Show the contact on the public pages"), required=False
    )
    budget_nok = forms.IntegerField(label=pgettext_lazy("admin", "budget (NOK)"), required=False)
    goals = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("admin", "SDGs"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    sdg_targets = forms.MultipleChoiceField(
        label=pgettext_lazy("admin", "SDG targets"),
        required=False,
        widget=TargetSelect(attrs={"size": 8}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    def __init__(self, *args: Any, language: str = "nb", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = goal_choices(language)  # type: ignore[attr-defined]
        targets = list(SdgTarget.objects.order_by("order"))
        self.fields["sdg_targets"].choices = [  # type: ignore[attr-defined]
            (t.code, f"{t.code} {t.text(language)[:90]}") for t in targets
        ]
        widget = self.fields["sdg_targets"].widget
        assert isinstance(widget, TargetSelect)
        widget.english = {t.code for t in targets if not getattr(t, f"text_{language}", "")}


def project_input(
    form: ProjectForm,
    sets: dict[str, Any],
    extra_partners: tuple[PartnerInput, ...] = (),
) -> tuple[ProjectInput, dict[str, list[int]]]:
    """The typed project, and for each part the form index of each item (to put problems back)."""
    d = form.cleaned_data
    kept = {prefix: kept_forms(formset) for prefix, formset in sets.items()}
    project = ProjectInput(
        title=d["title"],
        summary=d["summary"],
        description=d["description"],
        status=d["status"],
        progress=d["progress"] if d["progress"] is not None else 0,
        start_date=d["start_date"],
        end_date=d["end_date"],
        responsible_unit=d["responsible_unit"],
        contact_name=d["contact_name"],
        contact_email=d["contact_email"],
        contact_public=d["contact_public"],
        budget_nok=d["budget_nok"],
        goals=tuple(d["goals"]),
        sdg_targets=tuple(d["sdg_targets"]),
        kpis=tuple(
            KpiInput(
                series=x["series"],
                expected=x["expected"],
                expected_value=x["expected_value"],
                expected_year=x["expected_year"],
            )
            for _i, x in kept["kpis"]
        ),
        partners=tuple(
            PartnerInput(organisation=x["organisation"], role=x["role"], note=x["note"])
            for _i, x in kept["partners"]
        )
        + extra_partners,
        deliverables=tuple(
            DeliverableInput(
                what=x["what"], due_date=x["due_date"], status=x["status"], organisation=x["organisation"]
            )
            for _i, x in kept["deliverables"]
        ),
        funding=tuple(
            FundingInput(source=x["source"], amount_nok=x["amount_nok"], note=x["note"])
            for _i, x in kept["funding"]
        ),
        links=tuple(LinkInput(title=x["title"], url=x["url"]) for _i, x in kept["links"]),
        timeline=tuple(TimelineInput(date=x["date"], text=x["text"]) for _i, x in kept["timeline"]),
    )
    return project, {prefix: [i for i, _x in items] for prefix, items in kept.items()}


def project_initial(project: Project) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """A saved project as the forms' initial values."""
    fields = {
        name: getattr(project, name)
        for name in (
            "title",
            "summary",
            "description",
            "status",
            "progress",
            "start_date",
            "end_date",
            "responsible_unit",
            "contact_name",
            "contact_email",
            "contact_public",
            "budget_nok",
        )
    }
    fields["version"] = project.version
    fields["goals"] = list(project.goals.values_list("number", flat=True))
    fields["sdg_targets"] = list(project.sdg_targets.values_list("code", flat=True))
    parts: dict[str, list[dict[str, Any]]] = {
        "kpis": [
            {
                "series": k.series.code,
                "expected": k.expected,
                "expected_value": k.expected_value,
                "expected_year": k.expected_year,
            }
            for k in project.kpis.select_related("series").order_by("pk")
        ],
        "partners": [
            {"organisation": p.organisation_id, "role": p.role, "note": p.note}
            for p in project.partnerships.order_by("pk")
        ],
        "deliverables": [
            {
                "what": d.what,
                "due_date": d.due_date,
                "status": d.status,
                "organisation": d.partnership.organisation_id if d.partnership else None,
            }
            for d in project.deliverables.select_related("partnership").order_by("pk")
        ],
        "funding": [
            {"source": f.source, "amount_nok": f.amount_nok, "note": f.note}
            for f in project.funding.order_by("pk")
        ],
        "links": [{"title": x.title, "url": x.url} for x in project.links.order_by("pk")],
        "timeline": [{"date": t.date, "text": t.text} for t in project.timeline.order_by("pk")],
    }
    return fields, parts


class ProjectsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("The project spreadsheet (.xlsx) or the same columns as CSV")
    )
    dry_run = forms.BooleanField(label=_("Check only: write nothing"), required=False, initial=True)
    publish = forms.BooleanField(label=_("Publish the imported projects"), required=False)
