"""Issue 19's "done when", in a real Chromium: Durango records three training events (two through
the form, one by importing the XLSX template); the indicator "Personas del servicio público
capacitadas", whose sheet declares the training register as its source (sum of people, public
servants only), proposes the third quarter's draft equal to the sum of participants with the
breakdown by sex filled; the editor sends it; the reviewer, on a 390 px phone, sees the register
rows behind the figure and approves it.

Every step goes on by clicking from a page a person reaches; the world (the indicator with its
feed, an event for the general population that the filter leaves out) is set up through the
models and services."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.registers import importing
from transversal.registers.models import FeedProposal, TrainingEvent
from transversal.registers.tests.entry_world import training
from transversal.registers.tests.feed_factories import NAME, fed_indicator
from transversal.site.tests.test_browser_axe_crawl import AXE, grave_violations
from transversal.testing import PASSWORD, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/registers-shots")
DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def indicator(durango):
    """The quarterly 2026 indicator fed by the training register: people, public servants."""
    return fed_indicator(
        durango,
        name=NAME,
        filters={"audience": ["public_servants"]},
        disaggregations=["age"],
        required_disaggregations=["sex"],
    )


def signed_in(browser: Browser, base: str, email: str, viewport: dict) -> Page:
    context = browser.new_context(locale="es-MX", viewport=viewport)
    context.add_init_script(path=str(AXE))  # axe-core, for the pages the feed adds to
    page = context.new_page()
    page.goto(f"{base}/")
    page.get_by_role("link", name="Entrar", exact=True).click()
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("button", name="Salir")).to_be_visible()
    return page


def shot(page: Page, name: str, *, width: int | None = None, axe: bool = False) -> None:
    """A screenshot to look at; with ``width``, nothing wider than it; with ``axe``, no serious
    or critical accessibility violation."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    screenshot(page, SHOTS / f"{name}.png")
    if width:
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    if axe:
        assert [v["id"] for v in grave_violations(page)] == [], name


def open_training(page: Page, base: str) -> None:
    page.goto(f"{base}/")
    nav = page.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("link", name="Registros", exact=True).click()
    page.get_by_role("link", name="Capacitación", exact=True).click()


def record_by_form(page: Page, base: str, event: dict) -> None:
    open_training(page, base)
    page.get_by_role("link", name="Registrar evento de capacitación").click()
    page.get_by_label("Nombre del evento").fill(event["name"])
    page.get_by_label("Tema").fill(event["topic"])
    page.get_by_label("Población a la que se dirige").select_option(
        label="Personas servidoras públicas"
    )
    page.get_by_label("Modalidad").select_option(label=event["modality"])
    page.get_by_label("Horas").fill(event["hours"])
    page.get_by_label("Inicio").fill(event["start"])
    page.get_by_label("Término").fill(event["end"])
    page.get_by_label("Institución que organiza").fill("Instituto Estatal de las Mujeres")
    page.get_by_label("Mujeres", exact=True).fill(event["women"])
    page.get_by_label("Hombres", exact=True).fill(event["men"])
    page.get_by_role("button", name="Guardar").click()
    expect(page.get_by_text("Se guardó el registro.")).to_be_visible()
    expect(page.get_by_role("heading", name=event["name"])).to_be_visible()


