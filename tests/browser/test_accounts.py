"""Account administration as a person clicks it: an official creates an account, its owner must set a password."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_account_sets_its_password_at_first_login(users, orgs, login, live_server, browser):
    page = login(users["district_officer"].username)
    page.click("nav.sidenav a[data-nav=accounts]")
    page.click("text=新建账号")
    page.fill("input[name=username]", "zhang.san")
    page.fill("input[name=display_name]", "张三")
    page.fill("input[name=organisation]", "测试企业甲")
    page.check("input[value=enterprise_user]")
    page.click("form.stack-form button")
    temporary = page.inner_text("[data-testid=issued-password]").strip()
    assert len(temporary) == 12

    context = browser.new_context(locale="zh-CN")
    owner = context.new_page()
    owner.goto(f"{live_server.url}/login/")
    owner.fill("input[name=username]", "zhang.san")
    owner.fill("input[name=password]", temporary)
    owner.click("button[type=submit]")
    owner.wait_for_load_state("networkidle")
    assert "/core/account/password/" in owner.url
    assert owner.is_visible("[data-testid=must-change]")
    owner.goto(f"{live_server.url}/core/organisations/")  # any other page sends it back
    assert "/core/account/password/" in owner.url
    owner.fill("input[name=old_password]", temporary)
    owner.fill("input[name=new_password1]", "Jinmen-Culture-2026")
    owner.fill("input[name=new_password2]", "Jinmen-Culture-2026")
    owner.click("form.stack-form button")
    owner.wait_for_load_state("networkidle")
    assert "密码已修改" in owner.content()
    owner.goto(f"{live_server.url}/")
    assert owner.url.rstrip("/") == live_server.url
    context.close()

    page.goto(f"{live_server.url}/core/accounts/?q=zhang")
    page.click("text=zhang.san")
    assert "本人修改密码" in page.content() and "创建账号" in page.content()
