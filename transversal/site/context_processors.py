from __future__ import annotations

import functools

from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject

from transversal.accounts.access import scope_for
from transversal.audit.stamp import cached
from transversal.institutions.models import InstitutionName
from transversal.monitoring.queue import review_badge

# The header's links, reversed once per process (and script prefix) instead of on every page.
NAV_URL_NAMES = (
    "site:home",
    "work:list",
    "directory:state_list",
    "planning:list",
    "agreements:list",
    "coordination:list",
    "improvement:home",
    "workprogrammes:list",
    "registers:home",
    "monitoring:list",
    "dashboards:national",
    "reports:index",
    "monitoring:review_queue",
    "portal:home",
    "portal:data",
    "search:results",
    "accounts:my_account",
    "accounts:notifications",
    "accounts:logout",
    "accounts:login",
    "set_language",
)


@functools.cache
def _nav_urls(prefix: str) -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in NAV_URL_NAMES}


def nav_urls() -> dict[str, str]:
    """``{"work_list": "/pendientes/", …}``: the template writes ``nav_urls.work_list``."""
    return _nav_urls(get_script_prefix())


def _header_institutions(user) -> list:
    names = InstitutionName.objects.only("institution_id", "sequence", "name", "acronym")
    return [
        membership.institution
        for membership in user.memberships.filter(is_active=True)
        .select_related("institution")
        .only("user", "institution", "institution__kind", "institution__slug")
        .prefetch_related(Prefetch("institution__names", queryset=names))
        .order_by("institution__kind", "institution__slug")
    ]


def header_summary(user) -> dict:
    """What the header shows of the person's institutions: the first one's acronym (or name) and
    how many more (two queries)."""
    institutions = _header_institutions(user)
    first = institutions[0].current_name if institutions else None
    return {
        "institution": (first.acronym or first.name) if first else "",
        "more": max(len(institutions) - 1, 0),
    }


def _cached_header(request: HttpRequest, user) -> dict:
    """The header summary, kept per person until the data stamp moves or a minute passes."""
    return cached(request, "nav", [user.pk], lambda: header_summary(user))


def navigation(request: HttpRequest) -> dict:
    """What the header needs: the person's scope, their institutions and the pending-review count
    (both read only if shown, and cached per person: see ``audit.stamp``), and its links."""
    user = getattr(request, "user", None)
    scope = scope_for(user)
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_scope": scope,
        "nav_urls": nav_urls(),
        "nav_header": SimpleLazyObject(lambda: _cached_header(request, user)) if signed_in else {},
        "nav_review": review_badge(scope, request=request),
    }
