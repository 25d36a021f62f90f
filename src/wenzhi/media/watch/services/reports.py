"""Daily, weekly and monthly opinion reports (舆情日报/周报/月报): figures of the period computed from the
documents and alerts, written as an official document (core's GB/T 9704 writer) to DOCX and PDF.

The text follows the figures: volume and its change on the period before, the sentiment mix, hot events,
keywords, the most-mentioned entities and the handling of the period's alerts.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenzhi.core.documents import Figure, Heading, OfficialDocument, Paragraph, Table, render_docx, render_pdf
from wenzhi.core.permissions import require
from wenzhi.media.models import Document

from ..analytics import Period, overview
from ..choices import AlertState, ReportKind
from ..events import hot_events
from ..models import Alert, OpinionReport

ISSUER = "天津市文化和旅游局舆情专报"
SIGNATURE = "天津市文化和旅游局"
KIND_ZH: dict[str, str] = {ReportKind.DAILY: "日报", ReportKind.WEEKLY: "周报", ReportKind.MONTHLY: "月报"}
SENTIMENT_ZH = {"positive": "正面", "neutral": "中性", "negative": "负面"}
ENTITY_ZH = {"enterprise": "企业", "park": "园区", "project": "项目", "district": "区"}


def period_dates(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The report period (first and last day) of ``kind`` that contains ``day``."""
    if kind == ReportKind.DAILY:
        return day, day
    if kind == ReportKind.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if kind == ReportKind.MONTHLY:
        start = day.replace(day=1)
        return start, day.replace(day=calendar.monthrange(day.year, day.month)[1])
    raise ValidationError({"kind": _("报告类型只能是日报、周报或月报。")})


