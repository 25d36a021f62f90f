"""Load the action plan's targets, 2016 baseline and ten key tasks (idempotent: existing rows are kept)."""

from django.db import migrations


def load(apps, schema_editor):
    from wenzhi.plan.reference import load as load_plan

    load_plan(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("plan", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
