"""Bearer-token authentication. The API knows people only by their token, never by a session
cookie: a browser signed in to the site gets the public view unless it sends a token."""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from transversal.accounts.lockout import client_address
from transversal.api.errors import TooManyTokenFailures
from transversal.api.services import token_authenticate


class Anonymous:
    """What ``request.auth`` holds on a public operation called without a token."""

    def __bool__(self) -> bool:
        return True


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. With ``required=False`` a request without the header
    goes through as anonymous; a header with a bad, revoked or expired token is always 401.

    After API_TOKEN_FAILURE_LIMIT failed tokens from one client address within the window,
    every token from that address is refused with 429 and Retry-After until the window ends:
    tokens cannot be guessed by brute force. Requests without a token are never counted.
    """

    def __init__(self, *, required: bool = True) -> None:
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            if self.required:
                raise AuthenticationError(
                    message=_(
                        "Esta operación requiere un token: envíe «Authorization: Bearer <token>»."
                    )
                )
            request.user = AnonymousUser()
            return Anonymous()
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(
                message=_("La cabecera Authorization debe ser «Bearer <token>».")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str):
        # Checked before the token itself: past the limit even a right guess must not be told apart.
        key, seconds_left = _failure_counter(request)
        if (cache.get(key) or 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise TooManyTokenFailures(retry_after=seconds_left)
        api_token = token_authenticate(token)
        if api_token is None:
            _count_failure(key, seconds_left)
            raise AuthenticationError(message=_("El token no es válido, fue revocado o venció."))
        request.user = api_token.user
        return api_token


def _now() -> float:
    return time.time()


def _failure_counter(request: HttpRequest) -> tuple[str, int]:
    """The cache key counting failed tokens from this address in the current window, and the
    seconds until that window ends (what a refused client is told to wait).

    Fixed windows of API_TOKEN_FAILURE_WINDOW_MINUTES: one atomic counter per address and
    window, no list of timestamps. The address is the one the sign-in lockout uses.
    """
    length = settings.API_TOKEN_FAILURE_WINDOW_MINUTES * 60
    now = _now()
    window = int(now // length)
    address = client_address(request) or "unknown"
    return f"api-token-failures:{address}:{window}", max(1, math.ceil((window + 1) * length - now))


def _count_failure(key: str, seconds_left: int) -> None:
    if not cache.add(key, 1, timeout=seconds_left + 1):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds_left + 1)


token_required = TokenAuth()
token_optional = TokenAuth(required=False)

# OpenAPI: an empty requirement makes the token optional on public operations.
OPTIONAL_SECURITY = {"security": [{}, {"TokenAuth": []}]}
