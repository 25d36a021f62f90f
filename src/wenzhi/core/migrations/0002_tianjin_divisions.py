"""Load 天津市 and its 16 districts from the shipped NBS division table (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from wenzhi.core.reference import load_divisions

    load_divisions(apps.get_model("core", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
