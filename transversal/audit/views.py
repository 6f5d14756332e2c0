from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from transversal.audit.registry import history_getter
from transversal.core.access import protected
from transversal.core.pagination import paginate


@require_GET
@protected
def history(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    getter = history_getter(kind)
    if getter is None:
        raise Http404(_("No se encontró lo que busca o no tiene acceso."))
    obj, events = getter(request.user, code)
    page = paginate(request, events.select_related("actor", "target_type").order_by("-created_at", "-id"))
    return render(request, "audit/history.html", {"object": obj, "page": page, "kind": kind})
