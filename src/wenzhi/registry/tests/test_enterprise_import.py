"""Importing the registry from officials' spreadsheets: command line, services, pages and API, and bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from wenzhi.core.models import ImportRecord, Organisation

from ..importing.importers import EnterpriseImporter
from ..importing.services import import_record_create, registry_import
from ..models import Enterprise, EnterpriseYearFigure, Park, Talent
from .factories import EnterpriseFactory, valid_credit_code

HEADERS = ["企业名称", "统一社会信用代码", "所属区", "注册地址", "行业代码", "经营范围", "成立日期", "从业人员",
           "营业收入（万元）"]


def code(district="120101") -> str:
    return valid_credit_code(district)


def wrong_check_char(good: str) -> str:
    return good[:17] + ("0" if good[17] != "0" else "1")


def xlsx(rows, headers=HEADERS, path=None, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    if headers:
        ws.append(headers)
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    buf = io.BytesIO()
    wb.save(buf)
    if path is not None:
        path.write_bytes(buf.getvalue())
        return path
    return buf.getvalue()


def row(name, credit="", district="和平区", **kw):
    return [name, credit, district, kw.get("address", "天津市和平区南京路 1 号"), kw.get("industry", "8710"),
            kw.get("scope", "广播电视节目制作；数字内容服务"), kw.get("founded", "2018-05-01"),
            kw.get("employees", 120), kw.get("revenue", "1,234.5")]


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_registry", *[str(a) for a in args], stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


def registry_state():
    return (Enterprise.all_objects.count(), Enterprise.history.count(), EnterpriseYearFigure.objects.count(),
            EnterpriseYearFigure.history.count(), Organisation.objects.count())


def read_report(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------------------------- command line


def test_ordinary_chinese_headers_import_with_no_mapping(db, tmp_path, heping):
    good = code()
    path = xlsx([row("天津文智传媒有限公司", good, founded="2018年5月1日", revenue="1,234.5", employees="１２０")],
                path=tmp_path / "企业名单.xlsx")
    status, out, err = run_cli(path, "--kind", "enterprise", "--year", "2019")
    assert status == 0, out + err
    e = Enterprise.objects.get(credit_code=good)
    assert (e.name, e.district, e.founded_on, e.industry_code) == ("天津文智传媒有限公司", heping, dt.date(2018, 5, 1), "8710")
    assert e.culture_category == "01" and e.sector and e.organisation.level == "enterprise"
    assert (e.latest_year, e.latest_revenue, e.latest_employees) == (2019, Decimal("1234.50"), 120)
    fig = e.year_figures.get()
    assert (fig.year, fig.revenue, fig.employees) == (2019, Decimal("1234.50"), 120)
    (h,) = e.history.all()
    assert h.history_type == "+" and h.history_change_reason == "批量导入：企业名单.xlsx"
    record = ImportRecord.objects.get()
    assert record.status == "committed" and record.file.read() == path.read_bytes()
    assert "列名一致" in out


def test_one_invalid_row_means_nothing_is_written(db, tmp_path):
    good = code()
    path = xlsx([row("天津甲文化有限公司", code()), row("天津乙文化有限公司", wrong_check_char(good))],
                path=tmp_path / "a.xlsx")
    before = registry_state()
    status, out, _ = run_cli(path, "--kind", "enterprise", "--report", tmp_path / "r.csv")
    assert status == 1
    assert registry_state() == before
    (problem,) = read_report(tmp_path / "r.csv")
    assert list(problem) == ["row", "column", "value", "error"]
    assert problem["row"] == "3" and problem["column"] == "统一社会信用代码"
    assert problem["value"] == wrong_check_char(good)
    assert problem["error"] == f"统一社会信用代码校验位错误：第 18 位应为 {good[17]}，实为 {wrong_check_char(good)[17]}（请核对前 17 位是否有误）"
    assert "没有写入任何数据" in out


def test_skip_invalid_commits_the_valid_rows(db, tmp_path):
    path = xlsx([row("天津甲文化有限公司", code()), row("天津乙文化有限公司", code(), district="朝阳区"),
                 row("天津丙文化有限公司", "", founded="2019-02-30")], path=tmp_path / "a.xlsx")
    status, out, _ = run_cli(path, "--kind", "enterprise", "--skip-invalid", "--report", tmp_path / "r.csv")
    assert status == 1
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["天津甲文化有限公司"]
    problems = {(p["row"], p["column"]): p["error"] for p in read_report(tmp_path / "r.csv")}
    assert problems[("3", "所属区")].startswith("不是天津市的区（可填：和平区、")
    assert problems[("4", "成立日期")] == "日期不存在：2019 年 2 月没有 30 日"


def test_dry_run_writes_nothing_and_exits_0_when_all_valid(db, tmp_path):
    path = xlsx([row("天津甲文化有限公司", code())], path=tmp_path / "a.xlsx")
    before = registry_state()
    status, out, _ = run_cli(path, "--kind", "enterprise", "--dry-run")
    assert status == 0 and registry_state() == before
    assert "可新增 1 条" in out


@pytest.mark.parametrize("content,why", [
    (b"", "a.xlsx 是空文件（0 字节）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "这是旧版 Excel 97-2003 (.xls) 文件，请另存为 .xlsx"),
])
def test_unreadable_files_exit_2_with_the_reason(db, tmp_path, content, why):
    path = tmp_path / "a.xlsx"
    path.write_bytes(content)
    status, out, err = run_cli(path, "--kind", "enterprise")
    assert status == 2
    assert f"import_registry: 无法读取 {path}：" in err and why in err
    assert Enterprise.all_objects.count() == 0
    assert ImportRecord.objects.get().status == "failed"


def test_missing_file_and_zip_bomb_exit_2(db, tmp_path):
    status, _, err = run_cli(tmp_path / "nope.xlsx", "--kind", "enterprise")
    assert status == 2 and "文件不存在" in err
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            for _ in range(40):
                fh.write(b"\0" * (1 << 20))
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(buf.getvalue())
    status, _, err = run_cli(bomb, "--kind", "enterprise")
    assert status == 2 and "压缩炸弹" in err and "xl/worksheets/sheet1.xml" in err


def test_gbk_csv_declared_utf8(db, tmp_path, binhai):
    text = ",".join(HEADERS) + "\n" + ",".join(str(v) for v in row("天津滨海文化有限公司", code("120116"), "滨海")) \
        .replace("1,234.5", "1234.5") + "\n"
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    status, out, err = run_cli(path, "--kind", "enterprise", "--encoding", "utf-8")
    assert status == 0, out + err
    assert Enterprise.objects.get().name == "天津滨海文化有限公司"
    assert Enterprise.objects.get().district == binhai
    assert "声明为 UTF-8，但内容实际是 GBK" in out


def test_mapping_overrides_on_the_command_line(db, tmp_path):
    path = xlsx([["天津甲文化有限公司", "和平", "备注"]], headers=["机构", "区", "其他"], path=tmp_path / "a.xlsx")
    status, out, err = run_cli(path, "--kind", "enterprise", "--map", "机构=name", "--map", "其他=")
    assert status == 0, out + err
    assert Enterprise.objects.get().name == "天津甲文化有限公司"


def test_missing_required_column_exit_2(db, tmp_path):
    path = xlsx([["x"]], headers=["经营范围"], path=tmp_path / "a.xlsx")
    status, _, err = run_cli(path, "--kind", "enterprise")
    assert status == 2 and "缺少必填列：“企业名称”" in err and "“所属区”" in err


# --------------------------------------------------------------------------------------------- bad rows


def _dry(actor, data: bytes, name="a.xlsx", **options):
    record = import_record_create(actor=actor, kind="enterprise", uploaded=io.BytesIO(data), filename=name,
                                  dry_run=True, **options)
    return record, registry_import(actor=actor, record=record)


def test_two_rows_for_the_same_company(db, users):
    admin = users["city_admin"]
    c = code()
    data = xlsx([row("天津甲文化有限公司", c), row("天津乙文化有限公司", c), row("天津市甲文化（有限公司）", "")])
    _, result = _dry(admin, data)
    assert [(e.row, e.column) for e in result.errors] == [(3, "统一社会信用代码"), (4, "企业名称")]
    assert result.errors[0].error.startswith("与第 2 行的统一社会信用代码相同")
    assert result.errors[1].error.startswith("与第 2 行是同一企业（企业名称相同）")


def test_same_credit_code_as_the_registry_updates_and_keeps_the_old_name(db, users, tmp_path):
    existing = EnterpriseFactory(name="天津旧名文化有限公司")
    path = xlsx([row("天津新名文化有限公司", existing.credit_code, revenue=50)], path=tmp_path / "a.xlsx")
    status, out, _ = run_cli(path, "--kind", "enterprise", "--year", "2020")
    assert status == 0
    existing.refresh_from_db()
    assert existing.name == "天津新名文化有限公司" and "天津旧名文化有限公司" in existing.former_names
    assert existing.history.first().history_type == "~"
    from wenzhi.core.services import history_diffs

    latest = history_diffs(existing)[0]
    assert latest["type"] == "修改" and latest["reason"] == "批量导入：a.xlsx"
    assert {"field": "企业名称", "old": "天津旧名文化有限公司", "new": "天津新名文化有限公司"} in latest["changes"]
    assert Enterprise.objects.count() == 1 and "更新 1 条" in out


def test_name_matches_registry_with_another_credit_code_is_a_conflict(db, users):
    EnterpriseFactory(name="天津冲突文化有限公司")
    _, result = _dry(users["city_admin"], xlsx([row("天津冲突文化有限公司", code())]))
    (err,) = result.errors
    assert "登记库中已有同名企业" in err.error and err.column == "统一社会信用代码"


def test_formula_cell_and_merged_header(db, users):
    admin = users["city_admin"]
    data = xlsx([["企业信息", None, None, "经营数据"], ["企业名称", "统一社会信用代码", "所属区", "营业收入（万元）"],
                 ["天津甲文化有限公司", code(), "和平区", "=10*2"]], headers=None, merges=["A1:C1", "D1:D1"])
    _, result = _dry(admin, data)
    (err,) = result.errors
    assert err.row == 3 and err.column == "营业收入（万元）"
    assert "单元格 D3 是公式“=10*2”，文件中没有保存计算结果" in err.error


def test_header_only_file_is_refused(db, users):
    record = import_record_create(actor=users["city_admin"], kind="enterprise", uploaded=io.BytesIO(xlsx([])),
                                  filename="a.xlsx")
    from wenzhi.core.importing import ImportFileError

    with pytest.raises(ImportFileError, match="只有表头"):
        registry_import(actor=users["city_admin"], record=record)
    record.refresh_from_db()
    assert record.status == "failed" and "只有表头" in record.message


def test_failed_commit_leaves_the_registry_unchanged_including_history(db, users, monkeypatch):
    admin = users["city_admin"]
    existing = EnterpriseFactory(name="天津已有文化有限公司")
    rows = [row(f"天津批量{i}文化有限公司", code()) for i in range(5)] + [row("天津已改名文化有限公司", existing.credit_code)]
    record = import_record_create(actor=admin, kind="enterprise", uploaded=io.BytesIO(xlsx(rows)),
                                  filename="a.xlsx", dry_run=False)
    monkeypatch.setattr(EnterpriseImporter, "batch_size", 2)
    original = EnterpriseImporter.write
    calls = {"n": 0}

    def failing(self, batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("磁盘已满")
        return original(self, batch)

    monkeypatch.setattr(EnterpriseImporter, "write", failing)
    before = registry_state()
    with pytest.raises(RuntimeError):
        registry_import(actor=admin, record=record)
    assert calls["n"] == 3
    assert registry_state() == before
    existing.refresh_from_db()
    assert existing.name == "天津已有文化有限公司"
    record.refresh_from_db()
    assert record.status == "failed" and "没有写入任何数据" in record.message


def test_district_officer_imports_only_own_district(db, users):
    officer = users["district_officer"]  # 和平区
    _, result = _dry(officer, xlsx([row("天津和平文化有限公司", code()), row("天津滨海文化有限公司", code(), "滨海新区")]))
    (err,) = result.errors
    assert err.row == 3 and "不在您的管辖范围（和平区）" in err.error
    assert result.to_create == 1


def test_commit_writes_the_dry_runs_checked_rows_without_reading_again(db, users, monkeypatch):
    admin = users["city_admin"]
    record, dry = _dry(admin, xlsx([row("天津甲文化有限公司", code()), row("天津乙文化有限公司", code())]))
    assert record.status == "checked" and dry.to_create == 2 and Enterprise.objects.count() == 0
    import wenzhi.registry.importing.services as services

    def no_reading(*a, **k):
        raise AssertionError("the commit must write the dry run's checked rows")

    monkeypatch.setattr(services, "open_table", no_reading)
    record.refresh_from_db()
    done = registry_import(actor=admin, record=record, commit=True)
    assert (done.created, done.updated) == (2, 0)
    assert Enterprise.objects.count() == 2 and Enterprise.history.count() == 2
    record.refresh_from_db()
    assert "checked" not in record.options  # the stored rows go once written


def test_commit_checks_again_when_the_registry_changed_meanwhile(db, users):
    admin = users["city_admin"]
    c = code()
    record, dry = _dry(admin, xlsx([row("天津甲文化有限公司", c), row("天津乙文化有限公司", code())]))
    EnterpriseFactory(name="天津甲文化有限公司", credit_code=c)  # registered meanwhile
    record.refresh_from_db()
    done = registry_import(actor=admin, record=record, commit=True)
    assert (done.created, done.updated) == (1, 1)
    assert Enterprise.objects.count() == 2


def test_park_and_talent_imports(db, users, tmp_path, heping):
    path = xlsx([["测试文创园", "市级", "文化产业园区", "和平", "天津某运营公司", 12000]],
                headers=["园区名称", "级别", "类型", "所属区", "运营主体", "面积（亩）"], path=tmp_path / "p.xlsx")
    status, out, err = run_cli(path, "--kind", "park")
    assert status == 0, out + err
    park = Park.objects.get(name="测试文创园")
    assert park.level == "municipal" and park.organisation.level == "park" and park.district == heping
    assert park.area_sqm == 8000000
    ent = EnterpriseFactory(name="天津人才单位文化有限公司")
    path = xlsx([["张三", "领军人才", "四个一批", "天津人才单位文化有限公司", 2019, "男"]],
                headers=["姓名", "人才类别", "入选项目", "工作单位", "入选年度", "性别"], path=tmp_path / "t.xlsx")
    status, out, err = run_cli(path, "--kind", "talent")
    assert status == 0, out + err
    t = Talent.objects.get(name="张三")
    assert (t.category, t.programme, t.employer, t.gender, t.district) == ("leading", "four_batches", ent, "M",
                                                                          ent.district)


# ------------------------------------------------------------------------------------------ pages and API


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Requests only queue the import on commit; this runs the queued tasks (immediate backend in tests)."""
    def run(call):
        with django_capture_on_commit_callbacks(execute=True):
            return call()
    return run


