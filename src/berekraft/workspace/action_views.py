"""The action registers in the workspace: a member's editors list, create, edit, publish and
unpublish their projects, organisations, citizen involvement and priorities, and read each
record's history. Forms parse, action.services decides (roles, rules, versions), every user error
is shown on the page: a problem at its field, a stale edit as a conflict that keeps the input."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from berekraft.accounts.selectors import editable_places, is_admin
from berekraft.action import services
from berekraft.action.history import history_of
from berekraft.action.inputs import PartnerInput
from berekraft.action.models import Involvement, Organisation, Priority, Project
from berekraft.core.problems import Problem
from berekraft.errors import ConflictError, ForbiddenError, InputError
from berekraft.places.models import Place
from berekraft.web.views.base import language
from berekraft.workspace import action_forms as f
from berekraft.workspace import action_selectors

REGISTERS: dict[str, type[Project | Organisation | Involvement | Priority]] = {
    "project": Project,
    "organisation": Organisation,
    "involvement": Involvement,
    "priority": Priority,
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by @login_required
    return request.user


def _member(request: HttpRequest, code: str) -> Place:
    member = get_object_or_404(Place, code=code)
    if not services.may_write(_user(request), member):
        raise PermissionDenied(
            _("You may not write the registers of %(member)s.") % {"member": member.name_nb}
        )
    return member


def _writable(request: HttpRequest, register: str, pk: int) -> Any:
    model = REGISTERS.get(register)
    if model is None:
        raise Http404("no such register")
    record: Any = get_object_or_404(model, pk=pk)
    if not services.may_write_record(_user(request), record):
        raise PermissionDenied(_("You may not change this record."))
    return record


def _writer(request: HttpRequest) -> list[Place]:
    """The members whose registers the user writes; refused when none (verifiers, no role)."""
    places = editable_places(_user(request))
    if not places:
        raise PermissionDenied(_("You are not an editor of any member."))
    return places


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    places = _writer(request)
    return render(
        request,
        "workspace/action_home.html",
        {
            "members": action_selectors.member_registers(places=places),
            "organisations": action_selectors.organisations_for(places=places, admin=is_admin(user)),
        },
    )


def _conflict_data(request: HttpRequest, version: int) -> Any:
    """The user's input with the current version: saving again overwrites knowingly."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data


def _project_page(request: HttpRequest, member: Place, project: Project | None) -> HttpResponse:
    user, lang = _user(request), language()
    initial, parts = f.project_initial(project) if project else ({"version": 0}, {})
    data: Any = request.POST if request.method == "POST" else None
    form = f.ProjectForm(data, initial=initial, language=lang)
    sets = f.part_formsets(data, parts, lang)
    new = f.NewPartnerForm(data, prefix="new")
    problems: list[Problem] = []
    conflict = ""
    valid = (
        data is not None and form.is_valid() and all(s.is_valid() for s in sets.values()) and new.is_valid()
    )
    if valid:
        project_data, indices = f.project_input(form, sets)
        partner = new.organisation()
        if partner is not None and not new.cleaned_data["role"]:
            new.add_error("role", _("This field is required."))
            valid = False
    if valid:
        try:
            with transaction.atomic():
                if partner is not None:
                    try:
                        organisation = services.organisation_create(
                            data=partner, user=user, member=member, publish=True
                        )
                    except InputError as exc:
                        moved = [dataclasses.replace(p, column=f"new.{p.column}") for p in exc.problems]
                        raise InputError(moved, summary=exc.summary) from None
                    extra = PartnerInput(organisation=organisation.pk, role=new.cleaned_data["role"])
                    project_data = dataclasses.replace(project_data, partners=(*project_data.partners, extra))
                if project is None:
                    saved = services.project_create(member=member, data=project_data, user=user)
                else:
                    saved = services.project_update(
                        project=project,
                        data=project_data,
                        expected_version=form.cleaned_data["version"],
                        user=user,
                    )
        except InputError as exc:
            problems = f.place_problems(
                exc.problems, form, sets, indices, translate=_, prefix_map={"new": new}
            )
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
        except ForbiddenError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ConflictError as exc:
            current = Project.objects.filter(pk=project.pk if project else 0).first()
            if current is None:
                messages.error(request, str(exc))
                return redirect("workspace:action_home")
            conflict = str(exc)
            data = _conflict_data(request, current.version)
            form = f.ProjectForm(data, initial=initial, language=lang)
            sets = f.part_formsets(data, parts, lang)
            new = f.NewPartnerForm(data, prefix="new")
            form.is_valid()
        else:
            messages.success(
                request,
                _("“%(title)s” saved (version %(version)s).")
                % {"title": saved.title, "version": saved.version},
            )
            return redirect("workspace:action_project", pk=saved.pk)
    return render(
        request,
        "workspace/action_project.html",
        {
            "member": member,
            "project": project,
            "form": form,
            "sets": [(prefix, f.PART_LABELS[prefix], formset) for prefix, formset in sets.items()],
            "new": new,
            "problems": problems,
            "conflict": conflict,
        },
    )


