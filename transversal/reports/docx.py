"""The DOCX renderer: the report tree → a Word document (python-docx).

Headings use Word's built-in styles and carry ``_Toc`` bookmarks. The table of
contents at the start is a real TOC field whose result is already written (one
linked entry per heading, without page numbers), so Word, LibreOffice and
python-docx show it as soon as the file opens; the field stays updatable (F9 in
Word, "Actualizar índice" in LibreOffice) to add the page numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from transversal.core import lights
from transversal.core.templatetags.transversal import format_mx
from transversal.core.wordfiles import new_document
from transversal.monitoring import rules
from transversal.reports import figures
from transversal.reports.assembly import (
    NATIONAL,
    AgreementNode,
    CoordinationNode,
    GoalNode,
    ImprovementNode,
    IndicatorNode,
    PeriodRow,
    Report,
)

LIGHT_RGB = {
    colour: RGBColor.from_string(ink.lstrip("#").upper()) for colour, ink in lights.INK.items()
}
LIGHT_MARK = lights.ICONS
SYNTHETIC = "dato sintético"
BELOW_BASELINE = "por debajo de la línea base"
MONOSPACE = "Liberation Mono"


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


def _small(paragraph, size: float = 8):
    for run in paragraph.runs:
        run.font.size = Pt(size)
    return paragraph


# ---------------------------------------------------------------------------
# Headings and the table of contents
# ---------------------------------------------------------------------------


def _run_with(*elements) -> OxmlElement:
    run = OxmlElement("w:r")
    for element in elements:
        run.append(element)
    return run


def _field_char(kind: str) -> OxmlElement:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return char


def _text(value: str) -> OxmlElement:
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = value
    return text


class Contents:
    """The headings in the order they are written, each with a bookmark the TOC links to."""

    def __init__(self, document, levels: int) -> None:
        self.document = document
        self.levels = levels
        self.entries: list[tuple[int, str, str]] = []  # (level, text, bookmark)

    def heading(self, text: str, level: int):
        paragraph = self.document.add_heading(text, level=level)
        if 1 <= level <= self.levels:
            number = len(self.entries) + 1
            name = f"_Toc{number:08d}"
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), str(number))
            start.set(qn("w:name"), name)
            end.set(qn("w:id"), str(number))
            paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
            paragraph._p.append(end)
            self.entries.append((level, text, name))
        return paragraph

    def write(self, anchor) -> None:
        """Replace the paragraph ``anchor`` with the TOC field: its instruction, then one linked
        entry per heading as the field's result, then the field's end."""
        styles = _toc_styles(self.document, self.levels)
        begin = [
            _run_with(_field_char("begin")),
            _run_with(_instruction(f'TOC \\o "1-{self.levels}" \\h \\z \\u')),
            _run_with(_field_char("separate")),
        ]
        paragraphs = []
        for level, text, bookmark in self.entries:
            paragraph = _styled_paragraph(styles[level])
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), bookmark)
            link.set(qn("w:history"), "1")
            link.append(_run_with(_text(text)))
            paragraph.append(link)
            paragraphs.append(paragraph)
        if not paragraphs:
            paragraphs.append(_styled_paragraph(styles[1]))
        for run in reversed(begin):
            paragraphs[0].insert(1, run)  # after the paragraph's properties
        closing = _styled_paragraph(styles[1])
        closing.append(_run_with(_field_char("end")))
        paragraphs.append(closing)
        for paragraph in reversed(paragraphs):
            anchor._p.addnext(paragraph)
        anchor._p.getparent().remove(anchor._p)
        # Word offers to refresh the fields on opening, which adds the page numbers.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.document.settings.element.append(update)


def _instruction(code: str) -> OxmlElement:
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = code
    return instruction


def _styled_paragraph(style_id: str) -> OxmlElement:
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), style_id)
    properties.append(style)
    paragraph.append(properties)
    return paragraph


def _toc_styles(document, levels: int) -> dict[int, str]:
    """Word's built-in "toc 1".."toc N" paragraph styles (ids TOC1…), added when missing."""
    ids = {}
    existing = {style.style_id for style in document.styles}
    for level in range(1, levels + 1):
        style_id = f"TOC{level}"
        if style_id not in existing:
            style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.element.set(qn("w:styleId"), style_id)
            style.base_style = document.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
            if level == 1:
                style.font.bold = True
        ids[level] = style_id
    return ids


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


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


