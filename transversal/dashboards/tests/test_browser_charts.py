"""The charts page in a real Chromium: its text and tables never wait for the chart library."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, Route, expect

from transversal.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIBRARY = "**/static/dashboards/vega.js"


@pytest.fixture
def indicator(durango):
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    indicator = indicator_with_calendar(durango, name="Personas capacitadas")
    approved(indicator, "2025-T1", Decimal(74))
    approved(indicator, "2025-T4", Decimal(140))
    return indicator


def test_the_page_loads_with_its_tables_while_the_library_is_still_on_its_way(
    page: Page, live_server, coordinator, indicator
):
    held: list[Route] = []
    # The library's request waits here until released.
    page.route(LIBRARY, lambda route: held.append(route))
    sign_in(page, live_server.url, coordinator.email)

    # The load event fires although the library has not arrived (if the page waited for it,
    # goto would time out).
    page.goto(f"{live_server.url}/tableros/indicador/{indicator.code}/", timeout=15_000)
    expect(
        page.get_by_role("row", name="2.º trimestre 2025 Valor aprobado Sin dato")
    ).to_be_visible()
    expect(page.locator("#chart-progress")).to_contain_text("Cargando gráfica…")
    assert len(held) == 1  # asked for once, when the chart came into view

    held[0].continue_()
    expect(page.locator("#chart-progress svg").first).to_be_attached(timeout=20_000)
    expect(page.locator("#chart-progress")).not_to_contain_text("Cargando gráfica…")


def test_when_the_library_cannot_load_each_chart_points_to_its_table(
    page: Page, live_server, coordinator, indicator
):
    page.route(LIBRARY, lambda route: route.abort())
    sign_in(page, live_server.url, coordinator.email)
    page.goto(f"{live_server.url}/tableros/indicador/{indicator.code}/")
    expect(page.locator("#chart-progress")).to_have_text(
        "No se pudo dibujar la gráfica; consulte la tabla."
    )
    expect(page.get_by_role("table", name="Datos de la gráfica")).to_contain_text("140")
