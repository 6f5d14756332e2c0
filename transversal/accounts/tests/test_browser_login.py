"""A state editor's first visit, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from transversal.testing import PASSWORD, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_signs_in_sees_the_institution_switches_language_and_signs_out(
    page: Page, live_server, editor, durango, artifacts_dir
):
    sign_in(page, live_server.url, editor.email, PASSWORD)
    expect(page.get_by_role("heading", name="Sus instituciones")).to_be_visible()
    page.get_by_role("link", name="Instituto Estatal de las Mujeres").first.click()
    expect(page.get_by_role("heading", name="Instituto Estatal de las Mujeres")).to_be_visible()
    expect(page.get_by_role("link", name="Editar perfil")).to_be_visible()
    screenshot(page, artifacts_dir / "foundation-institution-es.png")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Names over time")).to_be_visible()
    screenshot(page, artifacts_dir / "foundation-institution-en.png")
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Nombres a través del tiempo")).to_be_visible()

    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_role("link", name="Entrar", exact=True)).to_be_visible()


def test_a_wrong_password_shows_a_spanish_message(page: Page, live_server, editor, artifacts_dir):
    sign_in(page, live_server.url, editor.email, "no-es-la-contraseña", expect_success=False)
    # In the error summary, which takes the focus so that it is read out first.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("El correo o la contraseña no son correctos")
    page.screenshot(path=artifacts_dir / "foundation-wrong-password.png")