def last_complete_period(kind: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The latest period of ``kind`` that has ended before ``today``."""
    start, _end = period_dates(kind, today)
    return period_dates(kind, start - dt.timedelta(days=1))


def _period(start: dt.date, end: dt.date) -> Period:
    tz = timezone.get_current_timezone()
    return Period(dt.datetime.combine(start, dt.time.min, tzinfo=tz),
                  dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def _alert_figures(period: Period) -> dict:
    alerts = Alert.objects.filter(raised_at__gte=period.start, raised_at__lt=period.end)
    by_state = {s: 0 for s in AlertState.values}
    answered_minutes = []
    for alert in alerts.only("state", "raised_at", "answered_at"):
        by_state[alert.state] += 1
        if alert.answered_at:
            answered_minutes.append((alert.answered_at - alert.raised_at).total_seconds() / 60)
    return {"total": sum(by_state.values()), "by_state": by_state, "answered": len(answered_minutes),
            "answer_minutes_mean": round(sum(answered_minutes) / len(answered_minutes), 1) if answered_minutes
            else None}


def report_figures(kind: str, start: dt.date, end: dt.date) -> dict:
    """Every figure the report states, city-wide (the report is issued by the city)."""
    docs = Document.objects.all()
    period = _period(start, end)
    days = (end - start).days + 1
    previous = _period(start - dt.timedelta(days=days), start - dt.timedelta(days=1))
    figures = overview(docs, period)
    figures["previous_total"] = docs.filter(published_at__gte=previous.start, published_at__lt=previous.end).count()
    figures["events"] = [{"title": e.title, "count": e.count, "growth": e.growth, "keywords": e.keywords,
                          "first": timezone.localtime(e.first).isoformat()} for e in hot_events(docs, period, limit=5)]
    figures["alerts"] = _alert_figures(period)
    return figures


def _change(now: int, before: int) -> str:
    if before == 0:
        return "上期无数据可比"
    pct = (now - before) * 100 / before
    if abs(pct) < 0.05:
        return "与上期持平"
    return f"较上期{'增长' if pct > 0 else '下降'}{abs(pct):.1f}%"


def _overview_text(f: dict) -> str:
    total = f["total"]
    totals = f["sentiment_totals"]
    mix = "，".join(f"{SENTIMENT_ZH[k]}{totals.get(k, 0)}篇（{totals.get(k, 0) * 100 / total:.1f}%）"
                   for k in ("positive", "neutral", "negative")) if total else ""
    text = f"本期监测到相关信息{total}篇，{_change(total, f['previous_total'])}。"
    if total:
        text += f"其中{mix}。"
        if totals.get("negative", 0) * 100 / total >= 20:
            text += "负面信息占比偏高，请相关单位关注研判。"
    return text


def _body(f: dict) -> list:
    body: list = [Heading("总体态势"), Paragraph(_overview_text(f))]
    chart = _volume_chart(f)
    if chart is not None:
        body.append(Figure(chart, caption="图1 信息量走势"))
    body.append(Heading("热点事件"))
    if f["events"]:
        body.append(Table(["序号", "事件（代表标题）", "篇数", "增长倍数", "关键词"], [
            [str(i), e["title"], str(e["count"]), f"{e['growth']:g}", "、".join(e["keywords"])]
            for i, e in enumerate(f["events"], start=1)]))
    else:
        body.append(Paragraph("本期未形成多篇报道聚集的热点事件。"))
    body.append(Heading("高频关键词"))
    words = "、".join(f"{k['word']}（{k['count']}）" for k in f["keywords"][:15])
    body.append(Paragraph(f"本期高频关键词为：{words}。" if words else "本期无关键词统计。"))
    body.append(Heading("重点关注对象"))
    rows = [[ENTITY_ZH[kind], e["name"], str(e["count"])] for kind in ("enterprise", "park", "project", "district")
            for e in f["entities"][kind][:5]]
    body.append(Table(["类型", "名称", "提及篇数"], rows) if rows else Paragraph("本期信息未提及登记在册的对象。"))
    body.append(Heading("预警与处置"))
    a = f["alerts"]
    text = f"本期触发预警{a['total']}条，已答复{a['answered']}条，已办结{a['by_state'][AlertState.CLOSED]}条"
    if a["answer_minutes_mean"] is not None:
        text += f"，从预警到答复平均用时{a['answer_minutes_mean']:g}分钟"
    body.append(Paragraph(text + "。"))
    return body


def _volume_chart(f: dict) -> bytes | None:
    from wenzhi.core.documents import charts, cjk_font_available

    if not cjk_font_available() or not f["volume"]:
        return None
    labels = [v["t"][5:13].replace("T", " ") for v in f["volume"]]
    return charts.line_chart(labels, {"信息量": [v["count"] for v in f["volume"]]}, unit="篇")


def report_title(kind: str, start: dt.date, end: dt.date) -> str:
    if kind == ReportKind.DAILY:
        return f"文化产业舆情日报（{start:%Y年%m月%d日}）"
    return f"文化产业舆情{KIND_ZH[kind]}（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"


def report_document(report: OpinionReport) -> OfficialDocument:
    number = f"津文旅舆〔{report.period_start.year}〕{report.period_start:%m%d}{report.kind[0].upper()}号"
    return OfficialDocument(issuer=ISSUER, number=number, title=report.title, addressee="局领导，各处室，各区文化和旅游局",
                            body=_body(report.figures), signature=SIGNATURE,
                            date=timezone.localtime(report.created_at).date())


def report_make(*, actor, kind: str, period_start: dt.date, scheduled: bool = False) -> OpinionReport:
    """Make the ``kind`` report of the period containing ``period_start`` (again, if it exists: same row, new
    figures and files). ``actor`` None is the schedule."""
    if actor is not None:
        require(actor, "opinion_report.make")
    start, end = period_dates(kind, period_start)
    if start > timezone.localdate():
        raise ValidationError({"period_start": _("报告期尚未开始。")})
    figures = report_figures(kind, start, end)
    title = report_title(kind, start, end)
    made_at = timezone.now()
    # Written before the transaction: a PDF takes seconds, and SQLite's write lock must not wait for it.
    document = report_document(OpinionReport(kind=kind, period_start=start, period_end=end, title=title,
                                             figures=figures, created_at=made_at))
    docx, pdf = render_docx(document), render_pdf(document)
    with transaction.atomic(durable=True):
        report, _created = OpinionReport.objects.select_for_update().get_or_create(
            kind=kind, period_start=start, defaults={"period_end": end, "title": title})
        report.period_end, report.figures, report.title = end, figures, title
        report.created_at, report.created_by = made_at, actor
        report.scheduled = scheduled and actor is None
        stem = f"opinion-{kind}-{start:%Y%m%d}"
        report.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.save()
    return report
