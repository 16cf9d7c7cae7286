"""The database keeps the head honest and refuses to empty the log.

The head (one row) may only move forward, as `record()` moves it: its count grows by exactly
the entries appended since the entry it named, and it names the newest entry. It cannot be
deleted, and a new head must start the chain (count 0, GENESIS). So deleting the newest
entries and winding the head back to match is refused, even where the entries' own triggers
were got round.

PostgreSQL: TRUNCATE fires no row triggers, so statement triggers refuse it on both tables,
unless `audit_may_empty()` says yes. It says no; only the test runner's own databases
replace it (porth/conftest.py), as Django empties tables with TRUNCATE between tests. Only
the tables' owner can replace it, and the owner can drop the triggers too: in production the
application's role must not own the tables (docs/security.md).

SQLite: the test runner empties tables with `DELETE FROM`, in no fixed order, so the head's
row may be deleted there (SQLite is for development and tests; `porth audit verify` finds a
head missing while entries remain, and checkpoints find a log emptied with its head).
"""

from typing import Any

from django.db import migrations

EVENTS = "audit_auditevent"
HEAD = "audit_audithead"
GENESIS = "0" * 64

# The entries the head moved past: those after the entry it named (all, from GENESIS).
_ADDED = (
    f"(SELECT COUNT(*) FROM {EVENTS} WHERE id > "
    f"COALESCE((SELECT id FROM {EVENTS} WHERE hash = OLD.hash), 0))"
)
_NEWEST = f"(SELECT hash FROM {EVENTS} ORDER BY id DESC LIMIT 1)"
FORWARD = "audit log is append-only: the head may only move forward, past the entries appended"
START = "audit log is append-only: a new head must start the chain"

SQLITE = [
    f"""CREATE TRIGGER audit_head_forward BEFORE UPDATE ON {HEAD}
        WHEN NEW.id IS NOT OLD.id OR NEW.count <= OLD.count OR NEW.hash IS NOT {_NEWEST}
          OR NEW.count - OLD.count <> {_ADDED}
        BEGIN SELECT RAISE(ABORT, '{FORWARD}'); END;""",
    f"""CREATE TRIGGER audit_head_start BEFORE INSERT ON {HEAD}
        WHEN NEW.id IS NOT 1 OR NEW.count <> 0 OR NEW.hash <> '{GENESIS}'
        BEGIN SELECT RAISE(ABORT, '{START}'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_head_forward;",
    "DROP TRIGGER IF EXISTS audit_head_start;",
]

POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_may_empty() RETURNS boolean LANGUAGE sql AS $$ "
    "SELECT false $$;",
    """CREATE OR REPLACE FUNCTION audit_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF audit_may_empty() THEN
           RETURN NULL;
         END IF;
         RAISE EXCEPTION 'audit log is append-only: TRUNCATE of % refused', TG_TABLE_NAME
           USING ERRCODE = 'insufficient_privilege';
       END;
       $$;""",
    f"""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {EVENTS}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();""",
    f"""CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON {HEAD}
        FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();""",
    f"""CREATE OR REPLACE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE
         problem text;
       BEGIN
         IF TG_OP = 'DELETE' THEN
           problem := 'the head cannot be deleted';
         ELSIF TG_OP = 'INSERT' THEN
           IF NEW.id <> 1 OR NEW.count <> 0 OR NEW.hash <> '{GENESIS}' THEN
             problem := 'a new head must start the chain';
           END IF;
         ELSIF NEW.id <> OLD.id OR NEW.count <= OLD.count
             OR NEW.hash IS DISTINCT FROM {_NEWEST} OR NEW.count - OLD.count <> {_ADDED} THEN
           problem := 'the head may only move forward, past the entries appended';
         END IF;
         IF problem IS NOT NULL THEN
           RAISE EXCEPTION 'audit log is append-only: %', problem
             USING ERRCODE = 'insufficient_privilege';
         END IF;
         RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
       END;
       $$;""",
    f"""CREATE TRIGGER audit_head_forward BEFORE INSERT OR UPDATE OR DELETE ON {HEAD}
        FOR EACH ROW EXECUTE FUNCTION audit_head_forward();""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_head_forward ON {HEAD};",
    f"DROP TRIGGER IF EXISTS audit_head_no_truncate ON {HEAD};",
    f"DROP TRIGGER IF EXISTS audit_no_truncate ON {EVENTS};",
    "DROP FUNCTION IF EXISTS audit_head_forward();",
    "DROP FUNCTION IF EXISTS audit_no_truncate();",
    "DROP FUNCTION IF EXISTS audit_may_empty();",
]


def _run(schema_editor: Any, statements: dict[str, list[str]]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in statements:
        raise RuntimeError(f"no audit head triggers written for {vendor}")
    for sql in statements[vendor]:
        schema_editor.execute(sql, params=None)


def install(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES})


def uninstall(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
