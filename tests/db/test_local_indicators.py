"""A member's local indicators: defined by its editors, fed by the same import paths, scored by the
same lenses, and kept out of every U4SSC-comparable total (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from berekraft.catalogue.local import local_indicator_save, local_indicators
from berekraft.catalogue.models import Indicator, Target
from berekraft.core.local import LocalIndicatorInput
from berekraft.errors import ForbiddenError, InputError
from berekraft.observations.imports import import_table
from berekraft.observations.models import Observation
from berekraft.observations.workflow import observation_edit
from berekraft.places.models import Place
from berekraft.scores.models import AggregateScore, SeriesScore
from berekraft.scores.services import scores_recompute
from tests.tables import table

pytestmark = pytest.mark.django_db

CYCLE = LocalIndicatorInput(
    slug="sykkelveg",
    name_nb="Sykkelveg per innbygger",
    unit="m per innbygger",
    direction="higher",
    definition="Meter sykkelveg og sykkelfelt per innbygger.",
    source="Kommunens vegregister",
    target="2",
    target_year="2030",
    target_source="Bystyret 2023-06-15, sak 87/23",
    goals=("11", "3"),
)


def trondheim() -> Place:
    return Place.objects.get(code="5001")


def make(**changes: Any) -> Indicator:
    from dataclasses import replace

    return local_indicator_save(member=trondheim(), user=None, given=replace(CYCLE, **changes))


def u4ssc_snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every stored aggregate and every U4SSC series score, every field, for every member."""
    aggregates = sorted(
        tuple(getattr(a, f.attname) for f in AggregateScore._meta.concrete_fields if f.name != "id")
        for a in AggregateScore.objects.all()
    )
    series = sorted(
        tuple(getattr(s, f.attname) for f in SeriesScore._meta.concrete_fields if f.name != "id")
        for s in SeriesScore.objects.filter(series__indicator__owner__isnull=True)
    )
    return aggregates, series


def publish(code: str, values: dict[int, str], place: str = "5001") -> None:
    rows = [{"place": place, "indicator": code, "year": str(y), "value": v} for y, v in values.items()]
    report = import_table(
        table(*rows), file_name="local.csv", checksum="x", reader="test", user=None, publish=True
    )
    assert not report.errors, [p.text() for p in report.errors]


def test_adding_and_scoring_a_local_indicator_moves_no_u4ssc_total() -> None:
    before = u4ssc_snapshot()
    assert before[0] and before[1]
    indicator = make()
    publish(indicator.code, {2015: "0,8", 2020: "1.2", 2024: "1.9"})
    scores_recompute()
    assert u4ssc_snapshot() == before
    # ... and the local series is scored by the same lenses: 1.9 of 2 is 95 % → 4 points.
    mine = SeriesScore.objects.get(series__code=indicator.code, year=2024)
    assert mine.achievement == pytest.approx(95.0)
    assert mine.points == 4
    assert mine.target_scope == "local"
    assert mine.trend in ("on_track", "moderate")
    assert mine.normalised is not None
    # No peers: one member is not a network.
    assert (mine.peer_mean, mine.network_index, mine.rank, mine.quartile) == (None, None, None, None)
    assert not AggregateScore.objects.filter(code__startswith="LOCAL").exists()


def test_code_scheme_and_stored_target() -> None:
    indicator = make()
    assert indicator.code == "LOCAL:5001:sykkelveg"
    assert indicator.owner == trondheim()
    assert indicator.category.code == "LOCAL"
    assert [s.code for s in indicator.series.all()] == ["LOCAL:5001:sykkelveg"]
    target = Target.objects.get(series__code=indicator.code)
    assert (target.scope, target.place, target.value, target.year) == ("local", trondheim(), 2.0, 2030)
    assert target.source == "Bystyret 2023-06-15, sak 87/23"
    [view] = local_indicators(place=trondheim())
    assert view.goals == [3, 11]


def test_another_members_value_for_it_is_a_problem_with_row_and_column() -> None:
    indicator = make()
    rows = table(
        {"place": "5001", "indicator": indicator.code, "year": "2024", "value": "1.5"},
        {"place": "1506", "indicator": indicator.code, "year": "2024", "value": "1.5"},
    )
    report = import_table(rows, file_name="local.csv", checksum="x", reader="test", user=None)
    [problem] = report.errors
    assert (problem.row, problem.column) == (3, "indicator")
    assert "Trondheim" in problem.text()
    assert not Observation.objects.filter(series__code=indicator.code).exists()  # nothing half-written


def test_the_code_is_read_as_people_write_it() -> None:
    indicator = make()
    publish("local: 5001: SYKKELVEG", {2024: "1"})
    assert Observation.objects.get(series__code=indicator.code, year=2024).published_value == 1.0


def test_the_workspace_edit_path_takes_it_for_its_own_member_only(people: dict[str, Any]) -> None:
    indicator = make()
    series = indicator.series.get()
    observation_edit(
        place=trondheim(), series=series, year=2025, expected_version=0, user=people["editor_a"], value="1,4"
    )
    assert Observation.objects.get(series=series, year=2025).value == 1.4
    with pytest.raises(InputError) as refused:
        observation_edit(
            place=Place.objects.get(code="1506"),
            series=series,
            year=2025,
            expected_version=0,
            user=people["editor_b"],
            value="2",
        )
    assert refused.value.problems[0].column == "indicator"


