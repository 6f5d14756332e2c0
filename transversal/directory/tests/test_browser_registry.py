"""The national coordinator keeps the registry in a real Chromium: a state institute's
transformation with its instrument, and a new municipal instance; both reach the list, the
history, the API and the open data."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from transversal.institutions.services import state_institutes_load
from transversal.territory.models import Municipality, State
from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_records_a_transformation_and_a_new_imm(
    browser: Browser, live_server, coordinator, artifacts_dir
):
    state_institutes_load(actor=None)
    Municipality.objects.create(code="10012", state=State.objects.get(code="10"), name="Lerdo")
    base = live_server.url
    page = browser.new_context(locale="es-MX").new_page()
    sign_in(page, base, coordinator.email)

    # A transformation of Durango's institute, with its instrument.
    page.goto(f"{base}/instituciones/iem-durango/")
    page.get_by_label("Nuevo nombre").fill("Secretaría de las Mujeres del Estado de Durango")
    page.get_by_label("Siglas").fill("SMED")
    page.get_by_label("Tipo de cambio").select_option(
        label="Transformación (cambio de naturaleza jurídica)"
    )
    page.get_by_label("Naturaleza jurídica", exact=True).select_option(
        label="Secretaría o dependencia centralizada"
    )
    page.get_by_label("Vigente desde").fill("01/03/2026")
    page.get_by_label("Instrumento (decreto, ley, acuerdo)").fill(
        "Decreto que reforma la Ley Orgánica de la Administración Pública del Estado"
    )
    page.get_by_label("Número", exact=True).fill("321")
    page.get_by_label("Fecha de publicación").fill("26/02/2026")
    page.get_by_label("Medio de publicación").fill("Periódico Oficial del Estado de Durango")
    page.get_by_label("Fuente (título y dirección del documento)").fill(
        "Periódico Oficial — https://example.gob.mx/po/321"
    )
    page.get_by_role("button", name="Registrar cambio").click()
    expect(page.get_by_text("Se registró el nuevo nombre.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Secretaría de las Mujeres del Estado de Durango")
    ).to_be_visible()
    expect(
        page.get_by_role("cell", name="Transformación (cambio de naturaleza jurídica)")
    ).to_be_visible()
    expect(page.get_by_text("No. 321, 26/02/2026")).to_be_visible()
    screenshot(page, artifacts_dir / "registry-transformation.png")

    # A new municipal instance for Lerdo.
    page.goto(f"{base}/instituciones/")
    page.get_by_role("link", name="Registrar institución").click()
    page.get_by_label("Tipo de institución").select_option(
        label="Instancia Municipal de las Mujeres (IMM)"
    )
    page.get_by_label("Entidad federativa").select_option(label="Durango")
    page.get_by_label("Municipio (instancia municipal)").select_option(
        label="Lerdo, Durango (10012)"
    )
    page.get_by_label("Nombre oficial").fill("Instituto Municipal de la Mujer de Lerdo")
    page.get_by_label("Persona titular", exact=True).fill("Titular de prueba")
    page.get_by_label("Cargo de la persona titular").fill("Directora")
    page.get_by_role("button", name="Registrar", exact=True).click()
    expect(page.get_by_text("Se registró la institución.")).to_be_visible()
    expect(page.get_by_text("Municipio de Lerdo")).to_be_visible()
    imm_url = page.url

    # Both are in the list…
    page.goto(f"{base}/instituciones/?entidad=10")
    expect(
        page.get_by_role("link", name="Instituto Municipal de la Mujer de Lerdo")
    ).to_be_visible()
    expect(page.get_by_text("antes Instituto Estatal de las Mujeres")).to_be_visible()
    # …in the history…
    page.goto(f"{base}/instituciones/iem-durango/")
    page.get_by_role("link", name="Historial de cambios").click()
    rows = page.get_by_role("row").filter(has_text=coordinator.full_name)
    expect(rows.filter(has_text="Registró un cambio de nombre o una transformación")).to_have_count(
        1
    )
    page.goto(imm_url)
    page.get_by_role("link", name="Historial de cambios").click()
    expect(rows.filter(has_text="Dio de alta la institución")).to_have_count(1)
    # …in the API…
    api = page.request.get(f"{base}/api/v1/institutions/iem-durango").json()
    assert api["names"][-1]["instrument_number"] == "321"
    imms = page.request.get(f"{base}/api/v1/institutions?municipality=10012").json()
    assert [i["name"] for i in imms["items"]] == ["Instituto Municipal de la Mujer de Lerdo"]
    # …and in the open data.
    names = page.request.get(f"{base}/datos/nombres-instituciones.csv").text()
    assert "Secretaría de las Mujeres del Estado de Durango" in names and "transformacion" in names
    institutions = page.request.get(f"{base}/datos/instituciones.csv").text()
    assert "Instituto Municipal de la Mujer de Lerdo" in institutions and "10012" in institutions
