"""Durango's technical secretariat records a session in a real Chromium: attendance with
quorum, three acuerdos, the draft acta (opened in LibreOffice), the signed acta; the
responsible institution records progress and evidence; the secretariat closes it as cumplido
and finds the held session and the fulfilled acuerdo on the state's dashboard; the national
coordination finds Durango's figures in the national view, its table and its map."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pypdf import PdfReader

from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.coordination import services
from transversal.coordination.models import Resolution
from transversal.dashboards.tests.test_browser_dashboards import assert_accessible
from transversal.institutions.models import InstitutionKind
from transversal.institutions.services import institution_create
from transversal.testing import blank_pdf, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The page is no wider than the screen (tables scroll inside their own frame).
FITS = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture
def world(durango, editor):
    health = institution_create(
        actor=None,
        slug="salud-durango-test",
        kind=InstitutionKind.STATE_AGENCY,
        state=durango.state,
        name="Secretaría de Salud del Estado de Durango",
        acronym="SSD",
    )
    system = services.system_create(
        actor=None,
        name="Sistema Estatal para la Igualdad entre Mujeres y Hombres de Durango",
        acronym="SEI",
        topic="equality",
        level="state",
        secretariat=durango,
        legal_instrument="Ley para la Igualdad entre Mujeres y Hombres del Estado de Durango",
        legal_date=dt.date(2009, 6, 4),
    )
    for institution in (durango, health):
        services.member_add(
            actor=None,
            system=system,
            institution=institution,
            sector="government",
            joined_on=dt.date(2020, 1, 1),
        )
    services.member_add(
        actor=None,
        system=system,
        name="Red de Mujeres de Durango, A. C.",
        sector="civil_society",
        joined_on=dt.date(2020, 1, 1),
    )
    nurse = make_member("enlace.salud@prueba.test", health, Role.EDITOR)
    return {"system": system, "health": health, "nurse": nurse}


def _pdf_text_with_libreoffice(source, folder) -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    result = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{folder}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    output = folder / (source.stem + ".pdf")
    text = " ".join(page.extract_text() for page in PdfReader(output).pages)
    return " ".join(text.split())  # table cells wrap their lines


def test_the_secretariat_records_a_session_and_closes_an_acuerdo(
    browser: Browser, live_server, world, durango, editor, coordinator, tmp_path, artifacts_dir
):
    base = live_server.url
    system, health = world["system"], world["health"]
    held_on = timezone.localdate() - dt.timedelta(days=2)
    due = timezone.localdate() + dt.timedelta(days=60)

    page = browser.new_context(locale="es-MX", viewport={"width": 390, "height": 844}).new_page()
    sign_in(page, base, editor.email)
    page.goto(f"{base}/coordinacion/sistemas/{system.code}/")
    assert page.evaluate(FITS), "the system page overflows a 390 px screen"
    page.get_by_text("Programar sesión").click()
    page.get_by_label("Tipo de sesión").select_option(label="Ordinaria")
    page.get_by_label("Fecha de la sesión").fill(held_on.strftime("%d/%m/%Y"))
    page.get_by_label("Lugar o enlace").fill("Sala de juntas del Instituto")
    page.get_by_role("button", name="Programar").click()
    expect(page.get_by_text("Se programó la sesión.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sesión Ordinaria O-1")).to_be_visible()

    page.get_by_label("Punto del orden del día").fill("Lista de asistencia y quórum")
    page.get_by_role("button", name="Agregar punto").click()
    expect(page.get_by_text("Se agregó el punto al orden del día.")).to_be_visible()

    # Two of three voting members attend: quorum (more than half) is met.
    page.get_by_label("Secretaría de Salud del Estado de Durango presente").check()
    page.get_by_label("Red de Mujeres de Durango, A. C. presente").check()
    page.get_by_role("button", name="Guardar asistencia").click()
    expect(page.get_by_text("Integrantes con voto presentes: 2 de 3")).to_be_visible()
    expect(page.get_by_text("Hay quórum.")).to_be_visible()

    acuerdos = [
        ("Elaborar el diagnóstico estatal de brechas de género.", health),
        ("Capacitar al personal de salud en atención a víctimas.", health),
        ("Publicar el programa estatal para la igualdad.", durango),
    ]
    for text, owner in acuerdos:
        page.get_by_text("Registrar acuerdo", exact=True).first.click()
        page.get_by_label("Texto del acuerdo").fill(text)
        page.get_by_label("Institución responsable").select_option(value=str(owner.pk))
        page.get_by_label("Fecha compromiso").fill(due.strftime("%d/%m/%Y"))
        page.get_by_role("button", name="Registrar acuerdo").click()
    expect(page.get_by_text("Se registró el acuerdo SEI/")).to_be_visible()
    year = held_on.year
    for number in (1, 2, 3):
        expect(page.get_by_role("link", name=f"SEI/{year}/O-1/0{number}")).to_be_visible()
    page.get_by_role("button", name="Registrar como celebrada").click()
    expect(page.get_by_text("La sesión quedó registrada como celebrada.")).to_be_visible()
    fits = page.evaluate(FITS)
    screenshot(page, artifacts_dir / "coordination-session.png")
    assert fits, "the session page overflows a 390 px screen"

    # The draft acta opens in LibreOffice and lists the acuerdos with their responsibles.
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar borrador del acta (DOCX)").click()
    draft = tmp_path / "acta-borrador.docx"
    download.value.save_as(draft)
    text = _pdf_text_with_libreoffice(draft, tmp_path)
    for number in (1, 2, 3):
        assert f"SEI/{year}/O-1/0{number}" in text
    assert "Elaborar el diagnóstico estatal" in text and "Hay quórum." in text

    page.get_by_text("Subir acta firmada").click()
    page.get_by_label("Acta firmada (PDF, DOCX u ODT)").set_input_files(
        {"name": "acta-firmada.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("acta")}
    )
    page.get_by_role("button", name="Subir acta").click()
    expect(page.get_by_role("link", name="acta-firmada.pdf")).to_be_visible()

    # The responsible institution's member records progress and evidence.
    first = Resolution.objects.get(number=1)
    acuerdo_url = f"{base}/coordinacion/acuerdos/{first.code}/"
    nurse = browser.new_context(locale="es-MX").new_page()
    sign_in(nurse, base, world["nurse"].email)
    nurse.goto(acuerdo_url)
    nurse.get_by_text("Registrar avance").click()
    nurse.locator("#note_text").fill("Se integró el equipo y se levantó la encuesta.")
    nurse.get_by_role("button", name="Guardar avance").click()
    expect(nurse.get_by_text("Se registró el avance.")).to_be_visible()
    nurse.get_by_text("Agregar evidencia").click()
    nurse.get_by_label("Archivo de evidencia").set_input_files(
        {"name": "diagnostico.pdf", "mimeType": "application/pdf", "buffer": blank_pdf("diag")}
    )
    nurse.get_by_role("button", name="Subir evidencia").click()
    expect(nurse.get_by_role("link", name="diagnostico.pdf")).to_be_visible()
    expect(nurse.get_by_role("button", name="Verificar y cerrar como cumplido")).to_have_count(0)

    # The secretariat closes it as cumplido.
    page.goto(acuerdo_url)
    page.get_by_role("button", name="Verificar y cerrar como cumplido").click()
    expect(page.get_by_text("Se verificó y cerró como cumplido.")).to_be_visible()
    expect(page.get_by_text("Cumplido", exact=True)).to_be_visible()
    screenshot(page, artifacts_dir / "coordination-acuerdo.png")
    assert page.evaluate(FITS), "the acuerdo page overflows a 390 px screen"

    # The state's dashboard, reached from the header, counts the held session and the acuerdo
    # fulfilled (closed today, before its due date: on time) among the three of the year.
    page.get_by_role("link", name="Tableros", exact=True).click()
    expect(page.get_by_role("heading", name="Tablero de Durango")).to_be_visible()
    panel = page.locator("section[aria-labelledby=h-coordination]")
    if held_on.year != timezone.localdate().year:  # the first two days of January
        panel.get_by_role("link", name=str(held_on.year), exact=True).click()
    expect(panel.get_by_role("heading", level=2)).to_have_text(
        f"Coordinación interinstitucional en {year}"
    )
    for figure, words in [
        ("1 de 1", "sesión celebrada (de la programada en el año)"),
        ("2", "acuerdos abiertos, en proceso"),
        ("0", "acuerdos vencidos"),
        ("1", "acuerdo cumplido"),
        ("33.3 %", "cumplidos a tiempo, de los 3 acuerdos del año"),
    ]:
        expect(panel.get_by_text(f"{figure} {words}", exact=True)).to_be_visible()
    system_row = panel.locator("tr", has=page.get_by_role("link", name="SEI", exact=True))
    expect(system_row.locator("td")).to_have_text(["1", "1", "0", "3", "0", "1"])
    panel.get_by_role("link", name="1 de 1 sesión celebrada").click()
    expect(page.get_by_role("heading", name=f"Calendario de sesiones {year}")).to_be_visible()
    page.go_back()
    fits = page.evaluate(FITS)
    panel.screenshot(path=artifacts_dir / "coordination-state-panel.png")
    assert fits, "the state dashboard overflows a 390 px screen"
    assert_accessible(page, "coordination-state-dashboard", artifacts_dir)

    # The national coordination reads Durango's figures in the national view, then on the map.
    national = browser.new_context(locale="es-MX").new_page()
    sign_in(national, base, coordinator.email)
    national.get_by_role("link", name="Tableros", exact=True).click()
    expect(national.get_by_role("heading", name="Tablero nacional")).to_be_visible()
    if held_on.year != timezone.localdate().year:
        national.goto(f"{base}/tableros/?anio={year}")  # the filter offers the years of periods
    section = national.locator("section[aria-labelledby=h-coordination]")
    expect(section.get_by_role("heading", level=2)).to_have_text(
        f"Coordinación interinstitucional en {year}"
    )
    durango_row = section.locator("tr", has=national.get_by_role("link", name="Durango"))
    expect(durango_row.locator("td")).to_have_text(["1", "1", "0", "3", "0", "1", "33.3 %"])
    expect(section.get_by_text("1 de 32", exact=True)).to_be_visible()
    section.screenshot(path=artifacts_dir / "coordination-national-section.png")
    assert_accessible(national, "coordination-national", artifacts_dir)
    section.get_by_role("link", name="Ver en el mapa los acuerdos cumplidos a tiempo").click()
    expect(
        national.get_by_role("heading", name=re.compile("Mapa: Acuerdos de coordinación"))
    ).to_be_visible()
    expect(national.get_by_role("link", name="Durango:")).to_have_text(
        re.compile(r"Durango:\s*33\.3 %\s*a tiempo")
    )
    expect(national.get_by_role("link", name="Zacatecas:")).to_have_text(re.compile(r"sin sistema"))
    national.locator(".map-and-legend").screenshot(path=artifacts_dir / "coordination-map.png")
    # From the table to the state's panel.
    national.locator("section[aria-labelledby=h-coordination]").get_by_role(
        "link", name="Durango", exact=True
    ).click()
    expect(national.get_by_role("heading", name="Tablero de Durango")).to_be_visible()
    expect(
        national.locator("section[aria-labelledby=h-coordination]").get_by_text(
            "1 acuerdo cumplido", exact=True
        )
    ).to_be_visible()
