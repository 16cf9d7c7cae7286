"""The catalogue's version (models.CatalogueVersion): one row that triggers change, in the
writing transaction, on every write to what a search counts, so that cached counts and
facets (facets.py) are keyed by it and never outlive a change.

Triggers rather than calls in actions.py: the performance datasets, bulk updates, tags.set()
and a renamed organisation write too. On PostgreSQL one trigger per statement (a bulk insert
changes it once); SQLite has only row triggers. Each writing transaction holds the row's
lock until it commits, so writes to the catalogue are serialised: they are few (publishers'
edits, a daily task). As with 0003's triggers, Django remaking one of these tables on SQLite
drops its triggers: a later migration that does must run SQLITE again.
"""

from typing import Any

from django.db import migrations, models

TABLES = (
    "opendata_dataset",
    "opendata_resource",
    "opendata_tag",
    "opendata_theme",
    "opendata_dataset_tags",
    "opendata_dataset_themes",
    "accounts_organisation",
)
POSTGRES = [
    """
CREATE FUNCTION opendata_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE opendata_catalogueversion SET version = gen_random_uuid()::text;
    RETURN NULL;
END $$
""",
    *(
        f"CREATE TRIGGER opendata_catalogue_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
        f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION opendata_catalogue_changed()"
        for table in TABLES
    ),
]
POSTGRES_REVERSE = [
    *(f"DROP TRIGGER opendata_catalogue_changed ON {table}" for table in TABLES),
    "DROP FUNCTION opendata_catalogue_changed()",
]
SQLITE = [
    f"CREATE TRIGGER opendata_catalogue_{table}_{event.lower()} AFTER {event} ON {table} BEGIN"
    " UPDATE opendata_catalogueversion SET version = lower(hex(randomblob(16))); END"
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS opendata_catalogue_{table}_{event.lower()}"
    for table in TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]


def _run(schema_editor: Any, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("opendata", "CatalogueVersion").objects.create(version="initial")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0003_search"), ("accounts", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.CharField(max_length=36)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
