"""Exports a spreadsheet cannot be turned against, that say which filters made them; bad filters are 400s."""

import csv
import io

import pytest
from openpyxl import load_workbook

from wenzhi.core.text import clean_text, export_text, sheet_title

from .. import services
from ..models import Enterprise

LISTS = ["/registry/enterprises/", "/registry/parks/", "/registry/talents/", "/registry/trainings/",
         "/registry/directories/"]


def _rename(enterprise, name):
    # A name as an older import or a database edit may have left it: straight to the row, past the cleaning.
    Enterprise.all_objects.filter(pk=enterprise.pk).update(name=name)


def _xlsx(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def _csv(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_formula_names_stay_text_in_xlsx_and_csv(registry, client_as):
    _rename(registry["ent_a"], '=HYPERLINK("http://evil.example","点我")')
    admin = client_as("city_admin")
    wb = _xlsx(admin.get("/registry/enterprises/", {"export": "xlsx", "q": "HYPERLINK"}))
    ws = wb.worksheets[0]
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ['\'=HYPERLINK("http://evil.example","点我")']
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    rows = _csv(admin.get("/registry/enterprises/", {"export": "csv", "q": "HYPERLINK"}))
    assert rows[1][0].startswith("'=")


def test_public_directory_download_defuses_formulas(registry, users, client):
    directory = registry["directory"]
    services.directory_entry_add(actor=users["city_admin"], directory=directory, enterprise=registry["ent_a"])
    services.directory_publish(actor=users["city_admin"], directory=directory)
    _rename(registry["ent_a"], "@SUM(1+1)*cmd|' /C calc'!A0")
    ws = _xlsx(client.get(f"/registry/public/directories/{directory.pk}/", {"export": "xlsx"})).worksheets[0]  # column 1 is 序号
    assert ws.cell(row=2, column=2).value == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert ws.cell(row=2, column=2).data_type == "s"


def test_control_characters_do_not_break_the_xlsx(registry, client_as):
    _rename(registry["ent_a"], "天津\x0b垂直\x1f制表有限公司")  # (PostgreSQL refuses \x00 itself)
    ws = _xlsx(client_as("city_admin").get("/registry/enterprises/", {"export": "xlsx"})).worksheets[0]
    assert "天津垂直制表有限公司" in [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_control_characters_are_dropped_on_the_way_in(registry, users):
    enterprise = services.enterprise_update(actor=users["city_admin"], enterprise=registry["ent_a"],
                                            data={"address": "和平区\x0b南京路\x1f 1 号\n二层"})
    enterprise.refresh_from_db()
    assert enterprise.address == "和平区南京路 1 号\n二层"


def test_directory_with_slash_in_its_name_exports(registry, users, client_as):
    directory = registry["directory"]
    directory.name = "2023/2024 年度天津市文化产业示范基地[第一批]：名单*？"
    directory.save(update_fields=["name"])
    services.directory_entry_add(actor=users["city_admin"], directory=directory, enterprise=registry["ent_b"])
    wb = _xlsx(client_as("city_admin").get(f"/registry/directories/{directory.pk}/", {"export": "xlsx"}))
    title = wb.worksheets[0].title
    assert len(title) <= 31 and not set("[]:*?/\\") & set(title) and title.startswith("2023 2024")


def test_numbers_stay_numbers():
    assert export_text("-5") == "'-5"  # text that looks like a formula ...
    from wenzhi.core.listing import export_cell

    assert export_cell(-5) == -5  # ... while a number is a number


def test_helpers():
    assert clean_text("a\x00b\x0bc\td\re\nf") == "abc\td\re\nf"
    assert export_text("\t=1") == "'\t=1" and export_text("正常") == "正常"
    assert sheet_title("") == "Sheet1" and sheet_title("'引号'") == "引号"


def test_xlsx_says_which_filters_made_it(registry, users, client_as):
    officer = users["district_officer"]
    response = client_as("district_officer").get(
        "/registry/enterprises/", {"export": "xlsx", "district": str(registry["ent_a"].district_id), "q": "和平",
                                   "sort": "-name"})
    wb = _xlsx(response)
    assert [ws.title for ws in wb.worksheets][1] == "导出说明"
    notes = dict(wb.worksheets[1].iter_rows(values_only=True))
    assert notes["筛选条件"] == "所属区=和平区"
    assert notes["搜索"] == "和平"
    assert officer.username in notes["导出人"] and notes["导出时间"]
    assert notes["行数"] == "1"
    disposition = response["Content-Disposition"]
    assert "%E5%92%8C%E5%B9%B3%E5%8C%BA" in disposition  # 和平区 in the file name


def test_csv_keeps_header_first_and_names_filters_in_the_file_name(registry, client_as):
    response = client_as("city_admin").get("/registry/enterprises/", {"export": "csv", "sector": "animation_games"})
    assert "%E5%8A%A8%E6%BC%AB" in response["Content-Disposition"]  # 动漫 (the sector's label)
    rows = _csv(response)
    assert rows[0][0] == "企业名称" and len(rows) == 2


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["0", "10000", "-5", "abc", "1e400", "2020.5"])
def test_out_of_range_years_are_a_400_with_the_reason(registry, client_as, url, value):
    admin = client_as("city_admin")
    params = {"founded_year": value, "designated_year": value, "year_recognised": value, "year": value}
    page = admin.get(url, params)
    assert page.status_code == 400
    assert "筛选条件有误" in page.content.decode()
    export = admin.get(url, {**params, "export": "csv"})
    assert export.status_code == 400 and not export.streaming


@pytest.mark.parametrize(("url", "param", "label"), [
    ("/api/v1/enterprises/", "founded_year", "成立年份"), ("/api/v1/enterprises/", "latest_year", "数据年度"),
    ("/api/v1/parks/", "designated_year", "命名年份"), ("/api/v1/talents/", "year_recognised", "入选年度"),
    ("/api/v1/directories/", "year", "年度")])
@pytest.mark.parametrize("value", ["0", "10000", "-5", "x"])
def test_api_out_of_range_years(registry, client_as, url, param, label, value):
    response = client_as("city_admin").get(url, {param: value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and label in body["message"] and param in body["errors"]


@pytest.mark.parametrize(("url", "params"), [
    ("/api/v1/enterprises/", {"district": "abc"}), ("/api/v1/enterprises/", {"sector": "nope"}),
    ("/api/v1/enterprises/", {"park": "-1"}), ("/api/v1/enterprises/", {"tag": "x"}),
    ("/api/v1/parks/", {"status": "gone"}), ("/api/v1/directories/", {"published": "maybe"}),
    ("/api/v1/organisations/", {"district": "abc"}), ("/api/v1/organisations/", {"level": "x"}),
    ("/registry/enterprises/", {"culture_category": "zz"}), ("/registry/reference/industry-codes/", {"level": "9"})])
def test_unknown_choices_are_a_400(registry, client_as, url, params):
    assert client_as("city_admin").get(url, params).status_code == 400


def test_a_valid_year_still_filters(registry, client_as):
    Enterprise.all_objects.filter(pk=registry["ent_a"].pk).update(founded_on="2015-06-01")
    response = client_as("city_admin").get("/api/v1/enterprises/", {"founded_year": 2015})
    assert response.status_code == 200
    assert registry["ent_a"].name in [e["name"] for e in response.json()["results"]]


def test_published_filter_takes_true_and_false_as_the_schema_says(registry, users, client_as):
    services.directory_entry_add(actor=users["city_admin"], directory=registry["directory"],
                                 enterprise=registry["ent_b"])
    services.directory_publish(actor=users["city_admin"], directory=registry["directory"])
    admin = client_as("city_admin")
    for yes, no in (("true", "false"), ("1", "0")):
        assert admin.get("/api/v1/directories/", {"published": yes}).json()["count"] == 1
        assert admin.get("/api/v1/directories/", {"published": no}).json()["count"] == 0


@pytest.mark.parametrize("url", ["/api/v1/enterprises/?search=a%00b", "/registry/enterprises/?q=a%00b",
                                 "/api/v1/organisations/?search=%00", "/core/organisations/?q=%00%1f",
                                 "/registry/enterprises/?sector=%00", "/api/v1/enterprises/?ordering=%00",
                                 "/registry/enterprises/?export=csv&q=%00"])
def test_control_characters_in_a_query_are_ignored_not_a_500(registry, client_as, url):
    # PostgreSQL refuses NUL in any text it compares: this was a 500 there on every list and API search.
    response = client_as("city_admin").get(url)
    assert response.status_code == 200
    if response.streaming:
        assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_api_input_drops_control_characters(registry, client_as):
    park = registry["park_a"]
    response = client_as("district_officer").post(
        f"/api/v1/parks/{park.pk}/evaluations/", {"year": 2019, "scores": {"management": 10, "clustering": 12, "performance": 12, "innovation": 8,
                                                      "public_service": 8}, "reason": "集聚\x0b不足"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["reason"] == "集聚不足"
