"""The API's token and session authentication, refusing accounts that must first choose their own password."""

from __future__ import annotations

from rest_framework import authentication, exceptions, status

from ..auth import TokenAuthentication as DemoAwareTokenAuthentication


class PasswordChangeRequired(exceptions.APIException):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "password_change_required"
    default_detail = "请先在网页上修改初始密码（或管理员重置后的临时密码），然后再使用 API。"


def _refuse_must_change(result):
    if result is not None and getattr(result[0], "must_change_password", False):
        raise PasswordChangeRequired()
    return result


class TokenAuthentication(DemoAwareTokenAuthentication):
    """Token auth that refuses demo accounts where they are off (core.auth) and must-change accounts."""

    def authenticate(self, request):
        return _refuse_must_change(super().authenticate(request))


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        return _refuse_must_change(super().authenticate(request))


try:  # The schema's description of the session scheme (drf-spectacular matches the exact class).
    from drf_spectacular.authentication import SessionScheme

    class WenzhiSessionScheme(SessionScheme):
        target_class = "wenzhi.core.api.authentication.SessionAuthentication"
except ImportError:  # pragma: no cover - drf-spectacular is a dependency; the API works without it
    pass
