"""The API's side of the permission table: a DRF permission that reads ``core.permissions``.

A viewset names, per DRF action, the platform action it needs (Sentry's ``scope_map`` idea)::

    permission_classes = [ActionPermission]
    permission_actions = {"list": "enterprise.view", "retrieve": "enterprise.view",
                          "partial_update": "enterprise.change", "classify": "enterprise.classify"}

A DRF action missing from the map is refused (fail closed), so a new endpoint cannot be open by accident.
"""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework.permissions import BasePermission

from .. import permissions


def _action_name(view) -> str | None:
    mapping = getattr(view, "permission_actions", None) or {}
    drf_action = getattr(view, "action", None)
    if drf_action is None:  # an APIView: map by HTTP method
        drf_action = view.request.method.lower() if getattr(view, "request", None) else None
    if drf_action == "metadata":
        drf_action = "list"
    return mapping.get(drf_action)


def _not_routed(request, view) -> bool:
    """Whether the view has no handler at all for this method (a viewset's route, or an APIView's method)."""
    from rest_framework.views import APIView  # not at import: DRF loads this module while defining APIView

    method = request.method.lower()
    if method in ("head", "options"):
        return False  # answered by the view itself (metadata): it needs the list's action like a GET
    action_map = getattr(view, "action_map", None)
    if action_map is not None:
        return method not in action_map
    if getattr(view, "action", None) is not None:
        return False
    return isinstance(view, APIView) and not hasattr(view, method)


class ActionPermission(BasePermission):
    """Allow a request when :func:`wenzhi.core.permissions.can` allows the view's mapped action."""

    message = "您没有权限执行此操作。"

    def has_permission(self, request, view) -> bool:
        if _not_routed(request, view):
            return True  # nothing runs: DRF answers 405 Method Not Allowed
        name = _action_name(view)
        if name is None:
            self.message = gettext("此接口没有声明所需的权限，已拒绝。")
            return False
        # The refusal names the action (DRF reads ``message`` from this per-request instance).
        self.message = permissions.denial_message(name)
        return permissions.can(request.user, name)

    def has_object_permission(self, request, view, obj) -> bool:
        name = _action_name(view)
        return name is not None and permissions.can(request.user, name, obj)
