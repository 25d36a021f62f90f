"""The bulletin's pages, API and command: a city draft → review → issue through the web and the API, districts
reading only issued bulletins, ``wenzhi bulletin --period … --out DIR`` writing one .docx and one .pdf."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from wenzhi.core.documents import cjk_font_available
from wenzhi.statistics.bulletin import check as checking
from wenzhi.statistics.bulletin import services

from .outputs_world import fill

pytestmark = pytest.mark.django_db
needs_font = pytest.mark.skipif(not cjk_font_available(),
                                reason="the CJK font for PDFs is not installed (make assets copies it to var/fonts)")


@pytest.fixture
def data(reference_data):
    return fill()


@needs_font
def test_web_flow_draft_edit_approve_issue(data, client_as):
    city = client_as("city_admin")
    response = city.post(reverse("statistics:bulletin_new"), {"period": "2018Q3"})
    assert response.status_code == 302
    url = response["Location"]
    page = city.get(url).content.decode()
    assert 'class="figure-ref"' in page and "全市当期值" in page  # each figure names its query
    pk = int(url.rstrip("/").split("/")[-1])
    edit_url = reverse("statistics:bulletin_edit", args=[pk])
    form = city.get(edit_url).content.decode()
    assert "{f1:" in form
    refused = city.post(edit_url, {"title": "关于2018年第三季度全市文化产业发展情况的通报", "text": "增加值99亿元。"})
    assert refused.status_code == 200 and "没有绑定数据查询" in refused.content.decode()
    city.post(reverse("statistics:bulletin_approve", args=[pk]))
    city.post(reverse("statistics:bulletin_issue", args=[pk]))
    issued = city.get(url).content.decode()
    assert 'data-status="issued"' in issued and "津文旅统〔2018〕1号" in issued
    district = client_as("district_officer")
    assert district.get(url).status_code == 200
    docx = district.get(reverse("statistics:bulletin_docx", args=[pk]))
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('.docx"')


def test_district_officer_does_not_see_drafts(data, users, client_as):
    bulletin = services.bulletin_draft(actor=users["city_admin"], period="2018Q3")
    district = client_as("district_officer")
    assert district.get(reverse("statistics:bulletin_detail", args=[bulletin.pk])).status_code == 404
    listing = district.get(reverse("statistics:bulletin_list")).content.decode()
    assert bulletin.title not in listing


def test_api_edit_refuses_a_changed_number_and_check_reports(data, users, client_as):
    api = client_as("city_admin")
    created = api.post("/api/v1/statistics/bulletins/", {"period": "2018Q3"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    bulletin = services.figures_of(services.Bulletin.objects.get(pk=body["id"]))
    text = checking.editable(services.Bulletin.objects.get(pk=body["id"]).paragraphs, bulletin)
    wrong = text.replace("{f1:" + bulletin["f1"].text + "}", "{f1:1.00}")
    refused = api.patch(f"/api/v1/statistics/bulletins/{body['id']}/", {"title": body["title"], "text": wrong},
                        content_type="application/json")
    assert refused.status_code == 400 and "f1" in refused.content.decode()
    assert api.get(f"/api/v1/statistics/bulletins/{body['id']}/check/").json()["ok"] is True
    empty = api.post("/api/v1/statistics/bulletins/", {"period": "2030Q1"}, content_type="application/json")
    assert empty.status_code == 400 and "2030Q1" in empty.content.decode()


@needs_font
def test_command_writes_one_docx_and_one_pdf(data, tmp_path):
    call_command("bulletin", period="2018Q3", out=str(tmp_path))
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf"]
    assert (tmp_path / "bulletin-2018Q3.pdf").read_bytes().startswith(b"%PDF")


def test_command_refuses_a_period_without_data(data, tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        call_command("bulletin", period="2030Q1", out=str(tmp_path))
    assert exited.value.code == 1
    assert "2030Q1 没有已填报的数据" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
    with pytest.raises(SystemExit):
        call_command("bulletin", period="2030Q1", out=str(tmp_path / "new"))
    assert not (tmp_path / "new").exists()
