"""Add the cinema indicators derived from culture consumption (screens with screenings, box office) to the
catalogue (idempotent: rows already there are kept)."""

from django.db import migrations


def load(apps, schema_editor):
    from wenzhi.statistics.reference import load_catalogue

    load_catalogue(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("statistics", "0003_bulletin_assessment")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