def _progress_cell(row: PeriodRow) -> str:
    return BELOW_BASELINE if row.below_baseline else _percent(row.progress)


def _light_cell(row: PeriodRow):
    def cell(p):
        _light(p, row.light, row.light_label)
        if row.overachieved:
            p.add_run(" (sobrecumplimiento)").font.size = Pt(8)

    return cell


def _period_cell(row: PeriodRow):
    def cell(p):
        p.add_run(row.display)
        if row.is_synthetic:
            _synthetic(p)

    return cell


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


class Charts:
    """Each indicator's chart rendered once, however many goals the indicator measures."""

    def __init__(self, report: Report) -> None:
        self.codes = figures.charted_indicators(report)
        self.pictures: dict[str, bytes | None] = {}

    def png(self, indicator: IndicatorNode) -> bytes | None:
        if indicator.code not in self.codes:
            return None
        if indicator.code not in self.pictures:
            spec = figures.indicator_spec(indicator)
            self.pictures[indicator.code] = figures.to_png(spec) if spec is not None else None
        return self.pictures[indicator.code]


def _indicator(document, indicator: IndicatorNode, charts: Charts) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(indicator.name).bold = True
    if indicator.is_synthetic:
        _synthetic(paragraph)
    _small(
        document.add_paragraph(
            f"{indicator.owner} · Unidad: {indicator.unit} · Frecuencia: {indicator.frequency} · "
            f"Sentido: {indicator.direction} · Línea base: {format_mx(indicator.baseline)}"
        )
    )
    if not indicator.rows:
        document.add_paragraph(
            f"Sin periodo de reporte dentro de este periodo (frecuencia {indicator.frequency})."
        ).runs[0].italic = True
        return
    rows = [
        [
            _period_cell(row),
            format_mx(row.target),
            format_mx(row.value),
            _progress_cell(row),
            _light_cell(row),
        ]
        for row in indicator.rows
    ]
    _table(
        document,
        ["Periodo", "Meta", "Valor aprobado", "Avance", "Semáforo"],
        rows,
        numeric={1, 2, 3},
    )
    picture = charts.png(indicator)
    if picture is not None:
        document.add_picture(io.BytesIO(picture), width=Cm(14))
        _small(
            document.add_paragraph(
                f"Gráfica: {indicator.name} — valor aprobado y meta por periodo."
            )
        )
    if indicator.details_withheld:
        _small(
            document.add_paragraph(
                _(
                    "Las desagregaciones, narrativas y evidencias de este indicador público las "
                    "consulta la institución responsable."
                )
            )
        )
        return
    for row in indicator.rows:
        if row.value is not None:
            _period_details(document, row)