def _upload(client, rows, name="名单.xlsx", kind="enterprise", run=None):
    def post():
        return client.post(reverse("registry:import_new"),
                           {"kind": kind, "file": SimpleUploadedFile(name, xlsx(rows)), "encoding": ""})
    return run(post) if run else post()


def test_pages_upload_report_adjust_and_commit(db, users, client_as, run_tasks):
    client = client_as("city_admin")
    assert client.get(reverse("registry:import_new")).status_code == 200
    bad = code()
    response = _upload(client, [row("天津甲文化有限公司", code()), row("天津乙文化有限公司", wrong_check_char(bad))],
                       run=run_tasks)
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("registry:import_detail", args=[record.pk])
    page = client.get(response["Location"]).content.decode()
    assert "统一社会信用代码校验位错误" in page and "天津甲文化有限公司" in page and "已校验" in page
    assert Enterprise.objects.count() == 0
    report = client.get(reverse("registry:import_report", args=[record.pk]))
    assert report.content.decode("utf-8-sig").splitlines()[0] == "row,column,value,error"
    # Commit only if everything is valid: nothing is written.
    run_tasks(lambda: client.post(reverse("registry:import_commit", args=[record.pk]), {"mode": "all"}))
    record.refresh_from_db()
    assert record.status == "rejected" and Enterprise.objects.count() == 0
    # Ignore the credit-code column, check again, then commit the good rows.
    mapping = {f"col-{c['index']}": c["field"] for c in record.options["report"]["mapping"]}
    mapping["col-1"] = ""
    run_tasks(lambda: client.post(reverse("registry:import_mapping", args=[record.pk]), mapping))
    record.refresh_from_db()
    assert record.status == "checked" and record.error_count == 0
    run_tasks(lambda: client.post(reverse("registry:import_commit", args=[record.pk]), {"mode": "skip"}))
    record.refresh_from_db()
    assert record.status == "committed" and Enterprise.objects.count() == 2
    assert set(Enterprise.objects.values_list("credit_code", flat=True)) == {""}
    listing = client.get(reverse("registry:import_list")).content.decode()
    assert "名单.xlsx" in listing and "已导入" in listing
    original = client.get(reverse("registry:import_file", args=[record.pk]))
    assert b"".join(original.streaming_content)[:2] == b"PK"


