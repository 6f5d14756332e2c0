from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: a dict lookup by a variable key (charts by indicator code)."""
    return mapping.get(key) if mapping else None
