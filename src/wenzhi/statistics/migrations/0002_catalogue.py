"""Load the standard indicator catalogue, forms and validation rules (idempotent: rows already there are kept)."""

from django.db import migrations


def load(apps, schema_editor):
    from wenzhi.statistics.reference import load_catalogue

    load_catalogue(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("statistics", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
