"""The DOCX renderer: the report tree → a Word document (python-docx).

Headings use Word's built-in styles, so the table of contents field at the
start lists them; Word fills in its page numbers when the document is opened
(or on F9), LibreOffice on "Actualizar índice".
"""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from transversal.core import lights
from transversal.core.templatetags.transversal import format_mx
from transversal.monitoring import rules
from transversal.reports import figures
from transversal.reports.assembly import AgreementNode, IndicatorNode, Report

LIGHT_RGB = {
    colour: RGBColor.from_string(ink.lstrip("#").upper()) for colour, ink in lights.INK.items()
}
LIGHT_MARK = lights.ICONS
SYNTHETIC = "dato sintético"
BELOW_BASELINE = "por debajo de la línea base"


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _datetime(value) -> str:
    # Local time, as the PDF shows it (the database stores UTC).
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"


def _percent(value) -> str:
    text = format_mx(value, 1)
    return text if text == "—" else f"{text} %"


def _light(paragraph, colour: str, label: str) -> None:
    run = paragraph.add_run(f"{LIGHT_MARK[colour]} {label}")
    run.bold = True
    run.font.color.rgb = LIGHT_RGB[colour]


def _synthetic(paragraph) -> None:
    run = paragraph.add_run(f" [{SYNTHETIC}]")
    run.italic = True
    run.font.size = Pt(8)
    run.font.color.rgb = RGBColor(0x6B, 0x45, 0x00)


def _toc(document) -> None:
    """A Word table-of-contents field over heading levels 1–3."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    begin, instruction, separate, text, end = (
        OxmlElement("w:fldChar"),
        OxmlElement("w:instrText"),
        OxmlElement("w:fldChar"),
        OxmlElement("w:t"),
        OxmlElement("w:fldChar"),
    )
    begin.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = 'TOC \\o "1-3" \\h \\z \\u'
    separate.set(qn("w:fldCharType"), "separate")
    text.text = "Actualice el índice para ver los números de página (F9 en Word)."
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instruction, separate, text, end):
        run._r.append(element)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _table(document, header: list[str], rows: list[list], numeric: set[int] = frozenset()):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, title in enumerate(header):
        cell = table.rows[0].cells[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
    # Repeat the header row on every page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header_flag = OxmlElement("w:tblHeader")
    header_flag.set(qn("w:val"), "true")
    tr_pr.append(header_flag)
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            paragraph = cells[index].paragraphs[0]
            if callable(value):
                value(paragraph)
            else:
                paragraph.add_run(str(value))
            if index in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _indicator(document, indicator: IndicatorNode, charted: set) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(indicator.name).bold = True
    if indicator.is_synthetic:
        _synthetic(paragraph)
    meta = document.add_paragraph(
        f"{indicator.owner} · Unidad: {indicator.unit} · Frecuencia: {indicator.frequency} · "
        f"Sentido: {indicator.direction} · Línea base: {format_mx(indicator.baseline)}"
    )
    meta.runs[0].font.size = Pt(8)
    if not indicator.rows:
        document.add_paragraph(
            f"Sin periodo de reporte dentro de este periodo (frecuencia {indicator.frequency})."
        ).runs[0].italic = True
        return
    rows = []
    for row in indicator.rows:

        def period_cell(p, row=row):
            p.add_run(row.display)
            if row.is_synthetic:
                _synthetic(p)

        def light_cell(p, row=row):
            _light(p, row.light, row.light_label)
            if row.overachieved:
                p.add_run(" (sobrecumplimiento)").font.size = Pt(8)

        rows.append(
            [
                period_cell,
                format_mx(row.target),
                format_mx(row.value),
                BELOW_BASELINE if row.below_baseline else _percent(row.progress),
                light_cell,
            ]
        )
    _table(
        document,
        ["Periodo", "Meta", "Valor aprobado", "Avance", "Semáforo"],
        rows,
        numeric={1, 2, 3},
    )
    spec = figures.indicator_spec(indicator) if indicator.code in charted else None
    if spec is not None:
        document.add_picture(io.BytesIO(figures.to_png(spec)), width=Cm(14))
        caption = document.add_paragraph(
            f"Gráfica: {indicator.name} — valor aprobado y meta por periodo."
        )
        caption.runs[0].font.size = Pt(8)


def _counts_cells(counts: dict[str, int]) -> list[str]:
    return [
        format_mx(counts[colour])
        for colour in (rules.GREEN, rules.YELLOW, rules.RED, rules.NO_DATA)
    ]


COUNT_HEADERS = ["Aceptable", "Con riesgo", "Crítico", "Sin dato"]


def _goal_table(document, agreement: AgreementNode) -> None:
    """The national report's view of an agreement: one row per goal, indicators counted by light."""
    rows = []
    for goal in agreement.goals:

        def goal_cell(p, goal=goal):
            p.add_run(f"{goal.number}. {goal.description}")
            if goal.is_synthetic:
                _synthetic(p)

        rows.append(
            [
                goal_cell,
                _date(goal.due_date),
                format_mx(len(goal.indicators)),
                *_counts_cells(goal.indicator_counts()),
                lambda p, goal=goal: _light(p, goal.rollup.colour, goal.rollup.label),
            ]
        )
    _table(
        document,
        ["Meta", "Fecha de cumplimiento", "Indicadores", *COUNT_HEADERS, "Semáforo de la meta"],
        rows,
        numeric={2, 3, 4, 5, 6},
    )


