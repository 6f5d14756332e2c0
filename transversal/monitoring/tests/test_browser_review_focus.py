"""Reviewing in a real Chromium, by keyboard and screen reader: after a refused return focus goes
to the observation box, marked invalid and described by the error; after a return, an approval
or a national validation it lands on the report's new status; the header badge and the queue's
line count the same, with the right plural."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from transversal.conftest import make_member
from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.testing import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLANK_RETURN = "Escriba una observación que explique a quien capturó qué corregir."


def _badge(page: Page):
    return page.locator("#nav-review-count")


def _expect_badge(page: Page, n: int, said: str) -> None:
    expect(_badge(page).locator("[aria-hidden=true]")).to_have_text(str(n))
    expect(_badge(page).locator(".visually-hidden")).to_have_text(f"({said})")


def _expect_focus_on_status(page: Page, status: str) -> None:
    status_text = page.locator("#estado-actual")
    expect(status_text).to_be_focused()
    expect(status_text).to_contain_text(status)


def _return_blank_and_expect_the_box(page: Page, button: str) -> None:
    page.locator("#return-comment").fill("   ")  # passes `required`, refused by the service
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_role("alert").filter(has_text=BLANK_RETURN)).to_be_visible()
    box = page.locator("#return-comment")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_accessible_description(BLANK_RETURN)


@pytest.fixture
def two_pending(durango, editor):
    from transversal.monitoring.tests.factories import indicator_with_calendar, submitted

    indicator = indicator_with_calendar(durango, name="Personas capacitadas")
    submitted(indicator, "2025-T1", actor=editor)
    submitted(indicator, "2025-T2", actor=editor)
    return indicator


def test_a_state_reviewer_returns_and_approves_with_focus_kept_and_counts_in_step(
    page: Page, live_server, reviewer, two_pending, artifacts_dir
):
    base = live_server.url
    sign_in(page, base, reviewer.email)
    page.goto(f"{base}/indicadores/revision/")
    expect(page.get_by_text("2 avances pendientes de revisión.")).to_be_visible()
    _expect_badge(page, 2, "2 pendientes")

    page.goto(f"{base}/indicadores/{two_pending.code}/periodos/2025-T1/")
    _return_blank_and_expect_the_box(page, "Devolver")
    assert_accessible(page, "review-focus-refused", artifacts_dir)
    _expect_badge(page, 2, "2 pendientes")  # nothing changed

    page.locator("#return-comment").fill("Falta la lista de asistencia.")
    page.get_by_role("button", name="Devolver", exact=True).click()
    expect(page.get_by_text("Se devolvió el avance con su observación.")).to_be_visible()
    _expect_focus_on_status(page, "Devuelto")
    _expect_badge(page, 1, "1 pendiente")
    screenshot(page, artifacts_dir / "review-focus-returned.png")

    page.goto(f"{base}/indicadores/revision/")
    expect(page.get_by_text("1 avance pendiente de revisión.")).to_be_visible()
    _expect_badge(page, 1, "1 pendiente")

    page.goto(f"{base}/indicadores/{two_pending.code}/periodos/2025-T2/")
    page.get_by_role("button", name="Aprobar", exact=True).click()
    expect(page.get_by_text("Se aprobó el avance; el semáforo se actualizó.")).to_be_visible()
    _expect_focus_on_status(page, "Aprobado")
    _expect_badge(page, 0, "0 pendientes")

    page.goto(f"{base}/indicadores/revision/")
    expect(page.get_by_text("0 avances pendientes de revisión.")).to_be_visible()


@pytest.fixture
def two_validating(durango, national, editor):
    from transversal.agreements.models import Agreement, Goal
    from transversal.monitoring.tests.factories import indicator_with_calendar, validating

    agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        round="IP-321",
        title="Convenio de prueba",
        status="in_force",
    )
    goal = Goal.objects.create(agreement=agreement, number=1, description="Meta de prueba")
    indicator = indicator_with_calendar(durango, name="Meta con validación", goals=[goal])
    validating(indicator, "2025-T1", actor=editor)
    validating(indicator, "2025-T2", actor=editor)
    return indicator


def test_a_national_validator_returns_and_validates_with_focus_kept_and_counts_in_step(
    page: Page, live_server, national, two_validating
):
    from transversal.accounts.models import Role

    validator = make_member("validacion@prueba.test", national, Role.REVIEWER)
    base = live_server.url
    sign_in(page, base, validator.email)
    page.goto(f"{base}/indicadores/revision/?etapa=validar")
    expect(page.get_by_text("2 avances esperan la validación nacional.")).to_be_visible()

    page.goto(f"{base}/indicadores/{two_validating.code}/periodos/2025-T1/")
    _return_blank_and_expect_the_box(page, "Devolver con observaciones")

    page.get_by_role("button", name="Validar", exact=True).click()
    expect(page.get_by_text("Se validó el avance; el semáforo se actualizó.")).to_be_visible()
    _expect_focus_on_status(page, "Aprobado")
    expect(page.locator("#return-comment")).to_have_count(0)

    page.goto(f"{base}/indicadores/revision/?etapa=validar")
    expect(page.get_by_text("1 avance espera la validación nacional.")).to_be_visible()

    page.goto(f"{base}/indicadores/{two_validating.code}/periodos/2025-T2/")
    page.locator("#return-comment").fill("La cifra no coincide con el informe.")
    page.get_by_role("button", name="Devolver con observaciones", exact=True).click()
    _expect_focus_on_status(page, "Devuelto")

    page.goto(f"{base}/indicadores/revision/?etapa=validar")
    expect(page.get_by_text("0 avances esperan la validación nacional.")).to_be_visible()
