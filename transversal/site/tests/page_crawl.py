"""The pages of the site, one representative object per URL pattern, for the site-wide checks
(axe-core in test_browser_axe_crawl.py, language leaks in test_language_leaks.py).

The routes and their objects come from the isolation crawler (its world and its route filling),
so a new route is checked here without touching this file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import Resolver404, resolve

from transversal.core.access import iter_views
from transversal.core.tests.isolation_world import World
from transversal.core.tests.test_isolation import SKIPPED_NAMESPACES, fill, is_api, targets_for

API_DOCS = "/api/v1/docs"
# The personas whose pages differ: a visitor, a state's editor and the national coordination.
PERSONAS = ("anonymous", "A editor", "coordinator")


@dataclass(frozen=True)
class PageToVisit:
    route: str
    url: str


def pages(world: World) -> list[PageToVisit]:
    """One address per URL pattern (API operations aside, their docs page included)."""
    found = []
    for route, namespace, callback in iter_views():
        if namespace in SKIPPED_NAMESPACES:
            continue
        if is_api(route, namespace, callback):
            if route.rstrip("/").endswith("docs"):
                found.append(PageToVisit(route, API_DOCS))
            continue
        rows = targets_for(route, world)
        if isinstance(rows, str):
            continue
        # A public object of state A first: the editor's own, readable by the coordination,
        # and by a visitor on the public pages.
        rows = sorted(
            rows, key=lambda row: row[0] is not None and (row[0].state != "A", row[0].private)
        )
        url = fill(route, rows[0][1])
        try:
            if resolve(url.split("?")[0]).route != route.replace("^", ""):
                continue
        except Resolver404:
            continue
        found.append(PageToVisit(route, url))
    return found


def personas(world: World) -> list:
    return [p for p in world.personas if p.name in PERSONAS]
