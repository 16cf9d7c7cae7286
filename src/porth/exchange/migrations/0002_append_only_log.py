"""The database refuses to change or delete message log entries, as it does audit entries
(porth.audit migration 0003, whose trade-offs apply here too: PostgreSQL's TRUNCATE, which the
test runner's flush uses, fires no row triggers; on SQLite, whose flush deletes, only the oldest
entry left may be deleted, which `porth exchange verify` reports as a broken chain).

One change is allowed: `citizen_id`, which is not hashed, may be set (to NULL, when the
citizen's account is removed).
"""

from typing import Any

from django.db import migrations

TABLE = "exchange_messagelog"
HASHED_COLUMNS = (
    "organisation_id, at, message_id, direction, caller, provider, service, purpose, "
    "reference, request_digest, response_digest, request_signature, response_signature, "
    "status, outcome, reason, previous_hash, hash, id"
)

SQLITE = [
    f"""CREATE TRIGGER exchange_log_no_update BEFORE UPDATE OF {HASHED_COLUMNS} ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'exchange log is append-only'); END;""",
    f"""CREATE TRIGGER exchange_log_no_delete BEFORE DELETE ON {TABLE}
        WHEN OLD.id <> (SELECT MIN(id) FROM {TABLE})
        BEGIN SELECT RAISE(ABORT, 'exchange log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS exchange_log_no_update;",
    "DROP TRIGGER IF EXISTS exchange_log_no_delete;",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION exchange_log_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
       DECLARE probe {TABLE};
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           probe := NEW;
           probe.citizen_id := OLD.citizen_id;
           IF probe IS NOT DISTINCT FROM OLD THEN
             RETURN NEW;
           END IF;
         END IF;
         RAISE EXCEPTION 'exchange log is append-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END;
       $$;""",
    f"""CREATE TRIGGER exchange_log_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION exchange_log_append_only();""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS exchange_log_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS exchange_log_append_only();",
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
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
