from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from transversal.accounts.access import scope_for
from transversal.core.access import public
from transversal.institutions.selectors import national_institution


@require_GET
@public
def home(request: HttpRequest) -> HttpResponse:
    memberships = []
    if request.user.is_authenticated:
        memberships = (
            request.user.memberships.filter(is_active=True)
            .select_related("institution__state")
            .prefetch_related("institution__names")
        )
    return render(
        request,
        "site/home.html",
        {
            "memberships": memberships,
            "national": national_institution(),
            "scope": scope_for(request.user),
        },
    )


@require_GET
@never_cache
@public
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure is a failed health check
        return JsonResponse(
            {
                "status": "error",
                "database": {
                    "ok": False,
                    "vendor": connection.vendor,
                    "error": exc.__class__.__name__,
                },
            },
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": {
                "ok": True,
                "vendor": connection.vendor,
                "latency_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        }
    )


set_language = public(django_set_language)
