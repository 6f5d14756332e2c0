"""Helpers shared by the test suites (browser sign-in, small real files)."""

from __future__ import annotations

import io

PASSWORD = "Prueba-segura-2026"


def sign_in(
    page, base: str, email: str, password: str = PASSWORD, *, expect_success: bool = True
) -> None:
    """Sign in through the login form, as a person would."""
    from playwright.sync_api import expect

    page.goto(f"{base}/entrar/")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Entrar").click()
    if expect_success:
        expect(page.get_by_role("button", name="Salir")).to_be_visible()


def blank_pdf(title: str = "") -> bytes:
    """A valid one-page PDF, made here so no test depends on a file on disk."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    if title:
        writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def screenshot(page, path) -> None:
    """Save a full-page screenshot for people to read after the run.

    The picture is an artefact, not an assertion: Chromium under load sometimes refuses
    to capture a tall page ("Unable to capture screenshot"), so one retry is made and then
    the visible part is kept instead of failing a test whose checks all passed.
    """
    from playwright.sync_api import Error

    for attempt in range(2):
        try:
            page.screenshot(path=path, full_page=True)
            return
        except Error:
            page.wait_for_timeout(250 * (attempt + 1))
    page.screenshot(path=path)