def _period_details(document, row: PeriodRow) -> None:
    """What backs an approved value: breakdowns, narrative, evidence, who approved it and when."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.add_run(_("Detalle de %(period)s") % {"period": row.display}).bold = True
    paragraph.add_run(
        " — "
        + _("aprobado el %(date)s por %(reviewer)s")
        % {"date": _date(row.approved_on), "reviewer": row.reviewer or "—"}
    )
    if row.breakdown:
        lines = []
        for group in row.breakdown:
            if not group.items:
                lines.append([group.dimension, _("Sin desagregación registrada"), "—"])
            for category, value in group.items:
                lines.append([group.dimension, category, format_mx(value)])
        _table(document, [_("Desagregación"), _("Categoría"), _("Valor")], lines, numeric={2})
    paragraph = document.add_paragraph()
    paragraph.add_run(_("Narrativa: ")).bold = True
    paragraph.add_run(row.narrative or _("Sin narrativa."))
    paragraph = document.add_paragraph()
    paragraph.add_run(_("Evidencias: ")).bold = True
    if not row.evidence:
        paragraph.add_run(_("ninguna."))
    for item in row.evidence:
        line = document.add_paragraph(style="List Bullet")
        line.add_run(item.name)
        if item.description:
            line.add_run(f" ({item.description})")
        line.add_run(" — SHA-256: ")
        digest = line.add_run(item.sha256)
        digest.font.name = MONOSPACE
        digest.font.size = Pt(7.5)


def _indicator_row(indicator: IndicatorNode) -> list:
    def name_cell(p):
        p.add_run(indicator.name)
        if indicator.is_synthetic:
            _synthetic(p)

    row = indicator.latest
    if row is None:
        no_data = str(rules.LABELS[rules.NO_DATA])
        return [
            name_cell,
            _("Sin periodo en el reporte"),
            "—",
            "—",
            "—",
            lambda p: _light(p, rules.NO_DATA, no_data),
        ]
    return [
        name_cell,
        _period_cell(row),
        format_mx(row.target),
        format_mx(row.value),
        _progress_cell(row),
        _light_cell(row),
    ]


INDICATOR_HEADERS = ["Indicador", "Periodo", "Meta", "Valor aprobado", "Avance", "Semáforo"]


def _indicator_table(document, indicators: list[IndicatorNode]) -> None:
    """The national report's view of a few indicators: one row each, its latest period with a
    value."""
    _table(
        document,
        INDICATOR_HEADERS,
        [_indicator_row(indicator) for indicator in indicators],
        numeric={2, 3, 4},
    )


# ---------------------------------------------------------------------------
# Agreements and goals
# ---------------------------------------------------------------------------


def _counts_cells(counts: dict[str, int]) -> list[str]:
    return [
        format_mx(counts[colour])
        for colour in (rules.GREEN, rules.YELLOW, rules.RED, rules.NO_DATA)
    ]


COUNT_HEADERS = ["Aceptable", "Con riesgo", "Crítico", "Sin dato"]


def _goal_cell(goal: GoalNode, *, marked: bool):
    def cell(p):
        p.add_run(f"{goal.number}. {goal.description}")
        if marked and goal.is_synthetic:
            _synthetic(p)

    return cell


def _goal_table(document, agreement: AgreementNode, *, counts: bool) -> None:
    """The agreement's goals: number and description, due date and light; the national report
    also counts each goal's indicators by light. Invented goals are marked once for the table
    when all of them are."""
    marked = not agreement.goals_all_synthetic
    if not marked:
        note = _small(
            document.add_paragraph(
                _("Todas las metas de este convenio son inventadas para demostración:")
            )
        )
        _synthetic(note)
    rows = []
    for goal in agreement.goals:
        light = (lambda g: lambda p: _light(p, g.rollup.colour, g.rollup.label))(goal)
        if counts:
            rows.append(
                [
                    _goal_cell(goal, marked=marked),
                    _date(goal.due_date),
                    format_mx(len(goal.indicators)),
                    *_counts_cells(goal.indicator_counts()),
                    light,
                ]
            )
        else:
            rows.append([_goal_cell(goal, marked=marked), _date(goal.due_date), light])
    if counts:
        header = ["Meta", "Fecha de cumplimiento", "Indicadores", *COUNT_HEADERS]
        _table(document, [*header, "Semáforo de la meta"], rows, numeric={2, 3, 4, 5, 6})
    else:
        _table(document, ["Meta", "Fecha de cumplimiento", "Semáforo de la meta"], rows)


def _agreement_facts(document, contents: Contents, report: Report, agreement: AgreementNode):
    heading = contents.heading(agreement.title, level=3)
    if agreement.is_synthetic:
        _synthetic(heading)
    facts = [
        (
            _("Partes"),
            _("%(national)s y %(state)s")
            % {"national": agreement.national_institution, "state": agreement.state_institution},
        ),
        (_("Fecha de firma"), _date(agreement.signed_on)),
        (
            _("Vigencia"),
            f"{_date(agreement.valid_from)} – {_date(agreement.valid_to)}",
        ),
        (_("Estado"), agreement.status),
    ]
    if agreement.round:
        facts.append((_("Ronda"), agreement.round))
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    paragraph = document.add_paragraph(_("Semáforo del convenio: "))
    paragraph.paragraph_format.space_before = Pt(4)
    _light(paragraph, agreement.rollup.colour, agreement.rollup.label)
    paragraph.add_run(f" — {agreement.rollup.explanation}")
    if agreement.goals:
        _goal_table(document, agreement, counts=not report.per_indicator)
    else:
        document.add_paragraph(_("Este convenio no tiene metas registradas.")).runs[0].italic = True


def _goal_progress(document, contents, report, agreement, charts, *, several: bool) -> None:
    title = _("Avance por meta")
    contents.heading(f"{title}: {agreement.title}" if several else title, level=2)
    for goal in agreement.goals:
        heading = contents.heading(f"Meta {goal.number}. {goal.description}", level=3)
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
        else:
            for indicator in goal.indicators:
                _indicator(document, indicator, charts)


# ---------------------------------------------------------------------------
# Inter-institutional coordination
# ---------------------------------------------------------------------------


def _italic(document, text: str) -> None:
    document.add_paragraph(text).runs[0].italic = True


def _marked(text: str, synthetic: bool):
    """A cell's text, with the "dato sintético" mark when it comes from a demo system."""

    def cell(p):
        p.add_run(text)
        if synthetic:
            _synthetic(p)

    return cell


