"""API errors as JSON with a stable ``code`` and a Chinese ``message``; never a stack trace."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from ..exceptions import StaleEdit


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "记录已被他人修改，请重新读取后再提交。"

MESSAGES = {
    "not_authenticated": "未登录或登录已过期，请提供有效的令牌或重新登录。",
    "authentication_failed": "身份验证失败：令牌无效或已过期。",
    "permission_denied": "无权执行此操作。",
    "not_found": "未找到该记录，或您无权查看。",
    "method_not_allowed": "不支持该请求方法。",
    "parse_error": "请求体格式错误，无法解析 JSON。",
    "invalid": "提交的数据有误，请检查各字段。",
    "throttled": "请求过于频繁，请稍后再试。",
    "unsupported_media_type": "不支持的请求内容类型。",
    "not_acceptable": "无法提供所请求的响应格式。",
    "conflict": "记录已被他人修改，请重新读取后再提交。",
    "password_change_required": "请先在网页上修改初始密码（或管理员重置后的临时密码），然后再使用 API。",
}
# Codes whose own detail (naming the action, the field or the change) is the clearer message.
SPECIFIC = ("permission_denied", "conflict")


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, StaleEdit):
        exc = Conflict(exc.message)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(getattr(exc, "message_dict", None) or {"detail": exc.messages})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected errors are logged by Django and answered with a plain 500
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        body = {"code": code, "message": getattr(exc, "summary", None) or MESSAGES["invalid"], "errors": response.data}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        body = {"code": code, "message": MESSAGES.get(code, str(detail or "请求失败。"))}
        if code in SPECIFIC and detail and str(detail) != str(exceptions.PermissionDenied.default_detail):
            body["message"] = str(detail)
        if code not in MESSAGES and detail:
            body["detail"] = detail
    if response.status_code == status.HTTP_401_UNAUTHORIZED or code in ("not_authenticated",
                                                                          "authentication_failed"):
        response.status_code = status.HTTP_401_UNAUTHORIZED
        response["WWW-Authenticate"] = 'Token realm="api"'
    response.data = body
    return response
