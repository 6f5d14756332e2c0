"""The national coordination in a real Chromium reads the work programmes' board: from the
national dashboard to the board of 2025, Durango's tile and row, its programme page, back to
Durango's panel on its dashboard; axe-core checks the board and the panel. A stage changed
meanwhile shows on the next visit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(national, durango, zacatecas):
    from transversal.dashboards.tests.test_programmes import executing, observed, programme_of

    return {
        "durango": executing(programme_of(national, durango)),
        "zacatecas": observed(programme_of(national, zacatecas)),
    }


def test_the_coordination_reads_the_board_and_a_states_programme(
    page: Page, live_server, coordinator, world, artifacts_dir
):
    from transversal.workprogrammes import services

    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/tableros/?anio=2025")
    page.get_by_role("link", name="Programas anuales de trabajo de 2025").click()

    expect(
        page.get_by_role("heading", name="Programas anuales de trabajo 2025", level=1)
    ).to_be_visible()
    expect(page.get_by_role("link", name="Durango:")).to_contain_text("En ejecución")
    expect(page.get_by_role("link", name="Zacatecas:")).to_contain_text("Observada")
    table = page.get_by_role(
        "table", name="Programa anual de trabajo de cada entidad federativa, 2025"
    )
    durango = table.get_by_role("row", name="Durango")
    expect(durango).to_contain_text("vencido (15/01/2026)")
    observations = page.locator("section[aria-labelledby='h-observations']")
    expect(observations).to_contain_text("Precise el medio de verificación.")
    assert_accessible(page, "tablero-programas", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-programas-1-nacional.png")

    # Durango's stage leads to its programme.
    durango.get_by_role("link", name="En ejecución").click()
    assert page.url.endswith(f"/programas/{world['durango'].code}/")
    page.go_back()

    # Durango's name leads to the panel on its dashboard.
    durango.get_by_role("link", name="Durango").click()
    panel = page.locator("section[aria-labelledby='h-programme']")
    expect(panel.get_by_role("heading", name="Programa anual de trabajo 2025")).to_be_visible()
    expect(panel).to_contain_text("1 observación pendiente de atender")
    assert_accessible(page, "tablero-estatal-programa", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-programas-2-durango.png")

    # Zacatecas corrects and the national institution validates: the board shows it.
    zacatecas = world["zacatecas"]
    services.programme_correct(actor=None, programme=zacatecas, answer="Se precisó.")
    services.programme_validate(actor=coordinator, programme=zacatecas)
    page.goto(f"{base}/tableros/programas/?anio=2025")
    expect(page.get_by_role("link", name="Zacatecas:")).to_contain_text("Validada")
