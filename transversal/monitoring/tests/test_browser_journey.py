"""The whole reporting journey in a real Chromium: report, return, correct, approve, see the
light."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from transversal.monitoring.models import ProgressUpdate
from transversal.testing import blank_pdf, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(durango, national, editor, reviewer):
    from transversal.agreements.models import Agreement, Goal
    from transversal.monitoring.tests.factories import indicator_with_calendar

    agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        round="IP-321",
        title="Convenio de colaboración de prueba",
        status="in_force",
    )
    goal = Goal.objects.create(
        agreement=agreement, number=1, description="Capacitar al personal estatal"
    )
    indicator = indicator_with_calendar(durango, name="Personas capacitadas en igualdad sustantiva")
    indicator.goals.add(goal)
    return {"agreement": agreement, "indicator": indicator}


def test_report_return_correct_approve_and_see_the_traffic_light(
    browser: Browser, live_server, journey, editor, reviewer, artifacts_dir
):
    base = live_server.url
    indicator = journey["indicator"]
    period_url = f"{base}/indicadores/{indicator.code}/periodos/2025-T1/"

    # The editor reports a value with its breakdown by sex and an evidence file, and submits.
    editor_page = browser.new_context(locale="es-MX").new_page()
    sign_in(editor_page, base, editor.email)
    editor_page.goto(period_url)
    editor_page.get_by_label("Valor", exact=True).fill("95")
    editor_page.get_by_label("Narrativa del avance").fill(
        "Se impartieron 6 talleres en 4 municipios."
    )
    editor_page.get_by_label("Mujeres").fill("70")
    editor_page.get_by_label("Hombres").fill("25")
    editor_page.get_by_role("button", name="Guardar borrador").click()
    expect(editor_page.get_by_text("Se guardó el borrador.")).to_be_visible()
    editor_page.get_by_label("Archivo de evidencia").set_input_files(
        {"name": "lista-de-asistencia.pdf", "mimeType": "application/pdf", "buffer": blank_pdf()}
    )
    editor_page.get_by_role("button", name="Adjuntar evidencia").click()
    expect(editor_page.get_by_role("link", name="lista-de-asistencia.pdf")).to_be_visible()
    screenshot(editor_page, artifacts_dir / "journey-1-draft.png")
    editor_page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(editor_page.get_by_text("Se guardó el avance y se envió a revisión.")).to_be_visible()

    # The reviewer returns it with a comment.
    reviewer_page = browser.new_context(locale="es-MX").new_page()
    sign_in(reviewer_page, base, reviewer.email)
    reviewer_page.goto(period_url)
    reviewer_page.get_by_label("Observación para devolver (obligatoria)").fill(
        "Falta desagregar a 5 personas."
    )
    reviewer_page.get_by_role("button", name="Devolver").click()
    expect(reviewer_page.get_by_text("Se devolvió el avance con su observación.")).to_be_visible()

    # The editor sees the comment, corrects and resubmits.
    editor_page.goto(period_url)
    expect(editor_page.get_by_text("Falta desagregar a 5 personas.")).to_be_visible()
    # Corrected and sent in one action, without saving first: what is sent is what is on screen.
    editor_page.get_by_label("Hombres").fill("20")
    editor_page.get_by_label("No especificado").fill("5")
    editor_page.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(editor_page.get_by_text("Se guardó el avance y se envió a revisión.")).to_be_visible()
    sent = ProgressUpdate.objects.get(period__indicator=indicator, is_current=True)
    assert sent.status == "submitted"
    on_screen = {"women": 70, "men": 20, "unspecified": 5}
    assert {v.category: v.value for v in sent.breakdown.all()} == on_screen

    # The reviewer approves; the light is computed and rolled up.
    reviewer_page.goto(period_url)
    reviewer_page.get_by_role("button", name="Aprobar").click()
    expect(
        reviewer_page.get_by_text("Se aprobó el avance; el semáforo se actualizó.")
    ).to_be_visible()
    screenshot(reviewer_page, artifacts_dir / "journey-2-approved.png")

    reviewer_page.goto(f"{base}/entidades/10/")
    light = reviewer_page.locator("#state-light").locator("xpath=..")
    expect(light.locator(".light.green").first).to_contain_text("Aceptable")
    screenshot(reviewer_page, artifacts_dir / "journey-3-state.png")
    reviewer_page.goto(f"{base}/convenios/{journey['agreement'].code}/")
    expect(reviewer_page.locator(".light.green").first).to_contain_text("Aceptable")
    screenshot(reviewer_page, artifacts_dir / "journey-4-agreement.png")
