"""What a ministry sends: the state report opens with its convenios in force and their goals,
and backs every approved value with its breakdowns, narrative, evidence, reviewer and approval
date; the national report has a section per state with data and names the others once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from transversal.agreements.models import AgreementStatus
from transversal.agreements.services import agreement_create, agreement_transition, goal_add
from transversal.reports.assembly import build_report
from transversal.reports.docx import render_docx
from transversal.reports.pdf import render_pdf
from transversal.reports.tests.conftest import (
    EVIDENCE_NAME,
    NARRATIVE,
    add_detailed_indicator,
    docx_text,
    pdf_text,
)
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

TITLE = "Convenio de colaboración 2025 con Durango"


@pytest.fixture
def detailed(dataset, durango):
    return add_detailed_indicator(dataset, durango)


def _durango():
    return State.objects.get(code="10")


def _state_pdf(tmp_path, period="2025-T4"):
    output = tmp_path / "durango.pdf"
    render_pdf(build_report(period=period, state=_durango()), output)
    return output


def _state_docx(tmp_path, period="2025-T4"):
    output = tmp_path / "durango.docx"
    render_docx(build_report(period=period, state=_durango()), output)
    return output


def _approval_date(detailed) -> str:
    return timezone.localtime(detailed["update"].reviewed_at).strftime("%d/%m/%Y")


# The state report -------------------------------------------------------------------------------


@pytest.mark.parametrize("render", [_state_pdf, _state_docx], ids=["pdf", "docx"])
def test_the_state_report_starts_with_the_convenio_in_force_its_parties_dates_and_goals(
    detailed, tmp_path, render
):
    path = render(tmp_path)
    text = pdf_text(path) if path.suffix == ".pdf" else " ".join(docx_text(path).split())

    convenio = text.rindex("Convenios vigentes en 2025")  # the section, after the contents
    progress = text.index("Avance por meta", convenio)
    section = text[convenio:progress]
    assert TITLE in section
    assert "Partes: Secretaría de las Mujeres" in section
    assert "Instituto Estatal de las Mujeres (IEM; Durango)" in section
    assert "Fecha de firma: 15/01/2025" in section
    assert "Vigencia: 01/01/2025 – 31/12/2026" in section
    assert "1. Capacitar al servicio público" in section
    assert "2. Publicar el registro de casos" in section


def test_the_state_pdf_backs_each_approved_value_with_its_details(detailed, tmp_path):
    text = pdf_text(_state_pdf(tmp_path))
    lines = pdf_text(_state_pdf(tmp_path), layout=True).splitlines()
    digest = hashlib.sha256(detailed["evidence"]).hexdigest()

    row = next(line for line in lines if "4.º trimestre 2025" in line and "2,421" in line)
    assert "2,500" in row and "96.8 %" in row and "Aceptable" in row
    assert any(re.search(r"Sexo\s+Mujeres\s+1,695$", line.strip()) for line in lines)
    assert any(re.search(r"Sexo\s+Hombres\s+726$", line.strip()) for line in lines)
    assert any(re.search(r"Población indígena\s+De ellas o ellos\s+291", line) for line in lines)
    assert any(re.search(r"Grupo de edad\s+Sin desagregación registrada", line) for line in lines)
    assert NARRATIVE in text
    assert f"{EVIDENCE_NAME} — SHA-256: {digest[:16]}" in text
    assert f"aprobado el {_approval_date(detailed)} por Lucía Hernández Soto" in text


def test_the_state_docx_backs_each_approved_value_with_its_details(detailed, tmp_path):
    text = docx_text(_state_docx(tmp_path))
    digest = hashlib.sha256(detailed["evidence"]).hexdigest()

    assert "4.º trimestre 2025 | 2,500 | 2,421 | 96.8 % | ● Aceptable" in text
    assert "Sexo | Mujeres | 1,695" in text
    assert "Sexo | Hombres | 726" in text
    assert "Población indígena | De ellas o ellos | 291" in text
    assert "Grupo de edad | Sin desagregación registrada | —" in text
    assert f"Narrativa: {NARRATIVE}" in text
    assert f"{EVIDENCE_NAME} — SHA-256: {digest}" in text
    assert f"aprobado el {_approval_date(detailed)} por Lucía Hernández Soto" in text


def test_a_quarter_report_shows_the_convenios_in_force_in_its_year(national, durango, dataset):
    # Ended in March: outside the fourth quarter, inside its year.
    earlier = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=durango,
        title="Convenio de arranque 2025",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 3, 31),
    )
    agreement_transition(
        actor=None, agreement=earlier, to_status=AgreementStatus.SIGNED, on=dt.date(2025, 1, 2)
    )
    goal_add(actor=None, agreement=earlier, number=1, description="Instalar el comité estatal")

    [state] = build_report(period="2025-T4", state=_durango()).states

    assert [a.title for a in state.agreements] == ["Convenio de arranque 2025", TITLE]
    assert [g.description for g in state.agreements[0].goals] == ["Instalar el comité estatal"]
    assert build_report(period="2025-T4", state=_durango()).years_display == "2025"


def test_a_convenio_that_ended_before_the_year_is_left_out_and_named_as_the_latest(
    national, zacatecas, dataset, tmp_path
):
    # Recorded "Vigente", but its end date passed in 2018: concluded, as the rest of the site
    # says (agreements.models.status_on).
    old = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=zacatecas,
        title="Convenio IP-321 con Zacatecas",
        valid_from=dt.date(2015, 3, 1),
        valid_to=dt.date(2018, 11, 30),
    )
    for status in (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE):
        agreement_transition(actor=None, agreement=old, to_status=status, on=dt.date(2015, 2, 15))
    zacatecas_state = State.objects.get(code="32")
    output = tmp_path / "zacatecas.pdf"

    render_pdf(build_report(period="2025-T4", state=zacatecas_state), output)

    text = pdf_text(output)
    assert "Zacatecas no tiene un convenio vigente en 2025." in text
    assert (
        "Su convenio más reciente es «Convenio IP-321 con Zacatecas» "
        "(vigencia 01/03/2015 – 30/11/2018; concluido)." in text
    )


def test_a_convenio_signed_years_ago_names_its_parties_as_on_the_signing_date(
    national, zacatecas, dataset, tmp_path
):
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    old = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=zacatecas,
        title="Convenio IP-321 con Zacatecas",
        valid_from=dt.date(2015, 3, 1),
        valid_to=dt.date(2026, 11, 30),
    )
    for status in (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE):
        agreement_transition(actor=None, agreement=old, to_status=status, on=dt.date(2015, 2, 15))
    output = tmp_path / "zacatecas.docx"
    z = indicator_with_calendar(zacatecas, name="Indicador de 2025")
    approved(z, "2025-T1", Decimal(50))

    render_docx(build_report(period="2025-T1", state=State.objects.get(code="32")), output)

    text = docx_text(output)
    # Signed in 2015: the national party is named as it was then.
    assert "Partes: Instituto Nacional de las Mujeres" in text
    assert "Estado: Vigente" in text


def test_a_public_indicator_of_another_institution_shows_its_values_not_its_details(
    dataset, durango, viewer, tmp_path
):
    """The Durango IMEF's viewer reads a state agency's public indicator: its table, but not
    its breakdowns, narrative, evidence or reviewer (those belong to the agency)."""
    from transversal.accounts.access import scope_for
    from transversal.institutions.models import InstitutionKind
    from transversal.institutions.services import institution_create
    from transversal.monitoring.models import Indicator

    detailed = add_detailed_indicator(dataset, durango)
    agency = institution_create(
        actor=None,
        slug="secretaria-bienestar-durango",
        kind=InstitutionKind.STATE_AGENCY,
        state=State.objects.get(code="10"),
        name="Secretaría de Bienestar de Durango",
    )
    Indicator.objects.filter(pk=detailed["indicator"].pk).update(owner=agency, is_public=True)
    report = build_report(period="2025-T4", state=_durango(), scope=scope_for(viewer))
    output = tmp_path / "durango.docx"
    render_docx(report, output)

    text = docx_text(output)
    assert "4.º trimestre 2025 | 2,500 | 2,421 | 96.8 % | ● Aceptable" in text
    assert "las consulta la institución responsable" in text
    for private in (NARRATIVE, EVIDENCE_NAME, "Lucía Hernández Soto", "Mujeres | 1,695"):
        assert private not in text
    # The viewer's own institution's indicators keep their details.
    assert "Detalle de 4.º trimestre 2025" in text


# The national report ----------------------------------------------------------------------------

STATES_WITH_DATA = ["Durango", "Zacatecas"]


def test_the_national_pdf_has_a_section_per_state_and_names_the_others_once(dataset, tmp_path):
    output = tmp_path / "nacional.pdf"
    render_pdf(build_report(period="2025"), output)

    outline = [item.title for item in _flatten(PdfReader(str(output)).outline)]
    assert [title for title in outline if title in STATES_WITH_DATA] == STATES_WITH_DATA
    assert "Entidades sin datos" in outline
    text = pdf_text(output)
    assert TITLE in text and "Capacitar al servicio público" in text
    # Durango's one indicator in "Crítico" (B: 50 against 100) is named with its figures; the
    # others are counted, not listed.
    lines = pdf_text(output, layout=True).splitlines()
    row = next(line for line in lines if "Indicador B de publicación" in line)
    assert re.search(r"4.º trimestre 2025\s+100\s+50\s+50.0 %\s+Crítico", row)
    assert "Indicador A de capacitación" not in text
    # Once among the states without data, once more in the coordination table of all 32.
    before = text[: text.rindex("Coordinación interinstitucional")]
    assert before.count("Aguascalientes") == 1 and before.count("Yucatán") == 1


def test_the_national_docx_has_a_section_per_state_and_names_the_others_once(dataset, tmp_path):
    output = tmp_path / "nacional.docx"
    render_docx(build_report(period="2025"), output)

    document = Document(str(output))
    sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert sections == [
        "Resumen",
        *STATES_WITH_DATA,
        "Entidades sin datos",
        "Coordinación interinstitucional",
        "Ciclo del modelo y mejora continua",
        "Cómo leer el semáforo",
    ]
    assert _toc_result(output) == sections  # the national contents list the states
    text = docx_text(output)
    assert TITLE in text and "Capacitar al servicio público" in text
    assert "Indicador B de publicación | 4.º trimestre 2025 | 100 | 50 | 50.0 % | ■ Crítico" in text
    assert "Indicador A de capacitación" not in text
    assert "Ningún indicador de la entidad está en estado crítico en este periodo." in text
    # Once among the states without data, once more in the coordination table of all 32.
    before = text[: text.rindex("Coordinación interinstitucional")]
    assert before.count("Aguascalientes") == 1 and before.count("Ciudad de México") == 1
    # The summary counts it always had.
    assert "Durango | ■ Crítico | 2 | 1 | 1 | 0" in text


def test_the_national_report_lists_every_other_state_as_without_data(dataset):
    report = build_report(period="2025")

    assert [s.name for s in report.states] == STATES_WITH_DATA
    assert len(report.states_without_data) == 30 and "Aguascalientes" in report.states_without_data


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


# The DOCX table of contents ---------------------------------------------------------------------


def _toc_result(path) -> list[str]:
    """Texts of the TOC field's result: the paragraphs between its "separate" and "end" marks."""
    body = Document(str(path)).element.body
    entries, inside, field = [], False, False
    for paragraph in body.iter(qn("w:p")):
        texts = []
        for node in paragraph.iter():
            if node.tag == qn("w:instrText") and node.text.strip().startswith("TOC"):
                field = True
            elif node.tag == qn("w:fldChar") and field:
                kind = node.get(qn("w:fldCharType"))
                inside = kind == "separate" or (inside and kind != "end")
                if kind == "end":
                    field = False
            elif node.tag == qn("w:t") and inside:
                texts.append(node.text)
        if texts:
            entries.append("".join(texts))
    return entries


