from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from transversal.accounts.access import scope_for
from transversal.core.access import public
from transversal.core.pagination import PAGE_PARAM, page_query
from transversal.search.models import Kind
from transversal.search.selectors import search

# The ?tipo= values, in Spanish like the rest of the address.
KIND_PARAMS = {
    "indicador": Kind.INDICATOR,
    "convenio": Kind.AGREEMENT,
    "meta": Kind.GOAL,
    "plan": Kind.PLAN,
    "elemento": Kind.PLAN_ITEM,
    "institucion": Kind.INSTITUTION,
}
PARAM_OF_KIND = {kind: param for param, kind in KIND_PARAMS.items()}


@require_GET
@public
def search_page(request: HttpRequest) -> HttpResponse:
    """Anyone may search: each person finds only what their own pages would show them."""
    results = search(
        scope_for(request.user),
        request.GET.get("q", ""),
        kind=KIND_PARAMS.get(request.GET.get("tipo", ""), ""),
        page=request.GET.get(PAGE_PARAM),
    )
    groups = []
    if results.page is not None:
        for entry in results.page.object_list:
            if not groups or groups[-1]["kind"] != entry.kind:
                groups.append({"kind": entry.kind, "label": Kind(entry.kind).label, "entries": []})
            groups[-1]["entries"].append(entry)
    tabs = [
        {"param": PARAM_OF_KIND[kind], "label": Kind(kind).label, "count": count, "kind": kind}
        for kind, count in results.counts.items()
    ]
    return render(
        request,
        "search/results.html",
        {
            "results": results,
            "groups": groups,
            "tabs": tabs,
            "kind_param": PARAM_OF_KIND.get(results.kind, ""),
            "page": results.page,
            "query": page_query(request),
        },
    )
