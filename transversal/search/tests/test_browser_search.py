"""A visitor on a phone searches from the header box: no JavaScript needed, nothing too wide,
and the results page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.search.tests.conftest import make_indicator
from transversal.testing import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_NAME = (
    "Porcentaje de municipios con instancia municipal de las mujeres en operación y con "
    "presupuesto asignado para la prevención de la violencia de género"
)


def test_a_visitor_searches_from_the_header_on_a_phone_without_javascript(
    browser: Browser, live_server, durango, artifacts_dir
):
    make_indicator(durango, LONG_NAME, is_public=True)
    make_indicator(durango, "Indicador privado de violencia de género")
    context = browser.new_context(viewport=PHONE, locale="es-MX", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Buscar").fill("violencia genero")
    page.get_by_role("searchbox", name="Buscar").press("Enter")
    expect(page).to_have_url(live_server.url + "/buscar/?q=violencia+genero")
    expect(page.get_by_role("heading", name="Indicador")).to_be_visible()
    expect(page.get_by_role("link", name=LONG_NAME)).to_be_visible()
    expect(page.get_by_text("Indicador privado")).to_have_count(0)
    screenshot(page, artifacts_dir / "390-search.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

    page = browser.new_context(viewport={"width": 1280, "height": 800}, locale="es-MX").new_page()
    page.goto(live_server.url + "/buscar/?q=violencia+genero")
    expect(page.locator("#busqueda-cabecera")).to_have_value("violencia genero")
    screenshot(page, artifacts_dir / "search-desktop.png")
    assert_accessible(page, "search-results", artifacts_dir)
