"""Import a table of values as one all-or-nothing batch (undo: ``observations.undo``).

The flow (DESIGN.md): reader → ImportTable → ``core.validation`` (every problem at once) → any
error: report them all and write nothing → else one transaction: ImportBatch + upserts + history.
Imported values are drafts (or, with ``publish`` by a verifier or the command line, verified and
published, and a score run asked for). Importing the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.contrib.auth.models import User
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from berekraft.accounts.selectors import can_edit, can_verify, editable_places, is_admin
from berekraft.bulk import insert_rows, update_rows
from berekraft.catalogue.local import local_catalogue
from berekraft.catalogue.models import Series
from berekraft.core.catalogue import Indicator as CoreIndicator
from berekraft.core.catalogue import Series as CoreSeries
from berekraft.core.catalogue import load_catalogue, normalise_code
from berekraft.core.local import catalogue_entry as local_entry
from berekraft.core.problems import Problem
from berekraft.core.validation import validate
from berekraft.core.validation_types import Context, PlaceInfo, Validated
from berekraft.errors import ConflictError, ForbiddenError
from berekraft.observations.models import PUBLISHED_FIELDS, ImportBatch, Observation, ObservationHistory
from berekraft.observations.services import data_version_bump
from berekraft.places.models import Membership, Place, PlaceChange

COMPARED = ("value", "numerator", "denominator", "quality", "data_origin", "source", "note")


@dataclass
class ImportReport:
    """What an import did, or would do with ``dry_run``: counts, every problem, mapped codes."""

    file_name: str
    reader: str
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    mapped: list[dict[str, object]] = field(default_factory=list)
    batch_id: int | None = None
    dry_run: bool = False
    # The version of every key read (0: not there); confirm a preview by passing it as ``expected``.
    seen: dict[tuple[str, str, int], int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


PREVIEW_SALT = "berekraft.observations.import-preview"


def seen_dumps(seen: Mapping[Key, int]) -> str:
    """A preview's ``seen`` as signed, compressed text for a hidden form field (tampering with it
    fails ``seen_loads``; it names nothing the user may not see)."""
    return signing.dumps(
        [[p, s, y, v] for (p, s, y), v in sorted(seen.items())], salt=PREVIEW_SALT, compress=True
    )


def seen_loads(text: str) -> dict[Key, int] | None:
    """The ``seen`` that ``seen_dumps`` wrote, or None if the text is not one."""
    try:
        rows = signing.loads(text, salt=PREVIEW_SALT)
        return {(str(p), str(s), int(y)): int(v) for p, s, y, v in rows}
    except (signing.BadSignature, TypeError, ValueError):
        return None


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def validation_context(
    *, user: User | None, member: Place | None, file_name: str, table: pl.DataFrame
) -> Context:
    """Everything validation needs from the database, read in a fixed number of queries."""
    places = {
        p.code: PlaceInfo(p.code, p.name_nb, p.valid_from, p.valid_to, p.population)
        for p in Place.objects.all()
    }
    successors: dict[str, list[tuple[str, float]]] = {}
    for old, new, weight in PlaceChange.objects.values_list("from_place__code", "to_place__code", "weight"):
        successors.setdefault(old, []).append((new, weight))
    members = frozenset(Membership.objects.values_list("place__code", flat=True))
    allowed = None if user is None or is_admin(user) else frozenset(p.code for p in editable_places(user))
    codes = set(table["place"].drop_nulls().to_list()) | ({member.code} if member else set())
    previous: dict[tuple[str, str, int], float] = {
        (p, s, y): v
        for p, s, y, v in Observation.objects.filter(place__code__in=codes, value__isnull=False).values_list(
            "place__code", "series__code", "year", "value"
        )
        if v is not None
    }
    return Context(
        catalogue=load_catalogue(),
        places=places,
        successors=successors,
        members=members,
        allowed=allowed,
        member=member.code if member else None,
        previous=previous,
        years=(1990, date.today().year),
        file=file_name,
        local=local_validation_entries(),
    )


def local_validation_entries() -> dict[str, tuple[CoreIndicator, CoreSeries, str]]:
    """Members' local indicators as validation looks them up (by normalised code), with owner."""
    entries = {}
    for code, (owner, names, unit, direction, goals) in local_catalogue().items():
        indicator, series = local_entry(
            code=code,
            names=names,
            unit=unit,
            direction=direction,
            goals=goals,
        )
        entries[normalise_code(code)] = (indicator, series, owner)
    return entries


Key = tuple[str, str, int]  # (place code, series code, year)


def _existing(rows: pl.DataFrame, *, lock: bool) -> dict[Key, Observation]:
    """The observations the rows would write, by key; with ``lock`` held until the transaction ends
    (SELECT … FOR UPDATE, in primary-key order so that two writers never deadlock; SQLite's write
    transaction is taken up front, see settings)."""
    keys = set(zip(rows["place"], rows["series"], rows["year"], strict=True))
    found = Observation.objects.filter(
        place__code__in={k[0] for k in keys},
        series__code__in={k[1] for k in keys},
        year__in={k[2] for k in keys},
    ).select_related("place", "series")
    if lock:
        found = found.select_for_update(of=("self",)).order_by("pk")
    return {
        (o.place.code, o.series.code, o.year): o
        for o in found
        if (o.place.code, o.series.code, o.year) in keys
    }