def test_every_file_is_read_by_the_task_worker_with_progress(db, users, client_as, django_capture_on_commit_callbacks):
    client = client_as("city_admin")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _upload(client, [row(f"天津任务{i}文化有限公司", code()) for i in range(3)])
    record = ImportRecord.objects.get()
    assert record.status == "pending" and len(queued) == 1  # the request only stored the file and queued it
    page = client.get(reverse("registry:import_detail", args=[record.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    queued[0]()  # the worker picks it up
    record.refresh_from_db()
    assert record.status == "checked"
    progress = client.get(reverse("registry:import_progress", args=[record.pk]))
    assert progress["HX-Refresh"] == "true"
    record.status = "running"
    record.total_rows, record.processed_rows = 10, 4
    record.save()
    page = client.get(reverse("registry:import_detail", args=[record.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "width: 40%" in page


def test_scope_of_import_pages(db, users, client_as):
    _upload(client_as("city_admin"), [row("天津甲文化有限公司", code())])
    record = ImportRecord.objects.get()
    officer = client_as("district_officer")
    assert officer.get(reverse("registry:import_list")).status_code == 200
    assert officer.get(reverse("registry:import_detail", args=[record.pk])).status_code == 404
    assert client_as("park_operator").get(reverse("registry:import_list")).status_code == 403
    assert client_as("enterprise_user").get(reverse("registry:import_new")).status_code == 403


def test_api_upload_and_commit(db, users, client_as, run_tasks):
    client = client_as("city_admin")
    response = run_tasks(lambda: client.post("/api/v1/registry-imports/", {
        "kind": "enterprise", "file": SimpleUploadedFile("a.xlsx", xlsx([row("天津接口文化有限公司", code())]))}))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"  # read by the task worker; poll the record
    body = client.get(f"/api/v1/registry-imports/{body['id']}/").json()
    assert body["status"] == "checked" and body["report"]["to_create"] == 1
    run_tasks(lambda: client.post(f"/api/v1/registry-imports/{body['id']}/commit/", {"skip_invalid": False},
                                  content_type="application/json"))
    assert client.get(f"/api/v1/registry-imports/{body['id']}/").json()["status"] == "committed"
    assert Enterprise.objects.filter(name="天津接口文化有限公司").exists()
    assert client_as("enterprise_user").get("/api/v1/registry-imports/").status_code == 403


@pytest.mark.parametrize("name,industry_code,scope", [
    ("天津文智传媒有限公司", "8710", "广播电视节目制作；数字内容服务"),
    ("天津ＡＩ影像科技有限公司", "6513", "人工智能应用软件开发；ｖｒ内容制作；ARTS 培训"),
    ("天津星海动漫有限公司", "", "动漫设计；游戏软件开发；网络文化经营"),
    ("天津印务有限公司", "2319", "包装装潢印刷"),
    ("天津智慧文旅有限公司", "7291", "旅游景区管理；智慧景区建设；AR 导览"),
    ("天津数据有限公司", "6450", "大数据分析；云计算；区块链技术服务"),
    ("天津某公司", "", ""),
    ("天津天地人工智能能源公司", "9999", "物业管理"),
])
def test_bulk_classification_equals_classify(name, industry_code, scope):
    from ..classification import classify
    from ..importing.schemas import classify_for_import

    assert classify_for_import(name=name, industry_code=industry_code, business_scope=scope) == classify(
        name=name, industry_code=industry_code, business_scope=scope)


# ------------------------------------------------------------------------- scope and the permission table


def _import(actor, kind, headers, rows, commit=True):
    record = import_record_create(actor=actor, kind=kind, uploaded=io.BytesIO(xlsx(rows, headers=headers)),
                                  filename=f"{kind}.xlsx", dry_run=not commit, skip_invalid=True)
    return registry_import(actor=actor, record=record)


def test_district_officer_cannot_match_or_overwrite_another_districts_enterprise(db, users, binhai):
    officer = users["district_officer"]  # 和平区
    c = code("120116")
    other = EnterpriseFactory(name="天津滨海已登记文化有限公司", credit_code=c, district=binhai)
    result = _import(officer, "enterprise", HEADERS, [row("天津滨海已登记文化有限公司", c, "和平区", address="改")])
    (err,) = result.errors
    assert "第 2 行：该企业不在您的管辖范围内" in err.error and result.updated == 0
    other.refresh_from_db()
    assert other.district == binhai and other.address != "改"


def test_district_officer_talent_import_leaves_other_districts_talents_alone(db, users, binhai):
    from .factories import TalentFactory

    theirs = TalentFactory(name="李四", employer_name="滨海某单位", district=binhai, phone="13800000000")
    headers = ["姓名", "人才类别", "入选项目", "工作单位", "所属区", "联系电话"]
    result = _import(users["district_officer"], "talent", headers,
                     [["李四", "领军人才", "四个一批", "滨海某单位", "和平区", "13999999999"]])
    (err,) = result.errors
    assert "该人才不在您的管辖范围内" in err.error and (result.created, result.updated) == (0, 0)
    theirs.refresh_from_db()
    assert (theirs.district, theirs.phone) == (binhai, "13800000000")


def test_park_import_never_changes_a_parks_level(db, users, heping):
    from .factories import ParkFactory

    park = ParkFactory(name="和平国家级园区", district=heping, level="national")
    headers = ["园区名称", "级别", "类型", "所属区", "运营主体"]
    for role in ("district_officer", "city_admin"):
        result = _import(users[role], "park", headers, [["和平国家级园区", "区级", "文化产业园区", "和平区", "新运营"]])
        (err,) = result.errors
        assert err.column == "级别" and "园区动态管理" in err.error
        park.refresh_from_db()
        assert park.level == "national" and park.operator != "新运营"
    same_level = _import(users["district_officer"], "park", headers,
                         [["和平国家级园区", "国家级", "文化产业园区", "和平区", "新运营"]])
    park.refresh_from_db()
    assert same_level.updated == 1 and park.operator == "新运营" and park.level == "national"


def test_district_officer_cannot_create_parks_by_import(db, users):
    result = _import(users["district_officer"], "park", ["园区名称", "级别", "类型", "所属区"],
                     [["和平新园区", "区级", "文化产业园区", "和平区"]])
    (err,) = result.errors
    assert "没有新建园区的权限" in err.error and not Park.objects.filter(name="和平新园区").exists()


def test_roles_without_import_run_are_refused(db, users):
    from django.core.exceptions import PermissionDenied

    for role in ("park_operator", "enterprise_user"):
        with pytest.raises(PermissionDenied):
            import_record_create(actor=users[role], kind="enterprise", uploaded=io.BytesIO(xlsx([])), filename="a.xlsx")


# --------------------------------------------------------------------------------- robustness and limits


def test_cli_exit_codes_are_documented_messages(db, tmp_path):
    path = xlsx([row("天津甲文化有限公司", wrong_check_char(code()))], path=tmp_path / "a.xlsx")
    status, out, err = run_cli(path, "--kind", "enterprise", "--report", tmp_path / "no" / "such" / "dir.csv")
    assert status == 3 and "无法写入问题清单" in err and "Traceback" not in err
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(path.read_bytes()[:2000])
    status, _, err = run_cli(truncated, "--kind", "enterprise")
    assert status == 2 and "无法读取" in err
    long_field = tmp_path / "long.csv"
    long_field.write_text("企业名称,所属区\n" + '"' + "长" * 200_000 + '",和平区\n', encoding="utf-8")
    status, _, err = run_cli(long_field, "--kind", "enterprise")
    assert status == 2 and "字段过长" in err
    status, _, err = run_cli("--commit", 999999)
    assert status == 4 and "没有编号为 999999 的导入记录" in err


def test_cli_dry_run_then_commit_by_record_number(db, tmp_path):
    path = xlsx([row("天津甲文化有限公司", code()), row("天津乙文化有限公司", wrong_check_char(code()))],
                path=tmp_path / "a.xlsx")
    status, out, _ = run_cli(path, "--kind", "enterprise", "--dry-run")
    assert status == 1 and Enterprise.objects.count() == 0
    record = ImportRecord.objects.get()
    assert f"--commit {record.pk}" in out
    status, out, _ = run_cli("--commit", record.pk, "--skip-invalid")
    assert status == 1 and Enterprise.objects.count() == 1 and "已新增 1 条" in out


def test_huge_shared_string_table_is_refused_before_loading(db, users, monkeypatch):
    from wenzhi.core import importing

    monkeypatch.setattr(importing.base, "MAX_SHARED_STRINGS", 50)
    buf = io.BytesIO(xlsx([row("天津甲文化有限公司", code())]))
    with zipfile.ZipFile(buf, "a") as zf:  # a table Excel would write: one <si> per distinct text
        zf.writestr("xl/sharedStrings.xml", '<sst xmlns="x" count="60">' + "<si><t>甲</t></si>" * 60 + "</sst>")
    with pytest.raises(importing.ImportFileError, match="共享字符串表有超过 50 个条目"):
        _dry(users["city_admin"], buf.getvalue())
    record = ImportRecord.objects.get()
    assert record.status == "failed" and "上限" in record.message


def test_sheet_with_too_many_cells_is_refused(db, users, monkeypatch):
    from wenzhi.core import importing

    monkeypatch.setattr(importing.base, "MAX_CELLS", 100)
    with pytest.raises(importing.ImportFileError, match="超过 100 个单元格"):
        _dry(users["city_admin"], xlsx([row(f"天津{i}文化有限公司", code()) for i in range(20)]))


def test_problem_lists_are_capped_and_counted(db, users, client_as, monkeypatch):
    import wenzhi.registry.importing.services as services

    monkeypatch.setattr(services, "RECORD_ERRORS_KEPT", 3)
    monkeypatch.setattr(services, "REPORT_ERRORS_KEPT", 5)
    record, result = _dry(users["city_admin"], xlsx([row(f"天津{i}文化有限公司", wrong_check_char(code()))
                                                     for i in range(8)]))
    record.refresh_from_db()
    assert result.error_count == 8 and len(record.errors) == 3
    assert record.options["report"]["error_summary"] == [{"column": "统一社会信用代码", "count": 8}]
    lines = client_as("city_admin").get(reverse("registry:import_report", args=[record.pk])).content.decode(
        "utf-8-sig").splitlines()
    assert len(lines) == 1 + 5 + 1 and "另有 3 个问题未列出" in lines[-1]


def test_old_dry_runs_expire_with_their_files(db, users):
    import datetime as dt

    from django.utils import timezone

    from ..importing.services import import_cleanup

    admin = users["city_admin"]
    old, _ = _dry(admin, xlsx([row("天津甲文化有限公司", code())]))
    done = import_record_create(actor=admin, kind="enterprise", uploaded=io.BytesIO(xlsx([row("天津乙文化有限公司", code())])),
                                filename="b.xlsx", dry_run=False)
    registry_import(actor=admin, record=done)
    old.refresh_from_db()
    files = [old.file.path, default_storage_path(old.options["checked"]["name"])]
    ImportRecord.objects.update(created_at=timezone.now() - dt.timedelta(days=30))
    assert import_cleanup() == 1
    assert list(ImportRecord.objects.values_list("pk", flat=True)) == [done.pk]
    assert not any(Path(f).exists() for f in files)


def default_storage_path(name: str) -> str:
    from django.core.files.storage import default_storage

    return default_storage.path(name)


def test_bulk_writer_history_rows_equal_simple_historys(db, users, heping):
    from django.utils import timezone
    from simple_history import utils as simple

    from wenzhi.core.importing import bulk

    admin, when = users["city_admin"], timezone.now()

    def talents(prefix):
        return [Talent(name=f"{prefix}{i}", category="leading", programme="four_batches", district=heping,
                       employer_name="某单位", year_recognised=2019, birth_year=1980 + i, phone="13800000000",
                       created_at=when, updated_at=when) for i in range(3)]

    def history(objs):
        rows = Talent.history.filter(id__in=[o.pk for o in objs]).order_by("id", "history_id").values()
        return [{k: v for k, v in h.items() if k not in ("history_id", "id", "name")} for h in rows]

    options = {"default_user": admin, "default_change_reason": "批量导入：a.xlsx", "default_date": when}
    theirs = simple.bulk_create_with_history(talents("甲"), Talent, **options)
    ours = bulk.bulk_create_with_history(talents("乙"), Talent, **options)
    assert all(o.pk for o in ours) and history(ours) == history(theirs) and len(history(ours)) == 3
    for objs in (theirs, ours):
        for o in objs:
            o.phone = "13900000000"
    simple.bulk_update_with_history(theirs, Talent, ["phone"], **options)
    bulk.bulk_update_with_history(ours, Talent, ["phone"], **options)
    assert history(ours) == history(theirs) and len(history(ours)) == 6
