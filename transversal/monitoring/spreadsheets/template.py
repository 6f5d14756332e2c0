"""The XLSX template an institution fills in: its columns, the indicators it lists, the workbook.

``indicator_set`` loads the institution's indicators with their calendar and current reports
(four queries whatever the number of rows); ``build_workbook`` writes from them an "Avances"
sheet with one row per indicator and period (pre-filled with the current report), a "Metas"
sheet with the targets and an "Instrucciones" sheet. The columns defined here are also the ones
the reader looks for in an upload.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transversal.core.exports import neutralise_cell
from transversal.monitoring import periods
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    SUBSET_GROUPS,
    Disaggregation,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
)

UPDATES = "avances"
TARGETS = "metas"

NUMBER_LIMIT = Decimal("1e14")  # the models' max_digits=18 with 4 decimals

SHEET_UPDATES = gettext_lazy("Avances")
SHEET_TARGETS = gettext_lazy("Metas")
SHEET_HELP = gettext_lazy("Instrucciones")
SUBSET_CATEGORY = ("of_which", gettext_lazy("De ellas o ellos"))

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation: the header as the person reads it
    width: int
    editable: bool = False
    numeric: bool = False


UPDATE_COLUMNS = (
    Column("code", gettext_lazy("Clave del indicador"), 38),
    Column("indicator", gettext_lazy("Indicador"), 48),
    Column("period", gettext_lazy("Periodo"), 11),
    Column("period_display", gettext_lazy("Periodo legible"), 20),
    Column("due_date", gettext_lazy("Fecha límite"), 13),
    Column("target", gettext_lazy("Meta"), 12),
    Column("status", gettext_lazy("Estado del avance"), 18),
    Column("value", gettext_lazy("Valor"), 12, editable=True, numeric=True),
    Column("numerator", gettext_lazy("Numerador"), 12, editable=True, numeric=True),
    Column("denominator", gettext_lazy("Denominador"), 13, editable=True, numeric=True),
    Column("narrative", gettext_lazy("Narrativa"), 48, editable=True),
    Column(
        "note", gettext_lazy("Motivo si las desagregaciones no suman el total"), 30, editable=True
    ),
)
TARGET_COLUMNS = (
    Column("code", gettext_lazy("Clave del indicador"), 38),
    Column("indicator", gettext_lazy("Indicador"), 48),
    Column("period", gettext_lazy("Periodo"), 11),
    Column("period_display", gettext_lazy("Periodo legible"), 20),
    Column("target", gettext_lazy("Meta"), 12, editable=True, numeric=True),
)
REQUIRED = {UPDATES: ("code", "period"), TARGETS: ("code", "period", "target")}
BREAKDOWN_LABEL = gettext_lazy("Desagregaciones")


def breakdown_categories(dimension: str) -> tuple[tuple[str, Any], ...]:
    """The categories of a disaggregation that take a number (municipalities have none here)."""
    if dimension in PARTITION_CATEGORIES:
        return PARTITION_CATEGORIES[dimension]
    if dimension in SUBSET_GROUPS:
        return (SUBSET_CATEGORY,)
    return ()


def breakdown_columns(indicators: Iterable[Indicator]) -> list[Column]:
    """One column per category that at least one indicator of the set allows, sex first."""
    used = {d for indicator in indicators for d in indicator.all_disaggregations}
    used.add(Disaggregation.SEX)
    return [
        Column(
            f"{dimension}:{category}",
            _BreakdownLabel(dimension, label),
            14,
            editable=True,
            numeric=True,
        )
        for dimension in Disaggregation.values
        if dimension in used
        for category, label in breakdown_categories(dimension)
    ]


def all_breakdown_columns() -> list[Column]:
    return [
        Column(
            f"{dimension}:{category}",
            _BreakdownLabel(dimension, label),
            14,
            editable=True,
            numeric=True,
        )
        for dimension in Disaggregation.values
        for category, label in breakdown_categories(dimension)
    ]


@dataclass(frozen=True)
class _BreakdownLabel:
    dimension: str
    category_label: Any

    def __str__(self) -> str:
        return f"{Disaggregation(self.dimension).label}: {self.category_label}"


# Reading the institution's indicators ---------------------------------------------------


def indicator_set(institution) -> list[Indicator]:
    """The institution's indicators with their calendar and current reports: four queries.

    Each indicator gets ``calendar`` (its periods by start date); each period gets
    ``current_updates`` (zero or one) with its ``breakdown`` prefetched. The lists are filled
    here, as ``Prefetch(..., to_attr=...)`` would fill them, because with 10,000 periods Django's
    prefetch bookkeeping (and a query with 10,000 parameters) cost as much as building the objects.
    """
    indicators = list(Indicator.objects.filter(owner=institution).order_by("name", "pk"))
    by_pk = {indicator.pk: indicator for indicator in indicators}
    periods: dict[int, ReportingPeriod] = {}
    for indicator in indicators:
        indicator.calendar = []
    if indicators:
        for period in ReportingPeriod.objects.filter(indicator__in=list(by_pk)).order_by("start"):
            indicator = by_pk[period.indicator_id]
            _PERIOD_INDICATOR.set_cached_value(
                period, indicator
            )  # as period.indicator = indicator, faster
            period.current_updates = []
            indicator.calendar.append(period)
            periods[period.pk] = period
    if periods:
        current = ProgressUpdate.objects.filter(
            is_current=True, period__indicator__in=list(by_pk)
        ).prefetch_related("breakdown")
        for update in current:
            period = periods.get(update.period_id)
            if period is not None:  # None: a period added since the query above
                _UPDATE_PERIOD.set_cached_value(update, period)
                period.current_updates.append(update)
    return indicators


_PERIOD_INDICATOR = ReportingPeriod._meta.get_field("indicator")
_UPDATE_PERIOD = ProgressUpdate._meta.get_field("period")


def current_update(period: ReportingPeriod) -> ProgressUpdate | None:
    """The period's current report as :func:`indicator_set` loaded it, or None."""
    updates = getattr(period, "current_updates", None)
    return updates[0] if updates else None