def import_fields(row: dict[str, Any]) -> dict[str, Any]:
    """A validated row's editable fields as an Observation stores them (empty text, not NULL)."""
    return {
        k: row[k]
        if row[k] is not None
        else ("" if k in ("quality", "data_origin", "source", "note") else None)
        for k in COMPARED
    }


def import_table(
    table: pl.DataFrame,
    *,
    file_name: str,
    checksum: str,
    reader: str,
    user: User | None,
    member: Place | None = None,
    dry_run: bool = False,
    publish: bool = False,
    origin: str = Observation.Origin.FILE,
    expected: Mapping[Key, int] | None = None,
) -> ImportReport:
    """Validate and (unless ``dry_run`` or any error) write ``table`` as one batch.

    ``user`` None is the command line (trusted); a user writes only what its role allows.
    ``publish`` marks the values verified and published (verifiers, admins and the command line).
    ``expected`` is the ``seen`` of the preview (dry run) being confirmed: if any of those values
    changed since, nothing is written and the ConflictError names them.
    """
    if publish and user is not None and not can_verify(user):
        raise ForbiddenError("only a verifier or an admin may publish values directly")
    if member is not None and user is not None and not can_edit(user, member):
        raise ForbiddenError(f"you may not write data for {member.name_nb}")
    report = ImportReport(file_name=file_name, reader=reader, rows=table.height, dry_run=dry_run)
    checked: Validated = validate(
        table, validation_context(user=user, member=member, file_name=file_name, table=table)
    )
    report.problems, report.mapped = checked.problems, checked.mapped
    if checked.errors:
        return report
    rows = checked.rows
    if dry_run:
        plan = _plan(rows, _existing(rows, lock=False), publish=publish)
        report.new, report.changed, report.seen = len(plan.new), len(plan.changed), plan.seen
        report.unchanged = rows.height - report.new - report.changed
        return report
    for attempt in range(WRITE_ATTEMPTS):
        try:
            # Plan, lock and write in one transaction: what is written is planned from what is
            # there now, not from an earlier read.
            with transaction.atomic():
                plan = _plan(rows, _existing(rows, lock=True), publish=publish)
                if expected is not None:
                    _refuse_changed_since(plan.seen, expected)
                _after_plan()
                report.new, report.changed, report.seen = len(plan.new), len(plan.changed), plan.seen
                report.unchanged = rows.height - report.new - report.changed
                if plan.new or plan.changed:
                    report.batch_id = _write(
                        report,
                        plan.new,
                        plan.changed,
                        checksum=checksum,
                        user=user,
                        member=member,
                        publish=publish,
                        origin=origin,
                    )
            break
        except IntegrityError:
            # Another import created one of these new keys after this one planned: plan again,
            # now seeing its rows (serially), unless this was the last attempt.
            if attempt == WRITE_ATTEMPTS - 1:
                raise ConflictError(
                    _("Others are writing the same values right now; nothing was saved. Try again.")
                ) from None
    from berekraft.scores.tasks import score_run_request

    # Even "0 changed": a score run killed after an earlier import is asked for again here.
    score_run_request()
    return report


WRITE_ATTEMPTS = 3


def _after_plan() -> None:
    """Called between planning and writing, inside the transaction: tests inject a concurrent write
    here to check that the two are serialised."""


@dataclass
class Plan:
    new: list[tuple[dict[str, Any], dict[str, Any]]]
    changed: list[tuple[Observation, dict[str, Any]]]
    seen: dict[Key, int]


def _plan(rows: pl.DataFrame, existing: dict[Key, Observation], *, publish: bool) -> Plan:
    """What writing ``rows`` over ``existing`` would do, and the version of every key it read."""
    plan = Plan(new=[], changed=[], seen={})
    for row in rows.iter_rows(named=True):
        fields = import_fields(row)
        key = (row["place"], row["series"], row["year"])
        current = existing.get(key)
        plan.seen[key] = current.version if current is not None else 0
        if current is None and fields["value"] is None:
            continue  # "not reported" («-») where nothing was: nothing to clear
        if current is None:
            plan.new.append((row, fields))
        elif any(getattr(current, k) != v for k, v in fields.items()) or (
            publish and current.status != "verified"
        ):
            plan.changed.append((current, fields))
    return plan


