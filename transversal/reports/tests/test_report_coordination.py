"""Inter-institutional coordination in the reports: a state report lists its systems, the
sessions of the report's years, its acuerdos counted and the overdue ones; the national report
has one table of the 32 states (the world of ``conftest.add_coordination``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from docx import Document

from transversal.coordination import services
from transversal.coordination.selectors import StateCoordination
from transversal.coordination.tests.factories import make_session
from transversal.reports.assembly import build_report
from transversal.reports.docx import render_docx
from transversal.reports.pdf import render_pdf
from transversal.reports.tests.conftest import LONG_ACUERDO, docx_text, pdf_text
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

FOLIO = "SEI/2025/O-1/01"
SYSTEM = "Sistema Estatal para la Igualdad entre Mujeres y Hombres (SEI)"
RESPONSIBLE = (
    "Instituto Estatal de las Mujeres (IEM; Durango); Secretaría de las Mujeres (SEMUJER; "
    "Zacatecas) (Ana Torres)"
)
FIGURES = StateCoordination(
    sessions_planned=3,
    sessions_held=2,
    sessions_overdue=1,
    acuerdos=4,
    acuerdos_open=2,
    acuerdos_overdue=1,
    acuerdos_fulfilled=2,
    acuerdos_on_time=1,
)


def _state(code: str) -> State:
    return State.objects.get(code=code)


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _shortened() -> str:
    """The acuerdo's text as the report shows it: its first 159 characters and an ellipsis."""
    return LONG_ACUERDO[:159] + "…"


# The tree ---------------------------------------------------------------------------------------


def test_the_state_tree_carries_its_systems_sessions_and_acuerdos(dataset, coordination):
    report = build_report(period="2025-T4", state=_state("10"))

    node = report.states[0].coordination
    assert report.coordination_on == timezone.localdate()
    [system] = node.systems
    assert (system.name, system.acronym) == (
        "Sistema Estatal para la Igualdad entre Mujeres y Hombres",
        "SEI",
    )
    assert system.legal_basis == "Ley de Igualdad del Estado (01/03/2010)"
    assert system.scope == "Estatal · Igualdad entre mujeres y hombres"
    assert [(s.name, s.date, s.status, s.quorum, s.acuerdos) for s in system.sessions] == [
        (
            "Ordinaria O-1",
            dt.date(2025, 2, 10),
            "Celebrada",
            "Hay quórum: 2 de 3 integrantes con voto (se requieren 2)",
            3,
        ),
        ("Extraordinaria E-1", dt.date(2025, 5, 5), "Cancelada", "—", 0),
        (
            "Ordinaria O-2",
            dt.date(2025, 6, 10),
            "Celebrada",
            "Sin lista de asistencia registrada",
            1,
        ),
        ("Ordinaria O-3", dt.date(2025, 10, 10), "Programada (vencida)", "—", 0),
    ]
    assert node.figures == FIGURES and node.figures.on_time_percent == 25
    [overdue] = node.overdue
    assert (overdue.folio, overdue.text, overdue.responsible, overdue.due_date) == (
        FOLIO,
        _shortened(),
        RESPONSIBLE,
        dt.date(2025, 4, 30),
    )


def test_a_biennium_adds_up_both_years(dataset, coordination, durango):
    earlier = make_session(coordination["system"], dt.date(2024, 9, 9))
    services.session_hold(actor=None, session=earlier)

    node = build_report(period="2024-2025", state=_state("10")).states[0].coordination

    assert node.figures.sessions_planned == 4 and node.figures.sessions_held == 3
    assert node.figures.acuerdos == 4
    assert [s.date for s in node.systems[0].sessions][0] == dt.date(2024, 9, 9)


def test_the_national_tree_has_every_state_and_the_total(dataset, coordination):
    report = build_report(period="2025")

    rows = report.coordination_rows
    assert len(rows) == 32 and rows[0].state == "Aguascalientes"
    durango = next(row for row in rows if row.state == "Durango")
    assert (durango.systems, durango.figures) == (1, FIGURES)
    zacatecas = next(row for row in rows if row.state == "Zacatecas")
    assert (zacatecas.systems, zacatecas.figures) == (0, None)
    assert report.coordination_total == FIGURES and report.coordination_systems == 1
    assert report.states[0].coordination is None  # the national report has only the table


