"""Import of project lists: dry run with problems by row, commit, update of a project already in the library,
scope of the caller, and nothing written when a row is wrong."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from .. import services
from ..importing import project_import
from ..models import Project

pytestmark = pytest.mark.django_db


def _csv(world, *rows: str) -> io.BytesIO:
    head = "项目名称,项目单位,计划总投资（万元）,项目阶段,入库年度,项目简介\n"
    return io.BytesIO((head + "\n".join(rows) + "\n").encode("utf-8"))


def test_dry_run_then_commit(world):
    ent = world["ent_a"]
    services.project_create(actor=None, name="已在库项目", owner=ent, planned_investment=Decimal("1"))
    rows = (f"新的数字文博项目,{ent.name},1200,储备,2019,虚拟现实展厅",
            f"已在库项目,{ent.credit_code},300,,2018,更新的简介")
    result = project_import(actor=world["users"]["district_officer"], source=_csv(world, *rows), filename="p.csv")
    assert result.valid_rows == 2 and result.to_create == 1 and result.to_update == 1
    assert Project.objects.count() == 1
    result = project_import(actor=world["users"]["district_officer"], source=_csv(world, *rows), filename="p.csv",
                            commit=True)
    assert result.created == 1 and result.updated == 1
    new = Project.objects.get(name="新的数字文博项目")
    assert new.planned_investment == Decimal("12000000.00") and new.district == world["orgs"]["heping"]
    assert new.intelligent_evidence and new.history.count() == 1
    assert Project.objects.get(name="已在库项目").description == "更新的简介"


def test_wrong_rows_named_and_nothing_written(world):
    rows = (f"甲项目,{world['ent_a'].name},100,储备,2019,简介",
            f"乙项目,{world['ent_b'].name},100,储备,2019,简介",  # another district: outside the officer's scope
            f"丙项目,{world['ent_a'].name},abc,飞升,2019,简介")
    result = project_import(actor=world["users"]["district_officer"], source=_csv(world, *rows), filename="p.csv",
                            commit=True)
    problems = {(e.row, e.column) for e in result.errors}
    assert (3, "项目单位") in problems and (4, "项目阶段") in problems and (4, "计划总投资（万元）") in problems
    assert not Project.objects.exists()


def test_import_page_queues_the_file_and_the_worker_checks_then_commits(world, django_capture_on_commit_callbacks):
    from wenzhi.core.models import ImportRecord

    client = Client()
    client.force_login(world["users"]["district_officer"])
    upload = _csv(world, f"页面导入项目,{world['ent_a'].name},50,培育,2020,简介",
                  f"越界项目,{world['ent_b'].name},50,培育,2020,简介")  # 滨海: outside the officer's district
    upload.name = "list.csv"
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = client.post(reverse("projects:project_import"), {"file": upload})
    record = ImportRecord.objects.get(kind="project")
    assert page.status_code == 302 and page["Location"] == reverse("projects:project_import_detail", args=[record.pk])
    assert record.status == "pending" and len(queued) == 1  # the request only stored the file and queued it
    assert 'hx-trigger="every 1s"' in client.get(page["Location"]).content.decode()
    queued[0]()  # the worker's dry run
    record.refresh_from_db()
    assert record.status == "checked" and record.error_count == 1 and not Project.objects.exists()
    assert client.get(reverse("projects:project_import_progress", args=[record.pk]))["HX-Refresh"] == "true"
    detail = client.get(page["Location"]).content.decode()
    assert "您无权为该项目单位新建或修改项目" in detail or "不在您的管辖范围内" in detail
    commit = reverse("projects:project_import_commit", args=[record.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(commit, {"mode": "all"})  # all or nothing: one row is wrong
    record.refresh_from_db()
    assert record.status == "rejected" and not Project.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(commit, {"mode": "skip"})
    record.refresh_from_db()
    assert record.status == "committed" and record.created_count == 1
    assert list(Project.objects.values_list("name", "stage")) == [("页面导入项目", "incubating")]
    other = Client()
    other.force_login(world["users"]["city_admin"])
    assert other.get(page["Location"]).status_code == 200  # the city sees every import; a park operator none
    park = Client()
    park.force_login(world["users"]["park_operator"])
    assert park.get(page["Location"]).status_code == 403


def test_command_line_records_the_import(world, tmp_path):
    from django.core.management import call_command

    from wenzhi.core.models import ImportRecord

    path = tmp_path / "清单.csv"
    path.write_bytes(_csv(world, f"命令行项目,{world['ent_a'].name},80,储备,2019,简介").getvalue())
    call_command("import_projects", str(path), "--commit", "--user", world["users"]["city_admin"].username)
    record = ImportRecord.objects.get(kind="project")
    assert record.status == "committed" and Project.objects.filter(name="命令行项目").exists()


def test_old_project_imports_expire_with_their_uploads_as_the_registrys_do(world, settings, tmp_path):
    """A dry run never committed is deleted after WENZHI_IMPORT_KEEP_DAYS with its upload (the next upload
    cleans up, so does ``wenzhi import_cleanup``); a committed import, a recent one and a registry import of the
    same age are kept by the project upload (the registry cleans its own kinds)."""
    import datetime as dt
    from pathlib import Path

    from django.core.management import call_command
    from django.utils import timezone

    from wenzhi.core.models import ImportRecord

    from ..services.imports import project_import_create, project_import_run

    settings.WENZHI_IMPORT_KEEP_DAYS = 7
    settings.MEDIA_ROOT = str(tmp_path)  # this test's uploads only
    officer = world["users"]["district_officer"]
    line = f"过期校验项目,{world['ent_a'].name},50,培育,2020,简介"
    old = project_import_create(actor=officer, uploaded=_csv(world, line), filename="old.csv")
    project_import_run(actor=officer, record=old)
    done = project_import_create(actor=officer, uploaded=_csv(world, line), filename="done.csv", commit=True)
    project_import_run(actor=officer, record=done)
    other = ImportRecord.objects.create(kind="enterprise", original_name="e.xlsx", status="checked")
    month_ago = timezone.now() - dt.timedelta(days=30)
    ImportRecord.objects.update(created_at=month_ago)
    old.refresh_from_db()
    assert old.status == "checked" and Path(old.file.path).exists()
    new = project_import_create(actor=officer, uploaded=_csv(world, line), filename="new.csv")
    kept = set(ImportRecord.objects.values_list("pk", flat=True))
    assert kept == {done.pk, other.pk, new.pk}
    folder = Path(old.file.path).parent  # the old upload went; the kept records' uploads are all that is left
    assert {p.name for p in folder.iterdir()} == {Path(str(r.file.name)).name for r in ImportRecord.objects.exclude(
        pk=other.pk)}
    ImportRecord.objects.filter(pk=new.pk).update(created_at=month_ago, status="rejected")
    call_command("import_cleanup", stdout=io.StringIO())
    assert set(ImportRecord.objects.values_list("pk", flat=True)) == {done.pk}
    assert {p.name for p in folder.iterdir()} == {Path(str(ImportRecord.objects.get(pk=done.pk).file.name)).name}
