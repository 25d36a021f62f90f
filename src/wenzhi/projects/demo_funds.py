"""Labelled demo funds, allocations, tranches, progress and promotion (``wenzhi demo``, after the project demo).

For each past demo city call: that year's special fund, the optimiser's proposal over its selected
applications (a 20 % district cap), approved, and tranches paid against the milestones the projects have
completed; the plan's historical totals; quarterly progress reports of the live demo projects with about one
in seven missing for the last due quarter (the overdue list) and some projects without any (stalled);
fingerprints of the demo applications for the near-duplicate check; an export directory per year, a showcase
with investors' interest and a fair. Works at any ``--scale`` (the sizes follow the project demo's).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .choices import Stage
from .choices_funds import FairStatus, MessageKind
from .models import (
    Application,
    Call,
    ExportDirectory,
    ExportDirectoryEntry,
    Fair,
    Fund,
    InboxMessage,
    InvestorInterest,
    ProgressReport,
    Project,
    ShowcaseEntry,
)
from .services import funds as fund_services
from .services import progress as progress_services

INVESTORS = ["京津冀文化产业投资基金", "北京文化科技投资有限公司", "天津海河产业基金", "渤海文化创意股权投资中心",
             "中关村文化资本", "雄安新区文旅发展基金"]


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Generate the demo funds history; does nothing when demo funds already exist or without demo calls."""
    fund_services.fund_history_load()
    if Fund.all_objects.filter(is_demo=True).exists():
        return {"skipped": "演示资金已存在"}
    calls = list(Call.objects.filter(is_demo=True, level="city", notice__isnull=False).order_by("year"))
    if not calls:
        return {"skipped": "没有演示申报批次，先生成演示项目库"}
    rng = random.Random(20181202)
    counts = {"funds": 0, "grants": 0, "disbursements": 0, "progress_reports": 0}
    for call in calls:
        with transaction.atomic():
            grants, tranches = _fund_year(rng, call)
        counts["funds"] += 1
        counts["grants"] += grants
        counts["disbursements"] += tranches
    counts["progress_reports"] = _progress(rng)
    counts["fingerprints"] = progress_services.fingerprints_bulk(
        list(Application.objects.filter(is_demo=True, fingerprint__isnull=True).exclude(status="draft")
             .only("pk", "title", "summary")))
    counts.update(_promotion(rng, scale))
    return counts


def _fund_year(rng, call: Call) -> tuple[int, int]:
    """The year's fund, the optimiser's approved proposal for the call and tranches on completed milestones."""
    requested = sum((a.requested_amount for a in fund_services.funded_applications(call)), Decimal(0))
    if requested <= 0:
        return 0, 0
    budget = (requested * Decimal("0.7") / 10000).quantize(Decimal(1)) * 10000
    fund = Fund.objects.create(name=f"{call.year}年市级文化产业发展专项资金（演示）", year=call.year, budget=budget,
                               description="演示数据", is_demo=True)
    allocation = fund_services.allocation_propose(actor=None, fund=fund, call=call, amount=budget,
                                                  max_district_share=Decimal("0.2"), is_demo=True)
    fund_services.allocation_approve(actor=None, allocation=allocation)
    tranches = 0
    for grant in allocation.grants.filter(amount__gt=0, project__isnull=False).select_related("project"):
        assert grant.project is not None
        done = list(grant.project.milestones.filter(done_on__isnull=False).order_by("due"))
        left = grant.amount
        for i, milestone in enumerate(done[:2]):
            share = Decimal("0.5") if i == 0 and len(done) > 1 else Decimal(1)
            amount = (left * share).quantize(Decimal("0.01")) if i == 0 else left
            if amount <= 0:
                break
            fund_services.disbursement_create(actor=None, grant=grant, amount=amount, milestone=milestone,
                                              paid_on=max(milestone.done_on or dt.date(call.year, 8, 1), dt.date(call.year, 8, 1)),
                                              note="演示拨付", is_demo=True)
            left -= amount
            tranches += 1
    return allocation.grants.filter(amount__gt=0).count(), tranches


def _quarters_back(today: dt.date, n: int) -> list[tuple[int, int]]:
    y, q = progress_services.last_due_quarter(today)
    out = []
    for _ in range(n):
        out.append((y, q))
        q -= 1
        if q == 0:
            y, q = y - 1, 4
    return out


