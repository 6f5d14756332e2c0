"""Bearer-token authentication. The API knows people only by their token, never by a session
cookie: a browser signed in to the site gets the public view unless it sends a token."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from transversal.api.services import token_authenticate


class Anonymous:
    """What ``request.auth`` holds on a public operation called without a token."""

    def __bool__(self) -> bool:
        return True


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``. With ``required=False`` a request without the header
    goes through as anonymous; a header with a bad, revoked or expired token is always 401."""

    def __init__(self, *, required: bool = True) -> None:
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            if self.required:
                raise AuthenticationError(message=_("Esta operación requiere un token: envíe «Authorization: Bearer <token>»."))
            request.user = AnonymousUser()
            return Anonymous()
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(message=_("La cabecera Authorization debe ser «Bearer <token>»."))
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str):
        api_token = token_authenticate(token)
        if api_token is None:
            raise AuthenticationError(message=_("El token no es válido, fue revocado o venció."))
        request.user = api_token.user
        return api_token


token_required = TokenAuth()
token_optional = TokenAuth(required=False)

# OpenAPI: an empty requirement makes the token optional on public operations.
OPTIONAL_SECURITY = {"security": [{}, {"TokenAuth": []}]}
