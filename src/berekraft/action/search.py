"""Full-text search of published projects: one stored search document per project, kept in step
by database triggers (created in migration ``0002_project_search``), so it holds whoever writes
the records (services, admin, bulk import, raw SQL).

A project's document holds its title, summary, description, its member's name and its partners'
names. On PostgreSQL it is a ``tsvector`` in ``action_project_search`` (GIN index) made with the
``norwegian`` configuration, so a word form finds its stem ("sykkelveier" finds "sykkelvei"); the
query is read by ``websearch_to_tsquery``, which accepts any text. On SQLite it is an FTS5 table
``action_project_fts`` (unicode61 tokenizer, diacritics kept so æ, ø, å stay letters); each word of
the query becomes a quoted prefix term (``"sykkel"*``), so FTS5 syntax in the query (quotes, ``*``,
``NEAR``, ``-``, ``OR``, column filters) is only ever text.

The document spans tables, which is why it is a side table and not a generated column: a
generated column can read its own row only.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import QuerySet

# The longest query read; the rest is ignored (a 10,000-character query costs no more than this).
MAX_QUERY = 200
# The most words an SQLite query is made of.
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(text: str | None) -> str:
    """The query as searched: control characters (NUL is refused by PostgreSQL) made spaces,
    cut to MAX_QUERY characters, trimmed."""
    if not text:
        return ""
    return _CONTROL.sub(" ", text)[:MAX_QUERY].strip()


def fts5_query(text: str) -> str:
    """``text`` as an FTS5 query of quoted prefix terms, all of which must match; "" when it holds
    no word. A word is letters and digits only, so it never holds a quote."""
    words = _WORD.findall(text.lower())[:MAX_TERMS]
    return " ".join(f'"{w}"*' for w in words)


def has_terms(text: str) -> bool:
    """Whether ``text`` holds anything to search for (a query of punctuation only does not)."""
    return bool(_WORD.search(text))


def search(projects: QuerySet[Any], text: str) -> QuerySet[Any]:
    """``projects`` narrowed to those whose document matches ``text``, best match first. ``text``
    is a cleaned query with terms (``clean_query``, ``has_terms``).

    Both join the search table, so the full-text query runs once and the rank reads the row the
    match found (a correlated rank subquery would look every row up again). PostgreSQL: the
    GIN-indexed ``tsvector``, ranked by ``ts_rank``; SQLite: FTS5, ranked by bm25 (title weighs
    most)."""
    if connection.vendor == "postgresql":
        # A join, as on SQLite: the rank reads the document the match already found (a correlated
        # rank subquery looked every matching row up a second time).
        ranked: QuerySet[Any] = projects.extra(
            tables=["action_project_search"],
            where=[
                "action_project_search.project_id = action_project.id",
                "action_project_search.document @@ websearch_to_tsquery('norwegian', %s)",
            ],
            params=[text],
            select={"rank": "ts_rank(action_project_search.document, websearch_to_tsquery('norwegian', %s))"},
            select_params=[text],
            order_by=["-rank", "id"],
        )
        return ranked
    # A join through .extra(): the ORM has no join to a table it does not model; the SQL is fixed.
    joined: QuerySet[Any] = projects.extra(
        tables=["action_project_fts"],
        where=["action_project_fts.rowid = action_project.id", "action_project_fts MATCH %s"],
        params=[fts5_query(text)],
        select={"rank": "bm25(action_project_fts, 10.0, 4.0, 1.0, 2.0, 2.0)"},
        order_by=["rank", "id"],
    )
    return joined
