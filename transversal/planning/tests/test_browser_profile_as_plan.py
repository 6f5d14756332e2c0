"""An editor uploads the institute's profile to the plan import, in a real Chromium, and is
taken to the profile import without uploading it again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from transversal.planning.tests.factories import PROFILE, docx_bytes
from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_profile_uploaded_as_a_plan_ends_in_the_institutions_profile(
    browser: Browser, live_server, outsider, zacatecas, tmp_path, artifacts_dir
):
    document = tmp_path / "perfil.docx"
    document.write_bytes(docx_bytes(PROFILE))
    page = browser.new_context(locale="es-MX").new_page()
    sign_in(page, live_server.url, outsider.email)  # the Zacatecas editor

    page.goto(f"{live_server.url}/planes/importar/")
    page.get_by_label("Documento").set_input_files(str(document))
    page.get_by_role("button", name="Leer documento").click()
    # Said beside the file field (and linked from the error summary above the form).
    expect(
        page.locator("#id_document_error").get_by_text("no es un plan sino un perfil institucional")
    ).to_be_visible()
    screenshot(page, artifacts_dir / "planning-profile-as-plan.png")

    page.get_by_role("button", name=f"Importar como perfil de {zacatecas}").click()
    expect(page.get_by_role("heading", name="Importar perfil institucional")).to_be_visible()
    expect(page.get_by_text("Se leyó «perfil.docx»")).to_be_visible()
    page.get_by_role("button", name="Aplicar perfil").click()
    expect(page.get_by_text("Se aplicó el perfil importado.")).to_be_visible()
    zacatecas.refresh_from_db()
    assert zacatecas.mission.startswith("Coordinar las políticas de igualdad sustantiva")
    assert zacatecas.creation_number == "145"
