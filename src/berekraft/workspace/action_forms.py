"""Forms of the action registers in the workspace. They parse what was typed into the typed inputs
of action.inputs; action.services validates (every rule, at once) and decides. A problem the
service reports is put back at its field here (``kpis-0-series`` → the first KPI's series)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from berekraft.action.inputs import (
    DeliverableInput,
    FundingInput,
    InvolvementInput,
    KpiInput,
    LinkInput,
    OrganisationInput,
    PartnerInput,
    PriorityInput,
    ProjectInput,
    TimelineInput,
)
from berekraft.action.models import (
    Deliverable,
    Funding,
    Involvement,
    Organisation,
    Partnership,
    Project,
    ProjectSeries,
)
from berekraft.catalogue.models import Goal, SdgTarget, Series
from berekraft.core.problems import Problem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _blank(choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
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


class VersionForm(forms.Form):
    """The version the editor opened the record on (0 for a new one)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)


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
        self.fields["series"].choices = _blank(series or [])  # type: ignore[attr-defined]


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
        self.fields["organisation"].choices = _blank(organisations or [])  # type: ignore[attr-defined]


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
        self.fields["organisation"].choices = _blank(organisations or [])  # type: ignore[attr-defined]


class FundingForm(forms.Form):
    # blank first: an untouched spare row is no funding line
    source = forms.ChoiceField(
        label=pgettext_lazy("admin", "funding source"), choices=_blank(Funding.Source.choices)
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
        label=pgettext_lazy("admin", "kind"), choices=_blank(Organisation.Kind.choices), required=False
    )
    org_number = forms.CharField(
        label=pgettext_lazy("admin", "organisation number"),
        required=False,
        max_length=20,
        help_text=pgettext_lazy("admin", "Norwegian organisation number: 9 digits, with its check digit"),
    )
    website = forms.CharField(label=pgettext_lazy("admin", "website"), required=False, max_length=500)
    role = forms.ChoiceField(
        label=pgettext_lazy("admin", "role"), choices=_blank(Partnership.Role.choices), required=False
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


def _kept(formset: BaseFormSet) -> list[tuple[int, dict[str, Any]]]:  # type: ignore[type-arg]
    """The filled-in, not deleted forms of a form set: (form index, cleaned data)."""
    kept = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        kept.append((index, data))
    return kept


def project_input(
    form: ProjectForm,
    sets: dict[str, Any],
    extra_partners: tuple[PartnerInput, ...] = (),
) -> tuple[ProjectInput, dict[str, list[int]]]:
    """The typed project, and for each part the form index of each item (to put problems back)."""
    d = form.cleaned_data
    kept = {prefix: _kept(formset) for prefix, formset in sets.items()}
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


def place_problems(
    problems: list[Problem],
    form: forms.Form,
    sets: dict[str, BaseFormSet] | None = None,  # type: ignore[type-arg]
    indices: dict[str, list[int]] | None = None,
    *,
    translate: Any = str,
    prefix_map: dict[str, forms.Form] | None = None,
) -> list[Problem]:
    """Put each problem at its field; return those that have no field to go to."""
    left = []
    for problem in problems:
        text = problem.text(translate)
        column = problem.column
        target: forms.Form | None = None
        name = column
        if sets and indices and "-" in column:
            prefix, index, name = column.split("-", 2)
            positions = indices.get(prefix, [])
            if prefix in sets and index.isdigit() and int(index) < len(positions):
                target = sets[prefix].forms[positions[int(index)]]
        elif prefix_map and "." in column:
            prefix, name = column.split(".", 1)
            target = prefix_map.get(prefix)
        else:
            target = form
        if target is not None and name in target.fields:
            target.add_error(name, text)
        else:
            left.append(problem)
    return left


class OrganisationForm(VersionForm):
    name = forms.CharField(label=pgettext_lazy("admin", "name"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("admin", "kind"), choices=_blank(Organisation.Kind.choices), required=False
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


class InvolvementForm(VersionForm):
    title = forms.CharField(label=pgettext_lazy("admin", "title"), max_length=200, required=False)
    method = forms.ChoiceField(
        label=pgettext_lazy("admin", "method"), choices=_blank(Involvement.Method.choices), required=False
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
        self.fields["project"].choices = _blank(projects or [])  # type: ignore[attr-defined]

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
        self.fields["goal"].choices = _blank(goal_choices(language))  # type: ignore[attr-defined]
        self.fields["series"].choices = _blank(series_choices(language))  # type: ignore[attr-defined]

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


class ProjectsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("The project spreadsheet (.xlsx) or the same columns as CSV")
    )
    dry_run = forms.BooleanField(label=_("Check only: write nothing"), required=False, initial=True)
    publish = forms.BooleanField(label=_("Publish the imported projects"), required=False)
