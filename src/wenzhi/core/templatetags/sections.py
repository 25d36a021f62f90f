"""``{% load sections %}{% detail_sections enterprise %}``: the blocks other apps add to a detail page
(``hooks.detail_section``), each shown only to users its action allows."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .. import hooks, permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def detail_sections(context, obj) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    parts = []
    for section in hooks.sections_for(obj._meta.label):
        if section.action and not permissions.can(user, section.action, obj):
            continue
        extra = section.render(request, obj)
        if extra is None:
            continue
        parts.append(render_to_string(section.template, {**extra, "obj": obj}, request=request))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered (auto-escaped) template
