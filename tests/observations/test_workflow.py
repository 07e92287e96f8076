"""A value's life: edit (draft) → submit → verify (published, rescored) or return with a comment."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from berekraft.catalogue.models import Series
from berekraft.errors import ConflictError, ForbiddenError, InputError
from berekraft.observations.models import Observation
from berekraft.observations.workflow import (
    observation_edit,
    observation_return,
    observations_submit,
    observations_verify,
)
from berekraft.places.models import Place
from berekraft.scores.models import SeriesScore

pytestmark = pytest.mark.django_db


def water() -> tuple[Place, Series, Observation]:
    place, series = Place.objects.get(code="5001"), Series.objects.get(code="EC: I: WS: 1C")
    return place, series, Observation.objects.get(place=place, series=series, year=2024)


def edit(user: User, value: str, version: int | None = None) -> Observation:
    place, series, obs = water()
    return observation_edit(
        place=place,
        series=series,
        year=2024,
        user=user,
        value=value,
        expected_version=obs.version if version is None else version,
    )


def test_the_full_life_of_a_value(people: dict[str, User]) -> None:
    published_before = water()[2].published_value
    obs = edit(people["editor_a"], "40,5")
    assert (obs.value, obs.status, obs.published_value) == (40.5, "draft", published_before)
    assert observations_submit(place=obs.place, year=2024, user=people["editor_a"]) == 1
    observation_return(observation_id=obs.pk, user=people["verifier"], comment="Check the source")
    obs.refresh_from_db()
    assert (obs.status, obs.comment) == ("returned", "Check the source")
    observations_submit(place=obs.place, year=2024, user=people["editor_a"])
    assert observations_verify(ids=[obs.pk], user=people["verifier"]) == 1
    obs.refresh_from_db()
    assert (obs.status, obs.published_value) == ("verified", 40.5)
    score = SeriesScore.objects.get(place=obs.place, series=obs.series, year=2024)
    assert (score.value, score.points) == (40.5, 2)  # the public profile now shows the new score
    assert [h.reason for h in obs.history.order_by("version")][-5:] == [
        "edited",
        "submitted",
        "returned: Check the source",
        "submitted",
        "verified",
    ]


def test_a_stale_edit_is_refused_and_nothing_is_lost(people: dict[str, User]) -> None:
    _, _, obs = water()
    opened = obs.version
    edit(people["editor_a"], "41", version=opened)  # first editor saves
    with pytest.raises(ConflictError, match="was changed by editor_a since you opened it"):
        edit(people["admin"], "47", version=opened)  # second editor, same opened version
    assert water()[2].value == 41.0


def test_an_invalid_edit_says_why_and_writes_nothing(people: dict[str, User]) -> None:
    version = water()[2].version
    with pytest.raises(InputError) as caught:
        edit(people["editor_a"], "120")
    assert "percentage outside 0–100" in str(caught.value.problems[0])
    assert water()[2].version == version


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("admin", True), ("editor_a", True), ("editor_b", False), ("verifier", False), ("public", False)],
)
def test_edit_and_submit_by_each_role(people: dict[str, User], who: str, allowed: bool) -> None:
    if allowed:
        assert edit(people[who], "33").value == 33.0
        assert observations_submit(place=water()[0], year=2024, user=people[who]) == 1
    else:
        with pytest.raises(ForbiddenError):
            edit(people[who], "33")
        with pytest.raises(ForbiddenError):
            observations_submit(place=water()[0], year=2024, user=people[who])


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin", True), ("verifier", True), ("editor_a", False), ("public", False)]
)
def test_verify_and_return_by_each_role(people: dict[str, User], who: str, allowed: bool) -> None:
    obs = edit(people["editor_a"], "33")
    observations_submit(place=obs.place, year=2024, user=people["editor_a"])
    if allowed:
        observation_return(observation_id=obs.pk, user=people[who], comment="why?")
    else:
        with pytest.raises(ForbiddenError):
            observations_verify(ids=[obs.pk], user=people[who])
        with pytest.raises(ForbiddenError):
            observation_return(observation_id=obs.pk, user=people[who], comment="why?")


def test_only_submitted_values_can_be_verified(people: dict[str, User]) -> None:
    obs = edit(people["editor_a"], "33")
    with pytest.raises(ConflictError, match="not submitted"):
        observations_verify(ids=[obs.pk], user=people["verifier"])
    with pytest.raises(InputError, match="needs a comment"):
        observation_return(observation_id=obs.pk, user=people["verifier"], comment=" ")
