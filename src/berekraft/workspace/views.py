"""The workspace: where editors enter and import data, verifiers verify, admins do both.

Views stay thin: forms parse, services decide (and check roles), selectors read. Every user error
becomes a message on the page, never a 500.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from berekraft.accounts.selectors import can_edit, can_verify, editable_places, is_admin
from berekraft.catalogue.models import Series
from berekraft.core.problems import gettext_noop
from berekraft.core.years import year_problem
from berekraft.errors import BerekraftError, ConfirmationNeeded, InputError
from berekraft.importers.common import refuse
from berekraft.importers.sandbox import read_file_isolated
from berekraft.observations.imports import checksum, import_table, seen_dumps, seen_loads
from berekraft.observations.models import ImportBatch, Observation
from berekraft.observations.reporting import limits
from berekraft.observations.undo import import_undo
from berekraft.observations.workflow import (
    observation_edit,
    observation_return,
    observations_submit,
    observations_verify,
)
from berekraft.places.models import Place
from berekraft.web.params import ids_param
from berekraft.web.views.base import language
from berekraft.workspace import selectors, uploads
from berekraft.workspace.forms import ConfirmForm, ReturnForm, UploadForm, UploadTokenForm, ValueForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by @login_required
    return request.user


def _editable(request: HttpRequest, code: str) -> Place:
    place = get_object_or_404(Place, code=code)
    if not can_edit(request.user, place):
        raise PermissionDenied(_("You may not write data for %(member)s.") % {"member": place.name_nb})
    return place


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    places = editable_places(user)
    year = selectors.latest_year(places=places) or date.today().year - 1
    return render(
        request,
        "workspace/home.html",
        {
            "places": places,
            "year": year,
            "counts": selectors.status_counts(places=places, year=year),
            "can_verify": can_verify(user),
            "queue": selectors.verify_queue().count() if can_verify(user) else 0,
            "is_admin": is_admin(user),
        },
    )


def _too_large(request: HttpRequest) -> HttpResponse | None:
    """The refusal of an upload stopped for its size (by uploads.LimitedUploadHandler, or declared
    too large): status 413, the file named, nothing stored."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    limit = settings.IMPORT_MAX_BYTES + uploads.FORM_OVERHEAD
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        name: str | None = ""  # refused before the body is read at all
    else:
        request.FILES  # noqa: B018  (parse the body now: the upload handlers mark a stopped upload)
        name = uploads.too_large(request)
    if name is None:
        return None
    problem = refuse(
        name or "upload",
        gettext_noop("the file is larger than the %(limit)s MB accepted; it was not stored"),
        gettext_noop("Split it into smaller files, e.g. one per year"),
        params=(("limit", f"{settings.IMPORT_MAX_BYTES / 1e6:.1f}"),),
    ).problems
    context = {"name": name or _("Upload a file"), "problems": problem, "refused": True}
    return render(request, "workspace/preview.html", context, status=413)


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    members = [(p.code, f"{p.name_nb} ({p.code})") for p in editable_places(user)]
    if not members:
        raise PermissionDenied(_("You are not an editor of any member."))
    if request.method == "POST" and (refused := _too_large(request)) is not None:
        return refused
    form = UploadForm(request.POST or None, request.FILES or None, members=members)
    if request.method == "POST" and form.is_valid():
        uploads.discard_stale()
        uploaded = form.cleaned_data["file"]
        name = uploads.safe_name(uploaded.name)
        token, path = uploads.store(uploaded, name)
        return _preview(request, path, name, token, form.cleaned_data["member"])
    return render(request, "workspace/upload.html", {"form": form})


def _import(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    path: Path,
    name: str,
    member_code: str,
    *,
    dry_run: bool,
    expected: dict[tuple[str, str, int], int] | None = None,
):
    member = Place.objects.filter(code=member_code).first() if member_code else None
    reader, table = read_file_isolated(path, limits())  # a hostile file cannot hold this worker
    return import_table(
        table,
        file_name=name,
        checksum=checksum(path),
        reader=reader.name,
        user=_user(request),
        member=member,
        dry_run=dry_run,
        expected=expected,
    )


def _preview(request: HttpRequest, path: Path, name: str, token: str, member_code: str) -> HttpResponse:
    """The dry run of a stored upload; the file is kept only when there is something to confirm."""
    try:
        report = _import(request, path, name, member_code, dry_run=True)
    except InputError as exc:
        uploads.discard(token)
        return render(
            request, "workspace/preview.html", {"name": name, "problems": exc.problems, "refused": True}
        )
    except BerekraftError as exc:
        uploads.discard(token)
        messages.error(request, str(exc))
        return redirect("workspace:upload")
    if report.errors or not (report.new or report.changed):
        uploads.discard(token)  # nothing to confirm
    confirm = ConfirmForm(initial={"token": token, "member": member_code, "seen": seen_dumps(report.seen)})
    return render(
        request,
        "workspace/preview.html",
        {"name": name, "report": report, "confirm": confirm, "problems": report.problems},
    )