def _legend(document, title: str, rows: list[tuple[str, str, str]]) -> None:
    document.add_heading(title, level=2)
    _table(
        document,
        ["Semáforo", "Regla"],
        [[lambda p, c=colour, lab=label: _light(p, c, lab), rule] for colour, label, rule in rows],
    )


def _cover(document, report: Report) -> None:
    kicker = document.add_paragraph(
        "TRANSVERSAL · " + ("REPORTE NACIONAL" if report.kind == "national" else "REPORTE ESTATAL")
    )
    kicker.runs[0].font.color.rgb = RGBColor(0x6B, 0x4C, 0x8F)
    document.add_heading(report.title, level=0)
    label = f" ({report.period_label})" if report.period_label != report.period_display else ""
    document.add_paragraph(
        f"{report.period_display}{label}: {_date(report.start)} – {_date(report.end)}"
    )
    facts = [
        ("Entidad", report.scope_label),
        ("Periodo", report.period_display),
        ("Fecha de corte de los datos", f"{_datetime(report.cutoff)} (última aprobación incluida)"),
        ("Fecha de generación", _datetime(report.generated_at)),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    paragraph = document.add_paragraph()
    paragraph.add_run("Instituciones: ").bold = True
    names = [report.national_institution] + [
        f"{name} · {state.name}" if report.kind == "national" else name
        for state in report.states
        for name in state.institutions
    ]
    paragraph.add_run("; ".join(n for n in names if n))
    paragraph = document.add_paragraph()
    paragraph.add_run("Semáforo general: ").bold = True
    _light(paragraph, report.rollup.colour, report.rollup.label)
    paragraph.add_run(f" — {report.rollup.explanation}")
    if report.has_synthetic:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(
            "Dato sintético. Este reporte incluye cifras inventadas para demostración; se señalan "
            "con la marca «dato sintético». No las use para tomar decisiones."
        )
        run.bold = True
        run.font.color.rgb = RGBColor(0x6B, 0x45, 0x00)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _summary(document, report: Report) -> None:
    document.add_heading("Resumen", level=1)
    rows = []
    for state in report.states:
        counts = state.indicator_counts()
        rows.append(
            [
                state.name,
                lambda p, s=state: _light(p, s.rollup.colour, s.rollup.label),
                format_mx(counts[rules.GREEN]),
                format_mx(counts[rules.YELLOW]),
                format_mx(counts[rules.RED]),
                format_mx(counts[rules.NO_DATA]),
            ]
        )
    _table(
        document,
        ["Entidad", "Semáforo", "Aceptable", "Con riesgo", "Crítico", "Sin dato"],
        rows,
        numeric={2, 3, 4, 5},
    )
    document.add_paragraph(
        "Número de indicadores por semáforo, según su último periodo con avance aprobado dentro "
        "del periodo del reporte."
    ).runs[0].font.size = Pt(8)
    spec = figures.summary_spec(report)
    if spec is not None:
        document.add_heading("Indicadores por semáforo", level=3)
        # The bars have a fixed step: the picture grows with the number of states.
        document.add_picture(
            io.BytesIO(figures.to_png(spec)), width=Cm(min(14, 5 + 1.3 * len(report.states)))
        )


def render_docx(report: Report, output: Path) -> None:
    charted = figures.charted_indicators(report)
    document = Document()
    document.core_properties.title = f"{report.title} · {report.period_display}"
    document.core_properties.author = "Transversal"
    document.core_properties.language = "es-MX"
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.scope_label} · {report.period_display}" + (
        " · contiene dato sintético" if report.has_synthetic else ""
    )

    _cover(document, report)
    document.add_heading("Contenido", level=1)
    _toc(document)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _summary(document, report)
    if not report.per_indicator:
        document.add_paragraph(
            "Este reporte consolida por entidad, convenio y meta: cuenta los indicadores de cada "
            "meta según su semáforo. El detalle por indicador (metas, valores aprobados y "
            "gráficas) está en el reporte estatal de cada entidad."
        )
    for state in report.states:
        document.add_heading(state.name, level=1)
        paragraph = document.add_paragraph()
        _light(paragraph, state.rollup.colour, state.rollup.label)
        paragraph.add_run(f" — {state.rollup.explanation}")
        for agreement in state.agreements:
            heading = document.add_heading(agreement.title, level=2)
            if agreement.is_synthetic:
                _synthetic(heading)
            meta = f"{agreement.state_institution}"
            if agreement.round:
                meta += f" · Ronda {agreement.round}"
            meta += (
                f" · {agreement.status} · Vigencia: "
                f"{_date(agreement.valid_from)} – {_date(agreement.valid_to)}"
            )
            document.add_paragraph(meta).runs[0].font.size = Pt(8)
            paragraph = document.add_paragraph("Semáforo del convenio: ")
            _light(paragraph, agreement.rollup.colour, agreement.rollup.label)
            paragraph.add_run(f" — {agreement.rollup.explanation}")
            if agreement.goals and not report.per_indicator:
                _goal_table(document, agreement)
            for goal in agreement.goals if report.per_indicator else ():
                heading = document.add_heading(f"Meta {goal.number}. {goal.description}", level=3)
                if goal.is_synthetic:
                    _synthetic(heading)
                paragraph = document.add_paragraph(
                    f"Fecha de cumplimiento: {_date(goal.due_date)} · Semáforo de la meta: "
                )
                _light(paragraph, goal.rollup.colour, goal.rollup.label)
                if not goal.indicators:
                    document.add_paragraph("Esta meta no tiene indicadores registrados.").runs[
                        0
                    ].italic = True
                for indicator in goal.indicators:
                    _indicator(document, indicator, charted)
            if not agreement.goals:
                document.add_paragraph("Este convenio no tiene metas registradas.").runs[
                    0
                ].italic = True
        if state.other_indicators:
            document.add_heading("Indicadores institucionales", level=2)
            document.add_paragraph(
                "Indicadores de las instituciones de la entidad que no miden una meta de los "
                "convenios incluidos."
            ).runs[0].font.size = Pt(8)
            if report.per_indicator:
                for indicator in state.other_indicators:
                    _indicator(document, indicator, charted)
            else:
                _table(
                    document,
                    ["Indicadores", *COUNT_HEADERS],
                    [
                        [
                            format_mx(len(state.other_indicators)),
                            *_counts_cells(state.other_counts()),
                        ]
                    ],
                    numeric={0, 1, 2, 3, 4},
                )
    document.add_heading("Cómo leer el semáforo", level=1)
    _legend(document, "Indicadores", report.legend)
    _legend(document, "Metas, convenios, entidades y país", report.rollup_legend)
    document.add_paragraph(
        "Los umbrales de cada indicador pueden ser distintos; los valores mostrados son los de la "
        "revisión aprobada más reciente de cada periodo. Los avances en borrador, enviados o "
        "devueltos se muestran como «Sin dato»."
    ).runs[0].font.size = Pt(8)
    document.save(str(output))