@login_required
def project_new(request: HttpRequest, code: str) -> HttpResponse:
    return _project_page(request, _member(request, code), None)


@login_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _writable(request, "project", pk)
    return _project_page(request, project.member, project)


def _simple_page(
    request: HttpRequest,
    *,
    register: str,
    record: Any,
    form: Any,
    save: Any,
    title: str,
    back: str,
) -> HttpResponse:
    """Create or edit a record of one form (organisation, involvement, priority)."""
    problems: list[Problem] = []
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.input(), form.cleaned_data["version"])
        except InputError as exc:
            problems = f.place_problems(exc.problems, form, translate=_)
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
        except ForbiddenError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ConflictError as exc:
            current = type(record).objects.filter(pk=record.pk).first() if record else None
            if current is None:
                messages.error(request, str(exc))
                return redirect("workspace:action_home")
            conflict = str(exc)
            form = type(form)(_conflict_data(request, current.version), **getattr(form, "_extra", {}))
            form.is_valid()
        else:
            messages.success(
                request,
                _("“%(title)s” saved (version %(version)s).")
                % {"title": str(saved), "version": saved.version},
            )
            return redirect(f"workspace:action_{register}", pk=saved.pk)
    return render(
        request,
        "workspace/action_record.html",
        {
            "register": register,
            "record": record,
            "form": form,
            "problems": problems,
            "conflict": conflict,
            "heading": title,
            "back": back,
        },
    )


def _initial(record: Any, names: list[str]) -> dict[str, Any]:
    return {"version": record.version, **{n: getattr(record, n) for n in names}} if record else {"version": 0}


@login_required
def organisation_page(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = _user(request)
    record = _writable(request, "organisation", pk) if pk else None
    places = _writer(request) if record is None else []
    form = f.OrganisationForm(
        request.POST or None, initial=_initial(record, ["name", "kind", "org_number", "website"])
    )

    def save(data: Any, version: int) -> Organisation:
        if record is None:
            member = None if is_admin(user) else places[0]
            return services.organisation_create(data=data, user=user, member=member)
        return services.organisation_update(
            organisation=record, data=data, expected_version=version, user=user
        )

    return _simple_page(
        request,
        register="organisation",
        record=record,
        form=form,
        save=save,
        title=record.name if record else _("New organisation"),
        back="workspace:action_home",
    )


def _member_record_page(
    request: HttpRequest, register: str, code: str | None, pk: int | None
) -> HttpResponse:
    user, lang = _user(request), language()
    record = _writable(request, register, pk) if pk else None
    member = record.member if record else _member(request, code or "")
    if register == "involvement":
        projects = [(p.pk, p.title) for p in Project.objects.filter(member=member).order_by("title")]
        initial = _initial(
            record,
            [
                "title",
                "method",
                "project_id",
                "start_date",
                "end_date",
                "participants",
                "groups",
                "asked",
                "outcome",
                "changes",
            ],
        )
        if record:
            initial["project"] = initial.pop("project_id")
        extra: dict[str, Any] = {"projects": projects}
        form: Any = f.InvolvementForm(request.POST or None, initial=initial, **extra)

        def save(data: Any, version: int) -> Any:
            if record is None:
                return services.involvement_create(member=member, data=data, user=user)
            return services.involvement_update(
                involvement=record, data=data, expected_version=version, user=user
            )

        title = record.title if record else _("New citizen involvement")
    else:
        initial = _initial(record, ["reason", "valid_from", "valid_until", "decision_url"])
        if record:
            initial["goal"] = record.goal.number if record.goal else None
            initial["series"] = record.series.code if record.series else ""
        extra = {"language": lang}
        form = f.PriorityForm(request.POST or None, initial=initial, **extra)

        def save(data: Any, version: int) -> Any:
            if record is None:
                return services.priority_create(member=member, data=data, user=user)
            return services.priority_update(priority=record, data=data, expected_version=version, user=user)

        title = str(record) if record else _("New priority")
    form._extra = {"initial": initial, **extra}
    return _simple_page(
        request,
        register=register,
        record=record,
        form=form,
        save=save,
        title=f"{member.name_nb}: {title}",
        back="workspace:action_home",
    )


@login_required
def involvement_new(request: HttpRequest, code: str) -> HttpResponse:
    return _member_record_page(request, "involvement", code, None)


@login_required
def involvement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_record_page(request, "involvement", None, pk)


@login_required
def priority_new(request: HttpRequest, code: str) -> HttpResponse:
    return _member_record_page(request, "priority", code, None)


@login_required
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _member_record_page(request, "priority", None, pk)


def _state_change(request: HttpRequest, register: str, pk: int, write: Any, done: str) -> HttpResponse:
    model = REGISTERS.get(register)
    if model is None:
        raise Http404("no such register")
    record = get_object_or_404(model, pk=pk)
    version = request.POST.get("version", "")
    try:
        write(
            record=record, user=_user(request), expected_version=int(version) if version.isdigit() else None
        )
    except ForbiddenError as exc:
        raise PermissionDenied(str(exc)) from exc
    except (ConflictError, InputError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"title": str(record)})
    return redirect("workspace:action_home")


