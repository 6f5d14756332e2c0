"""Who a failed attempt is counted against: the normalised login name and the client address
(django-axes' ``AXES_USERNAME_CALLABLE`` and ``AXES_CLIENT_IP_CALLABLE``; the API token
throttle uses the same address)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from transversal.accounts.models import normalize_login


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The normalised login name, so every spelling of an address shares one counter.

    Without this axes counts the name exactly as typed: after the limit, the right password
    typed as ``Consulta.Durango@…`` or with a trailing space was a fresh, unlocked name.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        raw = getattr(request, "data", request.POST).get(field)
    if raw is None:
        return None
    return normalize_login(str(raw))


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind the reverse proxy (BEHIND_PROXY) the last
    X-Forwarded-For entry, which the proxy appends itself (``$proxy_add_x_forwarded_for``);
    entries to its left come from the client and are not trusted.

    Without this every request behind the proxy came from 127.0.0.1, and one address's failures
    would lock out everyone.
    """
    if settings.BEHIND_PROXY:
        forwarded = _valid(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1])
        if forwarded:
            return forwarded
    return _valid(request.META.get("REMOTE_ADDR", ""))


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None
