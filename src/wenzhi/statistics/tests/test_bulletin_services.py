"""The bulletin on the database: draft from the stored figures, the reviewer's edit rules, approval, the check
that blocks issue when the data changed after drafting, the frozen issued version, its DOCX and PDF."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenzhi.core.documents import cjk_font_available
from wenzhi.core.exceptions import StaleEdit, version_of
from wenzhi.statistics.bulletin import check as checking
from wenzhi.statistics.bulletin import services
from wenzhi.statistics.bulletin.models import BulletinEventKind, BulletinStatus
from wenzhi.statistics.models import DataValue

from .outputs_world import fill

pytestmark = pytest.mark.django_db
needs_font = pytest.mark.skipif(not cjk_font_available(),
                                reason="the CJK font for PDFs is not installed (make assets copies it to var/fonts)")


@pytest.fixture
def data(reference_data):
    return fill()


@pytest.fixture
def admin(users):
    return users["city_admin"]


def test_draft_from_the_database(data, admin):
    bulletin = services.bulletin_draft(actor=admin, period="2018Q3")
    text = "\n".join(bulletin.rendered)
    assert bulletin.title == "关于2018年第三季度全市文化产业发展情况的通报"
    assert "2018年前三季度，全市文化产业实现增加值" in text
    assert "南开区同比下降" in text
    assert bulletin.figures and checking.check(services.figures_of(bulletin), services.DatabaseSource()) == []
    assert bulletin.events.get().kind == BulletinEventKind.DRAFT


def test_draft_refuses_a_period_without_data_and_a_bad_code(data, admin):
    with pytest.raises(ValidationError, match="2020Q1"):
        services.bulletin_draft(actor=admin, period="2020Q1")
    with pytest.raises(ValidationError, match="2018Q9"):
        services.bulletin_draft(actor=admin, period="2018Q9")


def test_district_officer_cannot_draft(data, users):
    with pytest.raises(PermissionDenied, match="起草统计通报"):
        services.bulletin_draft(actor=users["district_officer"], period="2018Q3")


def test_tampered_data_blocks_issue_naming_the_figures(data, admin):
    bulletin = services.bulletin_draft(actor=admin, period="2018Q3")
    bulletin = services.bulletin_approve(actor=admin, bulletin=bulletin)
    value = DataValue.objects.get(indicator__code="value_added", period__code="2018Q3", district=data["滨海新区"])
    value.value += Decimal("7.5")  # someone changes the stored data after the bulletin was drafted
    value.save()
    with pytest.raises(services.BulletinCheckFailed) as refused:
        services.bulletin_issue(actor=admin, bulletin=bulletin)
    queries = {m.query for m in refused.value.mismatches}
    assert {"city_value", "city_cumulative", "district_chart"} <= queries
    assert "按当前数据应为" in str(refused.value)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.APPROVED and bulletin.number is None and not bulletin.docx
    failed = bulletin.events.get(kind=BulletinEventKind.CHECK_FAILED)
    assert "city_value" not in failed.comment and "全市当期值" in failed.comment


def test_redraft_after_the_change_then_issue(data, admin):
    bulletin = services.bulletin_draft(actor=admin, period="2018Q3")
    DataValue.objects.filter(indicator__code="screens", period__code="2018Q3").update(value=Decimal(99))
    bulletin = services.bulletin_draft(actor=admin, period="2018Q3")  # the same row, written again
    bulletin = services.bulletin_approve(actor=admin, bulletin=bulletin)
    issued = services.bulletin_issue(actor=admin, bulletin=bulletin) if cjk_font_available() else None
    if issued is None:
        pytest.skip("the CJK font for PDFs is not installed")
    assert issued.status == BulletinStatus.ISSUED and issued.document_number == "津文旅统〔2018〕1号"
    assert issued.docx.size > 0 and issued.pdf.size > 0
    with pytest.raises(ValidationError, match="已印发"):
        services.bulletin_edit(actor=admin, bulletin=issued, title=issued.title,
                               text=checking.editable(issued.paragraphs, services.figures_of(issued)))


def test_reviewer_edit_rules(data, admin):
    bulletin = services.bulletin_draft(actor=admin, period="2018Q3")
    text = checking.editable(bulletin.paragraphs, services.figures_of(bulletin))
    first = services.figures_of(bulletin)["f1"]
    with pytest.raises(ValidationError, match="与其数据查询的结果"):
        services.bulletin_edit(actor=admin, bulletin=bulletin, title=bulletin.title,
                               text=text.replace("{f1:" + first.text + "}", "{f1:123.45}"))
    with pytest.raises(ValidationError, match="没有绑定数据查询"):
        services.bulletin_edit(actor=admin, bulletin=bulletin, title=bulletin.title, text=text + "\n\n预计全年增长12%。")
    with pytest.raises(ValidationError, match="标题：数字“3”"):
        services.bulletin_edit(actor=admin, bulletin=bulletin, title="第3号通报", text=text)
    version = version_of(bulletin)
    edited = services.bulletin_edit(actor=admin, bulletin=bulletin, title=bulletin.title, version=version,
                                    text=text.replace("总体情况", "全市总体情况"))
    assert edited.paragraphs[0] == "一、全市总体情况" and edited.figures == bulletin.figures
    with pytest.raises(StaleEdit):
        services.bulletin_edit(actor=admin, bulletin=edited, title="x", text=text, version=version)


def test_an_unchanged_save_changes_nothing(data, admin):
    bulletin = services.bulletin_draft(actor=admin, period="2018Q3")
    text = checking.editable(bulletin.paragraphs, services.figures_of(bulletin))
    after = services.bulletin_edit(actor=admin, bulletin=bulletin, title=bulletin.title, text=text,
                                   version=version_of(bulletin))
    assert after.updated_at == bulletin.updated_at and after.events.count() == 1


@needs_font
def test_docx_names_the_official_fonts_title_and_number(data, admin):
    from docx import Document

    bulletin = services.bulletin_approve(actor=admin, bulletin=services.bulletin_draft(actor=admin, period="2018Q3"))
    issued = services.bulletin_issue(actor=admin, bulletin=bulletin)
    doc = Document(io.BytesIO(issued.docx.read()))
    texts = [p.text for p in doc.paragraphs]
    assert "关于2018年第三季度全市文化产业发展情况的通报" in texts
    assert "津文旅统〔2018〕1号" in texts
    fonts = set()
    for p in doc.paragraphs:
        for run in p.runs:
            rfonts = run._element.rPr.rFonts if run._element.rPr is not None else None
            if rfonts is not None:
                fonts.add(rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"))
    assert {"方正小标宋简体", "仿宋_GB2312"} <= fonts
    body = "\n".join(texts)
    assert services.figures_of(issued)["f1"].text in body
    assert doc.inline_shapes, "the charts are embedded as images"


@needs_font
def test_pdf_text_extracts_back(data, admin):
    from pypdf import PdfReader

    bulletin = services.bulletin_approve(actor=admin, bulletin=services.bulletin_draft(actor=admin, period="2018Q3"))
    issued = services.bulletin_issue(actor=admin, bulletin=bulletin)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(issued.pdf.read())).pages)
    compact = "".join(text.split())
    assert "2018年第三季度全市文化产业发展情况的通报" in compact
    assert services.figures_of(issued)["f1"].text in compact
    assert "津文旅统〔2018〕1号" in compact


def test_demo_provider_writes_a_scheme_and_bulletins(data):
    from wenzhi.statistics import outputs_demo
    from wenzhi.statistics.bulletin.models import Bulletin

    result = outputs_demo.generate(scale=0.1)
    assert result["schemes"] == 1 and result["bulletins"] >= 1
    assert Bulletin.objects.filter(is_demo=True, status=BulletinStatus.DRAFT, period__code="2018Q3").exists()
    if cjk_font_available():
        assert Bulletin.objects.get(is_demo=True, status=BulletinStatus.ISSUED).period.code == "2018Q2"
    assert outputs_demo.generate(scale=0.1) == {"skipped": "演示通报和考核方案已存在"}
