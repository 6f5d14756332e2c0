"""One way to split long lists into pages, with the filters kept in the links."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50
PAGE_PARAM = "pagina"


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    """The requested page (a bad or out-of-range number gives the nearest valid page)."""
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAM))


def page_query(request: HttpRequest) -> str:
    """The current query string without the page number, to build the pager's links."""
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    return params.urlencode()
