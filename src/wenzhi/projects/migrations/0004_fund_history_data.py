"""The plan's historical fund totals (一(三) and 四(三) of the 2018–2020 action plan), so the first funds
dashboard shows the leverage the plan reports (130亿元 ÷ 4.4亿元 ≈ 29.5×). Idempotent; can re-run."""

from decimal import Decimal

from django.db import migrations

SOURCE = "《天津市智能文化创意产业发展行动计划（2018—2020年）》"
ROWS = [
    {"kind": "special_fund", "label": "市级文化产业发展专项资金（2018年以前累计）", "year_from": 2013, "year_to": 2017,
     "fund_amount": Decimal("440000000"), "projects": 218, "social_capital": Decimal("13000000000"),
     "source": SOURCE + "一、（三）"},
    {"kind": "investment_fund", "label": "文化产业投资基金（规模）", "year_from": 2018, "year_to": 2020,
     "fund_amount": Decimal("500000000"), "projects": 0, "social_capital": Decimal("0"),
     "source": SOURCE + "四、（三）"},
]


def load(apps, schema_editor):
    FundHistory = apps.get_model("projects", "FundHistory")
    for row in ROWS:
        FundHistory.objects.get_or_create(kind=row["kind"], label=row["label"], defaults=row)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_funds_progress_promotion")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
