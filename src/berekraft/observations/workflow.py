"""The life of a value: an editor enters or edits it (draft), submits it, a verifier verifies it
(it becomes the published value and a score run is asked for) or returns it with a comment.

Every function checks the user's role first; ``user`` None is the command line (trusted).
An edit carries the version the editor saw: if the value changed since, the edit is refused
(optimistic concurrency, no lost update).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from berekraft.accounts.selectors import can_edit, can_verify
from berekraft.catalogue.models import Series
from berekraft.core.validation import validate
from berekraft.errors import ConflictError, ForbiddenError, InputError
from berekraft.importers.base import IMPORT_COLUMNS
from berekraft.observations.imports import import_fields, validation_context
from berekraft.observations.models import Observation
from berekraft.observations.services import apply_change, history_row
from berekraft.places.models import Place

Status = Observation.Status


def _may_edit(user: User | None, place: Place) -> None:
    if user is not None and not can_edit(user, place):
        raise ForbiddenError(f"you may not write data for {place.name_nb}")


def _may_verify(user: User | None) -> None:
    if user is not None and not can_verify(user):
        raise ForbiddenError("only a verifier or an admin may verify or return values")


@transaction.atomic
def observation_edit(
    *,
    place: Place,
    series: Series,
    year: int,
    expected_version: int,
    user: User | None,
    value: str,
    numerator: str = "",
    denominator: str = "",
    quality: str = "",
    data_origin: str = "",
    source: str = "",
    note: str = "",
) -> Observation:
    """Enter or change one value from a form (text as typed); it becomes a draft.

    ``expected_version`` is the version the form was opened on (0 for a value not there yet).
    """
    _may_edit(user, place)
    cell = {
        "_sheet": "",
        "_row": "",
        "place": place.code,
        "indicator": series.code,
        "series": "",
        "year": str(year),
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "quality": quality,
        "origin": data_origin,
        "source": source,
        "note": note,
    }
    table = pl.DataFrame([cell], schema=dict.fromkeys(IMPORT_COLUMNS, pl.String))
    checked = validate(table, validation_context(user=user, member=place, file_name="", table=table))
    if checked.errors:
        raise InputError(checked.errors, summary="the value was not saved")
    row = checked.rows.row(0, named=True)
    current = Observation.objects.select_for_update().filter(place=place, series=series, year=year).first()
    version = current.version if current else 0
    if version != expected_version:
        who = current.updated_by.username if current and current.updated_by else "someone"
        raise ConflictError(
            f"{series.code} {year} was changed by {who} since you opened it (version {version}, you had "
            f"{expected_version}); your change was not saved. Reload to see the current value."
        )
    fields = import_fields(row)
    if current is None:
        try:
            with transaction.atomic():
                current = Observation.objects.create(
                    place=place, series=series, year=year, updated_by=user, **fields
                )
        except IntegrityError:
            # Entered by someone else (an import, another editor) after this edit read "not there".
            raise ConflictError(
                _(
                    "%(series)s %(year)d was entered by someone else meanwhile; your change was not "
                    "saved. Reload to see the current value."
                )
                % {"series": series.code, "year": year}
            ) from None
        history_row(current, None, user=user, reason="entered").save()
        return current
    apply_change(current, {**fields, "status": Status.DRAFT, "comment": ""}, user=user, reason="edited")
    return current


@transaction.atomic
def observations_submit(*, place: Place, year: int, user: User | None) -> int:
    """Submit every draft or returned value of a member's year for verification, including a value
    cleared ("not reported") over a published one: verifying it unpublishes the value."""
    _may_edit(user, place)
    count = 0
    for observation in (
        Observation.objects.select_for_update()
        .filter(place=place, year=year, status__in=(Status.DRAFT, Status.RETURNED))
        .filter(Q(value__isnull=False) | Q(published_value__isnull=False))
        .order_by("pk")
    ):
        count += apply_change(observation, {"status": Status.SUBMITTED}, user=user, reason="submitted")
    return count


def observations_verify(*, ids: Iterable[int], user: User | None) -> int:
    """Verify submitted values: each becomes the published value; one score run is asked for."""
    _may_verify(user)
    with transaction.atomic():
        count = 0
        for observation in Observation.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk"):
            if observation.status != Status.SUBMITTED:
                raise ConflictError(f"value {observation.pk} is {observation.status}, not submitted")
            changes = {
                "status": Status.VERIFIED,
                "published_value": observation.value,
                "published_source": observation.source,
                "published_quality": observation.quality,
                "published_data_origin": observation.data_origin,
                "published_origin": observation.origin,
                "comment": "",
            }
            count += apply_change(observation, changes, user=user, reason="verified")
    from berekraft.scores.tasks import score_run_request

    score_run_request()  # on the background worker (scores.tasks); the request returns now
    return count


@transaction.atomic
def observation_return(*, observation_id: int, user: User | None, comment: str) -> Observation:
    """Send a submitted value back to its member with a comment saying what to check."""
    _may_verify(user)
    if not comment.strip():
        raise InputError([], summary="a returned value needs a comment that says what to check")
    observation = Observation.objects.select_for_update().get(pk=observation_id)
    if observation.status != Status.SUBMITTED:
        raise ConflictError(f"value {observation.pk} is {observation.status}, not submitted")
    apply_change(
        observation,
        {"status": Status.RETURNED, "comment": comment.strip()},
        user=user,
        reason=f"returned: {comment.strip()[:250]}",
    )
    return observation
