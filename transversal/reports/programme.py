"""The quarterly report of a work programme as a deliverable: the report's contents
(``workprogrammes.report_selectors``) → a document tree → PDF (WeasyPrint) or DOCX.

The tree is plain: a heading block (kicker, title, facts, notices) and numbered sections of
paragraphs and tables, every text already in Spanish and every number already in Mexican
format (amounts ``$1,234.50``, percentages ``25.0 %``, dates dd/mm/aaaa). Both renderers walk
it without touching the database, so the PDF and the DOCX say the same thing. A quarter's
report is small (a few goals, three sources, a few dozen files): it is built while the person
waits, not queued like the state and national reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transversal.core.templatetags.transversal import format_mx
from transversal.monitoring.models import UpdateStatus
from transversal.monitoring.periods import period_display
from transversal.workprogrammes.models import QuarterlyReport, ReportStatus
from transversal.workprogrammes.report_selectors import (
    EvidenceLine,
    ReportContents,
    SourceLine,
    quarterly_report_contents,
)

SYNTHETIC = "dato sintético"


# ---------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    synthetic: bool = False  # followed by the «dato sintético» mark
    strong: bool = False
    mono: bool = False  # a digest: monospace, never hyphenated
    warning: bool = False  # a deviation


@dataclass
class Row:
    cells: list[Cell]
    # A line under the row across every column (an evidence file's SHA-256).
    detail: Cell | None = None
    total: bool = False


@dataclass
class Table:
    kind: str  # the PDF's class, which sets its columns' widths
    header: list[str]
    rows: list[Row]
    numeric: frozenset[int] = frozenset()


@dataclass
class Paragraph:
    text: str
    style: str = ""  # "", "meta" (small print), "muted" (nothing to show) or "subhead"
    label: str = ""  # a bold lead-in: "Meta 2: …"


@dataclass
class Section:
    anchor: str
    title: str
    blocks: list[Paragraph | Table] = field(default_factory=list)


@dataclass
class ProgrammeDocument:
    kicker: str
    title: str
    subtitle: str
    facts: list[tuple[str, str]]
    notices: list[str]  # provisional figures, demo data: said before anything else
    sections: list[Section]
    footer: str
    filename_stem: str
    is_synthetic: bool
    provisional: bool
    generated_at: dt.datetime


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _datetime(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else "—"


def money(value: Decimal | None) -> str:
    """``$1,234,567.89``; a negative amount ``-$1,500.00``."""
    if value is None:
        return "—"
    text = format_mx(abs(value), 2)
    return f"-${text}" if value < 0 else f"${text}"


def percent(value: Decimal | None) -> str:
    text = format_mx(value, 1)
    return text if text == "—" else f"{text} %"


def file_size(size: int) -> str:
    """``512 bytes``, ``12.3 KB``, ``1.5 MB`` (1 KB = 1,024 bytes, as systems show it)."""
    if size < 1024:
        return _("%(n)s bytes") % {"n": format_mx(size)}
    if size < 1024 * 1024:
        return f"{format_mx(Decimal(size) / 1024, 1)} KB"
    return f"{format_mx(Decimal(size) / (1024 * 1024), 1)} MB"


def quarter_display(quarter: int, year: int) -> str:
    """``1.er trimestre 2026``, as the reporting calendar names the period."""
    return period_display(f"{year}-T{quarter}")


def programme_stem(state_short_name: str, year: int, quarter: int) -> str:
    """``programa-durango-2026-T1``: the state's short name as an ASCII slug, the year and the
    quarter."""
    return f"programa-{slugify(state_short_name) or 'entidad'}-{year}-T{quarter}"


# ---------------------------------------------------------------------------
# Builder
# ---------------------------------------------------------------------------


def build_programme_report(report: QuarterlyReport) -> ProgrammeDocument:
    """The deliverable of ``report`` (as ``access.get_report_for_user`` returns it), in
    Spanish whatever the person's language: the document is sent to the national
    institution."""
    with translation.override("es-mx"):
        return _document(quarterly_report_contents(report))


def _document(contents: ReportContents) -> ProgrammeDocument:
    quarter = quarter_display(contents.quarter, contents.year)
    now = timezone.localtime()
    notices = []
    if contents.provisional:
        notices.append(
            _(
                "Informe en elaboración: el avance alcanzado es provisional, calculado hoy con "
                "los avances aprobados por la entidad; al enviarse el informe se registran las "
                "cifras con que se entrega."
            )
        )
    if contents.is_synthetic:
        notices.append(
            _(
                "Dato sintético. Este programa y sus cifras son inventados para demostración. "
                "No los use para tomar decisiones."
            )
        )
    sections = [
        _goal_section(contents),
        _resource_section(contents),
        _narrative_section(contents),
        _observation_section(contents),
        _evidence_section(contents),
    ]
    for number, section in enumerate(sections, start=1):
        section.title = f"{number}. {section.title}"
    return ProgrammeDocument(
        kicker=_("Transversal · Programa anual de trabajo %(year)s") % {"year": contents.year},
        title=_("Informe del %(quarter)s: %(state)s")
        % {"quarter": quarter, "state": contents.state},
        subtitle=_("Periodo del %(start)s al %(end)s")
        % {"start": _date(contents.start), "end": _date(contents.end)},
        facts=_facts(contents, quarter, now),
        notices=notices,
        sections=sections,
        footer=" · ".join(
            [
                contents.state,
                _("Informe del %(quarter)s") % {"quarter": quarter},
                contents.status_label,
                *([_("contiene dato sintético")] if contents.is_synthetic else []),
            ]
        ),
        filename_stem=programme_stem(contents.state, contents.year, contents.quarter),
        is_synthetic=contents.is_synthetic,
        provisional=contents.provisional,
        generated_at=now,
    )


def _facts(contents: ReportContents, quarter: str, now: dt.datetime) -> list[tuple[str, str]]:
    status = contents.status_label
    if contents.provisional:
        status = _("%(status)s (cifras provisionales)") % {"status": status}
    facts = [
        (_("Entidad"), contents.state),
        (_("Instancia estatal"), contents.institute),
        (_("Institución nacional"), contents.national_institution),
        (_("Convenio"), contents.agreement_title),
        (_("Fecha de firma del convenio"), _date(contents.agreement_signed_on)),
        (
            _("Programa anual de trabajo"),
            f"{contents.year} ({contents.programme_stage.lower()})",
        ),
        (_("Trimestre"), f"{quarter}: {_date(contents.start)} – {_date(contents.end)}"),
        (_("Fecha límite de entrega"), _date(contents.due_date)),
        (_("Estado del informe"), status),
        (_("Envío"), _by(contents.sent_at, contents.sent_by) or _("Sin enviar")),
    ]
    late = _late(contents.sent_at, contents.due_date)
    if late:
        facts.append((_("Entrega fuera de plazo"), late))
    if contents.reviewed:
        label = _("Recepción") if contents.status == ReportStatus.ACKNOWLEDGED else _("Observación")
        facts.append((label, _by(contents.reviewed_at, contents.reviewed_by)))
    facts.append((_("Fecha de generación"), _datetime(now)))
    return facts


def _late(sent_at: dt.datetime | None, due: dt.date) -> str:
    """«Enviado el …, N días después del plazo (…)» for a report sent after its due date."""
    if sent_at is None:
        return ""
    days = (timezone.localdate(sent_at) - due).days
    if days <= 0:
        return ""
    return ngettext(
        "Enviado el %(sent)s, %(n)s día después del plazo (%(due)s)",
        "Enviado el %(sent)s, %(n)s días después del plazo (%(due)s)",
        days,
    ) % {"sent": _date(timezone.localdate(sent_at)), "n": days, "due": _date(due)}


def _by(when: dt.datetime | None, who: str) -> str:
    if when is None:
        return ""
    return _("%(date)s por %(person)s") % {"date": _datetime(when), "person": who or "—"}


def _deviation(goal) -> Cell:
    if goal.planned is None:
        return Cell(_("Sin avance programado"))
    if not goal.deviates:
        return Cell(_("No"))
    points = (goal.achieved or Decimal(0)) - goal.planned
    sign = "+" if points > 0 else "-"
    return Cell(
        _("Sí (%(points)s puntos)") % {"points": f"{sign}{format_mx(abs(points), 1)}"},
        warning=True,
    )


def _goal_section(contents: ReportContents) -> Section:
    section = Section("metas", _("Avance por meta"))
    if not contents.goals:
        section.blocks.append(Paragraph(_("El programa no tiene metas."), style="muted"))
        return section
    achieved = _("Alcanzado (provisional)") if contents.provisional else _("Alcanzado")
    section.blocks.append(
        Table(
            "goals",
            [
                _("Meta"),
                _("Medios de verificación"),
                _("Área responsable"),
                _("Programado"),
                achieved,
                _("Desviación"),
            ],
            [
                Row(
                    [
                        Cell(f"{g.number}. {g.description}", synthetic=g.is_synthetic),
                        Cell(g.means_of_verification),
                        Cell(g.responsible_area),
                        Cell(percent(g.planned)),
                        Cell(percent(g.achieved) if g.achieved is not None else _("Sin dato")),
                        _deviation(g),
                    ]
                )
                for g in contents.goals
            ],
            numeric=frozenset({3, 4}),
        )
    )
    section.blocks.append(
        Paragraph(
            _(
                "Avance acumulado al cierre del trimestre, en porcentaje de la meta anual. "
                "Alcanzado: promedio del avance de los indicadores de la meta en su último "
                "periodo del año concluido al cierre del trimestre con avance aprobado por la "
                "entidad. Desviación: diferencia de más de %(threshold)s puntos entre lo "
                "programado y lo alcanzado (umbral del programa)."
            )
            % {"threshold": format_mx(contents.deviation_threshold)},
            style="meta",
        )
    )
    justified = [g for g in contents.goals if g.justification]
    if justified or contents.has_deviations:
        section.blocks.append(Paragraph(_("Justificación de las desviaciones"), style="subhead"))
    for goal in justified:
        section.blocks.append(
            Paragraph(goal.justification, label=_("Meta %(n)s") % {"n": goal.number})
        )
    for goal in contents.goals:
        if goal.deviates and not goal.justification:
            section.blocks.append(
                Paragraph(
                    _("Sin justificación todavía."),
                    style="muted",
                    label=_("Meta %(n)s") % {"n": goal.number},
                )
            )
    return section


def _resource_row(line: SourceLine, *, total: bool = False) -> Row:
    return Row(
        [
            Cell(line.label, strong=total),
            *(
                Cell(money(value), strong=total)
                for value in (
                    line.approved,
                    line.in_force,
                    line.exercised,
                    line.accumulated,
                    line.unspent,
                )
            ),
        ],
        total=total,
    )


def _resource_section(contents: ReportContents) -> Section:
    section = Section("recursos", _("Recursos por fuente"))
    rows = [_resource_row(line) for line in contents.resources]
    rows.append(_resource_row(contents.resources_total, total=True))
    rows[-1].cells[0].text = _("Total")
    section.blocks.append(
        Table(
            "resources",
            [
                _("Fuente"),
                _("Aprobado"),
                _("Vigente (modificado)"),
                _("Ejercido en el trimestre"),
                _("Ejercido acumulado"),
                _("Por ejercer"),
            ],
            rows,
            numeric=frozenset({1, 2, 3, 4, 5}),
        )
    )
    section.blocks.append(
        Paragraph(
            _(
                "Pesos mexicanos. Vigente: el monto modificado donde se registró, si no el "
                "aprobado. Ejercido acumulado: lo de este informe más lo de los informes de "
                "trimestres anteriores enviados o recibidos. Por ejercer: vigente menos ejercido "
                "acumulado."
            ),
            style="meta",
        )
    )
    return section


def _narrative_section(contents: ReportContents) -> Section:
    section = Section("narrativa", _("Narrativa del trimestre"))
    paragraphs = [p.strip() for p in contents.narrative.splitlines() if p.strip()]
    if not paragraphs:
        section.blocks.append(Paragraph(_("Sin narrativa."), style="muted"))
    section.blocks.extend(Paragraph(text) for text in paragraphs)
    return section


def _observation_section(contents: ReportContents) -> Section:
    section = Section("observaciones", _("Observaciones de la institución nacional"))
    if not contents.observations:
        section.blocks.append(Paragraph(_("Este informe no tiene observaciones."), style="muted"))
        return section
    rows = []
    for item in contents.observations:
        if item.answered_at:
            answer = _("%(answer)s (%(date)s, %(person)s)") % {
                "answer": item.answer or _("Atendida"),
                "date": _datetime(item.answered_at),
                "person": item.answered_by or "—",
            }
        else:
            answer = _("Pendiente")
        rows.append(
            Row(
                [
                    Cell(_datetime(item.created_at)),
                    Cell(item.author or "—"),
                    Cell(item.text),
                    Cell(answer),
                ]
            )
        )
    section.blocks.append(
        Table("observations", [_("Fecha"), _("Autor"), _("Observación"), _("Respuesta")], rows)
    )
    return section


def _evidence_row(item: EvidenceLine) -> Row:
    goals = ", ".join(str(n) for n in item.goals)
    return Row(
        [
            Cell(
                _("%(indicator)s (meta %(goals)s)") % {"indicator": item.indicator, "goals": goals}
            ),
            Cell(item.period),
            Cell(item.name, synthetic=item.is_synthetic),
            Cell(file_size(item.size)),
            Cell(item.status, warning=item.status_code == UpdateStatus.VALIDATING),
        ],
        detail=Cell(f"SHA-256: {item.sha256}", mono=True),
    )


def _evidence_section(contents: ReportContents) -> Section:
    section = Section("evidencias", _("Evidencias"))
    section.blocks.append(
        Paragraph(
            _(
                "Archivos de los avances vigentes de los indicadores de las metas cuyos periodos "
                "terminan en el trimestre, con su huella SHA-256 para comprobar que el archivo "
                "es el mismo que se entregó."
            ),
            style="meta",
        )
    )
    if not contents.evidence:
        section.blocks.append(
            Paragraph(
                _(
                    "Ningún avance de los indicadores de las metas tiene evidencias en el "
                    "trimestre."
                ),
                style="muted",
            )
        )
        return section
    section.blocks.append(
        Table(
            "evidence",
            [_("Indicador"), _("Periodo"), _("Archivo"), _("Tamaño"), _("Estado del avance")],
            [_evidence_row(item) for item in contents.evidence],
            numeric=frozenset({3}),
        )
    )
    if any(item.status_code == UpdateStatus.VALIDATING for item in contents.evidence):
        section.blocks.append(
            Paragraph(
                _(
                    "En validación nacional: avance aprobado por la entidad que espera la "
                    "validación de la institución nacional; todavía no cuenta en las cifras "
                    "nacionales."
                ),
                style="meta",
            )
        )
    return section


# ---------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------


def render_programme_html(document: ProgrammeDocument) -> str:
    with translation.override("es-mx"):
        return render_to_string("reports/programme_pdf.html", {"doc": document})


def render_programme_pdf(document: ProgrammeDocument) -> bytes:
    from transversal.reports.pdf import html_to_pdf

    return html_to_pdf(render_programme_html(document))