# The state report -------------------------------------------------------------------------------


def _section(text: str, start: str, end: str | None = None) -> str:
    begin = text.rindex(start)  # the section, not its entry in the contents
    return text[begin : text.index(end, begin)] if end else text[begin:]


def test_the_state_docx_has_the_coordination_section(dataset, coordination, tmp_path):
    output = tmp_path / "durango.docx"
    render_docx(build_report(period="2025-T4", state=_state("10")), output)

    text = docx_text(output)
    section = _section(text, "Coordinación interinstitucional", "Cómo leer el semáforo")
    assert f"situación al {_today()}" in section
    assert SYSTEM in section
    assert "Ámbito: Estatal · Igualdad entre mujeres y hombres" in section
    assert "Fundamento: Ley de Igualdad del Estado (01/03/2010)" in section
    assert "Sesión | Fecha | Estado | Quórum | Acuerdos" in section
    assert (
        "Ordinaria O-1 | 10/02/2025 | Celebrada | "
        "Hay quórum: 2 de 3 integrantes con voto (se requieren 2) | 3"
    ) in section
    assert "Extraordinaria E-1 | 05/05/2025 | Cancelada | — | 0" in section
    assert "Ordinaria O-2 | 10/06/2025 | Celebrada | Sin lista de asistencia registrada | 1" in (
        section
    )
    assert "Ordinaria O-3 | 10/10/2025 | Programada (vencida) | — | 0" in section
    assert "Acuerdos de 2025" in section
    assert (
        "Acuerdos | Abiertos | Vencidos | Cumplidos | Cumplidos a tiempo | % a tiempo\n"
        "4 | 2 | 1 | 2 | 1 | 25.0 %"
    ) in section
    assert (
        "Folio | Acuerdo | Responsable | Fecha compromiso\n"
        f"{FOLIO} | {_shortened()} | {RESPONSIBLE} | 30/04/2025"
    ) in section
    assert LONG_ACUERDO not in text
    # In the contents, under the state.
    headings = [p.text for p in Document(str(output)).paragraphs if p.style.name == "Heading 2"]
    assert "Coordinación interinstitucional" in headings


def test_the_state_pdf_has_the_coordination_section(dataset, coordination, tmp_path):
    output = tmp_path / "durango.pdf"
    render_pdf(build_report(period="2025-T4", state=_state("10")), output)

    text = _section(pdf_text(output), "Coordinación interinstitucional", "Cómo leer el semáforo")
    assert f"situación al {_today()}" in text
    assert SYSTEM in text
    assert "Fundamento: Ley de Igualdad del Estado (01/03/2010)" in text
    assert "Hay quórum: 2 de 3 integrantes con voto (se requieren 2)" in text
    assert "Sin lista de asistencia registrada" in text
    assert "Ningún acuerdo" not in text
    lines = _section(
        pdf_text(output, layout=True), "Coordinación interinstitucional", "Cómo leer el semáforo"
    ).splitlines()
    assert any(
        re.search(r"Ordinaria O-1\s+10/02/2025\s+Celebrada\s+Hay quórum", ln) for ln in lines
    )
    assert any(
        re.search(r"Ordinaria O-3\s+10/10/2025\s+Programada \(vencida\)", ln) for ln in lines
    )
    assert any(re.search(r"^\s*4\s+2\s+1\s+2\s+1\s+25\.0 %\s*$", ln) for ln in lines)
    row = next(line for line in lines if FOLIO in line)
    assert "Presentar ante el pleno" in row and "30/04/2025" in row
    assert "Ana Torres" in text and "seguimiento trimestral" not in text  # shortened


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_state_without_a_system_says_so(dataset, coordination, tmp_path, fmt):
    output = tmp_path / f"zacatecas.{fmt}"
    report = build_report(period="2025-T4", state=_state("32"))
    (render_pdf if fmt == "pdf" else render_docx)(report, output)

    text = pdf_text(output) if fmt == "pdf" else " ".join(docx_text(output).split())
    section = _section(text, "Coordinación interinstitucional", "Cómo leer el semáforo")
    assert "Zacatecas no tiene un sistema de coordinación registrado." in section
    assert "Acuerdos vencidos" not in section