def _bold(text: str):
    def cell(p):
        p.add_run(text).bold = True

    return cell


def _on_time_cell(figures) -> str:
    return _percent(figures.on_time_percent)


def _acuerdo_headers() -> list[str]:
    return [
        _("Acuerdos"),
        _("Abiertos"),
        _("Vencidos"),
        _("Cumplidos"),
        _("Cumplidos a tiempo"),
        _("% a tiempo"),
    ]


def _coordination(
    document, contents: Contents, report: Report, state_name: str, node: CoordinationNode
) -> None:
    """A state's systems with their sessions of the report's years, its acuerdos counted and
    the overdue ones."""
    years = report.years_display
    contents.heading(_("Coordinación interinstitucional"), level=2)
    if not node.systems:
        _italic(
            document,
            _("%(state)s no tiene un sistema de coordinación registrado.") % {"state": state_name},
        )
        return
    _small(
        document.add_paragraph(
            _(
                "Sistemas de coordinación de la entidad (estatales y municipales), sus sesiones "
                "de %(years)s y los acuerdos adoptados en ellas; situación al %(date)s."
            )
            % {"years": years, "date": _date(report.coordination_on)}
        )
    )
    for system in node.systems:
        heading = contents.heading(f"{system.name} ({system.acronym})", level=3)
        if system.is_synthetic:
            _synthetic(heading)
        for label, value in ((_("Ámbito"), system.scope), (_("Fundamento"), system.legal_basis)):
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
        if not system.sessions:
            _italic(document, _("Sin sesiones registradas en %(years)s.") % {"years": years})
            continue
        _table(
            document,
            [_("Sesión"), _("Fecha"), _("Estado"), _("Quórum"), _("Acuerdos")],
            [
                [s.name, _date(s.date), s.status, s.quorum, format_mx(s.acuerdos)]
                for s in system.sessions
            ],
            numeric={4},
        )
    if node.has_overdue_sessions:
        _small(
            document.add_paragraph(
                _("Vencida: sesión programada cuya fecha pasó sin registrarse como celebrada.")
            )
        )
    contents.heading(_("Acuerdos de %(years)s") % {"years": years}, level=3)
    figures = node.figures
    _table(
        document,
        _acuerdo_headers(),
        [
            [
                format_mx(figures.acuerdos),
                format_mx(figures.acuerdos_open),
                format_mx(figures.acuerdos_overdue),
                format_mx(figures.acuerdos_fulfilled),
                format_mx(figures.acuerdos_on_time),
                _on_time_cell(figures),
            ]
        ],
        numeric={0, 1, 2, 3, 4, 5},
    )
    _small(document.add_paragraph(_acuerdo_note()))
    contents.heading(_("Acuerdos vencidos"), level=3)
    if not node.overdue:
        _italic(
            document, _("Ningún acuerdo adoptado en %(years)s está vencido.") % {"years": years}
        )
        return
    _table(
        document,
        [_("Folio"), _("Acuerdo"), _("Responsable"), _("Fecha compromiso")],
        [
            [_marked(a.folio, a.is_synthetic), a.text, a.responsible, _date(a.due_date)]
            for a in node.overdue
        ],
    )


