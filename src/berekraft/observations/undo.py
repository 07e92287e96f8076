"""Undo an import as a whole: every value it wrote goes back as it was, with its status and
published value, unless the data changed again since (then nothing is written)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from berekraft.accounts.selectors import can_verify, is_admin
from berekraft.errors import ConfirmationNeeded, ConflictError, ForbiddenError
from berekraft.observations.imports import COMPARED
from berekraft.observations.models import PUBLISHED_FIELDS, ImportBatch, Observation, ObservationHistory
from berekraft.observations.services import apply_change, describe

# What an observation created by an import goes back to when the import is undone: nothing reported.
EMPTY: dict[str, Any] = {
    "value": None,
    "numerator": None,
    "denominator": None,
    "status": "draft",
    "quality": "",
    "data_origin": "",
    "source": "",
    "note": "",
    "published_value": None,
    "published_source": "",
    "published_quality": "",
    "published_data_origin": "",
    "published_origin": "",
}


def _data_changed(row: ObservationHistory) -> bool:
    before, after = row.before or {}, row.after or {}
    return any(before.get(k) != after.get(k) for k in COMPARED)


@transaction.atomic
def import_undo(*, batch: ImportBatch, user: User | None, confirm: bool = False) -> int:
    """Put every value the batch wrote back as it was, with its status and published value.

    Refused when a value was changed again after the import (an edit or another import). The
    batch and its observations are locked first, so that the check and the writes see the same
    data and two undos of one batch cannot both run. An undo that would change published values
    (the import published them, or they were verified since) is for a verifier or an admin, and
    only with ``confirm``: it re-publishes what was published before and asks for a score run."""
    importer = user is None or is_admin(user) or batch.created_by_id == user.pk
    if user is not None and not importer and not can_verify(user):
        raise ForbiddenError("only the one who imported a file, or an admin, may undo it")
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.undone_at is not None:
        raise ConflictError(f"import {batch.pk} was already undone on {batch.undone_at:%Y-%m-%d %H:%M}")
    rows = list(batch.history.order_by("observation_id"))
    locked = {
        o.pk: o
        for o in Observation.objects.select_for_update(of=("self",))
        .select_related("place", "series")
        .filter(pk__in=[r.observation_id for r in rows])
        .order_by("pk")
    }
    # Later workflow steps (submit, verify, return) are undone with the import; a later change of
    # the data itself (an edit, another import) is not overwritten.
    written = {r.observation_id: r.version for r in rows}
    later = [
        h
        for h in ObservationHistory.objects.filter(observation_id__in=written)
        if h.version > written[h.observation_id] and _data_changed(h)
    ]
    if later:
        shown = ", ".join(describe(locked[h.observation_id]) for h in later[:10])
        raise ConflictError(
            f"{len(later)} value(s) changed after import {batch.pk} ({shown}); undo would overwrite them. "
            "Change them back by hand, or undo the later changes first."
        )
    unpublishing = [
        locked[r.observation_id]
        for r in rows
        if any(
            k in (r.before or EMPTY) and (r.before or EMPTY)[k] != getattr(locked[r.observation_id], k)
            for k in PUBLISHED_FIELDS
        )
    ]
    if unpublishing:
        shown = ", ".join(describe(o) for o in unpublishing[:10])
        if user is not None and not can_verify(user):
            raise ForbiddenError(
                _(
                    "Values of import %(batch)d have been published since (%(values)s): only a verifier "
                    "or an admin may undo it."
                )
                % {"batch": batch.pk, "values": shown}
            )
        if not confirm:
            raise ConfirmationNeeded(
                ngettext(
                    "Undoing import %(batch)d changes %(count)d published value (%(values)s) back to what "
                    "was published before, and the scores with it. Confirm to go ahead.",
                    "Undoing import %(batch)d changes %(count)d published values (%(values)s) back to what "
                    "was published before, and the scores with it. Confirm to go ahead.",
                    len(unpublishing),
                )
                % {"batch": batch.pk, "count": len(unpublishing), "values": shown}
            )
    elif not importer:
        raise ForbiddenError("only the one who imported a file, or an admin, may undo it")
    for row in rows:
        observation = locked[row.observation_id]
        restore: dict[str, Any] = dict(row.before or EMPTY)
        apply_change(observation, restore, user=user, reason=f"undo of import {batch.pk}")
    batch.undone_at = timezone.now()
    batch.undone_by = user
    batch.save(update_fields=["undone_at", "undone_by"])
    from berekraft.scores.tasks import score_run_request

    score_run_request()
    return len(rows)
