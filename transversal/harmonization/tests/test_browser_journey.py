"""Issue 18's journey in a real Chromium on a 390 px phone: the national coordination adds a
provision to the catalogue; Durango's editor proposes an update to its cell with the gazette and
the publication date; the national coordination accepts it from its queue; the public map of
that provision shows Durango's tile in the new colour and with the new label; the cell's history
shows both steps. axe-core checks the matrix, the map and a state's profile (no serious or
critical violation). Every step starts from the home page and goes on by clicking."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from transversal.harmonization.tests.factories import provision
from transversal.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def assert_accessible(page: Page, name: str, artifacts_dir) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    (artifacts_dir / f"{name}-axe.txt").write_text(
        results.generate_report() if serious else "sin violaciones graves\n"
    )
    assert serious == [], [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in serious
    ]


def phone(browser: Browser, base: str, email: str | None = None) -> Page:
    page = browser.new_context(locale="es-MX", viewport=PHONE).new_page()
    page.goto(f"{base}/")
    if email:
        page.get_by_role("link", name="Entrar", exact=True).click()
        page.get_by_label("Correo electrónico").fill(email)
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar").click()
        expect(page.get_by_role("button", name="Salir")).to_be_visible()
    return page


def open_matrix(page: Page, base: str) -> None:
    """From the home page: the header's "Portal público", then the portal's observatory link."""
    page.goto(f"{base}/")
    nav = page.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("link", name="Portal público", exact=True).click()
    page.get_by_role("link", name="Observatorio: armonización legislativa").click()
    expect(
        page.get_by_role("heading", name="Armonización legislativa en las 32 entidades")
    ).to_be_visible()


def no_wider_than_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_provision_added_proposed_by_durango_and_accepted_changes_the_public_map(
    browser: Browser, live_server, national, durango, editor, coordinator, artifacts_dir
):
    provision("feminicidio", order=1)  # the catalogue is not empty to begin with
    base = live_server.url

    # 1. The national coordination adds a provision.
    nat = phone(browser, base, coordinator.email)
    open_matrix(nat, base)
    nat.get_by_role("link", name="Gestión del catálogo").click()
    nat.get_by_role("link", name="Agregar una disposición").click()
    nat.get_by_label("Clave").fill("matrimonio-infantil")
    nat.get_by_label("Disposición").fill("Prohibición del matrimonio infantil")
    nat.get_by_label("Tema").select_option(label="Prohibición del matrimonio infantil")
    nat.get_by_label("Ley o instrumento federal").fill("Decreto de reforma al Código Civil Federal")
    nat.get_by_label("Fecha de publicación en el DOF").fill("03/06/2019")
    nat.get_by_label("Orden").fill("2")
    nat.get_by_role("button", name="Guardar").click()
    expect(
        nat.get_by_role("heading", name="Prohibición del matrimonio infantil", exact=True)
    ).to_be_visible()
    expect(nat.get_by_text("03/06/2019")).to_be_visible()

    # The public map before: Durango's cell cites nothing yet.
    public = phone(browser, base)
    open_matrix(public, base)
    assert_accessible(public, "armonizacion-matriz", artifacts_dir)
    public.get_by_role("link", name="Prohibición del matrimonio infantil").first.click()
    tile = public.locator(".tile.s10")
    expect(tile).to_contain_text("Sin verificar")
    expect(tile).to_have_class("tile s10 light-no_data")
    assert_accessible(public, "armonizacion-mapa", artifacts_dir)
    no_wider_than_the_phone(public)

    # 2. Durango's editor proposes an update to its cell, with the gazette and the date.
    dgo = phone(browser, base, editor.email)
    open_matrix(dgo, base)
    dgo.get_by_role("link", name="Prohibición del matrimonio infantil").first.click()
    dgo.locator(".tile.s10 a").click()
    dgo.get_by_role("link", name="Proponer un cambio").click()
    dgo.get_by_label("Estado").select_option(label="Armonizada")
    dgo.get_by_label("Periódico oficial").fill("Periódico Oficial del Gobierno del Estado")
    dgo.get_by_label("Fecha de publicación").fill("04/03/2021")
    dgo.get_by_label("Notas").fill("Reforma al código civil del estado")
    dgo.get_by_role("button", name="Guardar").click()
    expect(dgo.get_by_text("Propuesta enviada a la coordinación nacional.")).to_be_visible()
    expect(dgo.get_by_role("cell", name="Propuesta", exact=True)).to_be_visible()

    # 3. The national coordination accepts it from its queue.
    open_matrix(nat, base)
    nat.get_by_role("link", name="Gestión del catálogo").click()
    nat.get_by_role("link", name="Durango").click()
    nat.get_by_role("button", name="Aceptar y aplicar a la celda").click()
    expect(nat.get_by_text("Propuesta aceptada")).to_be_visible()

    # 4. The public map changes colour, and its label says so.
    open_matrix(public, base)
    public.get_by_role("link", name="Prohibición del matrimonio infantil").first.click()
    tile = public.locator(".tile.s10")
    expect(tile).to_contain_text("Armonizada")
    expect(tile).to_have_class("tile s10 light-green")

    # 5. The cell's history shows both steps.
    nat.get_by_role("link", name="Historial de cambios").click()
    expect(nat.get_by_text("Propuso un cambio a la celda de armonización")).to_be_visible()
    expect(nat.get_by_text("Aceptó la propuesta y la aplicó a la celda")).to_be_visible()

    # A state's profile passes axe too.
    open_matrix(public, base)
    public.get_by_role("link", name="Durango", exact=True).click()
    expect(public.get_by_role("heading", name="Armonización en Durango")).to_be_visible()
    assert_accessible(public, "armonizacion-entidad", artifacts_dir)
    for page in (nat, dgo, public):
        page.context.close()
