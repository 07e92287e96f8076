"""The projects' full-text search document (``action/search.py``), kept in step by triggers.

PostgreSQL: ``action_project_search`` (project id → tsvector, ``norwegian`` configuration, GIN
index), refreshed by triggers on projects, partnerships, organisations and places. SQLite: an FTS5
table ``action_project_fts`` (rowid = project id) kept by triggers on the same tables. No foreign
key to the project: a test database flush truncates Django's tables (PostgreSQL) and a referenced
table would refuse it; a deleted project's row is removed by a trigger, and a refresh overwrites
whatever row an id had.

On SQLite, Django changes a table by re-creating it, which drops the triggers on it and fails while
a trigger on another table names it. A later migration that changes action_project,
action_partnership, action_organisation or places_place must therefore run SQLITE_REVERSE before
its operations and SQLITE after them (tests/action search tests fail if the triggers are gone).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

PARTNERS = (
    "(SELECT coalesce(string_agg(o.name, ' '), '') FROM action_partnership ps "
    "JOIN action_organisation o ON o.id = ps.organisation_id WHERE ps.project_id = {id})"
)

POSTGRESQL = [
    """
    CREATE TABLE action_project_search (
        project_id bigint PRIMARY KEY,
        document tsvector NOT NULL
    )
    """,
    "CREATE INDEX action_project_search_document ON action_project_search USING gin (document)",
    f"""
    CREATE FUNCTION action_project_search_refresh(pid bigint) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO action_project_search (project_id, document)
        SELECT p.id,
            setweight(to_tsvector('norwegian', p.title), 'A')
            || setweight(to_tsvector('norwegian', p.summary), 'B')
            || setweight(to_tsvector('norwegian', p.description), 'C')
            || setweight(to_tsvector('norwegian', coalesce(pl.name_nb, '')), 'B')
            || setweight(to_tsvector('norwegian', {PARTNERS.format(id="p.id")}), 'B')
        FROM action_project p LEFT JOIN places_place pl ON pl.id = p.member_id
        WHERE p.id = pid
        ON CONFLICT (project_id) DO UPDATE SET document = EXCLUDED.document;
    END $$
    """,
    """
    CREATE FUNCTION action_project_search_project() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM action_project_search WHERE project_id = OLD.id;
            RETURN OLD;
        END IF;
        PERFORM action_project_search_refresh(NEW.id);
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER action_project_search_project
    AFTER INSERT OR DELETE OR UPDATE OF title, summary, description, member_id ON action_project
    FOR EACH ROW EXECUTE FUNCTION action_project_search_project()
    """,
    """
    CREATE FUNCTION action_project_search_partnership() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM action_project_search_refresh(OLD.project_id);
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM action_project_search_refresh(NEW.project_id);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER action_project_search_partnership
    AFTER INSERT OR DELETE OR UPDATE ON action_partnership
    FOR EACH ROW EXECUTE FUNCTION action_project_search_partnership()
    """,
    """
    CREATE FUNCTION action_project_search_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM action_project_search_refresh(ps.project_id)
        FROM action_partnership ps WHERE ps.organisation_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER action_project_search_organisation
    AFTER UPDATE OF name ON action_organisation
    FOR EACH ROW EXECUTE FUNCTION action_project_search_organisation()
    """,
    """
    CREATE FUNCTION action_project_search_place() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM action_project_search_refresh(p.id) FROM action_project p WHERE p.member_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER action_project_search_place
    AFTER UPDATE OF name_nb ON places_place
    FOR EACH ROW EXECUTE FUNCTION action_project_search_place()
    """,
    "SELECT action_project_search_refresh(id) FROM action_project",
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS action_project_search_place ON places_place",
    "DROP TRIGGER IF EXISTS action_project_search_organisation ON action_organisation",
    "DROP TRIGGER IF EXISTS action_project_search_partnership ON action_partnership",
    "DROP TRIGGER IF EXISTS action_project_search_project ON action_project",
    "DROP FUNCTION IF EXISTS action_project_search_place()",
    "DROP FUNCTION IF EXISTS action_project_search_organisation()",
    "DROP FUNCTION IF EXISTS action_project_search_partnership()",
    "DROP FUNCTION IF EXISTS action_project_search_project()",
    "DROP FUNCTION IF EXISTS action_project_search_refresh(bigint)",
    "DROP TABLE IF EXISTS action_project_search",
]

_SQLITE_PARTNERS = PARTNERS.replace("string_agg(o.name, ' ')", "group_concat(o.name, ' ')")


def _sqlite_insert(row: str) -> str:
    return (
        "INSERT INTO action_project_fts (rowid, title, summary, description, member, partners) "
        f"VALUES ({row}.id, {row}.title, {row}.summary, {row}.description, "
        f"(SELECT coalesce(name_nb, '') FROM places_place WHERE id = {row}.member_id), "
        f"{_SQLITE_PARTNERS.format(id=row + '.id')});"
    )


def _sqlite_partners(project: str) -> str:
    return (
        f"UPDATE action_project_fts SET partners = {_SQLITE_PARTNERS.format(id=project)} "
        f"WHERE rowid = {project};"
    )


SQLITE = [
    # unicode61 without removing diacritics: æ, ø and å are letters of their own (ø is not o).
    "CREATE VIRTUAL TABLE action_project_fts USING fts5("
    "title, summary, description, member, partners, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')",
    f"""
    CREATE TRIGGER action_project_fts_insert AFTER INSERT ON action_project BEGIN
        DELETE FROM action_project_fts WHERE rowid = NEW.id;
        {_sqlite_insert("NEW")}
    END
    """,
    f"""
    CREATE TRIGGER action_project_fts_update AFTER UPDATE OF title, summary, description, member_id
    ON action_project BEGIN
        DELETE FROM action_project_fts WHERE rowid = OLD.id;
        DELETE FROM action_project_fts WHERE rowid = NEW.id;
        {_sqlite_insert("NEW")}
    END
    """,
    """
    CREATE TRIGGER action_project_fts_delete AFTER DELETE ON action_project BEGIN
        DELETE FROM action_project_fts WHERE rowid = OLD.id;
    END
    """,
    f"""
    CREATE TRIGGER action_project_fts_partnership_insert AFTER INSERT ON action_partnership BEGIN
        {_sqlite_partners("NEW.project_id")}
    END
    """,
    f"""
    CREATE TRIGGER action_project_fts_partnership_update AFTER UPDATE ON action_partnership BEGIN
        {_sqlite_partners("OLD.project_id")}
        {_sqlite_partners("NEW.project_id")}
    END
    """,
    f"""
    CREATE TRIGGER action_project_fts_partnership_delete AFTER DELETE ON action_partnership BEGIN
        {_sqlite_partners("OLD.project_id")}
    END
    """,
    f"""
    CREATE TRIGGER action_project_fts_organisation AFTER UPDATE OF name ON action_organisation BEGIN
        UPDATE action_project_fts SET partners = {_SQLITE_PARTNERS.format(id="action_project_fts.rowid")}
        WHERE rowid IN (SELECT project_id FROM action_partnership WHERE organisation_id = NEW.id);
    END
    """,
    """
    CREATE TRIGGER action_project_fts_place AFTER UPDATE OF name_nb ON places_place BEGIN
        UPDATE action_project_fts SET member = NEW.name_nb
        WHERE rowid IN (SELECT id FROM action_project WHERE member_id = NEW.id);
    END
    """,
    "INSERT INTO action_project_fts (rowid, title, summary, description, member, partners) "
    "SELECT p.id, p.title, p.summary, p.description, coalesce(pl.name_nb, ''), "
    f"{_SQLITE_PARTNERS.format(id='p.id')} "
    "FROM action_project p LEFT JOIN places_place pl ON pl.id = p.member_id",
]

SQLITE_REVERSE = [
    *(
        f"DROP TRIGGER IF EXISTS action_project_fts_{name}"
        for name in (
            "insert",
            "update",
            "delete",
            "partnership_insert",
            "partnership_update",
            "partnership_delete",
            "organisation",
            "place",
        )
    ),
    "DROP TABLE IF EXISTS action_project_fts",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    # After every schema change of the tables the triggers read (see the module docstring).
    dependencies = [("action", "0002_project_key")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
