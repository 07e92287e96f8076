"""What every report shares: the language it is written in, numbers as that language writes them
(web/numbers.py), the labels of scores (the pages' own, web/templatetags) and the words on every
page (demonstration data, page numbers, contents)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from berekraft.errors import NotFoundError
from berekraft.reports.charts import PRINT_BANDS
from berekraft.web.numbers import format_number, format_percent

LANGUAGES = ("nb", "nn", "en")


@contextmanager
def written_in(language: str) -> Iterator[None]:
    """Everything inside speaks ``language`` (labels, names, numbers)."""
    if language not in LANGUAGES:
        raise NotFoundError(f"no report language {language!r}: write nb, nn or en")
    with translation.override(language):
        yield


def number(value: Any, language: str) -> str:
    return format_number(value, language)


def percent(value: Any, language: str) -> str:
    return format_percent(value, language)


def date_text(when: datetime, language: str) -> str:
    return when.strftime("%Y-%m-%d") if language == "en" else f"{when.day}.{when.month}.{when.year}"


def page_words(*, language: str, demo: bool, created: datetime, title: str) -> dict[str, Any]:
    """The words and colours every report template reads."""
    return {
        "lang": language,
        "title": title,
        "demo": demo,
        "demo_label": _(
            "Demonstration data: generated values, not measurements of any municipality or county."
        ),
        "page": _("Page"),
        "contents": _("Contents"),
        "created": _("Made %(date)s with berekraft") % {"date": date_text(created, language)},
        "bands": {str(k): v for k, v in PRINT_BANDS.items()},
    }
