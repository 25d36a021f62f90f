"""Every write of the bulletin: draft, edit, approve, reopen, issue. Keyword-only, permission-checked, atomic,
each step audited as a BulletinEvent.

Issue re-computes every figure with a fresh data source first: any difference blocks the issue, is recorded
(``check_failed`` naming each figure) and raised as :class:`BulletinCheckFailed`. The issued bulletin is frozen
with its DOCX and PDF archived.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from wenzhi.core.exceptions import check_version
from wenzhi.core.permissions import require

from . import check as checking
from .compose import NoData, compose
from .database import DatabaseSource
from .figures import FigureRef
from .models import Bulletin, BulletinEvent, BulletinEventKind, BulletinStatus


class BulletinCheckFailed(ValidationError):
    """The check found figures that no longer match the data: ``mismatches`` names each one."""

    def __init__(self, mismatches: list[checking.Mismatch]) -> None:
        self.mismatches = mismatches
        lines = [m.message() for m in mismatches]
        super().__init__(gettext("数字核对未通过，不能印发：%(n)s 处与当前数据不符。") % {"n": len(mismatches)}
                         + " " + "；".join(lines))


def figures_of(bulletin: Bulletin) -> dict[str, FigureRef]:
    return {k: FigureRef.from_dict(v) for k, v in bulletin.figures.items()}


def _rendered(paragraphs: list[str], figures: dict[str, FigureRef]) -> list[str]:
    return [checking.render(p, figures) for p in paragraphs]


def _event(bulletin: Bulletin, kind: str, actor, comment: str = "") -> None:
    BulletinEvent.objects.create(bulletin=bulletin, kind=kind, actor=actor, comment=comment)


def _period(code: str):
    from wenzhi.statistics.growth import PeriodCode
    from wenzhi.statistics.models import Period

    try:
        PeriodCode.parse(code)
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from None
    period = Period.objects.filter(code=code.strip().upper()).first()
    if period is None:
        raise ValidationError({"period": gettext("报告期 %(code)s 不存在或没有任何数据，无法生成通报。") % {"code": code}})
    return period


def bulletin_draft(*, actor, period: str, source=None) -> Bulletin:
    """Write (or write again) the draft bulletin of ``period`` from the current data.

    An open (draft or approved) bulletin of the period is rewritten; an issued one stays as issued and a new
    draft is started beside it. A period without data is refused with the period named."""
    require(actor, "bulletin.draft")
    return write_draft(actor=actor, period=period, source=source)


def write_draft(*, actor, period: str, source=None) -> Bulletin:
    """The draft's writing itself, for the platform's own use (demo data); users go through bulletin_draft."""
    row = _period(period)
    try:
        draft = compose(source or DatabaseSource(), row.code)
    except NoData:
        raise ValidationError({"period": gettext("报告期 %(code)s 没有已填报的数据，无法生成通报。") % {"code": row.code}}
                              ) from None
    with transaction.atomic(durable=True):
        bulletin = (Bulletin.objects.select_for_update().filter(period=row).exclude(status=BulletinStatus.ISSUED)
                    .first()) or Bulletin(period=row, year=growth_year(row.code), created_by=actor)
        bulletin.status = BulletinStatus.DRAFT
        bulletin.title = draft.title
        bulletin.paragraphs = draft.paragraphs
        bulletin.figures = {k: v.as_dict() for k, v in draft.figures.items()}
        bulletin.charts = [c.as_dict() for c in draft.charts]
        bulletin.rendered = _rendered(draft.paragraphs, draft.figures)
        bulletin.approved_by, bulletin.approved_at = None, None
        bulletin.updated_at = timezone.now()
        bulletin.full_clean()
        bulletin.save()
        _event(bulletin, BulletinEventKind.DRAFT, actor,
               gettext("由数据自动生成，共 %(n)s 个数字") % {"n": len(draft.figures)})
    return bulletin


def growth_year(code: str) -> int:
    from wenzhi.statistics.growth import PeriodCode

    return PeriodCode.parse(code).year


def _refuse_frozen(bulletin: Bulletin) -> None:
    if bulletin.frozen:
        raise ValidationError(gettext("该通报已印发并存档，不能再修改。"))


def bulletin_edit(*, actor, bulletin: Bulletin, title: str, text: str, version: str | None = None) -> Bulletin:
    """The reviewer's edit of title and text (figures as ``{f3:增长12.3%}``; see ``check.apply_edit``).

    A changed figure, a number typed into the text or an unknown placeholder is refused naming the paragraph;
    a stale edit raises StaleEdit. An approved bulletin that is edited goes back to draft."""
    require(actor, "bulletin.edit", bulletin)
    with transaction.atomic(durable=True):
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        check_version(bulletin, version, what=gettext("该通报"))
        _refuse_frozen(bulletin)
        title = (title or "").strip()
        problems = [gettext("标题：数字“%(n)s”没有绑定数据查询") % {"n": n}
                    for n in checking.free_numbers(title, checking.allowed_numbers(bulletin.period.code))]
        if not title:
            problems.append(gettext("标题不能为空"))
        try:
            keep = frozenset(c["figure"] for c in bulletin.charts)
            paragraphs, figures = checking.apply_edit(text, figures_of(bulletin), bulletin.period.code, keep=keep)
        except checking.EditRefused as exc:
            problems += exc.problems
        if problems:
            raise ValidationError({"text": problems})
        if paragraphs == bulletin.paragraphs and title == bulletin.title:
            return bulletin  # saved back unchanged: nothing changes, not even the version
        bulletin.title, bulletin.paragraphs = title, paragraphs
        bulletin.figures = {k: v.as_dict() for k, v in figures.items()}
        bulletin.rendered = _rendered(paragraphs, figures)
        if bulletin.status == BulletinStatus.APPROVED:
            bulletin.status, bulletin.approved_by, bulletin.approved_at = BulletinStatus.DRAFT, None, None
        bulletin.updated_at = timezone.now()
        bulletin.save()
        _event(bulletin, BulletinEventKind.EDIT, actor)
    return bulletin


def _check_or_record(bulletin: Bulletin, actor, source) -> None:
    mismatches = checking.check(figures_of(bulletin), source or DatabaseSource())
    if mismatches:
        with transaction.atomic(durable=True):
            _event(bulletin, BulletinEventKind.CHECK_FAILED, actor, "\n".join(m.message() for m in mismatches))
        raise BulletinCheckFailed(mismatches)


def bulletin_approve(*, actor, bulletin: Bulletin, comment: str = "", source=None) -> Bulletin:
    """The reviewer approves a draft; the figures are checked first (a difference refuses the approval)."""
    require(actor, "bulletin.approve", bulletin)
    _refuse_frozen(bulletin)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(gettext("只有草稿状态的通报可以审核通过。"))
    _check_or_record(bulletin, actor, source)
    with transaction.atomic(durable=True):
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        bulletin.status, bulletin.approved_by, bulletin.approved_at = BulletinStatus.APPROVED, actor, timezone.now()
        bulletin.updated_at = timezone.now()
        bulletin.save()
        _event(bulletin, BulletinEventKind.APPROVE, actor, comment)
    return bulletin


def bulletin_reopen(*, actor, bulletin: Bulletin, comment: str = "") -> Bulletin:
    """Send an approved bulletin back to draft for more edits."""
    require(actor, "bulletin.approve", bulletin)
    _refuse_frozen(bulletin)
    with transaction.atomic(durable=True):
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        bulletin.status, bulletin.approved_by, bulletin.approved_at = BulletinStatus.DRAFT, None, None
        bulletin.updated_at = timezone.now()
        bulletin.save()
        _event(bulletin, BulletinEventKind.REOPEN, actor, comment)
    return bulletin


def bulletin_issue(*, actor, bulletin: Bulletin, date: datetime.date | None = None, source=None) -> Bulletin:
    """Issue an approved bulletin: check every figure again (a difference blocks it), number it (文号), write
    and archive its DOCX and PDF, and freeze it."""
    require(actor, "bulletin.issue", bulletin)
    return issue(actor=actor, bulletin=bulletin, date=date, source=source)


def issue(*, actor, bulletin: Bulletin, date: datetime.date | None = None, source=None) -> Bulletin:
    """The issue itself (check, number, files, freeze), for the platform's own use; users go through
    bulletin_issue."""
    from .documents import bulletin_files

    _refuse_frozen(bulletin)
    if bulletin.status != BulletinStatus.APPROVED:
        raise ValidationError(gettext("通报须先审核通过才能印发。"))
    _check_or_record(bulletin, actor, source)
    with transaction.atomic(durable=True):
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        if Bulletin.objects.filter(period=bulletin.period, status=BulletinStatus.ISSUED).exists():
            raise ValidationError(gettext("报告期 %(code)s 已有印发的通报。") % {"code": bulletin.period.code})
        last = Bulletin.objects.filter(year=bulletin.year).aggregate(n=Max("number"))["n"] or 0
        bulletin.number = last + 1
        bulletin.issued_on = date or timezone.localdate()
        docx, pdf = bulletin_files(bulletin)
        stem = f"bulletin-{bulletin.period.code}-{bulletin.number}"
        bulletin.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        bulletin.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        bulletin.status, bulletin.issued_by, bulletin.issued_at = BulletinStatus.ISSUED, actor, timezone.now()
        bulletin.updated_at = timezone.now()
        bulletin.save()
        _event(bulletin, BulletinEventKind.ISSUE, actor, bulletin.document_number)
    return bulletin
