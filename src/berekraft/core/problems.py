"""A Problem says what is wrong with an input, where, and how to fix it.

Validators collect every problem at once and return them as a list: a user fixes a file in one
round, not one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


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

    @property
    def where(self) -> str:
        parts = [p for p in (self.file, f"row {self.row}" if self.row else "", self.column) if p]
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.value:
            text += f" (got {self.value!r})"
        if self.hint:
            text += f". {self.hint}"
        return text
