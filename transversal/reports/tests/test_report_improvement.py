"""The model's cycle and continuous improvement in the reports: a state report carries its
institute's cycle, its evaluations, findings and ASM counted, the evaluations and the ASM table;
the national report has one table of the 32 states (the world of
``improvement.tests.report_world``, on the reports' dataset)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from docx import Document

from transversal.accounts.access import scope_for
from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.improvement.models import Evaluation
from transversal.improvement.tests.report_world import (
    AUDIT,
    DESIGN,
    KNOWN,
    LONG_ASM,
    add_improvement,
    evaluation,
)
from transversal.institutions.models import Institution, InstitutionKind
from transversal.institutions.services import institution_create
from transversal.reports.assembly import build_report
from transversal.reports.docx import render_docx
from transversal.reports.pdf import render_pdf
from transversal.reports.tests.conftest import docx_text, pdf_text
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

SECTION = "Ciclo del modelo y mejora continua"
IEM = "Instituto Estatal de las Mujeres (IEM; Durango)"
RESPONSIBLE = f"{IEM}; Secretaría de las Mujeres (SEMUJER; Zacatecas) (Ana Torres)"


@pytest.fixture
def improvement(durango, zacatecas):
    return add_improvement(durango, zacatecas)


def _state(code: str) -> State:
    return State.objects.get(code=code)


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _shortened() -> str:
    """The ASM's text as the report shows it: its first 159 characters and an ellipsis."""
    return LONG_ASM[:159] + "…"


def _section(text: str, start: str = SECTION, end: str | None = "Cómo leer el semáforo") -> str:
    begin = text.rindex(start)  # the section, not its entry in the contents
    return text[begin : text.index(end, begin)] if end else text[begin:]


# The tree ---------------------------------------------------------------------------------------


def test_the_state_tree_carries_the_cycle_evaluations_and_asm(dataset, improvement):
    report = build_report(period="2025-T4", state=_state("10"))

    node = report.states[0].improvement
    assert (node.institute, node.years, node.cycle_withheld) == (IEM, [2025], False)
    assert node.figures == KNOWN and node.figures.verified_percent == 25
    lines = {line.label: (line.stage, line.values) for line in node.cycle}
    assert lines["Planes y programas vigentes"] == ("Planear", [0])
    assert lines["Evaluaciones del año"] == ("", [2])
    assert lines["Hallazgos del año"] == ("Mejorar", [3])
    assert lines["ASM vencidos"] == ("", [1])
    assert lines["Indicadores en «Crítico» hoy"] == ("", [1])  # B
    assert [stage for stage, _values in lines.values() if stage] == [
        "Planear",
        "Ejecutar",
        "Verificar",
        "Mejorar",
    ]
    assert [(e.title, e.findings) for e in node.evaluations] == [(DESIGN, 3), (AUDIT, 0)]
    assert [(a.label, a.status, a.verified_on) for a in node.actions] == [
        ("ASM H-2025-01.1", "Abierto (vencido)", None),
        ("ASM H-2025-01.2", "En proceso", None),
        ("ASM H-2025-02.1", "Verificado", dt.date(2025, 8, 15)),
        ("ASM H-2025-02.2", "Cancelado", None),
        ("ASM H-2025-02.3", "Atendido", None),
    ]
    first = node.actions[0]
    assert (first.text, first.responsible, first.due_date) == (
        _shortened(),
        RESPONSIBLE,
        dt.date(2025, 6, 30),
    )
    assert not report.has_synthetic


def test_a_biennium_has_a_column_a_year_and_adds_up_both(dataset, improvement):
    node = build_report(period="2024-2025", state=_state("10")).states[0].improvement

    assert node.years == [2024, 2025]
    lines = {line.label: line.values for line in node.cycle}
    assert lines["Evaluaciones del año"] == [1, 2]
    assert lines["ASM abiertos o en proceso"] == [1, 2]
    assert (node.figures.evaluations, node.figures.asm, node.figures.asm_overdue) == (3, 6, 2)
    assert node.evaluations[0].title == "Evaluación de procesos 2024"
    assert node.actions[0].label == "ASM H-2024-01.1"


def test_the_national_tree_has_every_state_and_the_total(dataset, improvement):
    report = build_report(period="2025")

    rows = report.improvement_rows
    assert len(rows) == 32 and rows[0].state == "Aguascalientes"
    assert next(row for row in rows if row.state == "Durango").figures == KNOWN
    assert next(row for row in rows if row.state == "Zacatecas").figures is None
    assert report.improvement_total == KNOWN
    assert report.states[0].improvement is None  # the national report has only the table


def test_the_institute_is_named_as_today_like_the_lists(dataset, improvement, durango):
    from transversal.institutions.services import institution_name_add

    institution_name_add(
        actor=None,
        institution=durango,
        name="Secretaría de las Mujeres del Estado",
        acronym="SMED",
        valid_from=dt.date(2026, 1, 1),
    )

    node = build_report(period="2025-T4", state=_state("10")).states[0].improvement

    assert node.institute == node.evaluations[0].institution
    assert node.institute.startswith("Secretaría de las Mujeres del Estado (SMED")


