"""The formal notice (通知) of a call's final list in the official-document layout (GB/T 9704), built from the
data and rendered by core's official-document writer (DOCX and PDF)."""

from __future__ import annotations

from django.utils import timezone

from wenzhi.core.documents import Heading, OfficialDocument, Paragraph, Table

from .choices import Outcome
from .models import PublicNotice
from .services.selection import selected_decisions

ISSUER = "天津市文化和旅游局文件"
SIGNATURE = "天津市文化和旅游局"


def final_list_document(notice: PublicNotice) -> OfficialDocument:
    """The notice publishing ``notice``'s final list: 发文机关标志, 文号, 标题, 主送, 正文 (with the list by
    category as tables), 成文日期 — the text is the official Chinese document whatever the reader's language."""
    call = notice.call
    decisions = list(selected_decisions(call))
    body: list = [Paragraph(
        f"根据《{call.name}》，经企业申报、区级初审推荐、专家评审和社会公示（{notice.opens_on:%Y年%m月%d日}至"
        f"{notice.closes_on:%Y年%m月%d日}），现将{call.year}年度入选项目名单予以公布。公示期间收到异议"
        f"{notice.objections.count()}件，均已核实答复。")]
    for outcome, label in Outcome.choices:
        rows = [d for d in decisions if d.outcome == outcome]
        if not rows or outcome == Outcome.REJECTED:
            continue
        body.append(Heading(f"{_zh(label)}（{len(rows)}个）"))
        body.append(Table(["序号", "项目名称", "项目单位", "所属区"],
                          [[str(i), d.application.title, d.application.enterprise.name, d.application.district.name]
                           for i, d in enumerate(rows, start=1)]))
    body.append(Paragraph("请各区文化和旅游主管部门督促项目单位按计划推进项目建设，按季度报送项目进展。"))
    published = timezone.localtime(notice.published_at).date() if notice.published_at else timezone.localdate()
    return OfficialDocument(
        issuer=ISSUER, number=notice.document_number or f"津文旅发〔{call.year}〕号",
        title=f"关于公布{call.year}年度重点文化产业项目名单的通知", addressee="各区文化和旅游局",
        body=body, signature=SIGNATURE, date=published, copy_to="市发展改革委，市财政局")


def _zh(label) -> str:
    """The Chinese label whatever the active language: the document is issued in Chinese."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(label)
