"""A Problem says what is wrong with an input, where, and how to fix it.

Validators collect every problem at once and return them as a list: a user fixes a file in one
round, not one error at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it here (the core imports no Django):
    the catalogue extractor finds the literal, the web layer translates when it shows it."""
    return message


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input.

    ``row`` is the 1-based line number as a spreadsheet or editor shows it (the header is row 1).
    """

    message: str
    file: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    hint: str = ""
    severity: Severity = "error"
    params: tuple[tuple[str, object], ...] = ()

    def text(self, translate: Callable[[str], str] = str) -> str:
        """The message, translated by ``translate`` before its %(name)s values are filled in."""
        return _fill(translate(self.message), self.params)

    def hint_text(self, translate: Callable[[str], str] = str) -> str:
        return _fill(translate(self.hint), self.params) if self.hint else ""

    @property
    def where(self) -> str:
        return self.where_text()

    def where_text(self, translate: Callable[[str], str] = str, column: Callable[[str], str] = str) -> str:
        """File, row and column in the reader's language: ``translate`` for the word "row",
        ``column`` for a field's name (the web layer maps "value" to "verdi")."""
        row = translate(gettext_noop("row %(row)s")) % {"row": self.row} if self.row else ""
        return ", ".join(p for p in (self.file, row, column(self.column) if self.column else "") if p)

    def __str__(self) -> str:
        message = self.text()
        text = f"{self.where}: {message}" if self.where else message
        if self.value:
            text += f" (got {self.value!r})"
        if self.hint:
            text += f". {self.hint_text()}"
        return text


def _fill(template: str, params: tuple[tuple[str, object], ...]) -> str:
    values: Mapping[str, object] = dict(params)
    return template % values if values else template
