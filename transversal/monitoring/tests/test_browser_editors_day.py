"""The editor's day in a real Chromium (issue 12): from the home page to an overdue period's form
in at most two clicks, then save, edit and send in one action; the figure sent is the one on
screen. Then the reviewer opens it from the queue and sees what changed since the return."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Browser, expect

from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.tests.factories import approved, indicator_with_calendar
from transversal.testing import PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def overdue(durango, editor, reviewer):
    """A 2025 calendar, long overdue: the first quarter approved, the rest still to report."""
    indicator = indicator_with_calendar(durango, name="Mujeres capacitadas en igualdad")
    approved(indicator, "2025-T1", actor=editor, reviewer=reviewer)
    return indicator


def sign_in_from_home(page, base: str, email: str) -> None:
    """As a person does it: the home page, its "Entrar" link, the form."""
    page.goto(f"{base}/")
    page.get_by_role("link", name="Entrar", exact=True).click()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()


def test_the_editor_reaches_an_overdue_form_from_home_and_sends_what_is_on_screen(
    browser: Browser, live_server, overdue, editor, reviewer, artifacts_dir
):
    base = live_server.url
    page = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}).new_page()
    sign_in_from_home(page, base, editor.email)
    page.goto(f"{base}/")  # wherever the sign-in led, the day starts on the home page

    # The home page says what is due: three overdue quarters, each a link to its form.
    work = page.locator("section.my-work")
    expect(work.get_by_role("link", name="Vencidos")).to_contain_text("3")
    screenshot(page, artifacts_dir / "editors-day-1-home.png")
    clicks = 0
    work.get_by_role("link", name="Mujeres capacitadas en igualdad · 2.º trimestre 2025").click()
    clicks += 1
    expect(page.get_by_role("heading", name="Avance de 2.º trimestre 2025")).to_be_visible()
    assert clicks <= 2

    # Save a draft, change it, and send it in one action without saving first.
    page.get_by_label("Valor", exact=True).fill("70")
    page.get_by_label("Mujeres").fill("40")
    page.get_by_label("Hombres").fill("30")
    page.get_by_role("button", name="Guardar borrador").click()
    expect(page.get_by_text("Se guardó el borrador.")).to_be_visible()
    page.get_by_label("Valor", exact=True).fill("72")
    page.get_by_label("Mujeres").fill("42")
    page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(page.get_by_text("Se guardó el avance y se envió a revisión.")).to_be_visible()
    sent = ProgressUpdate.objects.get(period__indicator=overdue, period__label="2025-T2")
    assert sent.status == UpdateStatus.SUBMITTED and sent.value == Decimal(72)
    assert {b.category: b.value for b in sent.breakdown.all()} == {"women": 42, "men": 30}
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # The reviewer finds it from the home page's count, opens the report, returns it.
    other = browser.new_context(locale="es-MX").new_page()
    sign_in_from_home(other, base, reviewer.email)
    other.goto(f"{base}/")
    other.locator("section.my-work").get_by_role("link", name="Por revisar").click()
    other.get_by_role("link", name="Revisar").first.click()
    other.get_by_label("Observación para devolver (obligatoria)").fill("Falta la lista.")
    other.get_by_role("button", name="Devolver").click()
    expect(other.get_by_text("Se devolvió el avance con su observación.")).to_be_visible()

    # The editor sees it among the returned, corrects and sends; the reviewer sees the change.
    page.goto(f"{base}/")
    page.locator("section.my-work").get_by_role("link", name="Devueltos").click()
    page.get_by_role("link", name="Mujeres capacitadas en igualdad · 2.º trimestre 2025").click()
    page.get_by_label("Hombres").fill("29")
    page.get_by_label("No especificado").fill("1")
    page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(page.get_by_text("Se guardó el avance y se envió a revisión.")).to_be_visible()
    other.reload()
    changes = other.locator("section.since-return")
    expect(changes).to_contain_text("Sexo · Hombres")
    expect(changes.get_by_role("row", name="Sexo · Hombres")).to_contain_text("29")
    screenshot(other, artifacts_dir / "editors-day-2-review.png")
