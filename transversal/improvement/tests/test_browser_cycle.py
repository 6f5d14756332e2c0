"""Zacatecas's reviewer records an evaluation with two findings and turns one into an ASM; the
owner's editor reports progress with evidence; the reviewer (who reported nothing) verifies it;
the cycle page counts it. In a real Chromium, from the home page, by clicking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.testing import blank_pdf, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_an_evaluation_becomes_a_verified_asm_and_the_cycle_counts_it(
    browser: Browser, live_server, zacatecas, artifacts_dir
):
    base = live_server.url
    checker = make_member("revision.zac@prueba.test", zacatecas, Role.REVIEWER)
    owner = make_member("captura.zac@prueba.test", zacatecas, Role.EDITOR)
    today = timezone.localdate()
    due = today + dt.timedelta(days=90)

    page = browser.new_context(locale="es-MX").new_page()
    sign_in(page, base, checker.email)
    page.get_by_role("link", name="Mejora", exact=True).click()
    page.get_by_role("link", name="Registrar evaluación").click()
    page.get_by_label("Tipo de evaluación").select_option(label="Externa")
    page.get_by_label("Título").fill("Evaluación externa del Modelo para la Igualdad")
    page.get_by_label("Instancia evaluadora").fill("Universidad Autónoma de Zacatecas")
    page.get_by_label("Inicio").fill((today - dt.timedelta(days=120)).strftime("%d/%m/%Y"))
    page.get_by_label("Conclusión").fill((today - dt.timedelta(days=10)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se registró la evaluación.")).to_be_visible()

    year = today.year
    for text in (
        "Los indicadores de la estrategia 2.10.2 no desagregan por municipio.",
        "Las actas del sistema estatal no registran el seguimiento de acuerdos.",
    ):
        page.get_by_label("Hallazgo").fill(text)
        page.get_by_role("button", name="Registrar hallazgo").click()
        expect(page.get_by_text("Se registró el hallazgo")).to_be_visible()
        page.get_by_role("link", name="Evaluación externa del Modelo").click()
    expect(page.get_by_role("link", name=f"H-{year}-02")).to_be_visible()

    page.get_by_role("link", name=f"H-{year}-01").click()
    page.get_by_label("Aspecto susceptible de mejora").fill(
        "Incorporar la desagregación municipal en las fichas técnicas."
    )
    page.get_by_label("Clasificación").select_option(label="Institucional")
    page.get_by_label("Prioridad").select_option(label="Alta")
    page.get_by_label("Fecha compromiso").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Registrar ASM").click()
    expect(page.get_by_role("heading", name=f"ASM H-{year}-01.1")).to_be_visible()
    asm_url = page.url

    # The owner institution's editor finds it in the list and reports on it.
    editor = browser.new_context(locale="es-MX").new_page()
    sign_in(editor, base, owner.email)
    editor.get_by_role("link", name="Mejora", exact=True).click()
    editor.get_by_role("link", name=f"ASM H-{year}-01.1").click()
    editor.get_by_text("Registrar avance").click()
    editor.locator("#note_text").fill("Se actualizaron 12 de 18 fichas técnicas.")
    editor.get_by_role("button", name="Guardar avance").click()
    expect(editor.get_by_text("Se registró el avance.")).to_be_visible()
    editor.get_by_text("Agregar evidencia").click()
    editor.get_by_label("Archivo de evidencia").set_input_files(
        {"name": "fichas.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("fichas")}
    )
    editor.get_by_role("button", name="Subir evidencia").click()
    expect(editor.get_by_role("link", name="fichas.pdf")).to_be_visible()

    # The reviewer, who reported nothing, verifies it.
    page.goto(asm_url)
    page.get_by_role("button", name="Verificar y cerrar como cumplido").click()
    expect(page.get_by_text("Se verificó y cerró como cumplido.")).to_be_visible()

    narrow = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844})
    phone = narrow.new_page()
    sign_in(phone, base, checker.email)
    phone.goto(f"{base}/mejora/")
    phone.get_by_role("link", name="Ciclo del modelo").first.click()
    for stage in ("1. Planear", "2. Ejecutar", "3. Verificar", "4. Mejorar"):
        expect(phone.get_by_role("heading", name=stage)).to_be_visible()
    expect(phone.get_by_text("2 hallazgos del año")).to_be_visible()
    verified = phone.locator("li", has_text="ASM verificados")
    expect(verified).to_contain_text("1")
    expect(phone.locator("li", has_text="Evaluaciones del año")).to_contain_text("1")
    screenshot(phone, artifacts_dir / "improvement-cycle.png")
    assert phone.evaluate(FITS), "the cycle page overflows a 390 px screen"
