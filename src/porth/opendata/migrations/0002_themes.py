"""data.gov.uk's themes (CKAN groups), with their Welsh names and EU data themes."""

from typing import Any

from django.db import migrations


def add_themes(apps: Any, schema_editor: Any) -> None:
    from porth.opendata.vocabularies import THEMES

    Theme = apps.get_model("opendata", "Theme")
    for term in THEMES:
        Theme.objects.update_or_create(
            name=term.id, defaults={"title": term.en, "title_cy": term.cy, "uri": term.uri}
        )


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