def test_only_the_members_editors_and_the_admin_define_them(people: dict[str, Any]) -> None:
    for name in ("editor_b", "verifier", "public"):
        with pytest.raises(ForbiddenError):
            local_indicator_save(member=trondheim(), user=people[name], given=CYCLE)
    assert not Indicator.objects.filter(owner__isnull=False).exists()
    local_indicator_save(member=trondheim(), user=people["editor_a"], given=CYCLE)
    local_indicator_save(
        member=trondheim(),
        user=people["admin"],
        given=LocalIndicatorInput(slug="b", name_nn="B", unit="%", direction="lower"),
    )
    assert Indicator.objects.filter(owner=trondheim()).count() == 2


def test_every_problem_is_named_by_field_and_nothing_is_saved() -> None:
    bad = LocalIndicatorInput(
        slug="Sykkel veg", unit="", direction="up", target="x", target_year="1800", goals=("18",)
    )
    with pytest.raises(InputError) as refused:
        local_indicator_save(member=trondheim(), user=None, given=bad)
    columns = {p.column for p in refused.value.problems}
    assert columns == {"slug", "name_nb", "unit", "direction", "target", "target_year", "goals"}
    assert not Indicator.objects.filter(owner__isnull=False).exists()


def test_a_slug_is_used_once_per_member_and_kept_on_edit() -> None:
    indicator = make()
    with pytest.raises(InputError) as refused:
        make()
    assert refused.value.problems[0].column == "slug"
    from dataclasses import replace

    local_indicator_save(
        member=trondheim(), user=None, given=replace(CYCLE, slug="changed", target="3"), indicator=indicator
    )
    indicator.refresh_from_db()
    assert indicator.code == "LOCAL:5001:sykkelveg"
    assert Target.objects.get(series__code=indicator.code).value == 3.0


def test_removing_the_target_leaves_it_unscored_but_shown() -> None:
    from dataclasses import replace

    indicator = make()
    publish(indicator.code, {2023: "1", 2024: "1.2"})
    local_indicator_save(
        member=trondheim(),
        user=None,
        given=replace(CYCLE, target="", target_year="", target_source=""),
        indicator=indicator,
    )
    scores_recompute()
    mine = SeriesScore.objects.get(series__code=indicator.code, year=2024)
    assert (mine.status, mine.points) == ("no_benchmark", None)
    assert not Target.objects.filter(series__code=indicator.code).exists()


def _fill(path: Any, sheet: str, code: str, value: str) -> None:
    """Type ``value`` into the value cell of ``code``'s row, as a member would in Excel."""
    from openpyxl import load_workbook

    from berekraft.importers.workbook import COLUMNS

    book = load_workbook(path)
    ws = book[sheet]
    value_col = [key for key, *_ in COLUMNS].index("value") + 1
    for row in range(2, ws.max_row + 2):
        if ws.cell(row=row, column=1).value in (code, None):
            ws.cell(row=row, column=1, value=code)
            ws.cell(row=row, column=value_col, value=value)
            break
    book.save(path)


def test_the_workbook_has_a_local_sheet_that_is_read_back(tmp_path: Any) -> None:
    from openpyxl import load_workbook

    from berekraft.importers.base import Limits
    from berekraft.importers.workbook import LOCAL_SHEET, read_workbook
    from berekraft.observations.workbooks import template_for

    indicator = make(name_nb="", name_nn="Sykkelveg per innbyggjar")
    path = template_for(place=trondheim(), year=2024, path=tmp_path / "t.xlsx")
    book = load_workbook(path)
    assert LOCAL_SHEET in book.sheetnames
    local = book[LOCAL_SHEET]
    assert local.cell(row=2, column=1).value == indicator.code
    assert local.cell(row=2, column=2).value == "Sykkelveg per innbyggjar"  # the member's own words
    assert all(indicator.code != c.value for c in book["Data"]["A"])  # not among the U4SSC rows
    _fill(path, LOCAL_SHEET, indicator.code, "1,25")
    rows = read_workbook(path, Limits())
    [mine] = rows.filter(rows["indicator"] == indicator.code).to_dicts()
    assert (mine["place"], mine["year"], mine["value"], mine["_sheet"]) == (
        "5001",
        "2024",
        "1,25",
        LOCAL_SHEET,
    )
    report = import_table(rows, file_name="t.xlsx", checksum="x", reader="workbook", user=None)
    assert not report.errors
    assert Observation.objects.get(series__code=indicator.code, year=2024).value == 1.25
    # Another member's workbook has no local sheet of Trondheim's ...
    molde = template_for(place=Place.objects.get(code="1506"), year=2024, path=tmp_path / "m.xlsx")
    assert LOCAL_SHEET not in load_workbook(molde).sheetnames
    # ... and Trondheim's code typed into it is refused, naming sheet, row and column.
    _fill(molde, "Data", indicator.code, "3")
    rows = read_workbook(molde, Limits())
    report = import_table(rows, file_name="m.xlsx", checksum="x", reader="workbook", user=None)
    [problem] = report.errors
    assert problem.column == "indicator" and problem.row is not None
    assert not Observation.objects.filter(series__code=indicator.code, place__code="1506").exists()


def test_submitted_and_verified_through_the_workflow(people: dict[str, Any]) -> None:
    from berekraft.observations.workflow import observations_submit, observations_verify

    indicator = make()
    series = indicator.series.get()
    editor, verifier = people["editor_a"], people["verifier"]
    observation_edit(
        place=trondheim(), series=series, year=2024, expected_version=0, user=editor, value="2.2"
    )
    assert observations_submit(place=trondheim(), year=2024, user=editor) >= 1
    value = Observation.objects.get(series=series, year=2024)
    observations_verify(ids=[value.pk], user=verifier)
    mine = SeriesScore.objects.get(series=series, year=2024)
    assert (mine.value, mine.points, mine.trend) == (2.2, 4, "target_achieved")
