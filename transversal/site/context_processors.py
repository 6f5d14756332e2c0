from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from transversal.accounts.access import scope_for
from transversal.monitoring.queue import review_badge


def _header_institutions(user) -> list:
    if not user.is_authenticated:
        return []
    return [
        membership.institution
        for membership in user.memberships.filter(is_active=True)
        .select_related("institution")
        .prefetch_related("institution__names")
        .order_by("institution__kind", "institution__slug")
    ]


def navigation(request: HttpRequest) -> dict:
    """What the header needs: the person's scope and institutions (queried only if shown)."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    return {
        "nav_scope": scope,
        "nav_institutions": SimpleLazyObject(lambda: _header_institutions(user)) if user else [],
        # The pending-review count: one COUNT query, run only if the header prints it.
        "nav_review": review_badge(scope),
    }
