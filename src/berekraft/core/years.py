"""The years a collection workbook may be written for, in one place for the CLI and the workspace.

From 1990 (the SDG baseline years; nothing older is reported) to five years ahead (a member may
prepare next year's collection; a workbook for year 10^20 is a typo or a probe, and once crashed
the download).
"""

from __future__ import annotations

from datetime import date

from berekraft.core.problems import gettext_noop

FIRST_YEAR = 1990
YEARS_AHEAD = 5
OUT_OF_RANGE = gettext_noop("year %(year)s is outside %(first)s–%(last)s")


def template_years(today: date | None = None) -> range:
    """The years a template may be written for."""
    return range(FIRST_YEAR, (today or date.today()).year + YEARS_AHEAD + 1)


def year_problem(year: int, today: date | None = None) -> tuple[str, dict[str, object]] | None:
    """None for a year in range, else the message template and its values."""
    years = template_years(today)
    if year in years:
        return None
    return OUT_OF_RANGE, {"year": year, "first": years.start, "last": years.stop - 1}