def test_the_docx_table_of_contents_is_filled_and_stays_a_field(detailed, tmp_path):
    path = _state_docx(tmp_path)

    entries = _toc_result(path)
    assert entries[:2] == ["Resumen", "Indicadores por semáforo"]
    assert "Durango" in entries and "Convenios vigentes en 2025" in entries
    assert TITLE in entries and "Meta 1. Capacitar al servicio público" in entries
    assert entries[-1] == "Metas, convenios, entidades y país"
    xml = Document(str(path)).element.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml
    # Every entry links to a bookmark on its heading.
    anchors = re.findall(r'w:anchor="(_Toc\d+)"', xml)
    assert len(anchors) == len(entries)
    assert all(f'w:name="{anchor}"' in xml for anchor in anchors)


def test_libreoffice_shows_the_table_of_contents_entries(detailed, tmp_path):
    import subprocess

    from transversal.reports.tests.test_renderers import _soffice

    path = _state_docx(tmp_path)
    subprocess.run(
        [
            _soffice(),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = (tmp_path / "durango.txt").read_text(encoding="utf-8-sig")

    contents = text[text.index("Contenido") : text.index("Resumen\nEntidad")]
    assert "Durango" in contents and TITLE in contents
    assert "Meta 1. Capacitar al servicio público" in contents


# File names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "period", "fmt", "name"),
    [
        ("10", "2025-T3", "pdf", "reporte-durango-2025-T3.pdf"),
        (None, "2026", "docx", "reporte-nacional-2026.docx"),
        ("15", "2025", "pdf", "reporte-estado-de-mexico-2025.pdf"),
        ("16", "2025-M03", "docx", "reporte-michoacan-2025-M03.docx"),
        ("05", "2024-2025", "pdf", "reporte-coahuila-2024-2025.pdf"),
    ],
)
def test_the_file_is_named_with_the_state_short_name_and_the_period(code, period, fmt, name):
    from transversal.reports.assembly import report_filename

    state = State.objects.get(code=code) if code else None
    assert report_filename(state, period, fmt) == name


def test_the_built_report_carries_its_file_name(dataset):
    assert build_report(period="2025-T4", state=_durango()).filename_stem == (
        "reporte-durango-2025-T4"
    )
    assert build_report(period="2025").filename_stem == "reporte-nacional-2025"
