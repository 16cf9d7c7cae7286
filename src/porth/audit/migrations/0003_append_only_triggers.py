"""The database refuses to change or delete audit entries, whoever asks.

Trade-offs, so that Django's own test flush (and nothing else) still works:

- UPDATE is refused always, on both databases.
- PostgreSQL: DELETE is refused always. TRUNCATE fires no row triggers, so the test runner's
  flush (which truncates) works; in production the application's database role must not own
  the table nor hold the TRUNCATE privilege.
- SQLite: the test runner flushes with `DELETE FROM`, and SQLite has no TRUNCATE, so DELETE is
  refused unless the row is the oldest left. Emptying the table (which deletes in id order)
  or cutting entries from the start still works, but `porth audit verify` reports both: the
  first entry left no longer follows GENESIS and the head's count no longer matches.
- SQLite drops a table's triggers when a migration rebuilds the table (most field changes on
  SQLite do): a migration that alters AuditEvent must run `install` again.
  `test_database_refuses_updates` fails if that is forgotten.
"""

from typing import Any

from django.db import migrations

TABLE = "audit_auditevent"

SQLITE = [
    f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    f"""CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
        WHEN OLD.id <> (SELECT MIN(id) FROM {TABLE})
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit log is append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END;
       $$;""",
    f"""CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_no_update_or_delete ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_append_only();",
]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"no append-only triggers written for {vendor}")
    for sql in statements[vendor]:
        schema_editor.execute(sql, params=None)


def install(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def uninstall(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_search_indexes")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
