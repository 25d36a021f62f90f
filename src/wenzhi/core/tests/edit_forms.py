"""Core's edit pages in the platform-wide "saved back unchanged" test (core/tests/test_edit_forms.py)."""

from __future__ import annotations

from wenzhi.core.choices import Role
from wenzhi.core.edit_forms import register_edit_form


def make_account(ctx):
    """A park operator's account with every editable field filled, inside the district officer's district."""
    from wenzhi.core.services import user_create

    user = user_create(username="roundtrip_park_user", password="pw-Test-12345", roles=[Role.PARK_OPERATOR],
                       organisation=ctx.orgs["park_a"])
    user.display_name = "往返测试 园区联系人"
    user.email = "roundtrip@example.org"
    user.save(update_fields=["display_name", "email"])
    return user


register_edit_form("core:account_edit", make=make_account, roles=(Role.CITY_ADMIN, Role.DISTRICT_OFFICER))
