"""A citizen reads the registers' page of the portal in a real Chromium, without an account:
picks a state from the menu, reads its tables (a small count shows as «suprimido»), follows a
tile of the map, and the page passes an automated accessibility check on a wide screen and a
phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from transversal.conftest import make_institution
from transversal.portal.tests.test_browser_portal import assert_accessible
from transversal.registers.tests import public_world as w
from transversal.testing import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reads_a_states_registers_and_follows_the_map(
    page: Page, live_server, durango, zacatecas, national, artifacts_dir
):
    w.training(durango, women=120, men=60, audience="public_servants")
    w.training(durango, women=3, men=40, unspecified=2, audience="general", synthetic=True)
    w.training(zacatecas, women=25, men=15)
    w.service(durango, women=200, service_type="legal")
    w.participation(zacatecas, women=12, men=8, sectors=(10, 6, 4, 0, 0))
    w.affirmative(national, women=50)
    w.training(make_institution("imef-aguascalientes", "01", "Instituto"), women=2, men=1)
    base = live_server.url
    page.goto(f"{base}/portal/")
    page.get_by_role("link", name="Ver los registros por entidad y año").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Registros de capacitación, acciones afirmativas, participación y servicios"
    )
    expect(page.get_by_text("dato sintético").first).to_be_visible()
    legend = page.locator("#registers-legend")
    expect(legend).to_contain_text("más personas: 225 personas (1 entidad)")
    expect(legend).to_contain_text("conteo pequeño: de 1 a 4 personas")
    # Durango's figure on the map counts an invented entry: the map says so, not only the tables.
    expect(page.locator("#h-map").get_by_text("dato sintético")).to_be_visible()
    expect(legend).to_contain_text("La cifra de Durango incluye registros inventados")
    screenshot(page, artifacts_dir / "portal-registers-1-all.png")
    assert_accessible(page, "the registers page")

    page.get_by_label("Entidad", exact=True).select_option(label="Durango")
    page.get_by_role("button", name="Ver").click()
    training = page.get_by_role("table", name="Capacitación: registros y personas por sexo")
    rows = training.get_by_role("row")
    expect(rows).to_have_count(2)  # the header and Durango
    expect(rows.nth(1)).to_contain_text("225")
    expect(rows.nth(1).get_by_text("suprimido").first).to_be_visible()
    screenshot(page, artifacts_dir / "portal-registers-2-durango.png")

    page.get_by_role("link", name="Zacatecas:").click()
    expect(page.get_by_label("Entidad", exact=True)).to_have_value("zacatecas")
    expect(page.get_by_role("heading", name="Capacitación, 2025 · Zacatecas")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, artifacts_dir / "portal-registers-3-phone.png")
    assert_accessible(page, "the registers page on a phone")
