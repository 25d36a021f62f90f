"""Demo progress of the plan tracker (labelled 演示): task statuses and notes, milestones done, evidence from
the city and districts, recorded figures for the targets without a live source (brands, 2025 assessments),
and, where the demo registry has an intelligent-creative directory, the parks and platforms it lists."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from wenzhi.core.choices import Level
from wenzhi.core.models import Organisation

from .choices import TaskStatus
from .models import Evidence, Milestone, Target, TargetReading, Task

DEMO_NOTE = "（演示）"
EVIDENCE_TEXTS = [
    "召开专题推进会，明确年度工作清单和责任分工",
    "印发实施方案，报市领导小组备案",
    "组织企业对接会，签约智能文化创意项目",
    "完成阶段性评估，形成书面报告",
    "举办培训班，覆盖相关企业和园区负责人",
    "平台一期上线试运行，收集用户反馈",
]
BRAND_READINGS = [("2018", 0, "“梦娃”智能产品研发启动"), ("2019", 1, "智能“梦娃”品牌发布"),
                  ("2020", 2, "新增“津云”智能服务品牌")]


def generate(*, scale: float = 1.0, stdout=None) -> dict:
    """Fill the tracker with demo progress; re-running replaces the earlier demo rows."""
    rng = random.Random(20180601)
    Evidence.objects.filter(is_demo=True).delete()
    TargetReading.objects.filter(is_demo=True).delete()
    today = timezone.localdate()
    districts = list(Organisation.objects.filter(level=Level.DISTRICT).order_by("code"))
    evidence = []
    for task in Task.objects.all().order_by("number"):
        _task_progress(rng, task, today)
        for _ in range(max(1, round(rng.randint(2, 5) * min(scale, 2)))):
            happened = dt.date(2018, 3, 1) + dt.timedelta(days=rng.randint(0, (min(today, dt.date(2020, 12, 31))
                                                                                  - dt.date(2018, 3, 1)).days))
            district = rng.choice(districts) if districts and rng.random() < 0.5 else None
            evidence.append(Evidence(task=task, happened_on=happened, text=DEMO_NOTE + rng.choice(EVIDENCE_TEXTS),
                                     district=district, is_demo=True))
    Evidence.objects.bulk_create(evidence)
    readings = _readings()
    return {"tasks": Task.objects.count(), "evidence": len(evidence), "readings": readings,
            "intelligent_parks": _intelligent_parks(rng)}


def _task_progress(rng: random.Random, task: Task, today: dt.date) -> None:
    milestones = list(task.milestones.order_by("due_on"))
    done = 0
    for m in milestones:
        if m.due_on <= today and rng.random() < 0.8:
            Milestone.objects.filter(pk=m.pk).update(done_on=m.due_on - dt.timedelta(days=rng.randint(0, 60)))
            done += 1
    if done == len(milestones) and milestones:
        status = TaskStatus.DONE
    elif any(m.due_on < today for m in milestones[done:]):
        status = TaskStatus.DELAYED
    else:
        status = TaskStatus.IN_PROGRESS
    note = DEMO_NOTE + f"已完成 {done}/{len(milestones)} 个节点。"
    Task.objects.filter(pk=task.pk).update(status=status, progress_note=note)


def _readings() -> int:
    count = 0
    brands = Target.objects.filter(code="intelligent_brands").first()
    if brands is not None:
        for period, value, note in BRAND_READINGS:
            TargetReading.objects.create(target=brands, period=period, value=value, note=DEMO_NOTE + note,
                                         source="市委宣传部文化产业处（演示）", is_demo=True)
            count += 1
    for code, note in (("industry_system_2025", "产业体系框架初步形成，政策和统计制度已建立"),
                       ("brand_2025", "培育“梦娃”“津云”等智能品牌，正在评估国内影响力")):
        target = Target.objects.filter(code=code).first()
        if target is not None:
            TargetReading.objects.create(target=target, period="2020", note=DEMO_NOTE + note, is_demo=True,
                                         source="市委宣传部文化产业处（演示）")
            count += 1
    return count


def _intelligent_parks(rng: random.Random) -> int:
    """List a few demo parks and one platform in the demo intelligent-creative directory (registry demo data)."""
    from django.apps import apps

    Directory = apps.get_model("registry", "Directory")
    DirectoryEntry = apps.get_model("registry", "DirectoryEntry")
    Park = apps.get_model("registry", "Park")
    directory = Directory.objects.filter(kind="intelligent", is_demo=True).order_by("-year").first()
    if directory is None or directory.entries.filter(enterprise__isnull=True).exists():
        return 0
    parks = list(Park.objects.filter(is_demo=True, level="national").order_by("id")[:2])
    rows = [DirectoryEntry(directory=directory, park=p, added_on=dt.date(directory.year, 12, 1),
                           added_reason=DEMO_NOTE + "实施智能技术改造的示范园区") for p in parks]
    rows.append(DirectoryEntry(directory=directory, project_name=DEMO_NOTE + "天津文化信息综合服务平台",
                               added_on=dt.date(directory.year, 12, 1), added_reason=DEMO_NOTE + "综合信息服务平台"))
    DirectoryEntry.objects.bulk_create(rows)
    return len(rows)