def _acuerdo_note() -> str:
    return _(
        "Sin los acuerdos cancelados. Abiertos: sin atender, vencidos incluidos; cumplidos: "
        "verificados por la secretaría técnica; a tiempo: cumplidos en o antes de su fecha "
        "compromiso, como porcentaje de todos los acuerdos."
    )


def _national_coordination(document, contents: Contents, report: Report) -> None:
    """The 32 states' coordination in one table, with the national total."""
    contents.heading(_("Coordinación interinstitucional"), level=1)
    document.add_paragraph(
        _(
            "Sesiones de %(years)s de los sistemas de coordinación estatales y municipales de "
            "cada entidad y acuerdos adoptados en ellas; situación al %(date)s."
        )
        % {"years": report.years_display, "date": _date(report.coordination_on)}
    )
    rows = []
    for row in report.coordination_rows:
        if row.figures is None:
            rows.append([row.state, _("Sin sistema registrado"), "—", "—", "—", "—", "—"])
        else:
            rows.append(
                [
                    _marked(row.state, row.is_synthetic),
                    format_mx(row.systems),
                    *_coordination_cells(row.figures),
                ]
            )
    rows.append(
        [
            _bold(_("Total nacional")),
            format_mx(report.coordination_systems),
            *_coordination_cells(report.coordination_total),
        ]
    )
    _table(document, _coordination_headers(), rows, numeric={1, 2, 3, 4, 5, 6})
    _small(document.add_paragraph(_acuerdo_note()))


def _coordination_headers() -> list[str]:
    return [
        _("Entidad"),
        _("Sistemas"),
        _("Sesiones celebradas"),
        _("Sesiones programadas"),
        _("Acuerdos"),
        _("Acuerdos vencidos"),
        _("% a tiempo"),
    ]


def _coordination_cells(figures) -> list[str]:
    return [
        format_mx(figures.sessions_held),
        format_mx(figures.sessions_planned),
        format_mx(figures.acuerdos),
        format_mx(figures.acuerdos_overdue),
        _on_time_cell(figures),
    ]


# ---------------------------------------------------------------------------
# The model's cycle and continuous improvement
# ---------------------------------------------------------------------------