@login_required
@require_POST
def upload_confirm(request: HttpRequest) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["token"].isalnum():
        raise Http404("unknown upload")
    token = form.cleaned_data["token"]
    seen = seen_loads(form.cleaned_data["seen"])
    if seen is None:  # not what the preview signed: the form was changed or is from another site
        uploads.discard(token)
        messages.error(request, _("The preview is no longer valid: upload the file again."))
        return redirect("workspace:upload")
    found = uploads.find(token)
    if found is None:
        messages.error(request, _("The uploaded file is no longer there: upload it again."))
        return redirect("workspace:upload")
    name = found.name
    try:
        report = _import(request, found, name, form.cleaned_data["member"], dry_run=False, expected=seen)
    except BerekraftError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:upload")
    finally:
        uploads.discard(token)  # confirmed or not, the file has served
    if report.errors:
        return render(
            request, "workspace/preview.html", {"name": name, "report": report, "problems": report.problems}
        )
    changed = report.new + report.changed
    text = _("%(file)s: %(changed)d changed, %(unchanged)d unchanged") % {
        "file": name,
        "changed": changed,
        "unchanged": report.unchanged,
    }
    if report.batch_id:
        text += " " + _("(import %(batch)d)") % {"batch": report.batch_id}
    messages.success(request, text)
    return redirect("workspace:imports")


@login_required
@require_POST
def upload_cancel(request: HttpRequest) -> HttpResponse:
    """Forget an upload that was previewed and not confirmed."""
    form = UploadTokenForm(request.POST)
    if form.is_valid():
        uploads.discard(form.cleaned_data["token"])
    return redirect("workspace:upload")


@login_required
def member_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    place = _editable(request, code)
    rows = selectors.member_year_values(place=place, year=year, language=language())
    drafts = sum(
        1
        for r in rows
        if r.observation and r.observation.status in ("draft", "returned") and r.observation.value is not None
    )
    return render(
        request,
        "workspace/member_year.html",
        {
            "place": place,
            "year": year,
            "rows": rows,
            "drafts": drafts,
            "years": range(date.today().year, 2014, -1),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    place = _editable(request, code)
    count = observations_submit(place=place, year=year, user=_user(request))
    messages.success(request, _("%(count)d value(s) submitted for verification.") % {"count": count})
    return redirect("workspace:member_year", code=code, year=year)


@login_required
def template(request: HttpRequest, code: str, year: int) -> HttpResponse:
    from berekraft.observations.workbooks import template_for

    place = _editable(request, code)
    problem = year_problem(year)
    if problem is not None:
        return HttpResponseBadRequest(_(problem[0]) % problem[1], content_type="text/plain; charset=utf-8")
    name = f"berekraft-{place.code}-{year}.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        try:
            content = template_for(place=place, year=year, path=Path(folder) / name).read_bytes()
        except InputError as exc:
            for refusal in exc.problems:
                messages.error(request, refusal.text(_))
            return redirect("workspace:home")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def edit_value(request: HttpRequest, code: str, year: int, series_id: int) -> HttpResponse:
    place = _editable(request, code)
    series = get_object_or_404(Series.objects.select_related("indicator"), pk=series_id)
    current = Observation.objects.filter(place=place, series=series, year=year).first()
    initial: dict[str, object] = {"version": current.version if current else 0}
    if current:
        for key in ("value", "numerator", "denominator", "quality", "data_origin", "source", "note"):
            field = getattr(current, key)
            initial[key] = "" if field is None else f"{field:g}" if isinstance(field, float) else field
    form = ValueForm(request.POST or None, initial=initial, language=language())
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation_edit(
                place=place,
                series=series,
                year=year,
                expected_version=data["version"],
                user=_user(request),
                **{k: v for k, v in data.items() if k != "version"},
            )
        except InputError as exc:
            problems = exc.problems
        except BerekraftError as exc:
            messages.error(request, str(exc))
            return redirect("workspace:edit_value", code=code, year=year, series_id=series_id)
        else:
            messages.success(
                request, _("%(series)s %(year)d saved as a draft.") % {"series": series.code, "year": year}
            )
            return redirect("workspace:member_year", code=code, year=year)
    name, unit = selectors.series_label(series, language())
    return render(
        request,
        "workspace/edit_value.html",
        {
            "name": name,
            "unit": unit,
            "place": place,
            "series": series,
            "year": year,
            "form": form,
            "current": current,
            "problems": problems,
        },
    )


@login_required
def verify_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not can_verify(user):
        raise PermissionDenied(_("Only verifiers and admins verify values."))
    if request.method == "POST":
        ids = ids_param(request.POST.getlist("observation"), "observation")
        try:
            count = observations_verify(ids=ids, user=user)
        except BerekraftError as exc:
            messages.error(request, str(exc))
        else:
            done = _("%(count)d value(s) verified and published; the scores are being updated.")
            messages.success(request, done % {"count": count})
        return redirect("workspace:verify")
    return render(
        request, "workspace/verify.html", {"queue": selectors.verify_queue(), "return_form": ReturnForm()}
    )


@login_required
@require_POST
def return_value(request: HttpRequest, observation_id: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A returned value needs a comment that says what to check."))
        return redirect("workspace:verify")
    try:
        observation_return(
            observation_id=observation_id, user=_user(request), comment=form.cleaned_data["comment"]
        )
    except Observation.DoesNotExist as exc:
        raise Http404("no such value") from exc
    except BerekraftError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Returned to the member with your comment."))
    return redirect("workspace:verify")


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workspace/imports.html", {"batches": selectors.import_batches(user=_user(request))}
    )


@login_required
@require_POST
def undo(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    try:
        count = import_undo(batch=batch, user=_user(request), confirm=request.POST.get("confirm") == "1")
    except ConfirmationNeeded as exc:
        # Undoing published values: the verifier says so explicitly on a page of its own.
        return render(request, "workspace/undo_confirm.html", {"batch": batch, "reason": str(exc)})
    except BerekraftError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Import %(batch)d undone: %(count)d value(s) restored.") % {"batch": batch.pk, "count": count},
        )
    return redirect("workspace:imports")
