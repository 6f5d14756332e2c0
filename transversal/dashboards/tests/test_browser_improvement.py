"""The national coordination in a real Chromium follows the model's cycle from the map to a state's
overdue ASM: the map coloured by overdue ASM, Durango's row in the cycle table, Durango's cycle
panel, its overdue ASM and its cycle page; axe-core checks both dashboards with the new parts."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(national, durango, zacatecas):
    from transversal.dashboards.tests.data import known_dataset
    from transversal.improvement.tests.test_state_improvement import improvement_year

    known_dataset(national, durango, zacatecas)
    return improvement_year(durango)


def test_the_coordination_follows_the_cycle_from_the_map_to_a_states_overdue_asm(
    page: Page, live_server, coordinator, durango, world, artifacts_dir
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, coordinator.email)
    page.goto(f"{base}/tableros/")

    # The map, coloured by the ASM of 2025 past their due date.
    page.get_by_label("Colorear el mapa por").select_option(
        label="Aspectos susceptibles de mejora (ASM) vencidos"
    )
    page.get_by_label("Año").select_option("2025")
    page.get_by_role("button", name="Aplicar").click()
    expect(
        page.get_by_role("heading", name="Mapa: Aspectos susceptibles de mejora (ASM) vencidos")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Durango:")).to_contain_text("2 ASM vencidos")
    table = page.get_by_role(
        "table", name="Evaluaciones y aspectos susceptibles de mejora por entidad federativa, 2025"
    )
    expect(table.get_by_role("row", name="Durango")).to_contain_text("33.3 %")
    assert_accessible(page, "tablero-nacional-asm", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-asm-1-nacional.png")

    # Durango's row leads to its cycle panel of the same year.
    table.get_by_role("link", name="Durango").click()
    cycle = page.locator("section[aria-labelledby='h-cycle']")
    expect(cycle.get_by_role("heading", name="Ciclo del modelo en 2025")).to_be_visible()
    expect(cycle.get_by_role("heading", name="4. Mejorar")).to_be_visible()
    assert_accessible(page, "tablero-estatal-ciclo", artifacts_dir)
    screenshot(page, artifacts_dir / "tableros-asm-2-durango.png")

    # The overdue ASM, in the improvement list.
    cycle.get_by_role("link", name="2 ASM vencidos").click()
    expect(page.locator(f"a[href='/mejora/asm/{world['overdue'].code}/']")).to_be_visible()
    page.go_back()

    # And the whole cycle of Durango's institute.
    cycle.get_by_role("link", name="Ver el ciclo completo del modelo en 2025").click()
    expect(
        page.get_by_role("heading", name="Ciclo del modelo para la igualdad, 2025", level=1)
    ).to_be_visible()
    assert page.url.endswith(f"/mejora/ciclo/{durango.slug}/?anio=2025")
