"""A Voluntary Local Review draft (DOCX) for a member and year, laid out after UNECE's Guidelines
for the Development of Voluntary Local Reviews in the ECE Region (2021, 2nd edition 2022) and
UN DESA's Global Guiding Elements for VLRs (2020), which follow the Secretary-General's common
outline for national reviews: opening statement, highlights, introduction, methodology and process,
policy and enabling environment, progress on goals and targets, means of implementation,
conclusions and next steps, annexes.

berekraft fills in what it knows (key figures, the method, each goal's KPIs with bands, a chart,
the indicator annex); everything only the member can say is a marked placeholder, so the staff
write around real numbers instead of copying them."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from berekraft.reports import charts, projects
from berekraft.reports.common import number, percent, written_in
from berekraft.reports.snapshot import load_profile, method_text, target_text
from berekraft.web import figures
from berekraft.web.charts import band_label
from berekraft.web.selectors import common
from berekraft.web.selectors.member import MemberProfile, ProfileRow, member_series
from berekraft.web.templatetags.berekraft import quality_label, scope_label, trend_label

# Columns of the KPI tables (KPI, value, year, target, % of target, band or source, trend or
# quality), 17 cm in all: the page less its 2 cm margins.
KPI_WIDTHS = [5.0, 2.4, 1.1, 2.7, 1.5, 2.3, 2.0]
TABLE_TEXT = "Table text"  # the paragraph style of table cells: 8 pt, no space after
GUIDELINES = (
    "UNECE (2022): Guidelines for the Development of Voluntary Local Reviews in the ECE Region, "
    "2nd edition; UN DESA (2020): Global Guiding Elements for Voluntary Local Reviews (VLRs) of SDG "
    "implementation."
)


def vlr_docx(*, code: str, year: int, language: str, created: datetime) -> bytes:
    with written_in(language):
        profile, cat = load_profile(code=code, year=year, language=language)
        document = _document(profile, cat, year=year, language=language, created=created)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _placeholder(document: Any, text: str) -> None:
    """A marked gap for the member's own text: italic, highlighted, in brackets."""
    run = document.add_paragraph().add_run(f"[{text}]")
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _table(document: Any, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A grid table in the small "table text" style, its header row bold and repeated on every page,
    its columns ``widths`` cm wide (equal columns broke KPI names inside words). All rows at once
    (``add_table`` writes them in one piece of XML; adding them one by one and sizing every run
    took a second per draft)."""
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid (LibreOffice reads it) ...
        for cell in column.cells:
            cell.width = Cm(width)  # ... and every cell (Word reads these)
    # The style's id set on the XML: ``paragraph.style = ...`` looks up the default style on every
    # call (5 ms each, 10 s for a draft's 1,900 cells).
    small = document.styles[TABLE_TEXT].style_id
    for i, (cell, text) in enumerate(
        zip(table._cells, [t for row in [header, *rows] for t in row], strict=True)
    ):
        paragraph = cell.paragraphs[0]
        paragraph._p.style = small
        run = paragraph.add_run(text)
        if i < len(header):
            run.bold = True
    _repeat_header(table.rows[0])


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _kpi_row(r: ProfileRow, language: str) -> list[str]:
    s = r.score
    return [
        f"{r.info.name} ({r.info.code})",
        f"{number(s.value, language)} {r.info.unit}" if s else "–",
        str(s.year) if s else "–",
        target_text(r, language) + (f" ({scope_label(s.target_scope)})" if s and s.target_scope else ""),
        percent(s.achievement, language) if s else "–",
        band_label(s.points) if s and s.points else _("not scored"),
        trend_label(s.trend) if s else "",
    ]


def _network_members(profile: MemberProfile) -> tuple[common.Member, list[common.Member]]:
    """The member and the network it is compared with (itself added if it is no longer a member)."""
    members = common.members(network=common.network())
    member = next((m for m in members if m.place.pk == profile.place.pk), None)
    if member is None:
        member = common.Member(
            place=profile.place, kind=profile.place.kind, left=None, name=profile.place.name_nb
        )
        members = [*members, member]
    return member, members


def _goal_chart(
    rows: list[ProfileRow], member: common.Member, members: list[common.Member]
) -> tuple[bytes, str] | None:
    """The goal's KPI farthest from its target (else its first reported one) over time, drawn
    with the member series page's chart, and its caption (the chart itself names no KPI)."""
    reported = [r for r in rows if r.score]
    if not reported:
        return None
    chosen = min(reported, key=lambda r: (r.score.points or 5) if r.score else 5)
    data = member_series(member=member, members=members, info=chosen.info)
    caption = _(
        "%(kpi)s (%(code)s), %(unit)s, by year: the member (solid line), the network's median "
        "(dashed) and range (shaded), the target (dotted) where there is one."
    ) % {"kpi": chosen.info.name, "code": chosen.info.code, "unit": chosen.info.unit}
    return charts.png(figures.member_series(data), width=520, scale=1.5), caption


def _document(
    profile: MemberProfile, cat: common.Catalogue, *, year: int, language: str, created: datetime
) -> Any:
    place = profile.place
    document = Document()
    title = _("%(name)s: Voluntary Local Review %(year)s (draft)") % {"name": place.name_nb, "year": year}
    properties = document.core_properties
    properties.title = title
    properties.language = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}[language]
    properties.author = "berekraft"
    properties.created = created.replace(tzinfo=None)
    properties.modified = created.replace(tzinfo=None)
    style = document.styles["Normal"]
    style.font.size = Pt(10)
    small = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = style
    small.font.size = Pt(8)
    small.paragraph_format.space_after = Pt(0)
    _language(document, properties.language)
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2)

    document.add_heading(title, level=0)
    document.add_paragraph(
        _(
            "A draft made by berekraft from the published data. Text in [brackets] is for the "
            "member to write; the numbers come from berekraft and should be changed there, not here."
        )
    )
    if profile.has_demo_data:
        run = document.add_paragraph().add_run(
            _("Demonstration data: generated values, not measurements of any municipality or county.")
        )
        run.bold = True
    document.add_paragraph(_("Structure after: %(guidelines)s") % {"guidelines": GUIDELINES})

    document.add_heading(_("Opening statement"), level=1)
    _placeholder(document, _("A statement by the mayor or the county mayor."))

    document.add_heading(_("Highlights"), level=1)
    overall = profile.overall
    if overall and overall.max_points:
        document.add_paragraph(
            _(
                "Overall %(percent)s of target (%(points)s/%(max)s points, %(scored)s series scored) "
                "in %(year)s."
            )
            % {
                "percent": percent(overall.percent, language),
                "points": overall.points,
                "max": overall.max_points,
                "scored": overall.scored,
                "year": profile.year,
            }
        )
    for dim in profile.dimensions:
        if dim.score and dim.score.max_points:
            document.add_paragraph(f"{dim.name}: {percent(dim.score.percent, language)}", style="List Bullet")
    _placeholder(document, _("The main messages of this review, in a few sentences."))

    document.add_heading(_("Introduction"), level=1)
    _placeholder(
        document,
        _("Why the member makes this review, its context (place, people, economy) and its priorities."),
    )

    document.add_heading(_("Methodology and process"), level=1)
    document.add_paragraph(
        _(
            "The indicators are the U4SSC key performance indicators for smart sustainable cities "
            "(ITU-T Y.4903), linked to the Sustainable Development Goals. berekraft scores them as follows."
        )
    )
    for m in method_text():
        paragraph = document.add_paragraph()
        paragraph.add_run(m["title"] + ". ").bold = True
        paragraph.add_run(m["text"])
    _placeholder(
        document,
        _("How the review was made: who took part (staff, council, citizens, partners) and when."),
    )

    document.add_heading(_("Policy and enabling environment"), level=1)
    _placeholder(
        document,
        _("How the goals are part of the member's plans and budgets, and how no one is left behind."),
    )

    document.add_heading(_("Progress on the goals"), level=1)
    header = [_("KPI"), _("Value"), _("Year"), _("Target"), _("% of target"), _("Band"), _("Trend")]
    member, members = _network_members(profile)
    # Every published project of the member, read once; each goal lists those linked to it.
    published = projects.all_member_projects(place=place)
    for tile in profile.goals:
        n = tile.goal.number
        document.add_heading(_("SDG %(number)s: %(name)s") % {"number": n, "name": tile.name}, level=2)
        if tile.score and tile.score.max_points:
            document.add_paragraph(
                _("Goal score %(percent)s of target: %(band)s.")
                % {"percent": percent(tile.score.percent, language), "band": band_label(tile.score.band)}
            )
        rows = [r for r in profile.rows if n in r.info.goals]
        if not rows:
            document.add_paragraph(_("No U4SSC KPI is linked to this goal."))
        else:
            _table(document, header, [_kpi_row(r, language) for r in rows], KPI_WIDTHS)
            chart = _goal_chart(rows, member, members)
            if chart is not None:
                document.add_picture(io.BytesIO(chart[0]), width=Cm(15))
                document.add_paragraph(chart[1], style="Caption")
        codes = {r.info.code for r in rows}
        listed = [p for p in published if n in p.goals or codes & set(p.series_codes)]
        if listed:
            for p in listed:
                document.add_paragraph(p.text(), style="List Bullet")
        else:
            _placeholder(document, _("Projects, partners and the involvement of citizens for this goal."))

    document.add_heading(_("Means of implementation and partnerships"), level=1)
    _placeholder(
        document, _("Funding, skills, data and technology, and the partnerships the work depends on.")
    )

    document.add_heading(_("Conclusions and next steps"), level=1)
    _placeholder(document, _("What the member has learnt and will do next."))

    document.add_heading(_("Annex: indicators"), level=1)
    _table(
        document,
        [_("KPI"), _("Value"), _("Year"), _("Target"), _("% of target"), _("Source"), _("Quality")],
        [
            [
                *(_kpi_row(r, language)[:5]),
                _("Demonstration data (generated)") if r.is_demo else r.source,
                quality_label(r.quality),
            ]
            for r in profile.rows
        ],
        KPI_WIDTHS,
    )
    return document


def _language(document: Any, tag: str) -> None:
    """The language of the text (spelling, screen readers): the default run properties."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), tag)
