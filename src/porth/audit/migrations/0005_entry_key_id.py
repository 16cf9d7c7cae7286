"""Each entry records the PORTH_AUDIT_KEY key its hash is an HMAC under ("" before then).

On SQLite, adding the column rebuilds the table, which drops its triggers (0003's) and trips
over the head's triggers that name it (0004's): those are dropped first, and all are put back
after (and the same on the way back).
"""

from importlib import import_module
from typing import Any

from django.db import migrations, models

append_only = import_module("porth.audit.migrations.0003_append_only_triggers")
head = import_module("porth.audit.migrations.0004_head_triggers")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for sql in append_only.SQLITE_REVERSE + head.SQLITE_REVERSE:
            schema_editor.execute(sql, params=None)


def reinstall(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        drop(apps, schema_editor)
        for sql in append_only.SQLITE + head.SQLITE:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_head_triggers")]

    operations = [
        migrations.RunPython(drop, reinstall, elidable=False),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.RunPython(reinstall, drop, elidable=False),
    ]
