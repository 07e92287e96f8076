"""The real yearly cycle as a stateful property test (issue 7, "How the tests must change").

Hypothesis drives the real services as the real users: imports of real files (tidy CSV and the
workbook; partial files, a new year, an old place code), edits, submit, verify, return, undo, a member
leaving, recompute. After every step:

- a walk over the pages the step touched (home with the year, the member's profile and series pages,
  compare, goal, KPI, coverage as verifier, the workspace member-year pages, the .json/.csv twins)
  answers without a server error;
- every value the test touched is in the database as the model says (working value, status,
  published value), and no other value was published or unpublished;
- the stored scores equal a fresh run of the engine over the published values;
- history versions are unique per observation, increase, and end at the observation's version;
- the public sees no unpublished value, no draft's source and no workflow status.

Each example runs inside a savepoint that is rolled back in ``teardown``, so every example starts
from the demo database. ``BEREKRAFT_HYPOTHESIS_PROFILE=long`` runs many more and longer examples.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from polars.testing import assert_frame_equal

from berekraft.errors import ConfirmationNeeded, ConflictError, ForbiddenError
from berekraft.importers.base import Limits
from berekraft.importers.registry import read_file
from berekraft.observations.imports import checksum, import_table
from berekraft.observations.models import ImportBatch, Observation, ObservationHistory
from berekraft.observations.undo import import_undo
from berekraft.observations.workflow import (
    observation_edit,
    observation_return,
    observations_submit,
    observations_verify,
)
from berekraft.places.models import Membership, Place
from berekraft.scores.models import AggregateScore, ScoreRun, SeriesScore
from berekraft.scores.services import AGGREGATE_FIELDS, SERIES_FIELDS, compute, scores_recompute
from tests.cycle.files import source_of, write_tidy_csv, write_workbook
from tests.cycle.model import Batch, Cell, Key, Model, entered

pytestmark = pytest.mark.django_db

PROFILES = {
    "ci": {"max_examples": 3, "stateful_step_count": 6},  # ~15 s a step, loaded machine
    "long": {"max_examples": 200, "stateful_step_count": 30},
}
PROFILE = PROFILES[os.environ.get("BEREKRAFT_HYPOTHESIS_PROFILE", "ci")]

# Who writes each member's data: two editors with a member each, and the admin for Ålesund, whose
# old code (1507, until 2023) the old-code import uses.
WRITERS = {"5001": "editor_a", "1506": "editor_b", "1508": "admin"}
SERIES = ("EC: I: WS: 1C", "EN: EN: AQ: 1C/PM2.5", "SC: SH: SA: 8C")
# 2023 and 2024 hold demo values; 2025 is the new reporting year nobody has values for yet.
YEARS = (2023, 2024, 2025)
VALUES = (4.0, 12.5, 37.0, 88.0)
OLD_CODES = {"1508": "1507"}  # Ålesund's code until 2023-12-31
LEAVING = date(2025, 6, 30)

places = st.sampled_from(sorted(WRITERS))
keys = st.tuples(places, st.sampled_from(SERIES), st.sampled_from(YEARS))


def slug(code: str) -> str:
    """The URL part of a series or indicator code, as the site writes it (README: /kpis/<kpi>/)."""
    return "-".join("".join(c if c.isalnum() else " " for c in code.lower()).split())


def finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def frame(rows: list[tuple[Any, ...]], columns: list[str], texts: set[str]) -> pl.DataFrame:
    """Rows as a comparable frame: numbers as floats (NaN and inf as null), text as text."""
    data = {c: [finite(r[i]) for r in rows] for i, c in enumerate(columns)}
    return pl.DataFrame(
        {
            c: pl.Series(c, [("" if v is None else str(v)) for v in values], pl.String)
            if c in texts
            else pl.Series(c, [None if v is None else float(v) for v in values], pl.Float64)
            for c, values in data.items()
        }
    ).sort(columns)


class Cycle(RuleBasedStateMachine):
    """One example: a sequence of steps of the yearly cycle on the demo network."""

    people: dict[str, User]
    clients: dict[str, Client]

    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.observations = {
            (p, s, y): o
            for o, p, s, y in (
                (o, o.place.code, o.series.code, o.year)
                for o in Observation.objects.filter(
                    place__code__in=WRITERS, series__code__in=SERIES, year__in=YEARS
                ).select_related("place", "series")
            )
        }
        self.model = Model(
            cells={(p, s, y): self._cell((p, s, y)) for p in WRITERS for s in SERIES for y in YEARS}
        )
        self.others_published = Observation.objects.filter(published_value__isnull=False).count() - sum(
            c.published is not None for c in self.model.cells.values()
        )
        self.touched: set[Key] = set()
        self.checked_scores: object = None

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    def _cell(self, key: Key) -> Cell:
        o = self.observations.get(key)
        if o is None:
            return Cell()
        data = (o.value, o.numerator, o.denominator, o.quality, o.data_origin, o.source, o.note)
        return Cell(data=data, status=o.status, published=o.published_value, exists=True)

    def user(self, name: str | None) -> User | None:
        return None if name is None else self.people[name]

    # ---- rules: the cycle ------------------------------------------------------------------------

    def _import(self, path: Path, rows: dict[Key, float], *, writer: str | None, publish: bool) -> None:
        place = Place.objects.get(code=next(iter(rows))[0])
        planned = self.model.plan_import(rows, publish=publish)
        reader, table = read_file(path, Limits())
        report = import_table(
            table,
            file_name=path.name,
            checksum=checksum(path),
            reader=reader.name,
            user=self.user(writer),
            member=place if writer is not None else None,
            publish=publish,
        )
        assert report.ok, [str(p) for p in report.errors]
        assert (report.new + report.changed, report.unchanged) == (len(planned), len(rows) - len(planned))
        if planned:
            assert report.batch_id is not None
            before = {k: self.model.cells[k] for k in planned}
            self.model.cells.update(planned)
            self.model.batches.append(
                Batch(report.batch_id, writer, before, {k: c.changes for k, c in planned.items()})
            )
        else:
            assert report.batch_id is None
        self.touched = set(rows)

    @rule(
        place=places,
        year=st.sampled_from(YEARS),
        values=st.dictionaries(st.sampled_from(SERIES), st.sampled_from(VALUES), min_size=1),
        workbook=st.booleans(),
    )
    def editor_imports(self, place: str, year: int, values: dict[str, float], workbook: bool) -> None:
        """A partial file: some series of one member and year, as the member's editor."""
        rows = {(place, s, year): v for s, v in values.items()}
        with tempfile.TemporaryDirectory() as folder:
            if workbook:
                name = Place.objects.get(code=place).name_nb
                path = write_workbook(
                    Path(folder) / "data.xlsx", member=place, name=name, year=year, values=values
                )
            else:
                path = write_tidy_csv(
                    Path(folder) / "data.csv", [(place, *k[1:], v, source_of(place)) for k, v in rows.items()]
                )
            self._import(path, rows, writer=WRITERS[place], publish=False)

    @rule(
        rows=st.dictionaries(keys, st.sampled_from(VALUES), min_size=1, max_size=4),
        old_code=st.booleans(),
    )
    def command_line_imports_and_publishes(self, rows: dict[Key, float], old_code: bool) -> None:
        """``berekraft import --publish``: any members and years; Ålesund's 2023 under its old code."""
        written = [
            (OLD_CODES[p] if old_code and p in OLD_CODES and y <= 2023 else p, s, y, v, source_of(p))
            for (p, s, y), v in rows.items()
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = write_tidy_csv(Path(folder) / "data.csv", written)
            self._import(path, rows, writer=None, publish=True)

    @rule(key=keys, value=st.sampled_from(VALUES), comma=st.booleans())
    def editor_edits(self, key: Key, value: float, comma: bool) -> None:
        place, series, year = key
        current = Observation.objects.filter(place__code=place, series__code=series, year=year).first()
        typed = repr(value).replace(".", ",") if comma else repr(value)
        observation_edit(
            place=Place.objects.get(code=place),
            series=current.series if current else self._series(series),
            year=year,
            expected_version=current.version if current else 0,
            user=self.people[WRITERS[place]],
            value=typed,
            source=source_of(place),
        )
        cell = self.model.cells[key]
        self.model.cells[key] = cell.with_data(entered(value, place), status="draft")
        self.touched = {key}

    def _series(self, code: str) -> Any:
        from berekraft.catalogue.models import Series

        return Series.objects.get(code=code)

    @rule(place=places, year=st.sampled_from(YEARS))
    def editor_submits(self, place: str, year: int) -> None:
        # A submit sends the member's whole year: also the demo's own drafts and returned values of
        # series the model does not follow (the demo has 2025 in progress).
        others = (
            Observation.objects.filter(
                place__code=place, year=year, status__in=("draft", "returned"), value__isnull=False
            )
            .exclude(series__code__in=SERIES)
            .count()
        )
        count = observations_submit(
            place=Place.objects.get(code=place), year=year, user=self.people[WRITERS[place]]
        )
        due = [
            k
            for k, c in self.model.cells.items()
            if k[0] == place and k[2] == year and c.status in ("draft", "returned") and c.value is not None
        ]
        assert count == len(due) + others
        for k in due:
            self.model.cells[k] = Cell(**{**self.model.cells[k].__dict__, "status": "submitted"})
        self.touched = {(place, s, year) for s in SERIES}

    def _submitted(self) -> list[Key]:
        return sorted(k for k, c in self.model.cells.items() if c.status == "submitted")

    @precondition(lambda self: self._submitted())
    @rule(data=st.data())
    def verifier_verifies(self, data: st.DataObject) -> None:
        chosen = data.draw(st.lists(st.sampled_from(self._submitted()), min_size=1, unique=True))
        ids = [self._pk(k) for k in chosen]
        assert observations_verify(ids=ids, user=self.people["verifier"]) == len(chosen)
        for k in chosen:
            cell = self.model.cells[k]
            self.model.cells[k] = Cell(**{**cell.__dict__, "status": "verified", "published": cell.value})
        self.touched = set(chosen)

    @precondition(lambda self: self._submitted())
    @rule(data=st.data())
    def verifier_returns(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(self._submitted()))
        observation_return(observation_id=self._pk(key), user=self.people["verifier"], comment="Sjekk kilden")
        self.model.cells[key] = Cell(**{**self.model.cells[key].__dict__, "status": "returned"})
        self.touched = {key}

    @precondition(lambda self: self.model.batches)
    @rule(data=st.data(), who=st.sampled_from(["importer", "admin", "command line"]))
    def someone_undoes_an_import(self, data: st.DataObject, who: str) -> None:
        batch = data.draw(st.sampled_from(self.model.batches))
        name = {"importer": batch.user, "admin": "admin", "command line": None}[who]
        verifies = name in (None, "admin", "verifier")
        refusal = self.model.undo_refusal(batch, name, verifies=verifies)
        confirm = self.model.undo_needs_confirmation(batch)
        try:
            import_undo(batch=ImportBatch.objects.get(pk=batch.pk), user=self.user(name))
        except ConfirmationNeeded as exc:
            # Changing published values back is allowed to whoever may verify, once confirmed.
            assert refusal is None and confirm, f"undo of import {batch.pk} by {name} asked: {exc}"
            import_undo(batch=ImportBatch.objects.get(pk=batch.pk), user=self.user(name), confirm=True)
            self.model.undo(batch)
        except (ConflictError, ForbiddenError) as exc:
            assert refusal is not None, f"undo of import {batch.pk} by {name} refused: {exc}"
        else:
            assert refusal is None, f"undo of import {batch.pk} by {name} went through, expected: {refusal}"
            assert not confirm, f"undo of import {batch.pk} changed published values without confirmation"
            self.model.undo(batch)
        self.touched = set(batch.before)

    @precondition(lambda self: not self.model.left)
    @rule()
    def molde_leaves_the_network(self) -> None:
        """The secretariat records Molde's leaving date (as in the admin) and recomputes."""
        Membership.objects.filter(place__code="1506").update(left=LEAVING)
        scores_recompute()
        self.model.left.add("1506")
        self.touched = {("1506", s, y) for s in SERIES for y in YEARS}

    @rule()
    def recompute(self) -> None:
        """``berekraft recompute``: changes no published value and no score."""
        scores_recompute()

    def _pk(self, key: Key) -> int:
        place, series, year = key
        return Observation.objects.values_list("pk", flat=True).get(
            place__code=place, series__code=series, year=year
        )

    # ---- invariants ------------------------------------------------------------------------------

    @invariant()
    def values_are_as_the_model_says(self) -> None:
        stored = {
            (o.place.code, o.series.code, o.year): o
            for o in Observation.objects.filter(
                place__code__in=WRITERS, series__code__in=SERIES, year__in=YEARS
            ).select_related("place", "series")
        }
        for key, cell in self.model.cells.items():
            o = stored.get(key)
            if not cell.exists:
                assert o is None, f"{key} exists in the database, not in the model"
                continue
            assert o is not None, f"{key} is missing"
            data = (o.value, o.numerator, o.denominator, o.quality, o.data_origin, o.source, o.note)
            assert (data, o.status, o.published_value) == (cell.data, cell.status, cell.published), key
        published = Observation.objects.filter(published_value__isnull=False).count()
        expected = self.others_published + sum(c.published is not None for c in self.model.cells.values())
        assert published == expected, "a value the test did not touch was published or unpublished"

    @invariant()
    def history_versions_are_unique_and_increase(self) -> None:
        versions: dict[int, list[int]] = {}
        for observation, version in ObservationHistory.objects.filter(
            observation__place__code__in=WRITERS,
            observation__series__code__in=SERIES,
            observation__year__in=YEARS,
        ).values_list("observation_id", "version"):
            versions.setdefault(observation, []).append(version)
        current = dict(Observation.objects.filter(pk__in=versions).values_list("pk", "version"))
        for pk, found in versions.items():
            found.sort()
            assert len(set(found)) == len(found), f"observation {pk}: duplicate history versions {found}"
            assert found[-1] == current[pk], (
                f"observation {pk}: version {current[pk]}, history ends {found[-1]}"
            )

    @invariant()
    def stored_scores_agree_with_a_fresh_run(self) -> None:
        state = (
            ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first(),
            tuple(sorted((k, c.published) for k, c in self.model.cells.items())),
            tuple(sorted(self.model.left)),
        )
        if state == self.checked_scores:
            return  # nothing that scores read has changed since the last check
        fresh = compute()
        places = dict(Place.objects.values_list("id", "code"))
        from berekraft.catalogue.models import Series

        series = dict(Series.objects.values_list("id", "code"))
        for model, result, fields, keys_ in (
            (SeriesScore, fresh.series, SERIES_FIELDS, ("place", "series")),
            (AggregateScore, fresh.aggregates, AGGREGATE_FIELDS, ("place",)),
        ):
            columns = [*keys_, *fields]
            texts = {*keys_, *(f for f, text in fields.items() if text)}
            rows = [
                (places[r[0]], *((series[r[1]],) if "series" in keys_ else ()), *r[len(keys_) :])
                for r in model.objects.values_list(*(f"{k}_id" for k in keys_), *fields)
            ]
            stored = frame(rows, columns, texts)
            computed = frame(list(result.select(columns).iter_rows()), columns, texts)
            assert_frame_equal(stored, computed, check_exact=False, rel_tol=1e-9, abs_tol=1e-9)
        self.checked_scores = state

    @invariant()
    def every_page_answers_and_the_public_sees_only_published_values(self) -> None:
        touched = sorted(self.touched) or [("5001", SERIES[0], 2025)]
        members = sorted({k[0] for k in touched})
        years = sorted({k[2] for k in touched})
        series = sorted({k[1] for k in touched})
        public, verifier = self.clients["public"], self.clients["verifier"]
        walk: list[tuple[Client, str]] = [(public, "/"), (public, "/index.json")]
        walk += [(public, f"/?year={y}") for y in years]
        for m in members:
            walk += [
                (public, f"/members/{m}/"),
                (public, f"/members/{m}.json"),
                (public, f"/members/{m}.csv"),
            ]
            walk += [(self.clients[WRITERS[m]], f"/workspace/members/{m}/{y}/") for y in years]
        for s in series:
            walk += [(public, f"/members/{m}/series/{slug(s)}/") for m in members]
            walk += [(public, f"/members/{m}/series/{slug(s)}.csv") for m in members]
            walk += [(public, f"/compare/?series={slug(s)}&year={y}") for y in years]
            walk += [(public, f"/compare.json?series={slug(s)}"), (public, f"/kpis/{slug(s.split('/')[0])}/")]
        walk += [(public, "/goals/6/"), (public, "/goals/11.json"), (verifier, "/coverage/")]
        failed = [(url, r.status_code) for c, url in walk if (r := c.get(url)).status_code >= 500]
        assert not failed, f"server errors: {failed}"
        self._public_sees_only_published(members, series)

    def _public_sees_only_published(self, members: list[str], series: list[str]) -> None:
        public = self.clients["public"]
        for m in members:
            for s in series:
                data = json.loads(public.get(f"/members/{m}/series/{slug(s)}.json").content)
                shown = {r["year"]: r["value"] for r in _records(data) if "year" in r and "value" in r}
                for y in YEARS:
                    expected = self.model.cells[(m, s, y)].published
                    assert shown.get(y) == expected, (
                        f"/members/{m}/series/{slug(s)}.json {y}: {shown.get(y)} shown, {expected} published"
                    )
            published_source = any(
                c.published is not None and c.status == "verified" and c.data[5] == source_of(m)
                for k, c in self.model.cells.items()
                if k[0] == m
            )
            profile = public.get(f"/members/{m}.json").content.decode()
            if not published_source:
                assert source_of(m) not in profile, f"/members/{m}.json shows an unverified source"
            statuses = {r.get("status") for r in _records(json.loads(profile))}
            assert not statuses & {"submitted", "returned", "draft"}, f"/members/{m}.json shows {statuses}"


def _records(data: Any) -> list[dict[str, Any]]:
    """Every JSON object in ``data``, at any depth."""
    if isinstance(data, dict):
        return [data, *(r for v in data.values() for r in _records(v))]
    if isinstance(data, list):
        return [r for v in data for r in _records(v)]
    return []


def test_the_yearly_cycle(people: dict[str, User]) -> None:
    clients = {}
    for name in ("public", "verifier", "editor_a", "editor_b", "admin"):
        clients[name] = Client(headers={"Accept-Language": "nb"}, raise_request_exception=False)
        if name != "public":
            clients[name].force_login(people[name])
    clients["public"] = Client(headers={"Accept-Language": "nb"}, raise_request_exception=False)  # anonymous
    Cycle.people, Cycle.clients = people, clients
    run_state_machine_as_test(
        Cycle,
        settings=settings(
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            **PROFILE,
        ),
    )
