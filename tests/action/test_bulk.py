"""The project spreadsheet: the template, a good file, a file with problems (every row and column
listed, nothing written), an idempotent re-import, hostile files, the command and the upload."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook, load_workbook

from berekraft.action import services
from berekraft.action.bulk import COLUMNS, projects_import_file, read_projects_file, template_write
from berekraft.action.inputs import OrganisationInput
from berekraft.action.models import ActionHistory, Project
from berekraft.catalogue.models import Series
from berekraft.errors import ForbiddenError, InputError
from berekraft.importers.base import Limits
from berekraft.places.models import Place

pytestmark = pytest.mark.django_db

HEADER = (
    "key,title,status,progress,start_date,end_date,goals,sdg_targets,kpis,partners,budget_nok,"
    "contact_name,contact_public"
)


@pytest.fixture
def setup() -> dict[str, str]:
    services.organisation_create(
        data=OrganisationInput(name="Brønnøysundregistrene", kind="public", org_number="974760673"), user=None
    )
    services.organisation_create(data=OrganisationInput(name="NTNU", kind="academia"), user=None)
    return {"series": str(Series.objects.order_by("code").values_list("code", flat=True).first())}


def good_csv(tmp_path: Path, series: str, *, title: str = "Sykkelbyen") -> Path:
    path = tmp_path / "projects.csv"
    path.write_text(
        f"{HEADER}\n"
        f'P-1,{title},ongoing,40,2024-01-01,2026-12-31,11;13,11.6;13.2,"{series}=down",'
        '"974 760 673=lead; NTNU=research",1 500 000,Kari,yes\n'
        "P-2,Grønne tak,planned,0,2025-03-01,,11,11.7,,,,,\n",
        encoding="utf-8",
    )
    return path


def run(path: Path, member: str = "5001", **kwargs: object):  # type: ignore[no-untyped-def]
    """Import for Trondheim (the command line's trust: no user)."""
    return projects_import_file(
        path=path, limits=Limits(), member=Place.objects.get(code=member), user=None, **kwargs
    )  # type: ignore[arg-type]


def test_a_good_file_imports_every_project_with_its_parts(tmp_path: Path, setup: dict[str, str]) -> None:
    report = run(good_csv(tmp_path, setup["series"]))
    assert (report.new, report.changed, report.unchanged) == (2, 0, 0)
    project = Project.objects.get(member__code="5001", key="P-1")
    assert (project.title, project.status, project.progress, project.budget_nok) == (
        "Sykkelbyen",
        "ongoing",
        40,
        1_500_000,
    )
    assert project.contact_public is True
    assert sorted(project.goals.values_list("number", flat=True)) == [11, 13]
    assert sorted(project.sdg_targets.values_list("code", flat=True)) == ["11.6", "13.2"]
    assert project.kpis.get().expected == "down"
    assert sorted((p.organisation.name, p.role) for p in project.partnerships.all()) == [
        ("Brønnøysundregistrene", "lead"),
        ("NTNU", "research"),
    ]
    assert project.published_at is None


def test_importing_the_same_file_again_changes_nothing(tmp_path: Path, setup: dict[str, str]) -> None:
    path = good_csv(tmp_path, setup["series"])
    run(path)
    rows = ActionHistory.objects.count()
    again = run(path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    assert ActionHistory.objects.count() == rows
    assert Project.objects.filter(member__code="5001", key__in=["P-1", "P-2"]).count() == 2
    changed = run(good_csv(tmp_path, setup["series"], title="Sykkelbyen 2"))
    assert (changed.new, changed.changed, changed.unchanged) == (0, 1, 1)
    assert Project.objects.get(member__code="5001", key="P-1").version == 2


def test_a_dry_run_writes_nothing_and_publish_publishes(tmp_path: Path, setup: dict[str, str]) -> None:
    path = good_csv(tmp_path, setup["series"])
    report = run(path, dry_run=True)
    assert report.new == 2 and not Project.objects.filter(key="P-1").exists()
    report = run(path, publish=True)
    assert report.published == 2
    assert Project.objects.get(key="P-1").published_at is not None


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(
    tmp_path: Path, setup: dict[str, str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\n"
        "P-1,,sideways,140,2025-01-01,2024-01-01,18,11.99,NOPE=up,999999999=lead,mange,,kanskje\n"
        "P-1,Duplikat,ongoing,10,1. mai,,,,,Ukjent AS=lead,,,\n"
        f'P-3,OK,ongoing,10,,,,,"{setup["series"]}=sideways",974760673=boss,,,\n',
        encoding="utf-8",
    )
    before = Project.objects.count()
    with pytest.raises(InputError) as exc:
        run(path)
    found = {(p.row, p.column) for p in exc.value.problems}
    assert all(p.file == "bad.csv" for p in exc.value.problems)
    assert found >= {
        (2, "title"),
        (2, "status"),
        (2, "progress"),
        (2, "end_date"),
        (2, "goals"),
        (2, "sdg_targets"),
        (2, "kpis"),
        (2, "partners"),
        (2, "budget_nok"),
        (2, "contact_public"),
        (3, "key"),
        (3, "start_date"),
        (3, "partners"),
        (4, "kpis"),
        (4, "partners"),
    }
    assert Project.objects.count() == before


def test_a_file_with_unknown_or_missing_columns_is_refused(tmp_path: Path, setup: dict[str, str]) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("tittel,status\nA,planned\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        run(path)
    assert {p.column for p in exc.value.problems} >= {"key", "title", "tittel"}


def test_the_template_round_trips(tmp_path: Path, setup: dict[str, str]) -> None:
    run(good_csv(tmp_path, setup["series"]))
    path = template_write(path=tmp_path / "projects.xlsx", member=Place.objects.get(code="5001"))
    book = load_workbook(path)
    assert [c.value for c in book["projects"][1]] == list(COLUMNS)
    assert "instructions" in book.sheetnames
    header, rows = read_projects_file(path, Limits())
    assert header == list(COLUMNS) and len(rows) == 2
    again = run(path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)


def test_a_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path, setup: dict[str, str]) -> None:
    path = tmp_path / "f.csv"
    path.write_text('key,title\nP-9,=HYPERLINK("http://x")\n', encoding="utf-8")
    run(path)
    out = template_write(path=tmp_path / "out.xlsx", member=Place.objects.get(code="5001"))
    cell = load_workbook(out)["projects"]["B2"]
    assert cell.data_type == "s" and str(cell.value).startswith("'=")


def test_hostile_files_are_refused(tmp_path: Path, setup: dict[str, str]) -> None:
    formula = tmp_path / "formula.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "projects"
    sheet.append(["key", "title", "progress"])
    sheet.append(["P-1", "A", "=1+1"])
    book.save(formula)
    with pytest.raises(InputError) as exc:
        run(formula)
    assert "C2" in exc.value.problems[0].text()
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_text("key,title\nP-1,A\n", encoding="utf-8")
    with pytest.raises(InputError):
        run(renamed)
    big = good_csv(tmp_path, setup["series"])
    with pytest.raises(InputError, match="cannot be imported"):
        projects_import_file(
            path=big, limits=Limits(max_bytes=50), member=Place.objects.get(code="5001"), user=None
        )
    many = tmp_path / "many.csv"
    many.write_text("key,title\n" + "".join(f"K{i},T{i}\n" for i in range(50)), encoding="utf-8")
    with pytest.raises(InputError):
        projects_import_file(
            path=many, limits=Limits(max_rows=10), member=Place.objects.get(code="5001"), user=None
        )
    assert not Project.objects.filter(key="P-1").exists()


def test_the_isolated_reader_refuses_a_hostile_upload(tmp_path: Path, setup: dict[str, str]) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)  # an old .xls
    with pytest.raises(InputError, match="cannot be imported"):
        projects_import_file(
            path=path, limits=Limits(), member=Place.objects.get(code="5001"), user=None, isolated=True
        )


def test_an_editor_imports_only_for_their_own_member(
    tmp_path: Path, setup: dict[str, str], people: dict[str, User]
) -> None:
    with pytest.raises(ForbiddenError):
        projects_import_file(
            path=good_csv(tmp_path, setup["series"]),
            limits=Limits(),
            member=Place.objects.get(code="5001"),
            user=people["editor_b"],
        )


def test_the_commands(tmp_path: Path, setup: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    call_command("template", "--projects", "--member", "5001", "-o", str(tmp_path / "t.xlsx"))
    assert (tmp_path / "t.xlsx").exists()
    call_command("import_projects", str(good_csv(tmp_path, setup["series"])), "--member", "5001", "--publish")
    assert "2 new, 0 changed, 0 unchanged, 2 published" in capsys.readouterr().out
    call_command("import_projects", str(good_csv(tmp_path, setup["series"])), "--member", "5001")
    assert "0 new, 0 changed, 2 unchanged" in capsys.readouterr().out


def test_the_upload_form(tmp_path: Path, setup: dict[str, str], people: dict[str, User]) -> None:
    content = good_csv(tmp_path, setup["series"]).read_bytes()
    editor = Client(headers={"Accept-Language": "en"})
    editor.force_login(people["editor_a"])
    url = "/workspace/action/5001/projects/import/"
    page = editor.post(url, {"file": SimpleUploadedFile("p.csv", content), "dry_run": "on"}).content.decode()
    assert "Checked, nothing written:" in page and "2 new" in page
    assert not Project.objects.filter(key="P-1").exists()
    page = editor.post(url, {"file": SimpleUploadedFile("p.csv", content)}).content.decode()
    assert "Imported:" in page and Project.objects.filter(key="P-1").exists()
    no_key = "key,title\n,Uten nøkkel\n".encode()
    bad = editor.post(url, {"file": SimpleUploadedFile("p.csv", no_key)}).content.decode()
    assert "Every project needs a key" in bad
    assert editor.get("/workspace/action/5001/projects.xlsx").status_code == 200
    other = Client()
    other.force_login(people["editor_b"])
    assert other.post(url, {"file": SimpleUploadedFile("p.csv", content)}).status_code == 403
    assert other.get("/workspace/action/5001/projects.xlsx").status_code == 403
    assert Client().post(url, {"file": SimpleUploadedFile("p.csv", content)}).status_code == 302
