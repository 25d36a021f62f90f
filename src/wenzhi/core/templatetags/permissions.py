"""``{% load permissions %}{% can "enterprise.change" enterprise as may_edit %}``: buttons ask the same table."""

from django import template

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return permissions.can(user, action, obj)