def breakdown_of(update: ProgressUpdate | None) -> dict[str, dict[str, Decimal]]:
    """{dimension: {category: value}} of a report's prefetched breakdown ({} for None)."""
    result: dict[str, dict[str, Decimal]] = {}
    for row in update.breakdown.all() if update is not None else ():
        result.setdefault(row.dimension, {})[row.category] = row.value
    return result


# Building the template ---------------------------------------------------------------------


def build_workbook(indicators: list[Indicator]) -> bytes:
    """The XLSX template for a set of indicators loaded by :func:`indicator_set`."""
    from openpyxl import Workbook

    workbook = Workbook()
    updates = workbook.active
    updates.title = str(SHEET_UPDATES)
    _fill_updates(updates, indicators)
    _fill_targets(workbook.create_sheet(str(SHEET_TARGETS)), indicators)
    _fill_help(workbook.create_sheet(str(SHEET_HELP)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _styles():
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "header": Font(bold=True),
        "header_fill": PatternFill("solid", fgColor="D9E2F3"),
        "fixed": PatternFill("solid", fgColor="F2F2F2"),
        "closed": PatternFill("solid", fgColor="BFBFBF"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def header_row(sheet, columns) -> None:
    """The bold, filled, wrapped header row of ``columns`` (each has ``label`` and ``width``),
    frozen; the registers import writes its template's header with it too."""
    from openpyxl.utils import get_column_letter

    styles = _styles()
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font, cell.fill, cell.alignment = (
            styles["header"],
            styles["header_fill"],
            styles["wrap"],
        )
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _number_validation(sheet, columns: list[Column], last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    numeric = [get_column_letter(i) for i, c in enumerate(columns, start=1) if c.numeric]
    if not numeric:
        return
    validation = DataValidation(
        type="decimal",
        operator="between",
        formula1=str(-NUMBER_LIMIT),
        formula2=str(NUMBER_LIMIT),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Número no válido"),
        error=_("Escriba un número con punto decimal y sin símbolos."),
    )
    for letter in numeric:
        validation.add(f"{letter}2:{letter}{max(last_row, 2)}")
    sheet.add_data_validation(validation)


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@lru_cache(maxsize=4096)
def _display(label: str, language: str | None) -> str:
    return periods.period_display(label)


def display_of(period: ReportingPeriod) -> str:
    """``period.display``, computed once per label and language (gettext is costly at 10,000
    rows)."""
    return _display(period.label, translation.get_language())


def _cached(cache: dict, key, make, *args):
    if key not in cache:
        cache[key] = make(*args)
    return cache[key]


def _status_text(period: ReportingPeriod, update: ProgressUpdate | None) -> str:
    status = update.get_status_display() if update is not None else _("Sin reporte")
    return f"{status} · {_('periodo cerrado')}" if period.locked else str(status)


def _fill_updates(sheet, indicators: list[Indicator]) -> None:
    bd_columns = breakdown_columns(indicators)
    columns = [*UPDATE_COLUMNS, *bd_columns]
    header_row(sheet, columns)
    styles = _styles()
    statuses: dict = {}
    row = 1
    for indicator in indicators:
        allowed = {
            f"{d}:{c}"
            for d in indicator.all_disaggregations
            for c, _label in breakdown_categories(d)
        }
        for period in indicator.calendar:
            row += 1
            update = current_update(period)
            breakdown = breakdown_of(update)
            values: dict[str, Any] = {
                "code": str(indicator.code),
                "indicator": indicator.name,
                "period": period.label,
                "period_display": display_of(period),
                "due_date": period.due_date,
                "target": _number(period.target),
                "status": _cached(
                    statuses,
                    (update.status if update else None, period.locked),
                    _status_text,
                    period,
                    update,
                ),
            }
            if update is not None:
                values.update(
                    value=_number(update.value),
                    numerator=_number(update.numerator),
                    denominator=_number(update.denominator),
                    narrative=update.narrative,
                    note=update.disaggregation_note,
                )
            for column in bd_columns:
                dimension, category = column.key.split(":", 1)
                values[column.key] = _number(breakdown.get(dimension, {}).get(category))
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(
                    row=row, column=index, value=neutralise_cell(values.get(column.key))
                )
                if column.key == "due_date":
                    cell.number_format = "DD/MM/YYYY"
                if period.locked or (":" in column.key and column.key not in allowed):
                    cell.fill = styles["closed"]
                elif not column.editable:
                    cell.fill = styles["fixed"]
    sheet.auto_filter.ref = (
        f"A1:{sheet.cell(row=1, column=len(columns)).column_letter}{max(row, 1)}"
    )
    _number_validation(sheet, columns, row)


def _fill_targets(sheet, indicators: list[Indicator]) -> None:
    columns = list(TARGET_COLUMNS)
    header_row(sheet, columns)
    styles = _styles()
    row = 1
    for indicator in indicators:
        for period in indicator.calendar:
            row += 1
            values = {
                "code": str(indicator.code),
                "indicator": indicator.name,
                "period": period.label,
                "period_display": display_of(period),
                "target": _number(period.target),
            }
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row=row, column=index, value=neutralise_cell(values[column.key]))
                if period.locked:
                    cell.fill = styles["closed"]
                elif not column.editable:
                    cell.fill = styles["fixed"]
    _number_validation(sheet, columns, row)


def help_lines() -> list[str]:
    return [
        _("Cómo llenar esta hoja"),
        "",
        _(
            "1. En la hoja «Avances» hay una fila por indicador y periodo. Capture el valor del "
            "periodo, o bien el numerador y el denominador (el valor se calcula), la narrativa y, "
            "si aplica, las desagregaciones."
        ),
        _(
            "2. En la hoja «Metas» capture la meta de cada periodo. Una celda de meta vacía quita "
            "la meta del periodo."
        ),
        _(
            "3. Escriba los números con punto decimal, sin signo de pesos ni de porcentaje: 1234.5 "
            "o 1,234.5, y no 1234,5 (la coma solo separa miles). Un porcentaje se escribe de 0 a "
            "100 (95 y no 95 % ni 0.95). Se admiten hasta 4 decimales."
        ),
        _(
            "4. Las desagregaciones por sexo y por edad deben sumar el total en números absolutos "
            "y montos; si no suman, explique por qué en la columna del motivo. Las poblaciones "
            "(indígena, afromexicana, con discapacidad) son «de ellas o ellos» y nunca mayores que "
            "el total."
        ),
        _(
            "5. No cambie la clave del indicador, el periodo ni los encabezados; no cambie el "
            "nombre de las hojas. Las columnas grises son informativas y no se importan. Las "
            "celdas en gris oscuro no se pueden capturar: el periodo está cerrado o el indicador "
            "no prevé esa desagregación."
        ),
        _(
            "6. Dejar vacía una fila no borra lo ya capturado. Los avances enviados a revisión o "
            "aprobados no se modifican desde la hoja."
        ),
        _(
            "7. Al importar, Transversal muestra una vista previa con lo que cambiaría y revisa "
            "cada fila. Si una sola fila tiene un error no se guarda nada: corrija el archivo y "
            "vuelva a subirlo."
        ),
        _(
            "8. La importación solo crea o edita borradores; después envíe cada avance a revisión "
            "desde Transversal."
        ),
    ]


def _fill_help(sheet) -> None:
    styles = _styles()
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(help_lines(), start=1):
        cell = sheet.cell(row=row, column=1, value=neutralise_cell(line))
        cell.alignment = styles["wrap"]
        if row == 1:
            cell.font = styles["header"]
