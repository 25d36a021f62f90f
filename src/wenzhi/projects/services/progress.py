"""Writes of progress and checks: owners' quarterly progress reports (with milestone evidence), in-app messages
with their e-mail, reminders and overdue notices, and the application fingerprints of the near-duplicate check.

Quarter rules: every project in 培育 or 在建 reports each quarter; the report for a quarter is due
``REPORT_DUE_DAYS`` after the quarter ends; reminders go out ``REMINDER_DAYS`` before that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.models import Organisation, User
from wenzhi.core.services import audited_save

from ..choices import Stage
from ..choices_funds import MessageKind
from ..duplicates import fingerprint
from ..models import (
    Application,
    ApplicationFingerprint,
    FingerprintBand,
    InboxMessage,
    Milestone,
    ProgressReport,
    Project,
)
from .library import enforce

REPORTING_STAGES = (Stage.INCUBATING, Stage.UNDER_CONSTRUCTION)
REPORT_DUE_DAYS = 15
REMINDER_DAYS = 10
EVIDENCE_TYPES = {"pdf", "jpg", "jpeg", "png", "docx", "xlsx"}
EVIDENCE_MAX_MB = 20


def quarter_end(year: int, quarter: int) -> dt.date:
    """The last day of a quarter."""
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)


def quarter_due(year: int, quarter: int) -> dt.date:
    """The day a quarter's progress report is due."""
    return quarter_end(year, quarter) + dt.timedelta(days=REPORT_DUE_DAYS)