def _progress(rng) -> int:
    """Four quarters of reports for live demo projects: the last one missing for about one in seven."""
    today = timezone.localdate()
    quarters = _quarters_back(today, 4)
    live = list(Project.objects.filter(is_demo=True, stage__in=[Stage.INCUBATING, Stage.UNDER_CONSTRUCTION])
                .only("pk", "planned_investment", "stage", "stage_changed_on"))
    rows = []
    for k, p in enumerate(live):
        if k % 20 == 1:
            continue  # never reported: also on the overdue list
        for i, (y, q) in enumerate(quarters):
            if i == 0 and k % 7 == 0:
                continue
            spent = (p.planned_investment * Decimal(rng.uniform(0.01, 0.06))).quantize(Decimal("0.01"))
            rows.append(ProgressReport(project=p, year=y, quarter=q, investment_completed=spent, is_demo=True,
                                       progress=rng.choice(["按计划推进，完成设备采购和内容策划。", "主体工程施工中，完成年度投资计划的一半。",
                                                            "平台一期上线试运行，用户数稳步增长。", "受场地审批影响，进度略有滞后。"]),
                                       submitted_at=timezone.now()))
    ProgressReport.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    # About one live project in ten has sat in its stage for over two years: the stalled warnings.
    Project.objects.filter(pk__in=[p.pk for p in live[:: max(1, len(live) // 10)]]).update(
        stage_changed_on=today - dt.timedelta(days=800))
    return len(rows)


def _promotion(rng, scale: float) -> dict:
    """An export directory per demo year, a showcase with interest, a fair; a few in-app messages."""
    years: list[int] = sorted(y for y in set(Project.objects.filter(is_demo=True, export_oriented=True)
                                             .values_list("start_year", flat=True)) if y is not None)
    entries = 0
    for year in years:
        d = ExportDirectory.objects.create(year=year, name=f"{year}年度天津市文化出口重点项目目录（演示）",
                                           published_on=dt.date(year, 11, 30), is_demo=True)
        projects = Project.objects.filter(is_demo=True, export_oriented=True, start_year=year)[:50]
        ExportDirectoryEntry.objects.bulk_create([ExportDirectoryEntry(directory=d, project=p, markets="东南亚、欧洲",
                                                                       added_on=dt.date(year, 11, 30)) for p in projects])
        entries += len(projects)
    shown = list(Project.objects.filter(is_demo=True, level__in=["city_key", "district_key"])
                 .select_related("owner", "district").order_by("-planned_investment")[: max(6, round(30 * scale))])
    ShowcaseEntry.objects.bulk_create([ShowcaseEntry(project=p, pitch=f"{p.name}：{p.description}", is_demo=True,
                                                     seeking=(p.planned_investment * Decimal("0.3")).quantize(Decimal(1)))
                                       for p in shown])
    fair = Fair.objects.create(name="京津冀文化产业重点项目推介会（演示）", held_on=timezone.localdate() - dt.timedelta(days=40),
                               venue="天津梅江会展中心", status=FairStatus.HELD, is_demo=True)
    fair.projects.add(*shown[:12])
    interests = [InvestorInterest(project=p, fair=fair if i % 2 else None, investor_name=f"演示联系人{i}",
                                  organisation=rng.choice(INVESTORS), email=f"investor{i}@example.com",
                                  amount=Decimal(rng.randint(5, 50)) * 1000000, message="希望进一步了解项目", is_demo=True)
                 for i, p in enumerate(shown[:16])]
    InvestorInterest.objects.bulk_create(interests)
    messages = []
    for it in interests:
        for org_id in filter(None, (it.project.owner.organisation_id, it.project.district_id)):
            messages.append(InboxMessage(organisation_id=org_id, kind=MessageKind.INTEREST, project=it.project,
                                         subject=f"{it.organisation}对“{it.project.name}”有投资意向",
                                         body="演示数据：联系人和邮箱见投资意向列表。", is_demo=True))
    InboxMessage.objects.bulk_create(messages)
    return {"export_entries": entries, "showcase": len(shown), "interests": len(interests)}
