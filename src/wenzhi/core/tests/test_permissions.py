"""The permission table's gate: roles, scope by placement, fail-closed on unknown actions."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.test import RequestFactory

from wenzhi.core import permissions
from wenzhi.core.api.permissions import ActionPermission

pytestmark = pytest.mark.django_db


def test_undeclared_action_is_an_error_not_a_no(users):
    with pytest.raises(ImproperlyConfigured):
        permissions.can(users["city_admin"], "no.such.action")


def test_roles_decide_without_object(users):
    assert permissions.can(users["city_admin"], "park.add")
    assert not permissions.can(users["district_officer"], "park.add")
    assert permissions.can(users["district_officer"], "enterprise.add")
    assert not permissions.can(users["expert_reviewer"], "enterprise.view")


def test_anonymous_only_for_public_actions(users):
    from django.contrib.auth.models import AnonymousUser

    assert permissions.can(AnonymousUser(), "directory.view_public")
    assert not permissions.can(AnonymousUser(), "enterprise.view")


def test_require_names_the_action(users):
    with pytest.raises(PermissionDenied, match="新建园区"):
        permissions.require(users["enterprise_user"], "park.add")


def test_object_scope_follows_placement(users, orgs):
    from wenzhi.registry.tests.factories import EnterpriseFactory

    mine = EnterpriseFactory(district=orgs["heping"])
    theirs = EnterpriseFactory(district=orgs["binhai"])
    officer = users["district_officer"]
    assert permissions.can(officer, "enterprise.change", mine)
    assert not permissions.can(officer, "enterprise.change", theirs)
    assert permissions.can(users["other_district"], "enterprise.change", theirs)
    assert list(permissions.restrict(type(mine).objects.all(), officer, "enterprise.view")) == [mine]
    assert not permissions.restrict(type(mine).objects.all(), users["expert_reviewer"], "enterprise.view").exists()


def test_api_permission_refuses_unmapped_actions(users):
    request = RequestFactory().get("/")
    request.user = users["city_admin"]

    class View:
        permission_actions = {"list": "enterprise.view"}
        action = "destroy"

    assert not ActionPermission().has_permission(request, View())
    View.action = "list"
    assert ActionPermission().has_permission(request, View())


def test_a_list_page_without_a_permission_action_refuses_everyone(users):
    from wenzhi.core.listing import ListPage

    class Undeclared(ListPage):
        selector = staticmethod(lambda user: None)

    request = RequestFactory().get("/")
    request.user = users["city_admin"]
    with pytest.raises(PermissionDenied):
        Undeclared().check_access(request.user)


def test_menus_and_panels_ask_the_table(users):
    from wenzhi.core import hooks

    panel = hooks.DashboardPanel("t", "t", "core/panels/figures.html", dict, action="park.add")
    assert panel.visible_to(users["city_admin"]) and not panel.visible_to(users["district_officer"])
    entry = hooks.NavEntry("t", "t", "home", action="organisation.view")
    assert entry.visible_to(users["park_operator"]) and not entry.visible_to(users["enterprise_user"])


def test_refusals_name_the_action_on_pages_and_api(users, client_as):
    page = client_as("enterprise_user").get("/core/organisations/")
    assert page.status_code == 403 and "查看组织机构" in page.content.decode()
    api = client_as("enterprise_user").get("/api/v1/organisations/")
    assert api.status_code == 403 and "查看组织机构" in api.json()["message"]
