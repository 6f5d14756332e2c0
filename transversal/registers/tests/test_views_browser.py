"""On a phone 390 px wide, a state editor goes from the home page to the registers through the
header, records a training event and reads it; no page grows wider than the screen, and axe-core
finds no serious or critical violation on any of them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from transversal.registers.models import TrainingEvent
from transversal.registers.tests import entry_world as world
from transversal.site.tests.test_browser_axe_crawl import AXE, grave_violations
from transversal.site.tests.test_narrow_screens import PHONE
from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page, artifacts_dir, name: str) -> int:
    """The page's width; its serious axe violations are kept on the page's ``violations``."""
    screenshot(page, artifacts_dir / f"390-registers-{name}.png")
    page.violations += [(name, v["id"]) for v in grave_violations(page)]
    return page.evaluate("document.documentElement.scrollWidth")


def test_an_editor_records_a_training_event_on_a_phone(
    browser: Browser, live_server, editor, durango, artifacts_dir
):
    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    for n in range(3):
        world.training(
            durango,
            name=f"Capacitación en perspectiva de género para el servicio público, grupo {n + 1}",
            municipality=lerdo,
            women=1200 + n,
            men=800,
        )
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.violations = []
    sign_in(page, live_server.url, editor.email)
    widths = {}
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Registros"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registros")
    widths["home"] = _fits(page, artifacts_dir, "home")

    page.get_by_role("link", name="Capacitación").first.click()
    expect(page.locator("#totals")).to_contain_text("3,603")
    widths["list"] = _fits(page, artifacts_dir, "list")

    page.get_by_role("link", name="Registrar evento de capacitación").click()
    widths["form"] = _fits(page, artifacts_dir, "form")
    page.get_by_label("Nombre del evento").fill("Taller de igualdad sustantiva 2026")
    page.get_by_label("Tema").fill("Igualdad sustantiva")
    page.get_by_label("Población a la que se dirige").select_option("public_servants")
    page.get_by_label("Modalidad").select_option("in_person")
    page.get_by_label("Horas").fill("8")
    page.get_by_label("Inicio").fill("02/03/2026")
    page.get_by_label("Término").fill("03/03/2026")
    page.get_by_label("Municipio").select_option(label="Lerdo")
    page.get_by_label("Institución que organiza").fill("Instituto Estatal de las Mujeres")
    page.get_by_label("Mujeres").fill("25")
    page.get_by_label("Hombres", exact=True).fill("5")
    page.get_by_label("Observaciones").fill("Asistió Laura Méndez Ruiz")
    page.get_by_role("button", name="Guardar").click()
    summary = page.get_by_role("alert").filter(has_text="Corrija lo siguiente")
    expect(summary).to_contain_text("un nombre de persona")
    widths["refused"] = _fits(page, artifacts_dir, "refused")
    page.get_by_label("Observaciones").fill("Grupo del turno matutino")
    page.get_by_role("button", name="Guardar").click()

    expect(page.locator("#count-checks")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Taller de igualdad sustantiva 2026")
    widths["detail"] = _fits(page, artifacts_dir, "detail")
    assert TrainingEvent.objects.filter(name="Taller de igualdad sustantiva 2026").count() == 1
    assert {name: w for name, w in widths.items() if w > PHONE["width"]} == {}
    assert page.violations == []


def test_an_editor_is_warned_of_an_event_already_recorded_and_records_it_all_the_same(
    browser: Browser, live_server, editor, durango, artifacts_dir
):
    world.training(durango, name="Taller de igualdad sustantiva 2026")
    context = browser.new_context(viewport=PHONE, locale="es-MX")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.violations = []
    sign_in(page, live_server.url, editor.email)
    page.goto(live_server.url + reverse("registers:new", args=["training"]))
    page.get_by_label("Nombre del evento").fill("TALLER DE IGUALDAD SUSTANTIVA 2026")
    page.get_by_label("Tema").fill("Igualdad sustantiva")
    page.get_by_label("Población a la que se dirige").select_option("public_servants")
    page.get_by_label("Modalidad").select_option("online")
    page.get_by_label("Horas").fill("4")
    page.get_by_label("Inicio").fill("02/03/2026")
    page.get_by_label("Término").fill("02/03/2026")
    page.get_by_label("Institución que organiza").fill("Instituto Estatal de las Mujeres")
    page.get_by_label("Mujeres").fill("10")
    page.get_by_role("button", name="Guardar").click()
    warning = page.get_by_role("alert").filter(has_text="¿Es el mismo evento?")
    expect(warning).to_be_visible()
    assert _fits(page, artifacts_dir, "namesake") <= PHONE["width"]
    page.get_by_label("Registrar de todos modos").check()
    page.get_by_role("button", name="Guardar").click()
    expect(page.locator("#count-checks")).to_be_visible()
    assert TrainingEvent.objects.filter(institution=durango).count() == 2
    assert page.violations == []
