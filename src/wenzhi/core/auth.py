"""Who may sign in: Django's model backend, except demo accounts where demo accounts are off (production)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def demo_login_refused(user) -> bool:
    """True when ``user`` is a demo account and this instance does not allow demo accounts.

    ``wenzhi demo`` creates them only where ``WENZHI_DEMO_ACCOUNTS`` is on, but a database copied from a demo
    machine to production brings them along, with their published password."""
    return bool(getattr(user, "is_demo", False)) and not getattr(settings, "WENZHI_DEMO_ACCOUNTS", False)


class WenzhiBackend(ModelBackend):
    """ModelBackend that also refuses demo accounts when they are off; an open session of one ends too
    (Django asks ``user_can_authenticate`` again when it loads the session's user)."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not demo_login_refused(user)


class TokenAuthentication(DRFTokenAuthentication):
    """DRF's token authentication with the same refusal of demo accounts."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if demo_login_refused(user):
            raise AuthenticationFailed(gettext("演示账号在本实例已停用。"))
        return user, token
