"""Add the screens and box-office targets read live from the culture consumption platform (idempotent)."""

from django.db import migrations


def load(apps, schema_editor):
    from wenzhi.plan.reference import load as load_plan

    load_plan(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [("plan", "0002_plan_reference"), ("statistics", "0004_cinema_indicators")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