def _improvement(
    document, contents: Contents, report: Report, state_name: str, node: ImprovementNode
) -> None:
    """The institute's cycle per year, the state's evaluations, findings and ASM counted, the
    evaluations and the ASM."""
    years = report.years_display
    contents.heading(_("Ciclo del modelo y mejora continua"), level=2)
    _small(
        document.add_paragraph(
            _(
                "Ciclo del modelo para la igualdad del instituto de la entidad (planear, "
                "ejecutar, verificar y mejorar) y evaluaciones, hallazgos y aspectos "
                "susceptibles de mejora (ASM) de las instituciones de la entidad en %(years)s; "
                "situación al %(date)s."
            )
            % {"years": years, "date": _date(report.coordination_on)}
        )
    )
    contents.heading(_("Ciclo del modelo"), level=3)
    if not node.institute:
        _italic(
            document,
            _("%(state)s no tiene un instituto estatal de las mujeres registrado.")
            % {"state": state_name},
        )
    else:
        paragraph = document.add_paragraph()
        paragraph.add_run(_("Institución: ")).bold = True
        paragraph.add_run(node.institute)
        if node.cycle_withheld:
            _italic(
                document,
                _(
                    "El ciclo del modelo del instituto lo consultan sus integrantes y la "
                    "coordinación nacional."
                ),
            )
        else:
            columns = range(2, 2 + len(node.years))
            _table(
                document,
                [_("Etapa"), _("Concepto"), *(str(year) for year in node.years)],
                [
                    [_bold(line.stage), line.label, *(format_mx(v) for v in line.values)]
                    for line in node.cycle
                ],
                numeric=set(columns),
            )
            _small(document.add_paragraph(_cycle_note()))
    if not node.has_records:
        _italic(
            document,
            _(
                "%(state)s no tiene evaluaciones, hallazgos ni aspectos susceptibles de mejora "
                "registrados en %(years)s."
            )
            % {"state": state_name, "years": years},
        )
        return
    heading = contents.heading(
        _("Evaluaciones, hallazgos y ASM de %(years)s") % {"years": years}, level=3
    )
    if node.has_synthetic:
        _synthetic(heading)
    _table(
        document,
        _improvement_headers()[1:],
        [_improvement_cells(node.figures)],
        numeric=set(range(8)),
    )
    _small(document.add_paragraph(_improvement_note()))
    contents.heading(_("Evaluaciones de %(years)s") % {"years": years}, level=3)
    if not node.evaluations:
        _italic(document, _("Sin evaluaciones registradas en %(years)s.") % {"years": years})
    else:
        _table(
            document,
            [
                _("Evaluación"),
                _("Institución evaluada"),
                _("Tipo"),
                _("Instancia evaluadora"),
                _("Inicio"),
                _("Conclusión"),
                _("Hallazgos"),
            ],
            [
                [
                    _marked(e.title, e.is_synthetic),
                    e.institution,
                    e.kind,
                    e.evaluator,
                    _date(e.started_on),
                    _date(e.ended_on),
                    format_mx(e.findings),
                ]
                for e in node.evaluations
            ],
            numeric={6},
        )
    contents.heading(_("Aspectos susceptibles de mejora"), level=3)
    if not node.actions:
        _italic(
            document,
            _("Ningún hallazgo de %(years)s tiene aspectos susceptibles de mejora registrados.")
            % {"years": years},
        )
        return
    _table(
        document,
        [
            _("ASM"),
            _("Aspecto"),
            _("Clasificación"),
            _("Prioridad"),
            _("Responsable"),
            _("Fecha compromiso"),
            _("Estado"),
            _("Verificado el"),
        ],
        [
            [
                _marked(a.label, a.is_synthetic),
                a.text,
                a.kind,
                a.priority,
                a.responsible,
                _date(a.due_date),
                a.status,
                _date(a.verified_on),
            ]
            for a in node.actions
        ],
    )
    if node.has_overdue:
        _small(document.add_paragraph(_overdue_asm_note()))


def _cycle_note() -> str:
    return _(
        "Cifras de cada año; el semáforo de los indicadores del instituto es el de hoy, el mismo "
        "en cada columna."
    )


def _improvement_note() -> str:
    return _(
        "Hallazgos sin los descartados. ASM: los que atienden los hallazgos del periodo; "
        "abiertos: abiertos o en proceso, vencidos incluidos; atendidos: por verificar; "
        "verificados: cerrados por la institución que verifica; % verificados: de los ASM no "
        "cancelados."
    )


def _overdue_asm_note() -> str:
    return _("Vencido: ASM abierto o en proceso cuya fecha compromiso pasó.")


def _improvement_headers() -> list[str]:
    return [
        _("Entidad"),
        _("Evaluaciones"),
        _("Hallazgos"),
        _("ASM"),
        _("Abiertos"),
        _("Vencidos"),
        _("Atendidos"),
        _("Verificados"),
        _("% verificados"),
    ]


