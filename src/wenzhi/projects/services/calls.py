"""Writes of calls and applications: open a call, save a draft, attach files, submit (checked first)."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.exceptions import check_version
from wenzhi.core.models import Organisation, User
from wenzhi.core.services import audited_save
from wenzhi.registry.classification import intelligent_score
from wenzhi.registry.models import Enterprise

from ..choices import ApplicationStatus, CallLevel
from ..eligibility import completeness_problems, eligibility_problems
from ..models import Application, ApplicationAttachment, Call
from ..rubric import DEFAULT_RUBRIC
from .library import enforce

DEFAULT_ELIGIBILITY = {"tianjin_credit_code": True, "no_overdue_report": True, "not_funded_same_project": True}
DEFAULT_ATTACHMENTS = [
    {"key": "plan", "label": "项目实施方案", "types": ["pdf", "docx"], "max_mb": 10, "required": True},
    {"key": "licence", "label": "营业执照", "types": ["pdf", "jpg", "png"], "max_mb": 5, "required": True},
]
# The first bytes each accepted file type starts with: a renamed file of another type is refused.
MAGIC = {"pdf": (b"%PDF",), "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",), "jpg": (b"\xff\xd8\xff",),
         "png": (b"\x89PNG\r\n\x1a\n",)}


@transaction.atomic
def call_create(*, actor: User | None, name: str, year: int, opens_at: dt.datetime, closes_at: dt.datetime,
                review_deadline: dt.datetime, level: str = CallLevel.CITY, district: Organisation | None = None,
                description: str = "", eligibility: dict | None = None, questions: list | None = None,
                attachments: list | None = None, rubric: list | None = None, budget: Decimal = Decimal("0"),
                reviews_shared: bool = False, conflict_rules: dict | None = None, is_demo: bool = False) -> Call:
    """Open a call (city level by the city, a district's by its district) with its rules and rubric."""
    call = Call(name=name, year=year, level=level, district=district, opens_at=opens_at, closes_at=closes_at,
                review_deadline=review_deadline, description=description,
                eligibility=dict(DEFAULT_ELIGIBILITY if eligibility is None else eligibility),
                questions=list(questions or []),
                attachments=copy.deepcopy(DEFAULT_ATTACHMENTS if attachments is None else attachments),
                rubric=copy.deepcopy(DEFAULT_RUBRIC if rubric is None else rubric), budget=budget,
                reviews_shared=reviews_shared, conflict_rules=dict(conflict_rules or {"same_district": True}),
                is_demo=is_demo)
    enforce(actor, "call.manage", call)
    return audited_save(call, actor=actor, reason="发布申报批次")


CALL_FIELDS = ("name", "description", "opens_at", "closes_at", "review_deadline", "budget", "reviews_shared",
               "eligibility", "questions", "attachments", "rubric", "conflict_rules")


@transaction.atomic
def call_update(*, actor: User, call: Call, data: dict[str, Any], version: str | dt.datetime | None = None,
                reason: str = "") -> Call:
    """Change a call's dates, rules or rubric; the rubric is fixed once a review was submitted."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    enforce(actor, "call.manage", call)
    check_version(call, version, what=gettext("申报批次“%(n)s”") % {"n": call.name})
    unknown = set(data) - set(CALL_FIELDS)
    if unknown:
        raise ValidationError({k: gettext("不能修改此字段") for k in unknown})
    changed = {k: v for k, v in data.items() if getattr(call, k) != v}
    if not changed:
        return call
    if "rubric" in changed and call.applications.filter(reviews__status="submitted").exists():
        raise ValidationError({"rubric": gettext("已有专家提交评分，评分细则不能再修改")})
    for key, value in changed.items():
        setattr(call, key, value)
    return audited_save(call, actor=actor, reason=reason or "修改申报批次")


def _check_window(call: Call, *, what: str) -> None:
    now = timezone.now()
    if now < call.opens_at:
        raise ValidationError({"call": gettext("申报尚未开始（%(t)s 开始），不能%(what)s") % {
            "t": timezone.localtime(call.opens_at).strftime("%Y-%m-%d %H:%M"), "what": what}})
    if now > call.closes_at:
        raise ValidationError({"call": gettext("申报已于 %(t)s 截止，不能%(what)s") % {
            "t": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M"), "what": what}})


APPLICATION_FIELDS = ("title", "summary", "planned_investment", "requested_amount", "answers", "project")


@transaction.atomic
def application_save(*, actor: User | None, call: Call, enterprise: Enterprise, data: dict[str, Any],
                     application: Application | None = None, version: str | dt.datetime | None = None,
                     is_demo: bool = False) -> Application:
    """Create or change a draft application of ``enterprise`` (the enterprise user's own) while the call is open.

    Drafts may be incomplete; only a draft can change. A stale ``version`` (``updated_at``) is refused."""
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError({k: gettext("不能修改此字段") for k in unknown})
    if application is None:
        application = Application(call=call, enterprise=enterprise, district_id=enterprise.district_id,
                                  is_demo=is_demo)
    else:
        application = Application.objects.select_for_update().get(pk=application.pk)
        check_version(application, version, what=gettext("申报“%(t)s”") % {"t": application.title})
    enforce(actor, "application.apply", application)
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError({"status": gettext("申报已提交，不能再修改")})
    if actor is not None:
        _check_window(call, what=gettext("保存申报"))
    if data.get("project") is not None and data["project"].owner_id != enterprise.pk:
        raise ValidationError({"project": gettext("只能选择本企业的项目")})
    if application.pk:
        data = {k: v for k, v in data.items() if getattr(application, k) != v}
        if not data:
            return application  # saved back unchanged: nothing written, no history row
    for key, value in data.items():
        setattr(application, key, value)
    _check_answers(call, application.answers)
    score, evidence = intelligent_score(f"{application.title} {application.summary}")
    application.intelligent_score, application.intelligent_evidence = score, evidence
    return audited_save(application, actor=actor, reason="保存申报草稿")


def _check_answers(call: Call, answers: Any) -> None:
    if not isinstance(answers, dict):
        raise ValidationError({"answers": gettext("补充问题回答格式不正确")})
    keys = {q["key"] for q in call.questions or []}
    unknown = set(answers) - keys
    if unknown:
        raise ValidationError({"answers": gettext("本批次没有这些问题：%(k)s") % {"k": "、".join(sorted(unknown))}})


def check_file(spec: dict, name: str, size: int, head: bytes) -> None:
    """Refuse a file whose type (by extension and by its first bytes) or size the call does not accept."""
    label = spec.get("label", spec["key"])
    extension = PurePath(name).suffix.lower().lstrip(".")
    extension = "jpg" if extension == "jpeg" else extension
    types = [t.lower() for t in spec.get("types", [])]
    if types and extension not in types:
        raise ValidationError({"file": gettext("附件“%(label)s”只接受 %(types)s 文件，“%(name)s”不是") % {
            "label": label, "types": "、".join(types), "name": name}})
    if extension in MAGIC and not any(head.startswith(m) for m in MAGIC[extension]):
        raise ValidationError({"file": gettext("附件“%(name)s”的内容不是 %(type)s 文件") % {
            "name": name, "type": extension}})
    limit = int(Decimal(str(spec.get("max_mb", 10))) * 1024 * 1024)
    if size > limit:
        raise ValidationError({"file": gettext("附件“%(label)s”不能超过 %(mb)s MB（“%(name)s”为 %(size).1f MB）") % {
            "label": label, "mb": spec.get("max_mb", 10), "name": name, "size": size / 1024 / 1024}})
    if size == 0:
        raise ValidationError({"file": gettext("附件“%(name)s”是空文件") % {"name": name}})


@transaction.atomic
def application_attach(*, actor: User | None, application: Application, kind: str, uploaded) -> ApplicationAttachment:
    """Attach a file for one of the call's attachment kinds (replacing an earlier file of that kind)."""
    enforce(actor, "application.apply", application)
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError({"file": gettext("申报已提交，不能再上传附件")})
    specs = {a["key"]: a for a in application.call.attachments or []}
    if kind not in specs:
        raise ValidationError({"kind": gettext("本批次没有“%(k)s”这一附件类型") % {"k": kind}})
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    check_file(specs[kind], uploaded.name, uploaded.size, head)
    application.files.filter(kind=kind).delete()
    attachment = ApplicationAttachment(application=application, kind=kind, original_name=uploaded.name[:255],
                                       size=uploaded.size, uploaded_by=actor)
    attachment.file.save(PurePath(uploaded.name).name, uploaded, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def application_detach(*, actor: User | None, attachment: ApplicationAttachment) -> None:
    enforce(actor, "application.apply", attachment.application)
    if attachment.application.status != ApplicationStatus.DRAFT:
        raise ValidationError({"file": gettext("申报已提交，不能再删除附件")})
    attachment.delete()


@transaction.atomic
def application_submit(*, actor: User | None, application: Application,
                       version: str | dt.datetime | None = None) -> Application:
    """Submit a draft: refused before the call opens or after it closes, when the applicant is not eligible,
    or when the application is incomplete — with every reason named, and nothing written."""
    application = Application.objects.select_for_update().select_related("call", "enterprise").get(pk=application.pk)
    enforce(actor, "application.apply", application)
    check_version(application, version, what=gettext("申报“%(t)s”") % {"t": application.title})
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError({"status": gettext("申报已提交")})
    if actor is not None:
        _check_window(application.call, what=gettext("提交申报"))
    problems: dict[str, list[str]] = {}
    eligibility = eligibility_problems(application)
    if eligibility:
        problems["eligibility"] = eligibility
    for field, why in completeness_problems(application).items():
        problems.setdefault(field, []).append(why)
    if problems:
        raise ValidationError(problems)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.version += 1  # the row is locked: no one else moves it meanwhile
    return audited_save(application, actor=actor, reason="提交申报")
