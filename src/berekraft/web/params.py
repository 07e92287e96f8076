"""Integer parameters of queries and paths, parsed in one place.

A year is four ASCII digits in YEARS; an id is at most nine ASCII digits (it fits every database's
integer). ``str.isdigit`` is not used: it accepts "²" and "٢", which ``int()`` then refuses or
reads. A bad query value is a 400 (``django.core.exceptions.BadRequest``, the site's 400 page) that
names the parameter; a bad path part does not match the URL, so it is the site's 404.
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.utils.translation import gettext as _

YEARS = range(1900, 2201)
YEAR = re.compile(r"[0-9]{4}")
ID = re.compile(r"[0-9]{1,9}")


def parse_year(text: str) -> int | None:
    """``text`` as a year in YEARS, or None if it is not one."""
    if YEAR.fullmatch(text) and int(text) in YEARS:
        return int(text)
    return None


def parse_id(text: str) -> int | None:
    """``text`` as a positive database id, or None if it is not one."""
    return int(text) if ID.fullmatch(text) and int(text) > 0 else None


def year_param(request: HttpRequest, name: str = "year") -> int | None:
    """The query's ``name`` as a year; None when absent or empty; a 400 when not a year."""
    text = request.GET.get(name, "").strip()
    if not text:
        return None
    year = parse_year(text)
    if year is None:
        raise BadRequest(
            _("%(name)s must be a year from %(first)d to %(last)d, not %(value)r")
            % {"name": name, "first": YEARS[0], "last": YEARS[-1], "value": text[:20]}
        )
    return year


def ids_param(values: list[str], name: str) -> list[int]:
    """Every value as an id; a 400 naming the first one that is not."""
    ids = []
    for text in values:
        found = parse_id(text.strip())
        if found is None:
            raise BadRequest(
                _("%(name)s must be a number, not %(value)r") % {"name": name, "value": text[:20]}
            )
        ids.append(found)
    return ids


class YearConverter:
    """``<year:year>`` in a path: four digits in YEARS (anything else is a 404)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = parse_year(value)
        if year is None:
            raise ValueError(value)  # Django: the path does not match
        return year

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class IdConverter:
    """``<id:name>`` in a path: a positive id of at most nine digits (anything else is a 404)."""

    regex = "[0-9]{1,9}"

    def to_python(self, value: str) -> int:
        found = parse_id(value)
        if found is None:
            raise ValueError(value)
        return found

    def to_url(self, value: int) -> str:
        return str(value)
