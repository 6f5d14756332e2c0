"""The convenio's year in a real Chromium on a 390 px phone (issue 17): Durango proposes its
2026 programme, the national institution observes one goal, Durango corrects, the national
institution validates; Durango reports the first quarter with evidence, its reviewer approves
and the national validator validates; the programme shows its new stage; at year end the
closure locks the periods and an edit attempt is refused on screen.

Every step starts from the home page and goes on by clicking; the data of the quarters the
browser does not walk through is set up through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect

from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.tests.factories import approved
from transversal.testing import PASSWORD, screenshot
from transversal.workprogrammes import services
from transversal.workprogrammes.models import ReportStatus, Stage, WorkProgramme
from transversal.workprogrammes.tests.factories import PDF_BYTES, goal_indicator, signed_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/wp-shots")
PHONE = {"width": 390, "height": 844}
YEAR_END = dt.date(2027, 1, 15)


@pytest.fixture
def convenio(national, durango):
    """Durango's signed convenio with two goals, each measured by a quarterly 2026 indicator."""
    agreement = signed_agreement(national, durango, goals=2)
    indicators = [goal_indicator(goal, 2026) for goal in agreement.goals.order_by("number")]
    return agreement, indicators


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def phone(browser: Browser, base: str, email: str) -> Page:
    """A new phone signed in as a person does it: the home page, "Entrar", the form."""
    page = browser.new_context(locale="es-MX", viewport=PHONE).new_page()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Entrar", exact=True).click()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()
    return page


def shot(page: Page, name: str) -> None:
    """A screenshot for a person to look at, and nothing wider than the phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SHOTS / f"{name}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def open_programme(page: Page, base: str) -> None:
    """From the home page: the header's "Programas", then the 2026 programme."""
    page.goto(f"{base}/")
    nav = page.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("link", name="Programas", exact=True).click()
    page.get_by_role("link", name="Programa 2026").click()
    expect(page.get_by_role("heading", name="Programa de trabajo 2026 · Durango")).to_be_visible()


def open_quarter(page: Page, base: str, quarter: int = 1) -> None:
    open_programme(page, base)
    page.get_by_role("link", name=f"T{quarter}", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Informe del trimestre {quarter} de 2026")
    ).to_be_visible()


def add_goal(page: Page, number: int, federal: str) -> None:
    details = page.locator("details", has_text="Agregar meta del convenio")
    if details.get_attribute("open") is None:  # open by itself while the programme is empty
        details.locator("summary").click()
    page.get_by_label("Meta del convenio").select_option(
        label=f"Meta {number}: Meta {number} del convenio"
    )
    page.get_by_role("textbox", name="Medios de verificación").fill(
        f"Listas de asistencia de la meta {number}"
    )
    page.get_by_label("Área responsable").fill("Dirección de Planeación")
    for quarter, planned in zip((1, 2, 3, 4), ("25", "50", "75", "100"), strict=True):
        ordinal = {1: "1.er", 2: "2.º", 3: "3.er", 4: "4.º"}[quarter]
        page.get_by_label(f"Avance programado acumulado al {ordinal} trimestre (%)").fill(planned)
    page.get_by_label("Recurso federal aprobado ($)").fill(federal)
    page.get_by_role("button", name="Agregar meta").click()
    expect(page.get_by_text(f"Se guardó la meta {number} del programa.")).to_be_visible()


