"""ninja's URL patterns, marked for the URLconf walker from what each operation declares.

An operation path is @public when every operation on it accepts anonymous callers
(``token_optional``) and @protected when every one requires a token (``token_required``).
Any other auth, a missing declaration or a path mixing both is a configuration error raised
at import time, so a new endpoint cannot slip past the walker by accident.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.urls import URLPattern, path
from ninja import NinjaAPI
from ninja.operation import PathView

from transversal.api.auth import token_optional, token_required
from transversal.api.errors import method_not_allowed, query_too_long
from transversal.core.access import PROTECTED, PUBLIC, public

AUTH_ACCESS = {id(token_optional): PUBLIC, id(token_required): PROTECTED}
# Far above any query the API's filters make (the longest is a few hundred characters) and below
# what proxies and gunicorn accept in a request line (about 4 KB), so an over-long query gets the
# API's own 414 with the error shape, whatever sits in front. Declared on every operation.
MAX_QUERY_LENGTH = 2048


def path_view_of(callback: Callable) -> PathView | None:
    candidate = inspect.getclosurevars(callback).nonlocals.get("self")
    return candidate if isinstance(candidate, PathView) else None


def access_of_path(path_view: PathView) -> str:
    kinds = set()
    for operation in path_view.operations:
        callbacks = operation.auth_callbacks
        if len(callbacks) != 1 or id(callbacks[0]) not in AUTH_ACCESS:
            raise ImproperlyConfigured(
                f"API operation {operation.view_func.__name__} must declare "
                "auth=token_optional or token_required"
            )
        kinds.add(AUTH_ACCESS[id(callbacks[0])])
    if len(kinds) != 1:
        raise ImproperlyConfigured(
            f"API path mixes public and protected operations: {sorted(kinds)}"
        )
    return kinds.pop()


def _guarded(view: Callable) -> Callable:
    """414 for an over-long query before anything reads it; ninja's plain-text 405 as JSON."""

    @wraps(view)
    def inner(request, *args, **kwargs):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
            return query_too_long(MAX_QUERY_LENGTH)
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return method_not_allowed(response)
        return response

    return inner


def declared_patterns(api: NinjaAPI) -> list[URLPattern]:
    patterns, _app_name, _namespace = api.urls
    result = []
    for pattern in patterns:
        route = str(pattern.pattern)
        name = pattern.name
        if name == "api-root":
            # ninja needs the root for reversing; people get the docs.
            result.append(
                path(
                    route,
                    public(lambda request: redirect(f"{api.urls_namespace}:openapi-view")),
                    name=name,
                )
            )
            continue
        if name in ("openapi-json", "openapi-view"):
            result.append(path(route, public(pattern.callback), name=name))
            continue
        path_view = path_view_of(pattern.callback)
        if path_view is None:
            raise ImproperlyConfigured(f"Unrecognised ninja pattern {route!r}")
        mark = public if access_of_path(path_view) == PUBLIC else _token_protected
        result.append(path(route, mark(_guarded(pattern.callback)), name=name))
    return result


def _token_protected(view: Callable) -> Callable:
    """@protected for the walker, without the login redirect: the token check is ninja's."""
    view.access = PROTECTED  # type: ignore[attr-defined]
    return view
