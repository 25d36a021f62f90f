"""Directories: publishing asks for confirmation, unpublishing needs a reason, the xlsx reads well, long lists page."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from .. import services
from ..models import Directory


def _fill(directory, admin, n: int) -> None:
    for i in range(1, n + 1):
        services.directory_entry_add(actor=admin, directory=directory, project_name=f"第{i:03d}号推广项目")


def test_publishing_asks_for_confirmation_first(registry, users, client_as):
    directory, admin = registry["directory"], client_as("city_admin")
    _fill(directory, users["city_admin"], 3)
    url = reverse("registry:directory_publish", args=[directory.pk])
    detail = admin.get(reverse("registry:directory_detail", args=[directory.pk])).content.decode()
    assert f'href="{url}"' in detail  # the button leads to the confirmation page, it does not publish

    page = admin.get(url).content.decode()
    assert "确认发布" in page and "3 个条目" in page and "第001号推广项目" in page
    admin.post(url, {})  # a post without the confirmation publishes nothing
    assert not Directory.objects.get(pk=directory.pk).published
    assert admin.post(url, {"confirm": "yes"}).status_code == 302
    assert Directory.objects.get(pk=directory.pk).published


def test_unpublishing_needs_a_reason_and_closes_the_public_page(registry, users, client_as, client):
    directory = registry["directory"]
    _fill(directory, users["city_admin"], 2)
    services.directory_publish(actor=users["city_admin"], directory=directory)
    public = reverse("registry:public_directory", args=[directory.pk])
    assert client.get(public).status_code == 200
    url = reverse("registry:directory_unpublish", args=[directory.pk])
    admin = client_as("city_admin")
    page = admin.post(url, {"reason": ""}).content.decode()
    assert "errorlist" in page and Directory.objects.get(pk=directory.pk).published

    assert admin.post(url, {"reason": "名单有误，需要修订"}).status_code == 302
    directory.refresh_from_db()
    assert not directory.published and directory.published_on is None
    assert client.get(public).status_code == 404 and client.get(public, {"export": "xlsx"}).status_code == 404
    assert directory.name not in client.get(reverse("registry:public_directories")).content.decode()
    record = directory.history.first()
    assert record.history_user == users["city_admin"] and "名单有误，需要修订" in record.history_change_reason
    detail = admin.get(reverse("registry:directory_detail", args=[directory.pk])).content.decode()
    assert "名单有误，需要修订" in detail[detail.index('id="history"'):]


def test_directory_xlsx_is_numbered_with_readable_widths(registry, users, client_as):
    directory = registry["directory"]
    _fill(directory, users["city_admin"], 3)
    r = client_as("city_admin").get(reverse("registry:directory_detail", args=[directory.pk]), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]][:2] == ["序号", "名称"]
    assert [sheet.cell(row=i, column=1).value for i in (2, 3, 4)] == [1, 2, 3]
    assert sheet.column_dimensions["B"].width >= 40 and sheet.column_dimensions["D"].width >= 20


def test_long_directories_page_on_the_detail_and_public_pages(registry, users, client_as, client):
    directory = registry["directory"]
    _fill(directory, users["city_admin"], 130)
    services.directory_publish(actor=users["city_admin"], directory=directory)
    for c, name in ((client_as("city_admin"), "registry:directory_detail"), (client, "registry:public_directory")):
        url = reverse(name, args=[directory.pk])
        first = c.get(url).content.decode()
        assert "第100号推广项目" in first and "第101号推广项目" not in first and "?page=2" in first
        second = c.get(url, {"page": 2}).content.decode()
        assert "第130号推广项目" in second and "第001号推广项目" not in second and "<td>101</td>" in second


def test_the_api_withdraws_a_directory_with_a_reason(registry, users, client_as):
    directory = registry["directory"]
    _fill(directory, users["city_admin"], 1)
    services.directory_publish(actor=users["city_admin"], directory=directory)
    url = f"/api/v1/directories/{directory.pk}/unpublish/"
    assert client_as("district_officer").post(url, {"reason": "名单有误"}).status_code in (403, 404)
    assert client_as("city_admin").post(url, {}).status_code == 400
    r = client_as("city_admin").post(url, {"reason": "名单有误，需要修订"})
    assert r.status_code == 200 and r.json()["published"] is False
