"""Every write of the plan tracker: keyword-only, permission-checked, validated, one transaction, audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.exceptions import check_version
from wenzhi.core.permissions import require
from wenzhi.core.scoping import scope_for
from wenzhi.core.services import audited_save

from .choices import TaskStatus
from .models import Evidence, Milestone, Target, TargetReading, Task

PERIOD = re.compile(r"^(19|20)\d{2}(Q[1-4])?$")
TARGET_FIELDS = ("name", "clause", "unit", "horizon", "target_low", "target_high", "note")
TASK_FIELDS = ("lead_units", "status", "progress_note")


def _apply(obj, data: dict, allowed: tuple[str, ...]) -> list[str]:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError({key: gettext("此字段不能在这里修改。") for key in unknown})
    changed = [key for key, value in data.items() if getattr(obj, key) != value]
    for key in changed:
        setattr(obj, key, data[key])
    return changed


def _need_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": gettext("修改理由：请写明为什么修改（记入变更记录）。")})


def target_update(*, actor, target: Target, data: dict, reason: str, version: str = "") -> Target:
    """Change a target's wording, values or note (city only, with a reason when anything changes); the old
    values stay in its history. A ``version`` older than the row's raises ``StaleEdit``."""
    require(actor, "plan.change", target)
    with transaction.atomic(durable=True):
        locked = Target.objects.select_for_update().get(pk=target.pk)
        check_version(locked, version, what=gettext("规划目标“%(name)s”") % {"name": locked.name})
        if _apply(locked, data, TARGET_FIELDS):
            _need_reason(reason)
            audited_save(locked, actor=actor, reason=reason.strip())
    return locked


def task_update(*, actor, task: Task, data: dict, reason: str, version: str = "") -> Task:
    """Change a task's lead units, status or progress note (city only), audited with the reason; a task is done
    only when all its milestones are. A ``version`` older than the row's raises ``StaleEdit``."""
    require(actor, "plan.change", task)
    if "status" in data and data["status"] not in TaskStatus.values:
        raise ValidationError({"status": gettext("任务状态“%(value)s”不存在。") % {"value": data["status"]}})
    with transaction.atomic(durable=True):
        locked = Task.objects.select_for_update().get(pk=task.pk)
        check_version(locked, version, what=gettext("重点任务“%(title)s”") % {"title": locked.title})
        if data.get("status") == TaskStatus.DONE and locked.milestones.filter(done_on=None).exists():
            raise ValidationError({"status": gettext("还有未完成的任务节点，不能把任务标为已完成。")})
        if _apply(locked, data, TASK_FIELDS):
            _need_reason(reason)
            audited_save(locked, actor=actor, reason=reason.strip())
    return locked


def milestone_add(*, actor, task: Task, title: str, due_on: dt.date) -> Milestone:
    """Add a dated step to a task (city only)."""
    require(actor, "plan.change", task)
    milestone = Milestone(task=task, title=title.strip(), due_on=due_on)
    with transaction.atomic(durable=True):
        audited_save(milestone, actor=actor, reason=gettext("新增任务节点"))
    return milestone


def milestone_complete(*, actor, milestone: Milestone, done_on: dt.date) -> Milestone:
    """Mark a step done on a date (city only); a date in the future is refused."""
    require(actor, "plan.change", milestone.task)
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": gettext("完成日期不能晚于今天。")})
    with transaction.atomic(durable=True):
        locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
        locked.done_on = done_on
        audited_save(locked, actor=actor, reason=gettext("任务节点完成"))
    return locked


def evidence_add(*, actor, task: Task, text: str, happened_on: dt.date, link: str = "") -> Evidence:
    """Record what shows a task moving; a district officer's evidence carries their district."""
    require(actor, "plan.add_evidence", task)
    if happened_on > timezone.localdate():
        raise ValidationError({"happened_on": gettext("佐证日期不能晚于今天。")})
    scope = scope_for(actor)
    district_id = scope.organisation_id if scope.kind == "district" else None
    evidence = Evidence(task=task, text=text.strip(), happened_on=happened_on, link=link.strip(),
                        district_id=district_id, recorded_by=actor)
    with transaction.atomic(durable=True):
        evidence.full_clean()
        evidence.save()
    return evidence


def reading_record(*, actor, target: Target, period: str, value: Decimal | None, note: str = "",
                   source: str = "") -> TargetReading:
    """Record a target's figure for a period where no live source exists (e.g. brands), or an assessment."""
    require(actor, "plan.record", target)
    period = period.strip().upper()
    if not PERIOD.match(period):
        raise ValidationError({"period": gettext("期间“%(value)s”格式不对：应为年份如 2019，或季度如 2019Q3。")
                               % {"value": period}})
    if value is None and not note.strip():
        raise ValidationError({"value": gettext("请填写数值，或在说明中写明进展。")})
    if value is not None and value < 0:
        raise ValidationError({"value": gettext("数值不能为负数。")})
    reading = TargetReading(target=target, period=period, value=value, note=note.strip(),
                            source=source.strip() or gettext("人工填报"), recorded_by=actor)
    with transaction.atomic(durable=True):
        reading.full_clean()
        reading.save()
    return reading
