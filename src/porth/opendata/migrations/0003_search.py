"""The full-text index of the catalogue (search.py), kept in step by the database itself.

PostgreSQL: a `search_document` tsvector column on opendata_dataset, filled by a trigger from
the title, name, tags and notes (English stemming; 'simple' for the Welsh texts, for which
PostgreSQL has no stemmer), with a GIN index. Not a generated column or an expression index:
the tags live in another table, and those can only read their own row.

SQLite: an FTS5 index (opendata_dataset_fts) over a plain table of the same texts
(opendata_dataset_text, one row per dataset, with a stable integer key that FTS5 needs),
kept in step by triggers, as SQLite's documentation shows for "external content" tables.
Where this SQLite has no FTS5, nothing is made and search.py searches with LIKE instead.

The index is not in Django's model state, so makemigrations does not see it. On SQLite,
Django remakes a table for many schema changes and that drops its triggers: a later migration
that alters opendata_dataset, opendata_tag or opendata_dataset_tags on SQLite must make them
again (SQLITE_TRIGGERS below); the search tests fail if it does not.
"""

import sqlite3
from typing import Any

from django.db import migrations

POSTGRES = [
    "ALTER TABLE opendata_dataset ADD COLUMN search_document tsvector",
    """
CREATE FUNCTION opendata_dataset_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(NEW.title_cy, '')), 'A')
        || setweight(to_tsvector('english', coalesce(NEW.name, '')), 'A')
        || setweight(to_tsvector('english', coalesce((
            SELECT string_agg(tag.name, ' ')
            FROM opendata_tag tag
            JOIN opendata_dataset_tags link ON link.tag_id = tag.id
            WHERE link.dataset_id = NEW.id), '')), 'B')
        || setweight(to_tsvector('english', coalesce(NEW.notes, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(NEW.notes_cy, '')), 'C');
    RETURN NEW;
END $$
""",
    """
CREATE TRIGGER opendata_dataset_search BEFORE INSERT OR UPDATE OF name, title, title_cy, notes,
notes_cy ON opendata_dataset FOR EACH ROW EXECUTE FUNCTION opendata_dataset_search_document()
""",
    # A dataset's tags changed, or a tag was renamed: touching the title remakes the document.
    """
CREATE FUNCTION opendata_dataset_tags_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE opendata_dataset SET title = title WHERE id = NEW.dataset_id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE opendata_dataset SET title = title WHERE id = OLD.dataset_id;
    END IF;
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER opendata_dataset_tags_search AFTER INSERT OR UPDATE OR DELETE
ON opendata_dataset_tags FOR EACH ROW EXECUTE FUNCTION opendata_dataset_tags_search()
""",
    """
CREATE FUNCTION opendata_tag_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE opendata_dataset SET title = title WHERE id IN (
        SELECT dataset_id FROM opendata_dataset_tags WHERE tag_id = NEW.id);
    RETURN NULL;
END $$
""",
    """
CREATE TRIGGER opendata_tag_search AFTER UPDATE OF name ON opendata_tag
FOR EACH ROW EXECUTE FUNCTION opendata_tag_search()
""",
    "UPDATE opendata_dataset SET title = title",
    "CREATE INDEX opendata_dataset_search ON opendata_dataset USING GIN (search_document)",
    # Searches without words count and facet the visible datasets from this index alone, not
    # from the wide rows (about a third faster at 10,000 datasets). PostgreSQL only: SQLite
    # has no INCLUDE, so it is not declared in models.py (Django would warn, models.W040).
    """
CREATE INDEX opendata_dataset_search_visible ON opendata_dataset (state, private)
INCLUDE (id, organisation_id, license_id)
""",
]
POSTGRES_REVERSE = [
    "DROP INDEX opendata_dataset_search_visible",
    "DROP TRIGGER opendata_tag_search ON opendata_tag",
    "DROP FUNCTION opendata_tag_search()",
    "DROP TRIGGER opendata_dataset_tags_search ON opendata_dataset_tags",
    "DROP FUNCTION opendata_dataset_tags_search()",
    "DROP TRIGGER opendata_dataset_search ON opendata_dataset",
    "DROP FUNCTION opendata_dataset_search_document()",
    "ALTER TABLE opendata_dataset DROP COLUMN search_document",
]

_COLUMNS = "name, title, title_cy, tags, notes, notes_cy"
_TAGS = """coalesce((SELECT group_concat(tag.name, ' ') FROM opendata_tag tag
    JOIN opendata_dataset_tags link ON link.tag_id = tag.id WHERE link.dataset_id = {}), '')"""