def last_due_quarter(today: dt.date) -> tuple[int, int]:
    """The most recent quarter whose report deadline has passed by ``today``."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(3):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        if quarter_due(year, quarter) < today:
            return year, quarter
    return year, quarter  # pragma: no cover — one step back always reaches a passed deadline


def upcoming_quarter(today: dt.date) -> tuple[int, int]:
    """The quarter whose report is due next (the one just ended or the current one)."""
    y, q = last_due_quarter(today)
    q += 1
    if q == 5:
        y, q = y + 1, 1
    return y, q


def _check_evidence(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    ext = (upload.name or "").rsplit(".", 1)[-1].lower() if "." in (upload.name or "") else ""
    if ext not in EVIDENCE_TYPES:
        raise ValidationError({"evidence": gettext("佐证材料“%(n)s”的类型不允许，请上传 %(t)s 文件") % {
            "n": upload.name, "t": "、".join(sorted(EVIDENCE_TYPES))}})
    if upload.size and upload.size > EVIDENCE_MAX_MB * 1024 * 1024:
        raise ValidationError({"evidence": gettext("佐证材料“%(n)s”超过 %(m)s MB") % {"n": upload.name,
                                                                                  "m": EVIDENCE_MAX_MB}})


@transaction.atomic
def progress_report_submit(*, actor: User | None, project: Project, year: int, quarter: int,
                           investment_completed: Decimal, progress: str, problems: str = "",
                           milestone: Milestone | None = None, evidence: UploadedFile | None = None,
                           is_demo: bool = False) -> ProgressReport:
    """The owner reports one quarter (once; a second report for the same quarter is refused).

    Reporting a milestone with its evidence file marks the milestone done on the report date, which is what
    lets the fund pay the tranche tied to it. The quarter may not be in the future."""
    enforce(actor, "progress.report", project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": gettext("季度须为 1–4")})
    today = timezone.localdate()
    if dt.date(year, 3 * quarter - 2, 1) > today:
        raise ValidationError({"quarter": gettext("%(y)s年第%(q)s季度尚未开始，不能填报") % {"y": year, "q": quarter}})
    if ProgressReport.objects.filter(project=project, year=year, quarter=quarter).exists():
        raise ValidationError({"quarter": gettext("“%(p)s”%(y)s年第%(q)s季度的进度报告已填报") % {
            "p": project.name, "y": year, "q": quarter}})
    if len((progress or "").strip()) < 10:
        raise ValidationError({"progress": gettext("请填写进展情况（至少 10 个字）")})
    if milestone is not None:
        if milestone.project_id != project.pk:
            raise ValidationError({"milestone": gettext("节点“%(m)s”不属于本项目") % {"m": milestone.title}})
        if evidence is None:
            raise ValidationError({"evidence": gettext("报告节点完成须上传佐证材料")})
    _check_evidence(evidence)
    report = ProgressReport(project=project, year=year, quarter=quarter, progress=progress.strip(),
                            problems=problems, milestone=milestone, submitted_by=actor, is_demo=is_demo,
                            investment_completed=Decimal(str(investment_completed or 0)))
    if evidence is not None:
        report.evidence = evidence
    audited_save(report, actor=actor, reason=gettext("填报进度报告"))
    project.completed_investment += report.investment_completed
    audited_save(project, actor=actor, reason=gettext("进度报告：%(y)s年第%(q)s季度") % {"y": year, "q": quarter},
                 update_fields=["completed_investment", "updated_at"])
    if milestone is not None and milestone.done_on is None:
        milestone.done_on = min(today, quarter_end(year, quarter)) if year < today.year else today
        milestone.evidence = gettext("见%(y)s年第%(q)s季度进度报告附件：%(f)s") % {
            "y": year, "q": quarter, "f": report.evidence.name if report.evidence else ""}
        audited_save(milestone, actor=actor, reason=gettext("进度报告标记节点完成"))
    return report


def message_send(*, organisation: Organisation, kind: str, subject: str, body: str, project: Project | None = None,
                 dedup_key: str = "", is_demo: bool = False) -> InboxMessage | None:
    """An in-app message to an organisation's users and the same by e-mail (after commit); with a
    ``dedup_key`` already sent to that organisation, nothing is sent again (returns None)."""
    if dedup_key and InboxMessage.objects.filter(organisation=organisation, dedup_key=dedup_key).exists():
        return None
    msg = InboxMessage.objects.create(organisation=organisation, kind=kind, subject=subject, body=body,
                                      project=project, dedup_key=dedup_key, is_demo=is_demo)
    if not is_demo:
        emails = list(User.objects.filter(organisation=organisation, is_active=True).exclude(email="")
                      .values_list("email", flat=True))
        if emails:
            transaction.on_commit(lambda: send_mass_mail(
                [(f"[文智] {subject}", body, None, [e]) for e in emails], fail_silently=True))
    return msg


def _owner_org(project: Project) -> Organisation | None:
    return project.owner.organisation if project.owner_id else None


def reporting_projects():
    """Projects that must report every quarter."""
    return Project.objects.filter(stage__in=REPORTING_STAGES).select_related("owner__organisation", "district")


@transaction.atomic
def reminders_send(*, actor: User | None, today: dt.date | None = None) -> dict[str, int]:
    """Remind owners whose next report is due within ``REMINDER_DAYS`` and tell owners and districts about the
    reports of the last due quarter that are missing. Each message is sent once (per project and quarter)."""
    enforce(actor, "progress.monitor")
    today = today or timezone.localdate()
    sent = {"reminders": 0, "overdue": 0}
    y, q = upcoming_quarter(today)
    if 0 <= (quarter_due(y, q) - today).days <= REMINDER_DAYS:
        done = set(ProgressReport.objects.filter(year=y, quarter=q).values_list("project_id", flat=True))
        for project in reporting_projects().exclude(pk__in=done):
            org = _owner_org(project)
            if org and message_send(organisation=org, kind=MessageKind.REMINDER, project=project,
                                    dedup_key=f"reminder:{project.pk}:{y}q{q}",
                                    subject=gettext("请于 %(d)s 前填报“%(p)s”%(y)s年第%(q)s季度进度报告") % {
                                        "d": quarter_due(y, q), "p": project.name, "y": y, "q": q},
                                    body=gettext("项目“%(p)s”须按季度报告完成投资和节点进展。") % {"p": project.name}):
                sent["reminders"] += 1
    from ..selectors_progress import overdue_projects

    oy, oq = last_due_quarter(today)
    for project in overdue_projects(today=today):
        subject = gettext("“%(p)s”%(y)s年第%(q)s季度进度报告已逾期") % {"p": project.name, "y": oy, "q": oq}
        body = gettext("截止日期 %(d)s 已过，请尽快填报。逾期未报的企业不能申报新的项目。") % {"d": quarter_due(oy, oq)}
        for org in filter(None, (_owner_org(project), project.district)):
            if message_send(organisation=org, kind=MessageKind.OVERDUE, project=project, subject=subject,
                            body=body, dedup_key=f"overdue:{project.pk}:{oy}q{oq}"):
                sent["overdue"] += 1
    return sent


@transaction.atomic
def message_mark_read(*, actor: User, message: InboxMessage) -> InboxMessage:
    """Mark one of the actor's organisation's messages read."""
    if actor.organisation_id != message.organisation_id:
        raise ValidationError({"message": gettext("这条消息不是发给您所在单位的")})
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def application_text(application: Application) -> str:
    """The text the near-duplicate check compares: title and summary."""
    return f"{application.title}。{application.summary}"


@transaction.atomic
def application_fingerprint(*, application: Application) -> ApplicationFingerprint:
    """Store (or refresh) an application's fingerprint; called when it is submitted and by the demo."""
    text = application_text(application)
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    existing = ApplicationFingerprint.objects.filter(application=application).first()
    if existing is not None and existing.text_hash == digest:
        return existing
    fp = fingerprint(text)
    if existing is not None:
        existing.delete()
    row = ApplicationFingerprint.objects.create(application=application, canonical=fp.canonical,
                                                signature=fp.signature, text_hash=digest)
    FingerprintBand.objects.bulk_create([FingerprintBand(fingerprint=row, key=k) for k in fp.keys])
    return row


def fingerprints_bulk(applications) -> int:
    """Fingerprint many applications at once (demo data, backfill): two inserts per batch."""
    rows, bands = [], []
    for app in applications:
        text = application_text(app)
        fp = fingerprint(text)
        rows.append(ApplicationFingerprint(application=app, canonical=fp.canonical, signature=fp.signature,
                                           text_hash=hashlib.sha1(text.encode("utf-8"),
                                                                  usedforsecurity=False).hexdigest()))
        bands.append(fp.keys)
    created = ApplicationFingerprint.objects.bulk_create(rows, batch_size=500)
    FingerprintBand.objects.bulk_create(
        [FingerprintBand(fingerprint=row, key=k) for row, keys in zip(created, bands, strict=True) for k in keys],
        batch_size=5000)
    return len(created)


def fingerprints_backfill(limit: int = 5000) -> int:
    """Fingerprint submitted applications that have none yet (those submitted since the last check)."""
    missing = (Application.objects.exclude(status="draft").filter(fingerprint__isnull=True)
               .only("pk", "title", "summary")[:limit])
    return fingerprints_bulk(list(missing))
