"""Upload a file for import: the workspace's path exactly (size cap while it arrives, read in the
sandboxed child process, one all-or-nothing batch through ``import_table``), answered as JSON. With
``dry_run`` nothing is written and the counts say what would be; a file with problems is 422 with
every problem (file, sheet, row, column), as the CLI and the workspace list them."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Form, Router, UploadedFile

from berekraft.accounts.selectors import editable_places
from berekraft.api.auth import Token, user_of
from berekraft.api.errors import ERROR_STATUSES, ApiError, Errors, problem_error
from berekraft.api.schemas import ImportOut, ProblemOut
from berekraft.errors import ForbiddenError, InputError
from berekraft.importers.sandbox import read_file_isolated
from berekraft.observations.imports import checksum, import_table
from berekraft.observations.reporting import limits
from berekraft.places.models import Place
from berekraft.workspace import uploads

router = Router(auth=Token(), tags=["imports"])
ERRORS = {s: Errors for s in ERROR_STATUSES}


def _too_large(request: HttpRequest) -> bool:
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if (
        declared.isascii()
        and declared.isdigit()
        and int(declared) > settings.IMPORT_MAX_BYTES + uploads.FORM_OVERHEAD
    ):
        return True
    request.FILES  # noqa: B018  (parse now: the upload handlers mark a stopped upload)
    return uploads.too_large(request) is not None


@router.post("/imports", response={200: ImportOut, **ERRORS})
def upload(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,  # optional here only so that 413 can come first
    member: Form[str] = "",
    dry_run: Form[bool] = False,
) -> ImportOut:
    """Import a workbook, tidy CSV, Open SDG CSV or JSON-stat file for the members you edit."""
    user = user_of(request)
    if _too_large(request):
        raise ApiError(
            413,
            "the file is larger than the {limit} MB accepted; it was not stored".format(
                limit=f"{settings.IMPORT_MAX_BYTES / 1e6:.1f}"
            ),
            where="file",
            fix="Split it into smaller files, e.g. one per year",
        )
    if not editable_places(user):
        raise ForbiddenError("You are not an editor of any member.")
    if file is None:
        raise ApiError(
            422, "no file was sent", where="file", fix="Send it as multipart/form-data, field 'file'."
        )
    place = None
    if member:
        place = Place.objects.filter(code=member).first()
        if place is None:
            raise ApiError(404, (f"no place {member!r}"), where="member")
    uploads.discard_stale()
    name = uploads.safe_name(file.name or "")
    token, path = uploads.store(file, name)
    try:
        reader, table = read_file_isolated(path, limits())
        report = import_table(
            table,
            file_name=name,
            checksum=checksum(path),
            reader=reader.name,
            user=user,
            member=place,
            dry_run=dry_run,
        )
    finally:
        uploads.discard(token)
    if report.errors:
        raise InputError(report.errors, summary="the file has problems; nothing was imported")
    return ImportOut(
        file=name,
        reader=report.reader,
        dry_run=report.dry_run,
        rows=report.rows,
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        batch=report.batch_id,
        warnings=[ProblemOut(severity="warning", **problem_error(p)) for p in report.warnings],
    )
