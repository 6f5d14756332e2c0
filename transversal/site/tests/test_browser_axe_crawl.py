"""axe-core over the whole site: every page pattern of the URLconf, at 1366 px and 390 px.

The pages are the isolation crawler's routes filled with its world (page_crawl.py), one object
a pattern, read in a real Chromium by a visitor, a state's editor and the national
coordination. Downloads (CSV, XLSX, PDF, DOCX, JSON) are left out by their content type; an
address that ends on a page already checked for that person (a redirect to the login page, a
404) is checked once. axe-core is the copy shipped with axe-playwright-python (no CDN), put in
every page before its own scripts. No serious or critical violation is allowed.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from django.test import Client

from transversal.core.tests.isolation_world import build_world
from transversal.site.tests.page_crawl import API_DOCS, pages, personas

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
GRAVE = ("serious", "critical")
RUN_AXE = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)"
# The site's script names and opens wide tables' scroll boxes in the frame after a resize.
AFTER_RESIZE = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# Violations known and not fixed yet, as (route, rule): the test asserts each is still found, so
# the list only shrinks.
KNOWN: set[tuple[str, str]] = set()


def session_cookie(user, base: str) -> list[dict]:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return [
        {"name": name, "value": morsel.value, "url": base}
        for name, morsel in client.cookies.items()
    ]


def grave_violations(page) -> list[dict]:
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in GRAVE]


def test_no_page_has_a_serious_or_critical_axe_violation_at_either_width(
    browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.REPORTS_RUN_INLINE = False
    world = build_world()
    to_visit = pages(world)
    assert any(p.url == API_DOCS for p in to_visit)
    found: dict[tuple[str, str], list[str]] = {}
    checked = 0
    routes = set()
    for persona in personas(world):
        context = browser.new_context(locale="es-MX", viewport=WIDE)
        context.add_init_script(path=str(AXE))
        if persona.user is not None:
            context.add_cookies(session_cookie(persona.user, live_server.url))
        page = context.new_page()
        seen: set = set()
        for visit in to_visit:
            # Asked first with the context's cookies: a download or an empty answer (405)
            # would leave the tab on Chromium's own error page.
            probe = context.request.get(live_server.url + visit.url)
            headers = probe.headers
            if (
                "text/html" not in headers.get("content-type", "")
                or "attachment" in headers.get("content-disposition", "")
                or not probe.body()
            ):
                continue
            key = probe.status if probe.status >= 400 else urlsplit(probe.url).path
            if key in seen:
                continue
            seen.add(key)
            page.goto(live_server.url + visit.url)
            checked += 1
            routes.add(visit.route)
            for size in (WIDE, PHONE):
                page.set_viewport_size(size)
                page.evaluate(AFTER_RESIZE)
                for violation in grave_violations(page):
                    nodes = [" ".join(n["target"]) for n in violation["nodes"][:3]]
                    found.setdefault((visit.route, violation["id"]), []).append(
                        f"{visit.url} as {persona.name} at {size['width']} px: "
                        f"{violation['impact']} {violation['help']} → {nodes}"
                    )
            page.set_viewport_size(WIDE)
        context.close()
    assert checked >= 130 and len(routes) >= 100, (checked, len(routes))
    assert any(route.endswith("docs") for route in routes)
    new = {key: where for key, where in found.items() if key not in KNOWN}
    assert not new, "\n".join(
        f"{route} [{rule}]\n  " + "\n  ".join(where[:3]) for (route, rule), where in new.items()
    )
    assert KNOWN <= found.keys(), sorted(KNOWN - found.keys())


def test_the_check_finds_an_image_without_a_text_alternative(browser, live_server):
    context = browser.new_context(locale="es-MX", viewport=WIDE)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in [v["id"] for v in grave_violations(page)]
    context.close()