def test_a_state_with_nothing_overdue_says_so(dataset, coordination, tmp_path):
    from transversal.followup.models import FollowUp

    FollowUp.objects.filter(pk=coordination["overdue"].followup_id).update(
        due_date=dt.date(2030, 1, 1)
    )
    output = tmp_path / "durango.docx"
    render_docx(build_report(period="2025-T4", state=_state("10")), output)

    assert "Ningún acuerdo adoptado en 2025 está vencido." in docx_text(output)


# The national report ----------------------------------------------------------------------------

NATIONAL_HEADER = (
    "Entidad | Sistemas | Sesiones celebradas | Sesiones programadas | Acuerdos | "
    "Acuerdos vencidos | % a tiempo"
)


def test_the_national_docx_has_the_table_of_the_32_states(dataset, coordination, tmp_path):
    output = tmp_path / "nacional.docx"
    render_docx(build_report(period="2025"), output)

    section = _section(docx_text(output), "Coordinación interinstitucional", "Cómo leer")
    lines = section.splitlines()
    assert NATIONAL_HEADER in lines
    assert "Durango | 1 | 2 | 3 | 4 | 1 | 25.0 %" in lines
    assert "Zacatecas | Sin sistema registrado | — | — | — | — | —" in lines
    assert "Aguascalientes | Sin sistema registrado | — | — | — | — | —" in lines
    assert "Total nacional | 1 | 2 | 3 | 4 | 1 | 25.0 %" in lines
    assert len([line for line in lines if "Sin sistema registrado" in line]) == 31
    assert f"situación al {_today()}" in section
    assert SYSTEM not in section  # the national report has no per-state lists


def test_the_national_pdf_has_the_table_of_the_32_states(dataset, coordination, tmp_path):
    output = tmp_path / "nacional.pdf"
    render_pdf(build_report(period="2025"), output)

    section = _section(
        pdf_text(output, layout=True), "Coordinación interinstitucional", "Cómo leer"
    )
    lines = section.splitlines()
    assert any(re.search(r"^\s*Durango\s+1\s+2\s+3\s+4\s+1\s+25\.0 %\s*$", ln) for ln in lines)
    assert any(re.search(r"^\s*Zacatecas\s+Sin sistema registrado\s*$", ln) for ln in lines)
    assert any(re.search(r"Total nacional\s+1\s+2\s+3\s+4\s+1\s+25\.0 %", ln) for ln in lines)
    assert len([line for line in lines if "Sin sistema registrado" in line]) == 31
    assert SYSTEM not in section


# Demo systems -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_demo_systems_figures_say_dato_sintetico(dataset, coordination, tmp_path, fmt):
    from transversal.coordination.models import System

    assert not build_report(period="2025-T4", state=_state("10")).has_synthetic
    System.objects.filter(pk=coordination["system"].pk).update(is_synthetic=True)
    render = render_pdf if fmt == "pdf" else render_docx

    report = build_report(period="2025-T4", state=_state("10"))
    assert report.has_synthetic
    render(report, tmp_path / f"durango.{fmt}")
    national = build_report(period="2025")
    assert national.has_synthetic
    render(national, tmp_path / f"nacional.{fmt}")

    def section(name: str, end: str) -> str:
        path = tmp_path / f"{name}.{fmt}"
        text = pdf_text(path) if fmt == "pdf" else " ".join(docx_text(path).split())
        return _section(text, "Coordinación interinstitucional", end)

    state = section("durango", "Acuerdos de 2025")
    assert f"{SYSTEM} [dato sintético]" in state or f"{SYSTEM} dato sintético" in state
    overdue = section("durango", "Cómo leer")
    # In the folio's cell (the PDF's text reads that cell's second line after the row).
    assert "dato sintético" in overdue[overdue.index(FOLIO) :]
    table = section("nacional", "Cómo leer")
    durango_row = table[table.index("Durango") : table.index("Guanajuato")]
    assert "dato sintético" in durango_row
    assert "dato sintético" not in table[: table.index("Durango")]
