"""The registry as a person clicks through it: a district officer classifies an enterprise by hand, a park
operator reports rectification, and an anonymous visitor reads and downloads a published directory."""

import pytest

from wenzhi.registry import services
from wenzhi.registry.models import Park
from wenzhi.registry.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def registry_rows(orgs, users):
    park = Park.objects.create(organisation=orgs["park_a"], name=orgs["park_a"].name, level="municipal",
                               kind="industrial_park", district=orgs["heping"])
    own = EnterpriseFactory(name="天津和平甲文化传媒有限公司", district=orgs["heping"], park=orgs["park_a"])
    other = EnterpriseFactory(name="天津滨海乙动漫科技有限公司", district=orgs["binhai"], industry_code="6572")
    return {"park": park, "own": own, "other": other}


def test_district_officer_overrides_a_classification(users, registry_rows, login, live_server):
    page = login(users["district_officer"].username)
    page.click("nav.sidenav a[data-nav=registry_enterprises]")
    assert "天津和平甲文化传媒有限公司" in page.content()
    assert "天津滨海乙动漫科技有限公司" not in page.content()
    page.click("text=天津和平甲文化传媒有限公司")
    assert "行业代码 7259" in page.inner_text("[data-testid=classification-evidence]")
    page.click("text=人工认定分类")
    page.select_option("select[name=culture_subcategory]", "032")
    page.select_option("select[name=sector]", "creative_design")
    page.fill("textarea[name=reason]", "主营品牌设计，经实地核查")
    page.click("text=保存人工认定")
    page.wait_for_load_state("networkidle")
    assert "人工认定：主营品牌设计，经实地核查" in page.inner_text("[data-testid=classification-evidence]")
    assert "主营品牌设计，经实地核查" in page.inner_text("#history")
    resp = page.goto(f"{live_server.url}/registry/enterprises/{registry_rows['other'].pk}/")
    assert resp.status == 404


def test_park_operator_submits_rectification(users, registry_rows, login, live_server):
    park = registry_rows["park"]
    services.park_transition(actor=users["city_admin"], park=park, transition="warn", reason="年度评价 61 分")
    page = login(users["park_operator"].username)
    page.goto(f"{live_server.url}/registry/parks/{park.pk}/")
    assert page.inner_text("[data-testid=park-status]").startswith("已警告")
    page.fill("form:has(button[data-transition=submit_rectification]) textarea[name=reason]", "已完成整改")
    page.click("button[data-transition=submit_rectification]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-testid=park-status]") == "整改待复核"
    assert page.locator("button[data-transition=revoke]").count() == 0


def test_public_reads_and_downloads_a_published_directory(users, registry_rows, page, live_server):
    admin = users["city_admin"]
    directory = services.directory_create(actor=admin, kind="export_key", year=2018, name="2018 年文化出口重点企业目录")
    services.directory_entry_add(actor=admin, directory=directory, enterprise=registry_rows["other"])
    services.directory_publish(actor=admin, directory=directory)
    page.goto(f"{live_server.url}/registry/public/directories/")
    page.click("text=2018 年文化出口重点企业目录")
    assert "天津滨海乙动漫科技有限公司" in page.content()
    with page.expect_download() as info:
        page.click("a.btn:has-text('下载 Excel')")
    assert info.value.suggested_filename.endswith(".xlsx")


def test_city_admin_saves_an_enterprise_unchanged_in_a_real_browser(users, registry_rows, login, live_server):
    import datetime as dt

    from wenzhi.registry.models import Enterprise

    own = registry_rows["own"]
    services.enterprise_update(actor=users["city_admin"], enterprise=own, data={"founded_on": dt.date(2020, 5, 6)})
    page = login(users["city_admin"].username)
    page.goto(f"{live_server.url}/registry/enterprises/{own.pk}/edit/")
    assert page.input_value("input[name=founded_on]") == "2020-05-06"
    assert page.input_value("select[name=park]") == str(own.park_id)
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")
    own = Enterprise.objects.get(pk=own.pk)
    assert own.founded_on == dt.date(2020, 5, 6) and own.park_id == registry_rows["own"].park_id


def test_city_admin_confirms_before_publishing_a_directory(users, registry_rows, login, live_server):
    from wenzhi.registry.models import Directory

    admin = users["city_admin"]
    directory = services.directory_create(actor=admin, kind="export_key", year=2019, name="2019 年文化出口重点企业目录")
    services.directory_entry_add(actor=admin, directory=directory, enterprise=registry_rows["other"])
    page = login(admin.username)
    page.goto(f"{live_server.url}/registry/directories/{directory.pk}/")
    page.click("a.btn:has-text('发布')")
    page.wait_for_load_state("networkidle")
    assert "公众无需登录即可查看" in page.inner_text("[data-testid=directory-confirm]")
    assert not Directory.objects.get(pk=directory.pk).published
    page.click("button:has-text('确认发布')")
    page.wait_for_load_state("networkidle")
    assert Directory.objects.get(pk=directory.pk).published
