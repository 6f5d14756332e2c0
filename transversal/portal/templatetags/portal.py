"""Small helpers for the portal templates."""

from __future__ import annotations

from django import template

from transversal.monitoring import periods
from transversal.portal.selectors import state_slug

register = template.Library()


@register.filter
def slug_of(state) -> str:
    return state_slug(state) if state else ""


@register.filter
def period_display(label: str) -> str:
    """ "2025-T1" -> "1.er trimestre 2025"; an unreadable label is shown as it is."""
    try:
        return periods.period_display(label)
    except (ValueError, KeyError):
        return label