def test_a_person_who_does_not_read_the_institute_gets_no_cycle(dataset, improvement, durango):
    unit = institution_create(
        actor=None,
        slug="unidad-genero-salud-dgo",
        kind=InstitutionKind.GENDER_UNIT,
        state=_state("10"),
        name="Unidad de Igualdad de Género",
        agency_name="Secretaría de Salud",
    )
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    approved(indicator_with_calendar(unit, name="Indicador de la unidad"), "2025-T4")
    scope = scope_for(make_member("unidad@prueba.test", unit, Role.VIEWER))

    node = build_report(period="2025-T4", state=_state("10"), scope=scope).states[0].improvement

    assert node.cycle_withheld and node.cycle == []
    assert node.evaluations == [] and node.actions == []
    assert node.figures == KNOWN  # the state's figures are counts, as coordination's


# The state report -------------------------------------------------------------------------------


def test_the_state_docx_has_the_section(dataset, improvement, tmp_path):
    output = tmp_path / "durango.docx"
    render_docx(build_report(period="2025-T4", state=_state("10")), output)

    section = _section(docx_text(output))
    assert f"en 2025; situación al {_today()}." in section
    assert f"Institución: {IEM}" in section
    assert "Etapa | Concepto | 2025\nPlanear | Planes y programas vigentes | 0" in section
    assert "Mejorar | Hallazgos del año | 3\n | Propuestos por decidir | 1" in section
    assert (
        "Evaluaciones | Hallazgos | ASM | Abiertos | Vencidos | Atendidos | Verificados | "
        "% verificados\n2 | 3 | 5 | 2 | 1 | 1 | 1 | 25.0 %"
    ) in section
    assert (
        f"{DESIGN} | {IEM} | De diseño | Universidad Juárez del Estado de Durango | "
        "03/02/2025 | 30/05/2025 | 3"
    ) in section
    assert f"{AUDIT} | {IEM} | Auditoría | Órgano Interno de Control | 01/09/2025 | — | 0" in (
        section
    )
    assert (
        "ASM | Aspecto | Clasificación | Prioridad | Responsable | Fecha compromiso | Estado | "
        "Verificado el\n"
        f"ASM H-2025-01.1 | {_shortened()} | Específico | Alta | {RESPONSIBLE} | 30/06/2025 | "
        "Abierto (vencido) | —"
    ) in section
    assert (
        f"ASM H-2025-02.1 | Actualizar los lineamientos | Interinstitucional | Baja | {IEM} | "
        "31/08/2025 | Verificado | 15/08/2025"
    ) in section
    assert "ASM H-2025-02.2 | Actualizar los lineamientos | Intergubernamental | Alta" in section
    assert "Vencido: ASM abierto o en proceso cuya fecha compromiso pasó." in section
    assert LONG_ASM not in section
    assert "dato sintético" not in section
    headings = [p.text for p in Document(str(output)).paragraphs if p.style.name == "Heading 2"]
    assert SECTION in headings  # in the contents, under the state


def test_the_state_pdf_has_the_section(dataset, improvement, tmp_path):
    output = tmp_path / "durango.pdf"
    render_pdf(build_report(period="2025-T4", state=_state("10")), output)

    text = _section(pdf_text(output))
    assert f"situación al {_today()}." in text
    assert f"Institución: {IEM}" in text
    assert "Ana Torres" in text and "calendario de actualización" not in text  # shortened
    lines = _section(pdf_text(output, layout=True)).splitlines()

    def has(pattern: str) -> bool:
        return any(re.search(pattern, line) for line in lines)

    assert has(r"Planear\s+Planes y programas vigentes\s+0\s*$")
    assert has(r"Mejorar\s+Hallazgos del año\s+3\s*$")
    assert has(r"^\s*2\s+3\s+5\s+2\s+1\s+1\s+1\s+25\.0 %\s*$")
    assert has(r"03/02/2025\s+30/05/2025\s+3\s*$")
    assert has(r"ASM\s+Incorporar en el.*Específico\s+Alta.*30/06/2025\s+Abierto")
    assert has(r"Interinstitucional\s+Baja.*31/08/2025\s+Verificado\s+15/08/2025")
    assert "Vencido: ASM abierto o en proceso cuya fecha compromiso pasó." in text


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_state_with_nothing_recorded_says_so(dataset, improvement, tmp_path, fmt):
    output = tmp_path / f"zacatecas.{fmt}"
    report = build_report(period="2025-T4", state=_state("32"))
    (render_pdf if fmt == "pdf" else render_docx)(report, output)

    text = pdf_text(output) if fmt == "pdf" else " ".join(docx_text(output).split())
    section = _section(text)
    assert (
        "Zacatecas no tiene evaluaciones, hallazgos ni aspectos susceptibles de mejora "
        "registrados en 2025."
    ) in section
    assert "Secretaría de las Mujeres (SEMUJER; Zacatecas)" in section  # its cycle is there
    assert "Evaluaciones de 2025" not in section and "Verificado el" not in section


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_state_without_an_institute_says_so(dataset, zacatecas, tmp_path, fmt):
    Institution.objects.filter(pk=zacatecas.pk).update(kind=InstitutionKind.STATE_AGENCY)
    output = tmp_path / f"zacatecas.{fmt}"
    (render_pdf if fmt == "pdf" else render_docx)(
        build_report(period="2025-T4", state=_state("32")), output
    )

    text = pdf_text(output) if fmt == "pdf" else " ".join(docx_text(output).split())
    section = _section(text)
    assert "Zacatecas no tiene un instituto estatal de las mujeres registrado." in section
    assert "Etapa" not in section