def filled_template(path: str, rows: list[dict]) -> bytes:
    """The downloaded template with ``rows`` (by header) from the second row on."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(Path(path).read_bytes()))
    sheet = workbook[importing.data_sheet_name("training")]
    headers = [cell.value for cell in sheet[1]]
    for number, row in enumerate(rows, start=2):
        for index, header in enumerate(headers, start=1):
            if header in row:
                sheet.cell(row=number, column=index, value=row[header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def record_by_import(page: Page, base: str, row: dict) -> None:
    open_training(page, base)
    page.get_by_role("link", name="Importar desde Excel").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargue la plantilla").click()
    content = filled_template(download.value.path(), [row])
    page.get_by_label("Archivo XLSX").set_input_files(
        {"name": "capacitacion-t3.xlsx", "mimeType": importing.XLSX_MIME, "buffer": content}
    )
    page.get_by_role("button", name="Revisar el archivo").click()
    expect(page.get_by_role("heading", name="Vista previa de la importación")).to_be_visible()
    expect(page.get_by_text(row["Nombre del evento"])).to_be_visible()
    page.get_by_role("button", name="Confirmar e importar").click()
    expect(page.get_by_text("Se importó 1 registro.")).to_be_visible()


def test_a_register_feeds_the_quarters_draft_that_the_reviewer_checks_against_its_rows(
    browser: Browser, live_server, durango, editor, reviewer, indicator
):
    base = live_server.url
    # An event for the general population: the indicator's filter leaves it out.
    training(
        durango,
        name="Plática para la población general",
        audience="general",
        start=dt.date(2026, 8, 20),
        end=dt.date(2026, 8, 20),
        women=50,
        men=5,
    )

    # Durango's editor records two events of the third quarter through the form ...
    desk = signed_in(browser, base, editor.email, DESK)
    record_by_form(
        desk,
        base,
        {
            "name": "Taller de igualdad sustantiva en el servicio público",
            "topic": "Igualdad sustantiva",
            "modality": "Presencial",
            "hours": "8",
            "start": "07/07/2026",
            "end": "08/07/2026",
            "women": "10",
            "men": "15",
        },
    )
    shot(desk, "1-evento-registrado")
    record_by_form(
        desk,
        base,
        {
            "name": "Curso de lenguaje incluyente",
            "topic": "Comunicación incluyente",
            "modality": "En línea",
            "hours": "4",
            "start": "12/08/2026",
            "end": "12/08/2026",
            "women": "12",
            "men": "18",
        },
    )
    # ... and a third one by importing the template.
    record_by_import(
        desk,
        base,
        {
            "Nombre del evento": "Taller de prevención del hostigamiento y acoso sexual",
            "Tema": "Prevención del hostigamiento y acoso sexual",
            "Población a la que se dirige": "Personas servidoras públicas",
            "Modalidad": "Presencial",
            "Horas": 6,
            "Inicio (dd/mm/aaaa)": "15/09/2026",
            "Término (dd/mm/aaaa)": "16/09/2026",
            "Institución que organiza": "Instituto Estatal de las Mujeres",
            "Constancias entregadas": 20,
            "Mujeres": 8,
            "Hombres": 12,
            "Sexo no especificado": 0,
        },
    )
    shot(desk, "2-importacion")
    assert TrainingEvent.objects.filter(institution=durango).count() == 4

    # The indicator's sheet says where its value comes from; its third quarter offers the figure.
    desk.goto(f"{base}/")
    nav = desk.get_by_role("navigation", name="Navegación principal")
    nav.get_by_role("link", name="Indicadores", exact=True).click()
    desk.get_by_role("link", name=NAME).click()
    expect(
        desk.get_by_text(
            "Fuente: registro de capacitación — suma de personas (población a la que se dirige: "
            "Personas servidoras públicas)"
        )
    ).to_be_visible()
    shot(desk, "3-ficha-con-fuente", axe=True)
    desk.get_by_role("link", name="3.er trimestre 2026").click()
    panel = desk.locator("#valor-del-registro")
    expect(panel).to_contain_text(
        "Valor calculado desde el registro: 75 (30 mujeres, 45 hombres) — 3 registros"
    )
    # Ages were not recorded on these events: the age breakdown is left out, and said so.
    expect(panel).to_contain_text("Grupo de edad: 3 de 3 registros no la anotaron")
    shot(desk, "3-valor-del-registro", axe=True)
    panel.get_by_role("button", name="Proponer como borrador").click()
    expect(
        desk.get_by_text("Se guardó como borrador el valor calculado desde el registro")
    ).to_be_visible()
    expect(desk.get_by_label("Valor", exact=True)).to_have_value("75")
    breakdown = desk.locator("fieldset.breakdown", has_text="Sexo")
    expect(breakdown.get_by_label("Mujeres")).to_have_value("30")
    expect(breakdown.get_by_label("Hombres")).to_have_value("45")
    expect(desk.locator("#valor-del-registro")).to_contain_text(
        "Actualizar borrador con el registro"
    )
    shot(desk, "4-borrador-propuesto", axe=True)

    # The editor sends it to review as any report.
    desk.get_by_role("button", name="Guardar y enviar a revisión").click()
    expect(desk.get_by_text("Se guardó el avance y se envió a revisión.")).to_be_visible()
    update = ProgressUpdate.objects.get(period__indicator=indicator, is_current=True)
    assert (update.status, update.value) == (UpdateStatus.SUBMITTED, 75)
    assert {(r.dimension, r.category): int(r.value) for r in update.breakdown.all()} == {
        ("sex", "women"): 30,
        ("sex", "men"): 45,
    }
    assert len(FeedProposal.objects.get(update=update).entry_codes) == 3

    # The reviewer, on a phone, opens it from the review queue and sees the rows behind it.
    phone = signed_in(browser, base, reviewer.email, PHONE)
    phone.goto(f"{base}/indicadores/revision/")
    phone.get_by_role("link", name=f"Revisar {NAME}, 3.er trimestre 2026").click()
    rows = phone.locator("section.feed-rows")
    expect(rows.get_by_role("heading", name="Registros que sustentan el valor")).to_be_visible()
    for name in (
        "Taller de igualdad sustantiva en el servicio público",
        "Curso de lenguaje incluyente",
        "Taller de prevención del hostigamiento y acoso sexual",
    ):
        expect(rows.get_by_role("link", name=name)).to_be_visible()
    expect(rows.get_by_role("link", name="Plática para la población general")).to_have_count(0)
    expect(rows).to_contain_text(
        "El valor y la desagregación por sexo del reporte coinciden con el registro."
    )
    shot(phone, "5-revision-con-registros", width=PHONE["width"], axe=True)
    rows.get_by_role("link", name="Curso de lenguaje incluyente").click()
    expect(phone.get_by_role("heading", name="Curso de lenguaje incluyente")).to_be_visible()
    phone.go_back()
    phone.get_by_role("button", name="Aprobar").click()
    expect(phone.get_by_text("Se aprobó el avance")).to_be_visible()
    shot(phone, "6-aprobado", width=PHONE["width"])