@login_required
@require_POST
def publish(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    return _state_change(request, register, pk, services.record_publish, _("“%(title)s” is published."))


@login_required
@require_POST
def unpublish(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    return _state_change(
        request, register, pk, services.record_unpublish, _("“%(title)s” is no longer published.")
    )


@login_required
@require_POST
def delete(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    return _state_change(request, register, pk, services.record_delete, _("“%(title)s” was deleted."))


@login_required
def history(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    record = _writable(request, register, pk)
    rows = []
    for row in history_of(record):
        before, after = row.before or {}, row.after or {}
        changed = sorted(
            k for k in set(before) | set(after) if k != "version" and before.get(k) != after.get(k)
        )
        rows.append({"row": row, "changed": changed})
    return render(
        request, "workspace/action_history.html", {"record": record, "register": register, "rows": rows}
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def projects_template(request: HttpRequest, code: str) -> HttpResponse:
    """The project spreadsheet with the member's projects that have a key."""
    import tempfile
    from pathlib import Path

    from berekraft.action.bulk import template_write

    member = _member(request, code)
    name = f"berekraft-projects-{member.code}.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        content = template_write(path=Path(folder) / name, member=member).read_bytes()
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def projects_upload(request: HttpRequest, code: str) -> HttpResponse:
    """Import a project spreadsheet: check it first (dry run), then import it, all or nothing."""
    from berekraft.action.bulk import projects_import_file
    from berekraft.observations.reporting import limits
    from berekraft.workspace import uploads
    from berekraft.workspace.views import _too_large

    member = _member(request, code)
    if request.method == "POST" and (refused := _too_large(request)) is not None:
        return refused
    form = f.ProjectsUploadForm(request.POST or None, request.FILES or None)
    report = None
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        uploads.discard_stale()
        uploaded = form.cleaned_data["file"]
        name = uploads.safe_name(uploaded.name)
        token, path = uploads.store(uploaded, name)
        try:
            report = projects_import_file(
                path=path,
                limits=limits(),
                member=member,
                user=_user(request),
                dry_run=form.cleaned_data["dry_run"],
                publish=form.cleaned_data["publish"],
                isolated=True,
                name=name,
            )
        except InputError as exc:
            problems = exc.problems
        except ForbiddenError as exc:
            raise PermissionDenied(str(exc)) from exc
        finally:
            uploads.discard(token)
    return render(
        request,
        "workspace/action_upload.html",
        {"member": member, "form": form, "report": report, "problems": problems},
    )
