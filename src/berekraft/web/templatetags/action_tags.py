"""Display helpers for the action registers: plain text as paragraphs with its web addresses as
links (escaped, never raw HTML), dates and amounts as the page's language writes them, and the
registers' choices by name."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from berekraft.action.models import (
    Deliverable,
    Funding,
    Involvement,
    Organisation,
    Partnership,
    Project,
    ProjectSeries,
)
from berekraft.web.numbers import format_number
from berekraft.web.views.base import language

register = template.Library()

# An http(s) address up to white space or a character that cannot end one in running text.
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _linked(text: str) -> str:
    """One paragraph: escaped text, http/https addresses as links (trailing punctuation left out)."""
    out: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group(0)
        trail = ""
        while url and url[-1] in _TRAILING:
            trail = url[-1] + trail
            url = url[:-1]
        out.append(escape(text[last : match.start()]))
        out.append(format_html('<a href="{}" rel="nofollow noopener">{}</a>', url, url))
        out.append(escape(trail))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


@register.simple_tag
def select_options(choices: list[tuple[str, str]], selected: object) -> SafeString:
    """The ``<option>`` elements of a filter's ``<select>``, ``selected`` marked. Built here rather
    than by a template loop: the project list's form offers some 700 choices (members, the 169
    targets, the KPI series), and a template loop over them cost more than the list's queries."""
    chosen = "" if selected is None else str(selected)
    # The standard library's escape (the same five characters as Django's): Django's is lazy-aware,
    # which costs more than the escaping itself over 1,400 strings.
    return mark_safe(  # every value and label is escaped
        "".join(
            f'<option value="{html.escape(value)}"{" selected" if value == chosen else ""}>'
            f"{html.escape(label)}</option>"
            for value, label in choices
        )
    )


@register.filter
def paragraphs(text: str | None) -> SafeString:
    """Plain text as <p> paragraphs (a blank line between them; a single line break kept as <br>),
    every character escaped, http/https addresses linked."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    html = "".join("<p>" + "<br>".join(_linked(line) for line in b.split("\n")) + "</p>" for b in blocks if b)
    return mark_safe(html)  # every piece above was escaped or built by format_html


@register.filter
def day(value: date | None) -> str:
    """A date: ``6.12.2026`` in bokmål and nynorsk, ``6 Dec 2026`` in English; "–" when none."""
    if not isinstance(value, date):
        return "–"
    if language() == "en":
        return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


@register.filter
def nok(value: int | None) -> str:
    """An amount in Norwegian kroner: ``1 250 000 kr`` (nb, nn), ``NOK 1,250,000`` (en)."""
    if value is None:
        return "–"
    text = format_number(value, language(), 0)
    return f"NOK {text}" if language() == "en" else f"{text}\u00a0kr"


_CHOICES: dict[str, Any] = {
    "status": Project.Status,
    "expected": ProjectSeries.Expected,
    "role": Partnership.Role,
    "deliverable": Deliverable.Status,
    "funding": Funding.Source,
    "kind": Organisation.Kind,
    "method": Involvement.Method,
    "group": Involvement.Group,
}


@register.filter
def label(value: str | None, kind: str) -> str:
    """A register's code by its name in the page's language (``status|label:"status"``)."""
    choices = _CHOICES.get(kind)
    if choices is None or not value:
        return value or ""
    return str(dict(choices.choices).get(value, value))


@register.filter
def choices(kind: str) -> list[tuple[str, str]]:
    """A register's choices as (code, name) pairs, for a filter form."""
    return [(str(k), str(v)) for k, v in _CHOICES[kind].choices]


@register.simple_tag
def expected_text(link: ProjectSeries) -> str:
    """What a project expects of a KPI: the direction, and a value by a year when given."""
    direction = label(link.expected, "expected")
    if link.expected_value is None:
        return direction
    value = format_number(link.expected_value, language())
    if link.expected_year:
        return _("%(direction)s, to %(value)s by %(year)s") % {
            "direction": direction,
            "value": value,
            "year": link.expected_year,
        }
    return _("%(direction)s, to %(value)s") % {"direction": direction, "value": value}


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """This list's address with the same filters, at page ``number``."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + str(query.urlencode())
