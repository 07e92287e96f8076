"""The project spreadsheet: register many projects at once.

One row per project, the columns in ``COLUMNS`` (an .xlsx from ``berekraft template --projects``
with an instructions sheet, or the same columns as CSV). Lists are written with ``;`` between
items: goals ``11;13``, SDG targets ``11.6;13.2``, KPIs ``CODE=down`` (up, down or hold),
partners ``974760673=lead`` or ``Name=research`` (an organisation already in the register, by its
organisation number or its exact name).

Import is all or nothing: every problem of every row is listed by file, row and column, and
nothing is written unless the whole file is valid. Rows are matched to the member's projects by
their ``key``, so importing the same file again changes nothing, and a changed row updates its
project (with history, as a workspace save does). The file is read with the hostile-file guards
of the data import (size, cells and strings counted before parsing, no formulas), in a child
process with its own deadline and memory limit when it comes from an upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from berekraft.action import services, validation
from berekraft.action.bulk_read import SHEET, read_projects_file, read_projects_isolated
from berekraft.action.inputs import KpiInput, PartnerInput, ProjectInput
from berekraft.action.models import Organisation, Project, ProjectSeries
from berekraft.core.orgnr import clean_org_number
from berekraft.core.problems import Problem, gettext_noop
from berekraft.errors import ForbiddenError, InputError
from berekraft.importers.base import Limits
from berekraft.places.models import Place

COLUMNS: dict[str, str] = {
    "key": "Your own key for the project, unique in the file (e.g. P-001); a re-import updates the "
    "project with this key",
    "title": "Title (required)",
    "summary": "One or two sentences",
    "description": "Plain text; blank lines make paragraphs",
    "status": "planned, ongoing, completed or stopped",
    "progress": "0–100 (%)",
    "start_date": "YYYY-MM-DD",
    "end_date": "YYYY-MM-DD, not before the start",
    "responsible_unit": "The unit responsible in the organisation",
    "contact_name": "Contact person",
    "contact_email": "Contact e-mail",
    "contact_public": "yes to show the contact on the public pages",
    "budget_nok": "Budget in NOK (whole kroner)",
    "goals": "SDG numbers, e.g. 11;13",
    "sdg_targets": "SDG target codes, e.g. 11.6;13.2",
    "kpis": "KPI series code=expected direction (up, down, hold), e.g. EC: I: WS: 1C=up",
    "partners": "organisation number or exact name=role (lead, funder, research, supplier, co_creator, "
    "other), e.g. 974760673=lead; NTNU=research",
}
YES = {"yes", "ja", "y", "j", "true", "1", "x"}
NO = {"", "no", "nei", "n", "false", "0"}


@dataclass
class ProjectsReport:
    """What an import did (or would do, in a dry run)."""

    file: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    published: int = 0
    dry_run: bool = False
    keys: list[str] = field(default_factory=list)


# --- the template ---------------------------------------------------------------------------------


def template_write(*, path: Path, member: Place | None = None) -> Path:
    """The project spreadsheet: the columns with their instructions, and the member's projects that
    have a key (so the file can be edited and imported again)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    status = DataValidation(type="list", formula1='"planned,ongoing,completed,stopped"', allow_blank=True)
    sheet.add_data_validation(status)
    status.add("E2:E5000")
    if member is not None:
        for project in Project.objects.filter(member=member).exclude(key="").order_by("key"):
            sheet.append([_safe(v) for v in _row(project)])
    for column, width in zip(
        "ABCDEFGHIJKLMNOPQ", (10, 40, 40, 60, 12, 10, 12, 12, 24, 20, 24, 8, 14, 10, 16, 40, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet("instructions")
    guide.append(["column", "what to write"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for name, text in COLUMNS.items():
        guide.append([name, text])
    guide.append([])
    guide.append(["", "One row per project. Lists use ; between items. Write values, not formulas."])
    guide.append(["", "Import: berekraft import-projects FILE --member CODE (or the workspace upload form)."])
    guide.append(
        ["", "Nothing is imported unless every row is valid; every problem is listed by row and column."]
    )
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 100
    book.save(path)
    return path


def _safe(value: object) -> object:
    """A text cell never starts a formula (an export carries no live formula)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _row(project: Project) -> list[object]:
    kpis = "; ".join(f"{k.series.code}={k.expected}" for k in project.kpis.select_related("series"))
    partners = "; ".join(
        f"{p.organisation.org_number or p.organisation.name}={p.role}"
        for p in project.partnerships.select_related("organisation")
    )
    return [
        project.key,
        project.title,
        project.summary,
        project.description,
        project.status,
        project.progress,
        project.start_date.isoformat() if project.start_date else "",
        project.end_date.isoformat() if project.end_date else "",
        project.responsible_unit,
        project.contact_name,
        project.contact_email,
        "yes" if project.contact_public else "",
        project.budget_nok if project.budget_nok is not None else "",
        ";".join(str(n) for n in project.goals.values_list("number", flat=True)),
        ";".join(project.sdg_targets.values_list("code", flat=True)),
        kpis,
        partners,
    ]


# --- parsing rows -----------------------------------------------------------------------------------


class _Row:
    """One row's cells by column, and the problems found while parsing them."""

    def __init__(self, file: str, number: int, cells: dict[str, str]) -> None:
        self.file, self.number, self.cells = file, number, cells
        self.problems: list[Problem] = []

    def text(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def problem(self, column: str, message: str, value: str = "", **params: object) -> None:
        self.problems.append(
            Problem(
                message,
                file=self.file,
                row=self.number,
                column=column,
                value=value,
                params=tuple(params.items()),
            )
        )

    def integer(self, column: str) -> int | None:
        text = self.text(column).replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if text.endswith(".0"):  # a whole number that a spreadsheet wrote as a decimal
            text = text[:-2]
        try:
            return int(text)
        except ValueError:
            self.problem(column, gettext_noop("Not a whole number."), self.text(column))
            return None

    def day(self, column: str) -> date | None:
        text = self.text(column)
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            self.problem(column, gettext_noop("Not a date: write YYYY-MM-DD."), text)
            return None

    def items(self, column: str) -> list[str]:
        return [item.strip() for item in self.text(column).split(";") if item.strip()]

    def pairs(self, column: str) -> list[tuple[str, str]]:
        found = []
        for item in self.items(column):
            name, sep, value = item.rpartition("=")
            if not sep or not name.strip():
                self.problem(
                    column, gettext_noop("Write each item as name=value, items separated by ;."), item
                )
                continue
            found.append((name.strip(), value.strip().lower()))
        return found


def _organisation(row: _Row, text: str) -> int | None:
    """An organisation in the register by its number or its exact name."""
    digits = "".join(text.split())
    if digits.isdigit():
        try:
            number = clean_org_number(digits)
        except ValueError as exc:
            row.problem("partners", str(exc), text)
            return None
        found = Organisation.objects.filter(org_number=number).values_list("pk", flat=True).first()
    else:
        matches = list(Organisation.objects.filter(name__iexact=text).values_list("pk", flat=True)[:2])
        found = matches[0] if len(matches) == 1 else None
        if len(matches) > 1:
            row.problem(
                "partners",
                gettext_noop("Several organisations have this name: use the organisation number."),
                text,
            )
            return None
    if found is None:
        row.problem(
            "partners",
            gettext_noop(
                "%(name)s is not in the register of organisations: register it in the workspace first."
            ),
            text,
            name=text,
        )
    return found


def parse_row(row: _Row) -> ProjectInput:
    contact_public = row.text("contact_public").lower()
    if contact_public not in YES | NO:
        row.problem(
            "contact_public", gettext_noop("Write yes or leave it blank."), row.text("contact_public")
        )
    goals: list[int] = []
    for item in row.items("goals"):
        if item.isdigit():
            goals.append(int(item))
        else:
            row.problem(
                "goals", gettext_noop("There is no SDG %(goal)s (the goals are 1–17)."), item, goal=item
            )
    kpis = []
    for code, expected in row.pairs("kpis"):
        if expected not in ProjectSeries.Expected.values:
            row.problem(
                "kpis", gettext_noop("The expected direction is up, down or hold."), f"{code}={expected}"
            )
        kpis.append(KpiInput(series=code, expected=expected))
    partners = []
    for name, role in row.pairs("partners"):
        organisation = _organisation(row, name)
        if organisation is not None:
            partners.append(PartnerInput(organisation=organisation, role=role))
    progress = row.integer("progress")
    return ProjectInput(
        title=row.text("title"),
        summary=row.text("summary"),
        description=row.cells.get("description", "").strip("\n"),
        status=row.text("status").lower() or "planned",
        progress=progress if progress is not None else 0,
        start_date=row.day("start_date"),
        end_date=row.day("end_date"),
        responsible_unit=row.text("responsible_unit"),
        contact_name=row.text("contact_name"),
        contact_email=row.text("contact_email"),
        contact_public=contact_public in YES,
        budget_nok=row.integer("budget_nok"),
        goals=tuple(goals),
        sdg_targets=tuple(row.items("sdg_targets")),
        kpis=tuple(kpis),
        partners=tuple(partners),
    )


def _header_problems(file: str, header: list[str]) -> list[Problem]:
    problems = []
    names = [h.strip().lower() for h in header]
    for name in ("key", "title"):
        if name not in names:
            problems.append(
                Problem(
                    gettext_noop("The column %(column)s is missing."),
                    file=file,
                    row=1,
                    column=name,
                    params=(("column", name),),
                )
            )
    for name in names:
        if name and name not in COLUMNS:
            problems.append(
                Problem(
                    gettext_noop(
                        "Unknown column %(column)s (the template's instructions sheet lists its columns)."
                    ),
                    file=file,
                    row=1,
                    column=name,
                    params=(("column", name),),
                )
            )
    return problems


def parse_file(
    file: str, header: list[str], rows: list[tuple[int, list[str]]]
) -> tuple[list[tuple[str, ProjectInput]], list[Problem]]:
    """(key, project) per row, and every problem of every row: parse, then the services' rules."""
    problems = _header_problems(file, header)
    if problems:
        return [], problems
    names = [h.strip().lower() for h in header]
    parsed: list[tuple[str, ProjectInput]] = []
    seen: dict[str, int] = {}
    for number, fields in rows:
        row = _Row(file, number, {n: fields[i] if i < len(fields) else "" for i, n in enumerate(names) if n})
        key = row.text("key")
        if not key:
            row.problem("key", gettext_noop("Every project needs a key, unique in the file."))
        elif len(key) > 60:
            row.problem("key", validation.TOO_LONG, key, limit=60, length=len(key))
        elif key in seen:
            row.problem(
                "key",
                gettext_noop("The key %(key)s is used in row %(first)s too."),
                key,
                key=key,
                first=seen[key],
            )
        seen.setdefault(key, number)
        project = parse_row(row)
        for found in validation.project_problems(project):
            column = found.column.split("-", 1)[0]
            if column == "kpis" and any(p.column == "kpis" for p in row.problems):
                continue  # already said while parsing
            row.problems.append(
                Problem(
                    found.message,
                    file=file,
                    row=number,
                    column=column,
                    value=found.value,
                    params=found.params,
                )
            )
        problems += row.problems
        parsed.append((key, project))
    if not rows:
        problems.append(Problem(gettext_noop("The file has no project rows."), file=file))
    return parsed, problems


# --- importing ----------------------------------------------------------------------------------


class _DryRun(Exception):
    pass


def projects_import(
    *,
    file: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    member: Place,
    user: User | None,
    dry_run: bool = False,
    publish: bool = False,
) -> ProjectsReport:
    """Import the rows of a project spreadsheet for ``member``, all or nothing (see the module)."""
    if not services.may_write(user, member):
        raise ForbiddenError(f"you may not write the registers of {member.name_nb}")
    parsed, problems = parse_file(file, header, rows)
    if problems:
        raise InputError(problems, summary=f"{file}: nothing was imported")
    report = ProjectsReport(file=file, dry_run=dry_run)
    note = f"import {file}"[:300]
    try:
        with transaction.atomic():
            existing = {
                p.key: p
                for p in Project.objects.select_for_update().filter(
                    member=member, key__in=[k for k, _p in parsed]
                )
            }
            for key, data in parsed:
                report.keys.append(key)
                project = existing.get(key)
                if project is None:
                    project = services.project_create(member=member, data=data, user=user, key=key, note=note)
                    report.new += 1
                else:
                    project, changed = services.project_update_changed(
                        project=project, data=data, expected_version=None, user=user, note=note
                    )
                    if changed:
                        report.changed += 1
                    else:
                        report.unchanged += 1
                if publish and project.published_at is None:
                    services.record_publish(record=project, user=user)
                    report.published += 1
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def projects_import_file(
    *,
    path: Path,
    limits: Limits,
    member: Place,
    user: User | None,
    dry_run: bool = False,
    publish: bool = False,
    isolated: bool = False,
    name: str = "",
) -> ProjectsReport:
    """Read and import a project spreadsheet (in a child process when ``isolated``: uploads)."""
    header, rows = (read_projects_isolated if isolated else read_projects_file)(path, limits)
    return projects_import(
        file=name or path.name,
        header=header,
        rows=rows,
        member=member,
        user=user,
        dry_run=dry_run,
        publish=publish,
    )
