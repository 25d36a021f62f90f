"""Who may apply to a call, and whether an application is complete: each check gives its reason in Chinese.

``no_overdue_report`` asks the progress-report checks other parts of the app register with
:func:`register_overdue_check` (``func(enterprise) -> bool``: True when the enterprise has an overdue report);
with none registered, no enterprise has an overdue report.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext

from wenzhi.registry.validators import uscc_error

from .choices import FundingSource, Outcome

TIANJIN_DIVISION_PREFIX = "12"  # GB/T 2260: 天津市 12xxxx; characters 3–8 of a credit code are the division

_overdue_checks: list[Callable] = []


def register_overdue_check(func: Callable) -> None:
    """Register ``func(enterprise) -> bool`` (True: the enterprise has an overdue progress report)."""
    if func not in _overdue_checks:
        _overdue_checks.append(func)


def has_overdue_progress_report(enterprise) -> bool:
    return any(check(enterprise) for check in _overdue_checks)


def eligibility_problems(application) -> list[str]:
    """Why the applicant may not apply (empty: eligible), by the call's rules."""
    call, enterprise = application.call, application.enterprise
    rules = call.eligibility or {}
    problems = []
    if rules.get("tianjin_credit_code", True):
        code = (enterprise.credit_code or "").strip()
        if not code:
            problems.append(gettext("申报单位未登记统一社会信用代码"))
        elif uscc_error(code):
            problems.append(gettext("申报单位的统一社会信用代码无效：%(why)s") % {"why": uscc_error(code)})
        elif code[2:4] != TIANJIN_DIVISION_PREFIX:
            problems.append(gettext("申报单位不是在天津市登记注册的企业（统一社会信用代码登记管理机关不在天津）"))
    if call.district_id and enterprise.district_id != call.district_id:
        problems.append(gettext("本批次为%(district)s区级批次，申报单位不在该区") % {"district": call.district})
    if rules.get("no_overdue_report", True) and has_overdue_progress_report(enterprise):
        problems.append(gettext("申报单位有逾期未报的项目进度报告"))
    if rules.get("not_funded_same_project", True) and already_funded(application):
        problems.append(gettext("该项目已获专项资金支持或已入选，不能重复申报"))
    return problems


def already_funded(application) -> bool:
    """The same enterprise's same project (the linked project, or one of its projects with the same name) has
    received special funds, or was already selected in another application."""
    from .models import Application, Project, ProjectFunding

    projects = Project.objects.filter(owner_id=application.enterprise_id, name=application.title.strip())
    if application.project_id:
        projects = projects | Project.objects.filter(pk=application.project_id)
    if ProjectFunding.objects.filter(project__in=projects, source=FundingSource.SPECIAL_FUND).exists():
        return True
    selected = (Application.objects.filter(enterprise_id=application.enterprise_id, title=application.title.strip(),
                                           decision__outcome__in=[Outcome.CITY_KEY, Outcome.DISTRICT_KEY])
                .exclude(pk=application.pk))
    return selected.exists()


def completeness_problems(application) -> dict[str, str]:
    """Fields of the application still missing for submission: field → reason."""
    call = application.call
    problems: dict[str, str] = {}
    if not application.title.strip():
        problems["title"] = gettext("请填写项目名称")
    if len(application.summary.strip()) < 20:
        problems["summary"] = gettext("请填写项目简介（至少 20 个字）")
    if not application.planned_investment or application.planned_investment <= 0:
        problems["planned_investment"] = gettext("请填写计划总投资（大于 0）")
    answers = application.answers or {}
    for q in call.questions or []:
        if q.get("required") and not str(answers.get(q["key"], "")).strip():
            problems[f"answer_{q['key']}"] = gettext("请回答：%(q)s") % {"q": q.get("label", q["key"])}
    have = set(application.files.values_list("kind", flat=True)) if application.pk else set()
    for a in call.attachments or []:
        if a.get("required", True) and a["key"] not in have:
            problems[f"file_{a['key']}"] = gettext("请上传附件：%(label)s") % {"label": a.get("label", a["key"])}
    return problems
