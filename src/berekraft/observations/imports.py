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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from berekraft.accounts.selectors import can_edit, can_verify, editable_places, is_admin
from berekraft.bulk import read_frame
from berekraft.catalogue.local import local_catalogue
from berekraft.catalogue.models import Series
from berekraft.core.catalogue import Indicator as CoreIndicator
from berekraft.core.catalogue import Series as CoreSeries
from berekraft.core.catalogue import load_catalogue, normalise_code
from berekraft.core.local import catalogue_entry as local_entry
from berekraft.core.plausibility import PREVIOUS_SCHEMA
from berekraft.core.problems import Problem
from berekraft.core.validation import validate
from berekraft.core.validation_types import Context, PlaceInfo, Validated
from berekraft.errors import ConflictError, ForbiddenError
from berekraft.observations.import_writes import COMPARED, existing, plan, with_ids, write
from berekraft.observations.models import Observation
from berekraft.places.models import Membership, Place, PlaceChange

__all__ = ["COMPARED", "ImportReport", "import_fields", "import_table", "seen_dumps", "seen_loads"]


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
    # (place, series, year, version) of every key read (version 0: not there).
    seen_versions: pl.DataFrame | None = None

    @property
    def seen(self) -> dict[tuple[str, str, int], int]:
        """The version of every key read (0: not there); confirm a preview by passing it as
        ``expected``. Built when asked for: a country's import has a million keys."""
        if self.seen_versions is None:
            return {}
        return {(p, s, y): v for p, s, y, v in self.seen_versions.iter_rows()}

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
    previous = _previous(codes)
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


def _previous(codes: set[str]) -> pl.DataFrame:
    """The stored values of the places ``codes`` (for the jumps from the year before), as a frame."""
    places = dict(Place.objects.filter(code__in=codes).values_list("id", "code"))
    if not places:
        return pl.DataFrame(schema=PREVIOUS_SCHEMA)
    found = read_frame(
        f"SELECT place_id, series_id, year, value FROM {Observation._meta.db_table} "
        f"WHERE place_id IN ({', '.join(str(int(p)) for p in places)}) AND value IS NOT NULL",
        {"place_id": pl.Int64, "series_id": pl.Int64, "year": pl.Int64, "value": pl.Float64},
    )
    names = pl.DataFrame(
        {"place_id": list(places), "place": list(places.values())},
        schema={"place_id": pl.Int64, "place": pl.String},
    )
    series = pl.DataFrame(
        list(Series.objects.values_list("id", "code")),
        schema={"series_id": pl.Int64, "series": pl.String},
        orient="row",
    )
    return found.join(names, on="place_id").join(series, on="series_id").select(*PREVIOUS_SCHEMA)


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
    del table  # the validated rows hold what is written; a caller that let go of the table frees it
    report.problems, report.mapped = checked.problems, checked.mapped
    if checked.errors:
        return report
    rows = with_ids(checked.rows)
    if dry_run:
        planned = plan(rows, existing(rows, lock=False, publish=publish))
        report.new, report.changed = planned.new.height, planned.changed.height
        report.seen_versions = planned.seen
        report.unchanged = rows.height - report.new - report.changed
        return report
    for attempt in range(WRITE_ATTEMPTS):
        try:
            # Plan, lock and write in one transaction: what is written is planned from what is
            # there now, not from an earlier read.
            with transaction.atomic():
                planned = plan(rows, existing(rows, lock=True, publish=publish))
                if expected is not None:
                    _refuse_changed_since(planned.seen, expected)
                _after_plan()
                report.new, report.changed = planned.new.height, planned.changed.height
                report.seen_versions = planned.seen
                report.unchanged = rows.height - report.new - report.changed
                if report.new or report.changed:
                    report.batch_id = write(
                        report,
                        planned,
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


def _refuse_changed_since(seen: pl.DataFrame, expected: Mapping[Key, int]) -> None:
    """Refuse the import, naming the values, when any changed since the preview it confirms."""
    previewed = pl.DataFrame(
        [(*key, version) for key, version in expected.items()],
        schema={"place": pl.String, "series": pl.String, "year": pl.Int64, "previewed": pl.Int64},
        orient="row",
    )
    changed = (
        seen.join(previewed, on=["place", "series", "year"], how="left", maintain_order="left")
        .filter(pl.col("previewed").ne_missing(pl.col("version")))
        .select("place", "series", "year")
        .unique()
        .sort("place", "series", "year")
        .rows()
    )
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
