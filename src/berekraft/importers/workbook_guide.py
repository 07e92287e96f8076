"""The «Veiledning - Instructions» sheet of the collection workbook: every column explained in
bokmål and English, and the six U4SSC quality levels. Text lives here so workbook.py stays about
layout and reading."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Font

from berekraft.importers.common import QUALITY_LEVELS

GUIDE_SHEET = "Veiledning - Instructions"

COLUMN_HELP: tuple[tuple[str, str, str], ...] = (
    (
        "Kode / Code",
        "U4SSC-koden for datapunktet (indikator, og etter «/» delserien, f.eks. PM2.5). Låst.",
        "The U4SSC code of the data point (indicator, and after «/» the series, e.g. PM2.5). Locked.",
    ),
    (
        "Indikator / Indicator",
        "Indikatorens navn på bokmål. Låst.",
        "The indicator's name in Norwegian. Locked.",
    ),
    ("Enhet / Unit", "Enheten verdien skal oppgis i. Låst.", "The unit the value is given in. Locked."),
    (
        "Formel / Formula",
        "Hvordan verdien regnes ut av teller og nevner, f.eks. «teller / nevner × 100». "
        "Pek på cellen for å se hva teller og nevner er. Låst.",
        "How the value follows from numerator and denominator, e.g. «numerator / denominator × 100». "
        "Hover over the cell to see what they are. Locked.",
    ),
    (
        "Teller / Numerator",
        "Telleren, når dere kjenner den (et tall).",
        "The numerator, when you know it (a number).",
    ),
    (
        "Nevner / Denominator",
        "Nevneren, når dere kjenner den (et tall).",
        "The denominator, when known (a number).",
    ),
    (
        "Verdi / Value",
        "Indikatorverdien i enheten over (et tall). Kan stå tom når teller og nevner er fylt inn; "
        "da regnes den ut. Rader uten verdi, teller og nevner blir ikke importert. "
        "Skriv «-» for ikke rapportert: en verdi som finnes blir slettet (sendes inn og kontrolleres "
        "som andre endringer).",
        "The indicator value in the unit above (a number). May be left empty when numerator and "
        "denominator are given; it is then computed. Rows without value, numerator and denominator "
        "are not imported. Write «-» for not reported: an existing value is cleared (submitted and "
        "verified like any other change).",
    ),
    (
        "Kvalitet / Quality level",
        "Hvordan tallet er fremskaffet: velg ett av U4SSCs seks nivåer fra listen (se under).",
        "How the figure was obtained: pick one of U4SSC's six levels from the list (see below).",
    ),
    (
        "Opphav / Origin",
        "Hvor dataene kommer fra, f.eks. kommunens fagsystem, SSB, egen undersøkelse.",
        "Where the data come from, e.g. the municipality's own system, Statistics Norway, a survey.",
    ),
    (
        "Kilde / Source",
        "Kilden presist nok til å finne tallet igjen: tabell, rapport, lenke, år.",
        "The source, precise enough to find the figure again: table, report, link, year.",
    ),
    (
        "Merknad / Note",
        "Alt en kontrollør bør vite om tallet.",
        "Anything a verifier should know about the figure.",
    ),
)

GENERAL: tuple[tuple[str, str], ...] = (
    (
        "Fyll inn tall i de hvite kolonnene på arket «Data». Desimaltegn er komma i norsk Excel. "
        "Skriv tall, ikke formler: arbeidsboken må inneholde verdier.",
        "Fill in numbers in the white columns of the sheet «Data». Type numbers, not formulas: "
        "the workbook must hold values.",
    ),
    (
        "Kommune og år står i arbeidsboken og kan ikke endres. Last ned en ny mal for et annet år.",
        "The member and year are stored in the workbook and cannot be changed. Download a new "
        "template for another year.",
    ),
    (
        "Lagre som Excel-arbeidsbok (.xlsx), ikke .xlsm eller .xls, og last filen opp igjen.",
        "Save as an Excel workbook (.xlsx), not .xlsm or .xls, and upload the file again.",
    ),
)


def write_guide(sheet: Any, *, member_name: str, year: int) -> None:
    """Fill the instructions sheet (bokmål left, English right)."""
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 70
    title = f"Datainnsamling / Data collection: {member_name} {year}"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for nb, en in GENERAL:
        sheet.append(["", nb, en])
    sheet.append([])
    sheet.append(["Kolonne / Column", "Norsk (bokmål)", "English"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in COLUMN_HELP:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["Kvalitetsnivå / Quality level", "Norsk (bokmål)", "English"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for key, names in QUALITY_LEVELS.items():
        nb, en = names.nb, names.en
        sheet.append([key, nb, en])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = wrap
    sheet.protection.sheet = True
