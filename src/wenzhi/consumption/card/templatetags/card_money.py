"""``{{ fen|yuan }}``: integer fen shown as yuan with two places (exact, no float)."""

from django import template

from ..money import yuan_text

register = template.Library()


@register.filter
def yuan(value) -> str:
    try:
        return yuan_text(int(value))
    except (TypeError, ValueError):
        return ""