SQLITE_TABLES = [
    """
CREATE TABLE opendata_dataset_text (
    id integer PRIMARY KEY,
    dataset_id char(32) NOT NULL UNIQUE,
    name text NOT NULL, title text NOT NULL, title_cy text NOT NULL, tags text NOT NULL,
    notes text NOT NULL, notes_cy text NOT NULL)
""",
    f"""
CREATE VIRTUAL TABLE opendata_dataset_fts USING fts5({_COLUMNS},
    content='opendata_dataset_text', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2')
""",
]
SQLITE_TRIGGERS = [
    # The FTS5 index follows opendata_dataset_text (SQLite's external-content pattern).
    f"""
CREATE TRIGGER opendata_dataset_text_insert AFTER INSERT ON opendata_dataset_text BEGIN
    INSERT INTO opendata_dataset_fts(rowid, {_COLUMNS})
    VALUES (new.id, new.name, new.title, new.title_cy, new.tags, new.notes, new.notes_cy);
END
""",
    f"""
CREATE TRIGGER opendata_dataset_text_delete AFTER DELETE ON opendata_dataset_text BEGIN
    INSERT INTO opendata_dataset_fts(opendata_dataset_fts, rowid, {_COLUMNS})
    VALUES ('delete', old.id, old.name, old.title, old.title_cy, old.tags, old.notes,
        old.notes_cy);
END
""",
    f"""
CREATE TRIGGER opendata_dataset_text_update AFTER UPDATE ON opendata_dataset_text
WHEN old.name IS NOT new.name OR old.title IS NOT new.title OR old.title_cy IS NOT new.title_cy
    OR old.tags IS NOT new.tags OR old.notes IS NOT new.notes OR old.notes_cy IS NOT new.notes_cy
BEGIN
    INSERT INTO opendata_dataset_fts(opendata_dataset_fts, rowid, {_COLUMNS})
    VALUES ('delete', old.id, old.name, old.title, old.title_cy, old.tags, old.notes,
        old.notes_cy);
    INSERT INTO opendata_dataset_fts(rowid, {_COLUMNS})
    VALUES (new.id, new.name, new.title, new.title_cy, new.tags, new.notes, new.notes_cy);
END
""",
    # opendata_dataset_text follows the datasets and their tags.
    f"""
CREATE TRIGGER opendata_dataset_search_insert AFTER INSERT ON opendata_dataset BEGIN
    INSERT INTO opendata_dataset_text(dataset_id, {_COLUMNS})
    VALUES (new.id, new.name, new.title, new.title_cy, {_TAGS.format("new.id")}, new.notes,
        new.notes_cy);
END
""",
    """
CREATE TRIGGER opendata_dataset_search_update AFTER UPDATE OF name, title, title_cy, notes,
notes_cy ON opendata_dataset BEGIN
    UPDATE opendata_dataset_text SET name = new.name, title = new.title,
        title_cy = new.title_cy, notes = new.notes, notes_cy = new.notes_cy
    WHERE dataset_id = new.id;
END
""",
    """
CREATE TRIGGER opendata_dataset_search_delete AFTER DELETE ON opendata_dataset BEGIN
    DELETE FROM opendata_dataset_text WHERE dataset_id = old.id;
END
""",
    f"""
CREATE TRIGGER opendata_dataset_tags_search_insert AFTER INSERT ON opendata_dataset_tags BEGIN
    UPDATE opendata_dataset_text SET tags = {_TAGS.format("new.dataset_id")}
    WHERE dataset_id = new.dataset_id;
END
""",
    f"""
CREATE TRIGGER opendata_dataset_tags_search_delete AFTER DELETE ON opendata_dataset_tags BEGIN
    UPDATE opendata_dataset_text SET tags = {_TAGS.format("old.dataset_id")}
    WHERE dataset_id = old.dataset_id;
END
""",
    f"""
CREATE TRIGGER opendata_tag_search AFTER UPDATE OF name ON opendata_tag BEGIN
    UPDATE opendata_dataset_text SET tags = {_TAGS.format("opendata_dataset_text.dataset_id")}
    WHERE dataset_id IN (SELECT dataset_id FROM opendata_dataset_tags WHERE tag_id = new.id);
END
""",
]
SQLITE_FILL = f"""
INSERT INTO opendata_dataset_text(dataset_id, {_COLUMNS})
SELECT id, name, title, title_cy, {_TAGS.format("opendata_dataset.id")}, notes, notes_cy
FROM opendata_dataset
"""
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS opendata_dataset_fts",
    "DROP TABLE IF EXISTS opendata_dataset_text",
    # Dropping the tables drops their own triggers, not those on the other tables.
    "DROP TRIGGER IF EXISTS opendata_dataset_search_insert",
    "DROP TRIGGER IF EXISTS opendata_dataset_search_update",
    "DROP TRIGGER IF EXISTS opendata_dataset_search_delete",
    "DROP TRIGGER IF EXISTS opendata_dataset_tags_search_insert",
    "DROP TRIGGER IF EXISTS opendata_dataset_tags_search_delete",
    "DROP TRIGGER IF EXISTS opendata_tag_search",
]


def sqlite_has_fts5() -> bool:
    with sqlite3.connect(":memory:") as probe:
        options = {row[0] for row in probe.execute("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def _run(schema_editor: Any, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def make_index(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    elif vendor == "sqlite" and sqlite_has_fts5():
        _run(schema_editor, [*SQLITE_TABLES, *SQLITE_TRIGGERS, SQLITE_FILL])


def drop_index(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0002_themes")]
    operations = [migrations.RunPython(make_index, drop_index)]