def _improvement_cells(figures) -> list[str]:
    return [
        format_mx(figures.evaluations),
        format_mx(figures.findings),
        format_mx(figures.asm),
        format_mx(figures.asm_open),
        format_mx(figures.asm_overdue),
        format_mx(figures.asm_done),
        format_mx(figures.asm_verified),
        _percent(figures.verified_percent),
    ]


def _national_improvement(document, contents: Contents, report: Report) -> None:
    """The 32 states' evaluations, findings and ASM in one table, with the national total."""
    contents.heading(_("Ciclo del modelo y mejora continua"), level=1)
    document.add_paragraph(
        _(
            "Evaluaciones, hallazgos y aspectos susceptibles de mejora (ASM) de %(years)s de "
            "las instituciones de cada entidad; situación al %(date)s."
        )
        % {"years": report.years_display, "date": _date(report.coordination_on)}
    )
    rows = []
    for row in report.improvement_rows:
        if row.figures is None:
            rows.append([row.state, _("Sin registros"), *(["—"] * 7)])
        else:
            rows.append([_marked(row.state, row.is_synthetic), *_improvement_cells(row.figures)])
    rows.append([_bold(_("Total nacional")), *_improvement_cells(report.improvement_total)])
    _table(document, _improvement_headers(), rows, numeric=set(range(1, 9)))
    _small(document.add_paragraph(_improvement_note()))


# ---------------------------------------------------------------------------
# Document
# ---------------------------------------------------------------------------


def _legend(document, contents: Contents, title: str, rows: list[tuple[str, str, str]]) -> None:
    contents.heading(title, level=2)
    _table(
        document,
        ["Semáforo", "Regla"],
        [[lambda p, c=colour, lab=label: _light(p, c, lab), rule] for colour, label, rule in rows],
    )