def test_a_state_whose_asm_are_all_on_time_has_no_overdue_note(dataset, improvement, tmp_path):
    from transversal.followup.models import FollowUp

    FollowUp.objects.filter(pk=improvement["overdue"].followup_id).update(
        due_date=dt.date(2099, 1, 1)
    )
    output = tmp_path / "durango.docx"
    render_docx(build_report(period="2025-T4", state=_state("10")), output)

    section = _section(docx_text(output))
    assert "Abierto (vencido)" not in section and "Vencido: ASM" not in section
    assert "| 01/01/2099 | Abierto | —" in section


# The national report ----------------------------------------------------------------------------

NATIONAL_HEADER = (
    "Entidad | Evaluaciones | Hallazgos | ASM | Abiertos | Vencidos | Atendidos | Verificados | "
    "% verificados"
)


def test_the_national_docx_has_the_table_of_the_32_states(dataset, improvement, tmp_path):
    output = tmp_path / "nacional.docx"
    render_docx(build_report(period="2025"), output)

    section = _section(docx_text(output))
    lines = section.splitlines()
    assert NATIONAL_HEADER in lines
    assert "Durango | 2 | 3 | 5 | 2 | 1 | 1 | 1 | 25.0 %" in lines
    assert "Zacatecas | Sin registros | — | — | — | — | — | — | —" in lines
    assert "Total nacional | 2 | 3 | 5 | 2 | 1 | 1 | 1 | 25.0 %" in lines
    assert len([line for line in lines if "Sin registros" in line]) == 31
    assert f"de 2025 de las instituciones de cada entidad; situación al {_today()}." in section
    assert DESIGN not in section  # the national report has no per-state lists
    headings = [p.text for p in Document(str(output)).paragraphs if p.style.name == "Heading 1"]
    assert SECTION in headings


def test_the_national_pdf_has_the_table_of_the_32_states(dataset, improvement, tmp_path):
    output = tmp_path / "nacional.pdf"
    render_pdf(build_report(period="2025"), output)

    lines = _section(pdf_text(output, layout=True)).splitlines()
    figures = r"2\s+3\s+5\s+2\s+1\s+1\s+1\s+25\.0 %"
    assert any(re.search(rf"^\s*Durango\s+{figures}\s*$", ln) for ln in lines)
    assert any(re.search(r"^\s*Baja California Sur\s+Sin registros\s*$", ln) for ln in lines)
    assert any(re.search(rf"^\s*Total nacional\s+{figures}\s*$", ln) for ln in lines)
    assert len([line for line in lines if "Sin registros" in line]) == 31


# Demo records -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_demo_records_say_dato_sintetico(dataset, improvement, tmp_path, fmt):
    Evaluation.objects.filter(pk=improvement["audit"].pk).update(is_synthetic=True)
    render = render_pdf if fmt == "pdf" else render_docx

    report = build_report(period="2025-T4", state=_state("10"))
    assert report.has_synthetic
    render(report, tmp_path / f"durango.{fmt}")
    national = build_report(period="2025")
    assert national.has_synthetic
    render(national, tmp_path / f"nacional.{fmt}")

    def section(name: str) -> str:
        path = tmp_path / f"{name}.{fmt}"
        text = pdf_text(path) if fmt == "pdf" else " ".join(docx_text(path).split())
        return _section(text)

    state = section("durango")
    figures = state[state.index("Evaluaciones, hallazgos y ASM de 2025") :]
    assert figures.index("dato sintético") < figures.index("Hallazgos sin los descartados")
    # In the audit's row (the PDF's text may read the title cell's second line after the row).
    assert "dato sintético" in state[state.index(AUDIT) : state.rindex("Aspectos susceptibles")]
    assert "dato sintético" not in state[state.index(DESIGN) : state.index(AUDIT)]
    table = section("nacional")
    assert "dato sintético" in table[table.index("Durango") : table.index("Guanajuato")]
    assert "dato sintético" not in table[: table.index("Durango")]


def test_a_demo_evaluation_of_another_year_marks_nothing(dataset, improvement, durango):
    demo = evaluation(durango, "Evaluación de demostración", "internal", dt.date(2023, 3, 1))
    Evaluation.objects.filter(pk=demo.pk).update(is_synthetic=True)

    assert not build_report(period="2025-T4", state=_state("10")).has_synthetic
    assert not build_report(period="2025").has_synthetic