def year_end(programme, indicators, editor, reviewer, coordinator) -> None:
    """What the rest of the year brings, through the services on 15/01/2027: every other period
    approved and validated, the other three reports sent and received, the unspent federal
    funds returned and the signed closing minutes uploaded."""
    with mock.patch("django.utils.timezone.localdate", return_value=YEAR_END):
        for indicator in indicators:
            for quarter in (1, 2, 3, 4):
                if not indicator.periods.get(label=f"2026-T{quarter}").updates.exists():
                    approved(
                        indicator, f"2026-T{quarter}", Decimal(3), actor=editor, reviewer=reviewer
                    )
        for quarter in (2, 3, 4):
            report = services.report_save(
                actor=editor,
                programme=programme,
                quarter=quarter,
                narrative="Avance del trimestre (dato sintético).",
                lines={
                    line.pk: {
                        "federal_exercised": "40000" if line.goal.number == 1 else "20000",
                        "justification": "Reprogramación.",
                    }
                    for line in programme.lines.select_related("goal")
                },
            )
            report = services.report_send(actor=editor, report=report)
            services.report_acknowledge(actor=coordinator, report=report)
        # 250,000 federal approved; 40,000 exercised in the first quarter and 60,000 in each
        # of the other three (goal 1: 150,000 of 160,000; goal 2: 70,000 of 90,000): 30,000
        # returned.
        services.refund_record(
            actor=editor,
            programme=programme,
            amount="30000",
            reference="TESOFE 2027-0001",
            on=dt.date(2027, 1, 10),
        )
        services.closing_document_add(
            actor=editor,
            programme=programme,
            upload=SimpleUploadedFile("acta.pdf", PDF_BYTES, content_type="application/pdf"),
            filename="acta-de-cierre-2026.pdf",
        )


