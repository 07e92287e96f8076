"""A page's data as one table: what its ``.json`` and ``.csv`` twins answer (Datasette's habit).

Selectors return objects with a ``table()`` method; the HTML view renders the object, the twins
serialise its table, so a page and its data cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse

# A text beginning with one of these is run as a formula by a spreadsheet that opens the file
# (OWASP, «CSV Injection»): it goes out with a leading apostrophe, which the spreadsheet shows as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEMO_NOTE = "Demonstration data: generated for demonstration, not measurements of any municipality."
LICENCE = (
    "Scores and data: berekraft. Boundaries © Kartverket (CC BY 4.0); population: Statistisk "
    "sentralbyrå (CC BY 4.0)."
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    demo: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "demonstration_data": self.demo,
            **({"note": DEMO_NOTE} if self.demo else {}),
            "licence": LICENCE,
            "columns": [{"key": c.key, "label": c.label} for c in self.columns],
            "rows": [{c.key: row.get(c.key) for c in self.columns} for row in self.rows],
        }

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.key for c in self.columns])
        for row in self.rows:
            writer.writerow([csv_cell(row.get(c.key)) for c in self.columns])
        return out.getvalue()


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell: None → "", formula-like text neutralised, numbers as they are (a
    negative number is a number, not text a spreadsheet would run). A carriage return in text
    becomes a line feed: the writer quotes a cell holding its line terminator ("\n") only, and
    an unquoted CR would split the row for a reader."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = "'" + value if value.startswith(FORMULA_START) else value
    return text.replace("\r\n", "\n").replace("\r", "\n")


def table_response(table: Table, fmt: str) -> HttpResponse:
    if fmt == "json":
        body = json.dumps(table.as_dict(), ensure_ascii=False, separators=(",", ":"))
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{table.name}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
