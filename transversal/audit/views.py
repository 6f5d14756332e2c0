from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from transversal.audit import selectors
from transversal.audit.registry import History, history_getter, publicity_of
from transversal.core.access import not_found, public
from transversal.core.pagination import paginate


@require_GET
@public
def history(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """The change history of one object. Insiders read every event; outsiders (anonymous
    visitors included) read only the public history of a public object; the getter raises
    404 for anything else, like the object's own page."""
    getter = history_getter(kind)
    if getter is None:
        raise not_found()
    found = getter(request.user, code)
    found = found if isinstance(found, History) else History(*found)
    if not found.public_only:
        page = paginate(request, selectors.history_events(found.events))
        rows = selectors.history_rows(page.object_list)
    else:
        publicity = publicity_of(kind)
        if publicity is None:  # a kind with no declared public history has none
            raise not_found()
        events, publication_id = selectors.public_events(found.object, found.events, publicity)
        page = paginate(request, events)
        rows = selectors.public_rows(page.object_list, publicity, publication_id)
    return render(
        request,
        "audit/history.html",
        {
            "object": found.object,
            "page": page,
            "rows": rows,
            "kind": kind,
            "public_only": found.public_only,
        },
    )