def test_durangos_year_from_proposal_to_closure(
    browser: Browser, live_server, convenio, media, editor, reviewer, coordinator
):
    agreement, indicators = convenio
    base = live_server.url

    # Durango's editor opens its 2026 programme, adds the two goals and proposes it.
    state = phone(browser, base, editor.email)
    state.goto(f"{base}/")
    nav = state.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("link", name="Programas", exact=True).click()
    state.get_by_label("Convenio").select_option(label=f"Durango: {agreement.title}")
    state.get_by_label("Año del programa").fill("2026")
    state.get_by_role("button", name="Abrir el programa").click()
    expect(state.get_by_text("Se abrió el programa de trabajo 2026")).to_be_visible()
    add_goal(state, 1, "160,000")
    add_goal(state, 2, "90,000")
    expect(state.locator("tfoot")).to_contain_text("$250,000.00")
    shot(state, "1-programa-en-elaboracion")
    state.get_by_role("button", name="Proponer el programa a la institución nacional").click()
    expect(state.get_by_text("Se propuso el programa a la institución nacional.")).to_be_visible()
    expect(state.locator("#programme-stage")).to_have_text("Propuesta")

    # The national validator observes goal 2.
    nation = phone(browser, base, coordinator.email)
    open_programme(nation, base)
    nation.get_by_text("Observar el programa").click()
    nation.get_by_label("¿Qué observa?").select_option(label="Meta 2: Meta 2 del convenio")
    observation = nation.get_by_role("textbox", name="Observación", exact=True)
    observation.fill("Precise el área responsable.")
    nation.get_by_role("button", name="Observar", exact=True).click()
    expect(nation.get_by_text("Se registró la observación")).to_be_visible()
    expect(nation.locator("#programme-stage")).to_have_text("Observada")

    # Durango corrects goal 2 and answers.
    open_programme(state, base)
    expect(state.get_by_text("Precise el área responsable.")).to_be_visible()
    state.get_by_role("link", name="Cambiar meta 2").click()
    state.get_by_label("Área responsable").fill("Dirección de Capacitación")
    state.get_by_role("button", name="Guardar meta").click()
    expect(state.get_by_text("Se guardó la meta 2 del programa.")).to_be_visible()
    state.get_by_label("Qué corrigió en atención a lo observado").fill(
        "Se precisó el área responsable de la meta 2."
    )
    state.get_by_role("button", name="Enviar corrección").click()
    expect(state.locator("#programme-stage")).to_have_text("Corregida")
    shot(state, "2-programa-corregido")

    # The national validator validates it.
    open_programme(nation, base)
    nation.get_by_role("button", name="Validar el programa").click()
    expect(nation.get_by_text("Se validó el programa")).to_be_visible()
    expect(nation.locator("#programme-stage")).to_have_text("Validada")

    # Durango reports goal 1's first quarter with evidence, from the quarterly report's page.
    open_quarter(state, base)
    state.get_by_role("link", name="Avance de la meta 1 · 1.er trimestre 2026").first.click()
    state.get_by_label("Valor", exact=True).fill("10")  # 10 of 40 in the year: 25 %
    state.get_by_role("button", name="Guardar borrador").click()
    expect(state.get_by_text("Se guardó el borrador.")).to_be_visible()
    state.get_by_label("Archivo de evidencia").set_input_files(
        files=[
            {"name": "lista-asistencia-t1.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        ]
    )
    state.get_by_role("button", name="Adjuntar evidencia").click()
    expect(state.get_by_role("link", name="lista-asistencia-t1.pdf")).to_be_visible()
    state.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(state.get_by_text("Se guardó el avance y se envió a revisión.")).to_be_visible()
    shot(state, "3-avance-enviado")

    # Durango's reviewer approves it, from the programme's quarter.
    checker = phone(browser, base, reviewer.email)
    open_quarter(checker, base)
    checker.get_by_role("link", name="Avance de la meta 1 · 1.er trimestre 2026").first.click()
    checker.get_by_role("button", name="Aprobar").click()
    expect(checker.get_by_text("En validación nacional").first).to_be_visible()

    # The national validator validates it, from the quarter's evidence list.
    open_quarter(nation, base)
    expect(nation.get_by_text("lista-asistencia-t1.pdf")).to_be_visible()
    nation.get_by_role("link", name="Avance de la meta 1 · 1.er trimestre 2026").first.click()
    nation.get_by_role("button", name="Validar", exact=True).click()
    expect(nation.get_by_text("Se validó el avance")).to_be_visible()
    update = ProgressUpdate.objects.get(period__indicator=indicators[0], is_current=True)
    assert update.status == UpdateStatus.APPROVED

    # Durango writes and sends the quarter's report: goal 2 has no result and is justified.
    open_quarter(state, base)
    expect(state.get_by_text("lista-asistencia-t1.pdf")).to_be_visible()
    state.get_by_label("Narrativa del trimestre").fill("Se capacitó a 30 servidoras públicas.")
    goal_1 = state.locator("fieldset", has_text="Meta 1:")
    goal_1.get_by_label("Meta 1 · Federal ejercido en el trimestre ($)").fill("30,000")
    goal_2 = state.locator("fieldset", has_text="Meta 2:")
    expect(goal_2).to_contain_text("Desviación: justifique")
    goal_2.get_by_label("Meta 2 · Federal ejercido en el trimestre ($)").fill("10,000")
    goal_2.get_by_label("Justificación de la desviación").fill("La contratación se retrasó.")
    shot(state, "4-informe-t1")
    state.get_by_role("button", name="Guardar y enviar").click()
    expect(state.get_by_text("Se envió el informe a la institución nacional.")).to_be_visible()
    expect(state.locator("#report-status")).to_have_text("Enviado")
    expect(state.get_by_text("$30,000.00")).to_be_visible()

    # The programme shows its new stage, on its page and in the list.
    open_programme(state, base)
    expect(state.locator("#programme-stage")).to_have_text("En ejecución")
    expect(state.locator('.stages li[aria-current="step"]')).to_contain_text("En ejecución")
    shot(state, "5-programa-en-ejecucion")

    # The national validator receives the report.
    open_quarter(nation, base)
    nation.get_by_role("button", name="Acusar de recibido").click()
    expect(nation.get_by_text("Se acusó de recibido el informe.")).to_be_visible()

    # Durango's editor has goal 1's approved first quarter open when the year ends.
    open_quarter(state, base)
    state.get_by_role("link", name="Avance de la meta 1 · 1.er trimestre 2026").first.click()
    state.get_by_text("Corregir este avance aprobado").click()

    programme = WorkProgramme.objects.get()
    year_end(programme, indicators, editor, reviewer, coordinator)

    # The national validator closes the year: the checklist holds and the periods lock.
    open_programme(nation, base)
    nation.get_by_role("button", name="Cerrar el programa").click()
    expect(nation.get_by_text("Se cerró el programa")).to_be_visible()
    expect(nation.locator("#periods-locked")).to_contain_text("están cerrados")
    shot(nation, "6-programa-cerrado")
    programme.refresh_from_db()
    assert programme.stage == Stage.CLOSED
    assert all(p.locked for i in indicators for p in i.periods.all())

    # The edit attempt on the open form is refused, in Spanish, on screen.
    state.get_by_label("Motivo de la corrección").fill("Cambiar el valor reportado.")
    state.get_by_role("button", name="Abrir nueva revisión").click()
    refusal = state.get_by_text("está cerrado: ya no recibe reportes.")
    expect(refusal).to_be_visible()
    shot(state, "7-edicion-rechazada")
    update.refresh_from_db()
    assert (update.status, update.is_current) == (UpdateStatus.APPROVED, True)
    assert programme.reports.filter(status=ReportStatus.ACKNOWLEDGED).count() == 4
    for page in (state, nation, checker):
        page.context.close()


def test_durango_asks_for_assistance_and_confirms_it_was_given(
    browser: Browser, live_server, convenio, national, durango, editor, coordinator
):
    """A request for two goals, attended by the national institution (a note, the assistance
    it gave linked, marked done) and verified by Durango; on a phone, from the home page."""
    agreement, _indicators = convenio
    from transversal.agreements.models import TechnicalAssistance

    TechnicalAssistance.objects.create(
        agreement=agreement,
        recipient=durango,
        provider_institution=national,
        topic="Taller de indicadores con perspectiva de género",
        modality="remote",
        date=dt.date(2026, 11, 20),
        hours=6,
    )
    base = live_server.url
    state = phone(browser, base, editor.email)
    state.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Programas", exact=True
    ).click()
    state.get_by_role("link", name="Solicitudes de asistencia técnica").click()
    state.get_by_role("link", name="Nueva solicitud").click()
    state.get_by_label("Meta 1: Meta 1 del convenio").check()
    state.get_by_label("Meta 2: Meta 2 del convenio").check()
    state.get_by_label("Tema de la asistencia").fill("Indicadores de las metas")
    state.get_by_label("Fecha deseada").fill("15/12/2026")
    state.get_by_role("button", name="Enviar solicitud").click()
    expect(state.get_by_text("Se registró la solicitud de asistencia 1.")).to_be_visible()
    shot(state, "8-solicitud-de-asistencia")

    nation = phone(browser, base, coordinator.email)
    nation.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Programas", exact=True
    ).click()
    nation.get_by_role("link", name="Solicitudes de asistencia técnica").click()
    nation.get_by_role("link", name="Solicitud de asistencia 1: Indicadores de las metas").click()
    nation.get_by_text("Vincular la asistencia técnica brindada").click()
    nation.get_by_label("Asistencia técnica brindada").select_option(
        label="20/11/2026 · Taller de indicadores con perspectiva de género"
    )
    nation.get_by_role("button", name="Vincular", exact=True).click()
    expect(nation.get_by_text("Se vinculó la asistencia técnica brindada")).to_be_visible()
    nation.get_by_text("Registrar avance").click()
    nation.get_by_role("textbox", name="Avance", exact=True).fill("Se impartió el taller.")
    nation.get_by_role("button", name="Guardar avance").click()
    nation.get_by_role("button", name="Marcar como atendido").click()
    expect(nation.get_by_text("Atendido", exact=True)).to_be_visible()

    state.goto(f"{base}/")
    state.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="Programas", exact=True
    ).click()
    state.get_by_role("link", name="Solicitudes de asistencia técnica").click()
    state.get_by_role("link", name="Solicitud de asistencia 1: Indicadores de las metas").click()
    expect(state.get_by_text("Se impartió el taller.")).to_be_visible()
    state.get_by_role("button", name="Verificar y cerrar como cumplido").click()
    expect(state.get_by_text("Verificado", exact=True)).to_be_visible()
    shot(state, "9-solicitud-verificada")
    for page in (state, nation):
        page.context.close()
