"""``{% load numbers %}{{ revenue|thousands }}``: figures with comma thousands separators (display only)."""

from django import template

from ..formatting import thousands as _thousands

register = template.Library()


@register.filter
def thousands(value, places=None):
    """``1234567`` → ``1,234,567``; ``{{ x|thousands:2 }}`` fixes two decimals; non-numbers pass through."""
    if places in (None, ""):
        return _thousands(value)
    try:
        return _thousands(value, int(places))
    except (TypeError, ValueError):
        return _thousands(value)
