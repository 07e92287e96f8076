"""The demo's year in progress: a few members have started on 2025, through the real workflow.

The demo editors enter values (drafts), submit them, and the demo verifier verifies some and
returns one per member with a comment, so that the workspace, the verifier's queue, the coverage
grid and the history show a reporting year as it really looks half-way. Which series each member
has reached is drawn from the seed, so the result is the same on every run. The values are the
ones :mod:`berekraft.core.demo` draws for 2025, labelled as demonstration data like the rest.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from berekraft.accounts.demo import demo_users
from berekraft.catalogue.models import Series
from berekraft.core.demo import DEMO_SEED
from berekraft.observations.models import Observation
from berekraft.observations.services import DEMO_SOURCE, apply_change
from berekraft.observations.workflow import (
    observation_edit,
    observation_return,
    observations_submit,
    observations_verify,
)
from berekraft.places.models import Network, Place


@dataclass(frozen=True, slots=True)
class Progress:
    """How far one member has come with the year: how many values are in each state."""

    member: str
    editor: str
    verified: int
    returned: int
    submitted: int
    draft: int


PROGRESS = (
    Progress("5001", "demo-editor", verified=12, returned=1, submitted=5, draft=4),
    Progress("1804", "demo-editor-nord", verified=6, returned=1, submitted=3, draft=2),
    Progress("1833", "demo-editor-nord", verified=0, returned=0, submitted=3, draft=2),
)
VERIFIER = "demo-verifier"
RETURN_COMMENT = (
    "Demo: verdien skiller seg mye fra fjoråret. Kontroller kilde og enhet, og send inn på nytt. "
    "(Demo: the value differs a lot from last year; check the source and the unit, then resubmit.)"
)


def _enter(*, place: Place, series: Series, year: int, value: float, editor: User) -> Observation:
    """The editor enters one value as typed in the workspace; it is labelled as demonstration data."""
    observation = observation_edit(
        place=place,
        series=series,
        year=year,
        expected_version=0,
        user=editor,
        value=repr(value),
        source=DEMO_SOURCE,
    )
    apply_change(
        observation, {"origin": Observation.Origin.DEMO}, user=None, reason="labelled as demonstration data"
    )
    return observation


@transaction.atomic
def demo_year_in_progress(*, network: Network, values: Sequence[tuple[str, str, float]], year: int) -> int:
    """Enter, submit, verify and return the demo's ``year`` for the members in PROGRESS.

    ``values`` are (member, series, value) drawn for the year. Does nothing once any member in
    PROGRESS has a value for the year (the demo ran before, or someone has started on it).
    Returns the number of values entered.
    """
    members = {p.code: p for p in Place.objects.filter(code__in=[p.member for p in PROGRESS])}
    if Observation.objects.filter(place__in=members.values(), year=year).exists():
        return 0
    users = demo_users(network=network)
    series = {s.code: s for s in Series.objects.all()}
    to_verify: list[int] = []
    entered = 0
    for progress in PROGRESS:
        place, editor = members[progress.member], users[progress.editor]
        drawn = sorted((code, value) for member, code, value in values if member == progress.member)
        random.Random(zlib.crc32(f"{DEMO_SEED}|{progress.member}|{year}".encode())).shuffle(drawn)
        counts = (progress.verified, progress.returned + progress.submitted, progress.draft)
        first, second, drafts = (
            drawn[: counts[0]],
            drawn[counts[0] : sum(counts[:2])],
            drawn[sum(counts[:2]) : sum(counts)],
        )
        done = [_enter(place=place, series=series[c], year=year, value=v, editor=editor) for c, v in first]
        observations_submit(place=place, year=year, user=editor)
        to_verify += [o.pk for o in done]
        later = [_enter(place=place, series=series[c], year=year, value=v, editor=editor) for c, v in second]
        observations_submit(place=place, year=year, user=editor)
        for observation in later[: progress.returned]:
            observation_return(observation_id=observation.pk, user=users[VERIFIER], comment=RETURN_COMMENT)
        for code, value in drafts:
            _enter(place=place, series=series[code], year=year, value=value, editor=editor)
        entered += len(first) + len(second) + len(drafts)
    observations_verify(ids=to_verify, user=users[VERIFIER])
    return entered
