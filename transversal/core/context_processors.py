from __future__ import annotations

from django.http import HttpRequest

from transversal.accounts.access import scope_for


def navigation(request: HttpRequest) -> dict:
    """What the header needs: the person's scope (one query, cached for the request)."""
    user = getattr(request, "user", None)
    return {"nav_scope": scope_for(user)}