def _cover(document, report: Report) -> None:
    kicker = document.add_paragraph(
        "TRANSVERSAL · " + ("REPORTE NACIONAL" if report.kind == NATIONAL else "REPORTE ESTATAL")
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
        f"{name} · {state.name}" if report.kind == NATIONAL else name
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


def _summary(document, contents: Contents, report: Report) -> None:
    contents.heading("Resumen", level=1)
    rows = []
    for state in report.states:
        counts = state.indicator_counts()
        rows.append(
            [
                state.name,
                lambda p, s=state: _light(p, s.rollup.colour, s.rollup.label),
                *_counts_cells(counts),
            ]
        )
    _table(document, ["Entidad", "Semáforo", *COUNT_HEADERS], rows, numeric={2, 3, 4, 5})
    _small(
        document.add_paragraph(
            "Número de indicadores por semáforo, según su último periodo con avance aprobado "
            "dentro del periodo del reporte."
        )
    )
    if report.states_without_data:
        count = len(report.states_without_data)
        document.add_paragraph(
            ngettext(
                "%(count)s entidad no tiene convenio vigente ni indicadores con periodos en "
                "este reporte; se lista en «Entidades sin datos».",
                "%(count)s entidades no tienen convenio vigente ni indicadores con periodos en "
                "este reporte; se listan en «Entidades sin datos».",
                count,
            )
            % {"count": format_mx(count)}
        )
    spec = figures.summary_spec(report)
    if spec is not None:
        contents.heading("Indicadores por semáforo", level=3)
        # The bars have a fixed step: the picture grows with the number of states.
        document.add_picture(
            io.BytesIO(figures.to_png(spec)), width=Cm(min(14, 5 + 1.3 * len(report.states)))
        )


def _state(document, contents: Contents, report: Report, state, charts: Charts) -> None:
    contents.heading(state.name, level=1)
    paragraph = document.add_paragraph()
    _light(paragraph, state.rollup.colour, state.rollup.label)
    paragraph.add_run(f" — {state.rollup.explanation}")
    contents.heading(_("Convenios vigentes en %(years)s") % {"years": report.years_display}, 2)
    if not state.agreements:
        paragraph = document.add_paragraph(
            _("%(state)s no tiene un convenio vigente en %(years)s.")
            % {"state": state.name, "years": report.years_display}
        )
        paragraph.runs[0].italic = True
        if state.latest_agreement:
            paragraph.add_run(f" {state.latest_agreement}")
    for agreement in state.agreements:
        _agreement_facts(document, contents, report, agreement)
    several = len(state.agreements) > 1
    for agreement in state.agreements if report.per_indicator else ():
        if agreement.goals:
            _goal_progress(document, contents, report, agreement, charts, several=several)
    if state.other_indicators:
        contents.heading("Indicadores institucionales", level=2)
        _small(
            document.add_paragraph(
                "Indicadores de las instituciones de la entidad que no miden una meta de los "
                "convenios incluidos."
            )
        )
        if report.per_indicator:
            for indicator in state.other_indicators:
                _indicator(document, indicator, charts)
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
    if not report.per_indicator:
        _attention(document, contents, state)
    if state.coordination is not None:
        _coordination(document, contents, report, state.name, state.coordination)
    if state.improvement is not None:
        _improvement(document, contents, report, state.name, state.improvement)


def _attention(document, contents: Contents, state) -> None:
    """The national report names a state's few indicators in "Crítico" with the lowest
    progress; every indicator is in the state's own report."""
    contents.heading(_("Indicadores en estado crítico"), level=2)
    attention = state.attention()
    if not attention:
        paragraph = document.add_paragraph(
            _("Ningún indicador de la entidad está en estado crítico en este periodo.")
        )
        paragraph.runs[0].italic = True
        return
    _small(
        document.add_paragraph(
            _(
                "%(shown)s de %(total)s, los de menor avance. Cada indicador, con sus periodos, "
                "desagregaciones, narrativas y evidencias, está en el reporte estatal."
            )
            % {"shown": format_mx(len(attention)), "total": format_mx(state.attention_count())}
        )
    )
    _indicator_table(document, attention)


def render_docx(report: Report, output: Path) -> None:
    charts = Charts(report)
    document = new_document(f"{report.title} · {report.period_display}")
    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.scope_label} · {report.period_display}" + (
        " · contiene dato sintético" if report.has_synthetic else ""
    )
    # The national report's contents list its states; a state's also lists its goals.
    contents = Contents(document, levels=3 if report.per_indicator else 1)

    _cover(document, report)
    document.add_paragraph("Contenido", style="TOC Heading")
    toc = document.add_paragraph()
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _summary(document, contents, report)
    if not report.per_indicator:
        document.add_paragraph(
            _(
                "Este reporte presenta, por entidad, sus convenios vigentes con sus metas, el "
                "semáforo de cada meta con sus indicadores contados por semáforo y los "
                "indicadores en estado crítico de menor avance. Cada indicador, con sus "
                "periodos, desagregaciones, narrativas y evidencias, está en el reporte estatal "
                "de cada entidad."
            )
        )
    for state in report.states:
        _state(document, contents, report, state, charts)
    if report.states_without_data:
        contents.heading(_("Entidades sin datos"), level=1)
        document.add_paragraph(
            _(
                "Entidades sin convenio vigente en %(years)s ni indicadores con periodos en este "
                "reporte:"
            )
            % {"years": report.years_display}
        )
        document.add_paragraph(", ".join(report.states_without_data) + ".")
    if not report.per_indicator:
        _national_coordination(document, contents, report)
        _national_improvement(document, contents, report)
    contents.heading("Cómo leer el semáforo", level=1)
    _legend(document, contents, "Indicadores", report.legend)
    _legend(document, contents, "Metas, convenios, entidades y país", report.rollup_legend)
    _small(
        document.add_paragraph(
            "Los umbrales de cada indicador pueden ser distintos; los valores mostrados son los de "
            "la revisión aprobada más reciente de cada periodo. Los avances en borrador, enviados "
            "o devueltos se muestran como «Sin dato»."
        )
    )
    contents.write(toc)
    document.save(str(output))