def _refuse_changed_since(seen: dict[Key, int], expected: Mapping[Key, int]) -> None:
    """Refuse the import, naming the values, when any changed since the preview it confirms."""
    changed = sorted(key for key, version in seen.items() if expected.get(key) != version)
    if not changed:
        return
    shown = ", ".join(f"{p} {s} {y}" for p, s, y in changed[:10])
    more = len(changed) - 10
    raise ConflictError(
        ngettext(
            "%(count)d value changed after your preview: %(values)s%(more)s. Nothing was saved; "
            "upload the file again to see the current values.",
            "%(count)d values changed after your preview: %(values)s%(more)s. Nothing was saved; "
            "upload the file again to see the current values.",
            len(changed),
        )
        % {"count": len(changed), "values": shown, "more": f" (+{more})" if more > 0 else ""}
    )


def _write(
    report: ImportReport,
    plan_new: list[tuple[dict[str, Any], dict[str, Any]]],
    plan_changed: list[tuple[Observation, dict[str, Any]]],
    *,
    checksum: str,
    user: User | None,
    member: Place | None,
    publish: bool,
    origin: str,
) -> int:
    """One batch: new observations, changed ones, and a history row for each (fast bulk SQL)."""
    batch = ImportBatch.objects.create(
        file_name=report.file_name,
        checksum=checksum,
        reader=report.reader,
        member=member,
        created_by=user,
        rows=report.rows,
        new=report.new,
        changed=report.changed,
        unchanged=report.unchanged,
        warnings=[str(p) for p in report.warnings],
        mapped=report.mapped,
    )
    now = timezone.now()
    user_id = user.pk if user else None
    status = Observation.Status.VERIFIED if publish else Observation.Status.DRAFT
    place_ids = dict(Place.objects.values_list("code", "id"))
    series_ids = dict(Series.objects.values_list("code", "id"))
    new_columns = [
        "place",
        "series",
        "year",
        *COMPARED,
        "status",
        "origin",
        *PUBLISHED_FIELDS,
        "comment",
        "batch",
        "updated_by",
        "updated_at",
        "version",
    ]
    insert_rows(
        Observation,
        new_columns,
        (
            (
                place_ids[row["place"]],
                series_ids[row["series"]],
                row["year"],
                *(f[k] for k in COMPARED),
                status,
                origin,
                *(published_version(f, origin) if publish else (None, "", "", "", "")),
                "",
                batch.pk,
                user_id,
                now,
                1,
            )
            for row, f in plan_new
        ),
    )
    history: list[tuple[Any, ...]] = []
    reason = f"import {batch.pk}"

    def after(fields: dict[str, Any], version_published: tuple[Any, ...]) -> dict[str, Any]:
        publication = dict(zip(PUBLISHED_FIELDS, version_published, strict=True))
        return {**fields, "status": status, **publication, "origin": origin}

    planned = {(place_ids[row["place"]], series_ids[row["series"]], row["year"]): f for row, f in plan_new}
    created = Observation.objects.filter(batch=batch).values_list("id", "place_id", "series_id", "year")
    for pk, place_id, series_id, year in created:
        fields = planned[(place_id, series_id, year)]
        new_published = published_version(fields, origin) if publish else (None, "", "", "", "")
        history.append(
            (
                pk,
                1,
                None,
                fields["value"],
                "",
                status,
                None,
                after(fields, new_published),
                batch.pk,
                user_id,
                now,
                reason,
            )
        )
    updates = []
    for observation, fields in plan_changed:
        before = observation.snapshot()
        kept = tuple(getattr(observation, k) for k in PUBLISHED_FIELDS)
        now_published = published_version(fields, origin) if publish else kept
        version = observation.version + 1
        updates.append(
            (
                *(fields[k] for k in COMPARED),
                status,
                origin,
                *now_published,
                version,
                batch.pk,
                user_id,
                now,
                observation.pk,
                observation.version,
            )
        )
        history.append(
            (
                observation.pk,
                version,
                before["value"],
                fields["value"],
                before["status"],
                status,
                before,
                after(fields, now_published),
                batch.pk,
                user_id,
                now,
                reason,
            )
        )
    written = update_rows(
        Observation,
        [*COMPARED, "status", "origin", *PUBLISHED_FIELDS, "version", "batch", "updated_by", "updated_at"],
        updates,
        unless_changed="version",
    )
    if publish:
        data_version_bump(
            {series_ids[row["series"]] for row, _ in plan_new} | {o.series_id for o, _ in plan_changed}
        )
    if written != len(updates):
        # Cannot happen while the rows are locked; if it does, roll back rather than lose a change.
        raise ConflictError(_("Values changed while the import was written; nothing was saved. Try again."))
    insert_rows(
        ObservationHistory,
        [
            "observation",
            "version",
            "old_value",
            "new_value",
            "old_status",
            "new_status",
            "before",
            "after",
            "batch",
            "changed_by",
            "changed_at",
            "reason",
        ],
        history,
    )
    return batch.pk


def published_version(fields: dict[str, Any], origin: str) -> tuple[Any, ...]:
    """The published version (PUBLISHED_FIELDS) of values that a publishing import verifies."""
    return (fields["value"], fields["source"], fields["quality"], fields["data_origin"], origin)
