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
