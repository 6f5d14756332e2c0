"""How views declare who may reach them, and a walker that checks they all do.

Every view in the URLconf is either ``@public`` (anyone, including anonymous
visitors) or ``@protected`` (signed-in users; the view then asks an access
helper for each tenant object). ``unprotected_views`` lists the views that
declare neither, and a test keeps that list empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.translation import gettext as _

PUBLIC = "public"
PROTECTED = "protected"


def not_found() -> Http404:
    """The one answer for a missing object and for one the person may not know exists
    (an outsider must not tell them apart): ``raise not_found()``."""
    return Http404(_("No se encontró lo que busca o no tiene acceso."))


def forbidden() -> PermissionDenied:
    """The answer for a member who may see the object but whose role does not allow the action."""
    return PermissionDenied(_("Su rol no le permite realizar esta acción."))


def public(view: Callable) -> Callable:
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def protected(view: Callable) -> Callable:
    wrapped = login_required(view)

    @wraps(wrapped)
    def inner(*args, **kwargs):
        return wrapped(*args, **kwargs)

    inner.access = PROTECTED  # type: ignore[attr-defined]
    return inner


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Callable]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.callback


def iter_views(urlconf: str | None = None) -> Iterator[tuple[str, str, Callable]]:
    """(route, namespace, callback) for every pattern in the URLconf."""
    yield from _walk(get_resolver(urlconf).url_patterns)


# The Django admin checks staff status on every view itself.
SELF_PROTECTED_NAMESPACES = frozenset({"admin"})


def access_of(callback: Callable) -> str | None:
    view_class = getattr(callback, "view_class", None)
    return getattr(callback, "access", None) or getattr(view_class, "access", None)


def unprotected_views(urlconf: str | None = None) -> list[str]:
    return [
        route
        for route, namespace, callback in iter_views(urlconf)
        if namespace not in SELF_PROTECTED_NAMESPACES
        and access_of(callback) not in (PUBLIC, PROTECTED)
    ]
