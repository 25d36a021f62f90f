"""What every app's API write does around its service: strict input and the service's errors as API errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from rest_framework.exceptions import PermissionDenied, ValidationError


def call_service(func, **kwargs):
    """Run a service, turning Django's validation and permission errors into the API's."""
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages) from exc
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from exc


def strict_input(serializer_class, request, *, partial: bool = False) -> dict:
    """Validated input of a write; a field the serializer does not accept is a 400 naming it (mass assignment)."""
    if not isinstance(request.data, dict):
        raise ValidationError({"detail": [gettext("请求体应为 JSON 对象。")]})
    writable = {name for name, field in serializer_class().fields.items() if not field.read_only}
    extra = sorted(set(request.data) - writable)
    if extra:
        raise ValidationError({key: [gettext("不接受此字段：它不存在或不能通过此接口修改。")] for key in extra})
    ser = serializer_class(data=request.data, partial=partial)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)
