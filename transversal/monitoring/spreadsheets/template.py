"""Indicator workbooks: the XLSX an institution fills in, and reading it back.

Three steps, kept apart so each can be tested alone:

* ``build_workbook`` writes the template: a "Avances" sheet with one row per
  indicator and period of the institution's calendar (pre-filled with the current
  report), a "Metas" sheet with the targets and an "Instrucciones" sheet.
* ``open_sheet`` streams a sheet of an uploaded workbook (openpyxl read-only,
  cached values only, never formulas) into plain dictionaries keyed by column.
* ``validate_updates`` and ``validate_targets`` check those rows against the
  institution's indicators, loaded once by ``indicator_set`` (four queries
  whatever the number of rows), with the same pure checks the services apply
  (``update_check``, the one ``update_save`` runs, and ``validate_value``). They
  write nothing: they return the changes and every problem, row by row.

``import_apply`` then writes an import that had no problems, in one transaction,
through the services (``targets_update``, ``update_save``): any conflict or
error rolls back everything.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transversal.audit.services import audit_record
from transversal.core.exports import neutralise_cell, restore_cell
from transversal.core.templatetags.transversal import format_mx
from transversal.core.uploads import MB, UploadRejected, inspect_upload
from transversal.monitoring import periods
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    SUBSET_GROUPS,
    Disaggregation,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    validate_value,
)
from transversal.monitoring.services import (
    BREAKDOWN,
    NOT_EDITABLE,
    PERIOD_LOCKED,
    StaleEdit,
    compute_value,
    targets_update,
    update_check,
    update_save,
)

UPDATES = "avances"
TARGETS = "metas"

MAX_UPLOAD_BYTES = 10 * MB
MAX_ROWS = 20_000
MAX_COLUMNS = 120
# A run of this many empty rows ends the data: sheets often carry formatted, empty rows.
BLANK_RUN_END = 500
NARRATIVE_MAX = 10_000
NOTE_MAX = 2_000
NUMBER_LIMIT = Decimal("1e14")  # the models' max_digits=18 with 4 decimals
FOUR_PLACES = Decimal("0.0001")

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
    Column("note", gettext_lazy("Motivo si las desagregaciones no suman el total"), 30, editable=True),
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
        Column(f"{dimension}:{category}", _BreakdownLabel(dimension, label), 14, editable=True, numeric=True)
        for dimension in Disaggregation.values if dimension in used
        for category, label in breakdown_categories(dimension)
    ]


def all_breakdown_columns() -> list[Column]:
    return [
        Column(f"{dimension}:{category}", _BreakdownLabel(dimension, label), 14, editable=True, numeric=True)
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
            _PERIOD_INDICATOR.set_cached_value(period, indicator)  # as period.indicator = indicator, faster
            period.current_updates = []
            indicator.calendar.append(period)
            periods[period.pk] = period
    if periods:
        current = (ProgressUpdate.objects.filter(is_current=True, period__indicator__in=list(by_pk))
                   .prefetch_related("breakdown"))
        for update in current:
            period = periods.get(update.period_id)
            if period is not None:  # None: a period added since the query above
                _UPDATE_PERIOD.set_cached_value(update, period)
                period.current_updates.append(update)
    return indicators


_PERIOD_INDICATOR = ReportingPeriod._meta.get_field("indicator")
_UPDATE_PERIOD = ProgressUpdate._meta.get_field("period")


def _current(period: ReportingPeriod) -> ProgressUpdate | None:
    updates = getattr(period, "current_updates", None)
    return updates[0] if updates else None


def _breakdown_of(update: ProgressUpdate | None) -> dict[str, dict[str, Decimal]]:
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


def _header(sheet, columns: list[Column]) -> None:
    from openpyxl.utils import get_column_letter

    styles = _styles()
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(column.label))
        cell.font, cell.fill, cell.alignment = styles["header"], styles["header_fill"], styles["wrap"]
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"


def _number_validation(sheet, columns: list[Column], last_row: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    numeric = [get_column_letter(i) for i, c in enumerate(columns, start=1) if c.numeric]
    if not numeric:
        return
    validation = DataValidation(
        type="decimal", operator="between", formula1=str(-NUMBER_LIMIT), formula2=str(NUMBER_LIMIT),
        allow_blank=True, showErrorMessage=True, errorTitle=_("Número no válido"),
        error=_("Escriba un número con punto decimal, sin separador de miles ni símbolos."),
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
    """``period.display``, computed once per label and language (gettext is costly at 10,000 rows)."""
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
    _header(sheet, columns)
    styles = _styles()
    statuses: dict = {}
    row = 1
    for indicator in indicators:
        allowed = {
            f"{d}:{c}" for d in indicator.all_disaggregations for c, _label in breakdown_categories(d)
        }
        for period in indicator.calendar:
            row += 1
            update = _current(period)
            breakdown = _breakdown_of(update)
            values: dict[str, Any] = {
                "code": str(indicator.code), "indicator": indicator.name, "period": period.label,
                "period_display": display_of(period), "due_date": period.due_date, "target": _number(period.target),
                "status": _cached(statuses, (update.status if update else None, period.locked),
                                  _status_text, period, update),
            }
            if update is not None:
                values.update(value=_number(update.value), numerator=_number(update.numerator),
                              denominator=_number(update.denominator), narrative=update.narrative,
                              note=update.disaggregation_note)
            for column in bd_columns:
                dimension, category = column.key.split(":", 1)
                values[column.key] = _number(breakdown.get(dimension, {}).get(category))
            for index, column in enumerate(columns, start=1):
                cell = sheet.cell(row=row, column=index, value=neutralise_cell(values.get(column.key)))
                if column.key == "due_date":
                    cell.number_format = "DD/MM/YYYY"
                if period.locked or (":" in column.key and column.key not in allowed):
                    cell.fill = styles["closed"]
                elif not column.editable:
                    cell.fill = styles["fixed"]
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=len(columns)).column_letter}{max(row, 1)}"
    _number_validation(sheet, columns, row)


def _fill_targets(sheet, indicators: list[Indicator]) -> None:
    columns = list(TARGET_COLUMNS)
    _header(sheet, columns)
    styles = _styles()
    row = 1
    for indicator in indicators:
        for period in indicator.calendar:
            row += 1
            values = {"code": str(indicator.code), "indicator": indicator.name, "period": period.label,
                      "period_display": display_of(period), "target": _number(period.target)}
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
        _("1. En la hoja «Avances» hay una fila por indicador y periodo. Capture el valor del periodo, "
          "o bien el numerador y el denominador (el valor se calcula), la narrativa y, si aplica, las desagregaciones."),
        _("2. En la hoja «Metas» capture la meta de cada periodo. Una celda de meta vacía quita la meta del periodo."),
        _("3. Escriba los números con punto decimal, sin separador de miles, sin signo de pesos ni de porcentaje: "
          "1234.5 y no 1,234.50. Un porcentaje se escribe de 0 a 100 (95 y no 95 % ni 0.95). Se admiten hasta 4 decimales."),
        _("4. Las desagregaciones por sexo y por edad deben sumar el total en números absolutos y montos; si no suman, "
          "explique por qué en la columna del motivo. Las poblaciones (indígena, afromexicana, con discapacidad) son "
          "«de ellas o ellos» y nunca mayores que el total."),
        _("5. No cambie la clave del indicador, el periodo ni los encabezados; no cambie el nombre de las hojas. "
          "Las columnas grises son informativas y no se importan. Las celdas en gris oscuro no se pueden capturar: "
          "el periodo está cerrado o el indicador no prevé esa desagregación."),
        _("6. Dejar vacía una fila no borra lo ya capturado. Los avances enviados a revisión o aprobados no se "
          "modifican desde la hoja."),
        _("7. Al importar, Transversal muestra una vista previa con lo que cambiaría y revisa cada fila. "
          "Si una sola fila tiene un error no se guarda nada: corrija el archivo y vuelva a subirlo."),
        _("8. La importación solo crea o edita borradores; después envíe cada avance a revisión desde Transversal."),
    ]


def _fill_help(sheet) -> None:
    styles = _styles()
    sheet.column_dimensions["A"].width = 110
    for row, line in enumerate(help_lines(), start=1):
        cell = sheet.cell(row=row, column=1, value=neutralise_cell(line))
        cell.alignment = styles["wrap"]
        if row == 1:
            cell.font = styles["header"]


# Reading an upload -----------------------------------------------------------------------

class SheetRejected(Exception):
    """The upload is not a workbook we can read; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return _("Hoja %(s)s: %(m)s") % {"s": self.sheet, "m": self.message}
        return _("Hoja %(s)s, fila %(r)s, columna %(c)s: %(m)s") % {
            "s": self.sheet, "r": self.row, "c": self.column, "m": self.message}

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


def _normal(text: Any) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _aliases(label: Any) -> set[str]:
    """A header or sheet name as written in any of the site's languages."""
    names = {_normal(label)}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(_normal(label))
    return names


def _column_map(kind: str) -> dict[str, Column]:
    columns = [*(UPDATE_COLUMNS if kind == UPDATES else TARGET_COLUMNS)]
    if kind == UPDATES:
        columns += all_breakdown_columns()
    return {alias: column for column in columns for alias in _aliases(column.label)}


def check_upload(upload, filename: str) -> None:
    """By content, before openpyxl sees a byte: type, size, emptiness and ZIP bombs."""
    try:
        inspect_upload(upload, filename, allowed=frozenset({"xlsx"}), max_bytes=MAX_UPLOAD_BYTES)
    except UploadRejected as exc:
        raise SheetRejected(exc.message) from None


@dataclass
class SheetRows:
    sheet: str
    columns: dict[str, str]  # key -> header as written in the file
    rows: Iterator[tuple[int, dict[str, Any]]]


@contextmanager
def open_sheet(upload, kind: str) -> Iterator[SheetRows]:
    """Open the workbook and give the sheet of ``kind`` with a stream of (row number, values);
    the workbook is closed when the block ends."""
    from openpyxl import load_workbook

    if hasattr(upload, "seek"):
        upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds of errors on a malformed file; all mean the same here
        raise SheetRejected(_("El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado. "
                              "Ábralo en Excel, guárdelo como XLSX y vuelva a subirlo.")) from None
    try:
        wanted = SHEET_UPDATES if kind == UPDATES else SHEET_TARGETS
        names = _aliases(wanted)
        sheet = next((workbook[name] for name in workbook.sheetnames if _normal(name) in names), None)
        if sheet is None:
            raise SheetRejected(_("El archivo no tiene la hoja «%(s)s». Use la plantilla que descarga de "
                                  "Transversal y no cambie el nombre de las hojas.") % {"s": wanted})
        yield _sheet_rows(sheet, kind, str(wanted))
    finally:
        workbook.close()


def _sheet_rows(sheet, kind: str, name: str) -> SheetRows:
    try:
        rows = _sheet_values(sheet)
        header = next(rows, None) or ()
    except Exception:
        raise _corrupt() from None
    known = _column_map(kind)
    positions: dict[str, int] = {}
    columns: dict[str, str] = {}
    for index, text in enumerate(header):
        column = known.get(_normal(text)) if text is not None else None
        if column is not None and column.key not in positions:
            positions[column.key] = index
            columns[column.key] = str(text).strip()
    missing = [str(c.label) for c in (UPDATE_COLUMNS if kind == UPDATES else TARGET_COLUMNS)
               if c.key in REQUIRED[kind] and c.key not in positions]
    if missing:
        raise SheetRejected(_("A la hoja «%(s)s» le falta la columna %(c)s. No cambie los encabezados de la "
                              "plantilla.") % {"s": name, "c": ", ".join(f"«{m}»" for m in missing)})
    return SheetRows(sheet=name, columns=columns, rows=_stream(rows, positions))


def _sheet_values(sheet) -> Iterator[tuple]:
    """The rows of a read-only sheet as tuples of values: ``sheet.iter_rows(values_only=True,
    max_col=MAX_COLUMNS)``, with openpyxl's own cell parser, only faster on inline strings."""
    parser_class = _cell_parser()
    if parser_class is None or not all(hasattr(sheet, name) for name in _READ_ONLY_PARTS):
        return sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    return _parsed_rows(sheet, parser_class)


def _parsed_rows(sheet, parser_class) -> Iterator[tuple]:
    """What openpyxl's read-only ``iter_rows(values_only=True, max_col=MAX_COLUMNS)`` gives, row
    by row: the same empty rows for rows the file leaves out, the same stop at the sheet's
    declared last row, the same values (openpyxl's parser decodes every cell)."""
    workbook = sheet.parent
    last = sheet.max_row
    empty = (None,) * MAX_COLUMNS
    expected = number = 1  # the next row number to give, and the last one read
    with sheet._get_source() as source:
        parser = parser_class(source, sheet._shared_strings, data_only=workbook.data_only, epoch=workbook.epoch,
                              date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, cells in parser.parse():
            if last is not None and number > last:
                break
            while expected < number:  # rows missing from the file are empty rows
                expected += 1
                yield empty
            if expected <= number:  # a row number seen before, or going back, is skipped
                values = [None] * MAX_COLUMNS
                for cell in cells:
                    if 0 < cell["column"] <= MAX_COLUMNS:
                        values[cell["column"] - 1] = cell["value"]
                expected += 1
                yield tuple(values)
    if last is not None and last < number:
        for _row in range(expected, last + 1):
            yield empty


# What _parsed_rows reads of openpyxl's read-only worksheet besides its parser, and the
# openpyxl series whose internals it was checked against.
_READ_ONLY_PARTS = ("_get_source", "_shared_strings", "max_row", "parent")
_CHECKED_OPENPYXL = "3.1."


@lru_cache(maxsize=1)
def _cell_parser():
    """openpyxl's worksheet parser with a shortcut for plain inline strings.

    openpyxl writes every text of our template as an inline string and decodes each one by
    building rich-text objects: about a third of the time spent reading a template filled in
    and uploaded as is. The shortcut gives the same value without them.

    It builds on openpyxl internals (``WorkSheetParser``, the read-only sheet's source), so it
    is used only with the openpyxl series it was checked against; with any other, None and rows
    come from ``iter_rows`` as before, only slower. The tests compare both ways on the same files.
    """
    import openpyxl

    if not openpyxl.__version__.startswith(_CHECKED_OPENPYXL):
        return None  # pragma: no cover - depends on the installed openpyxl
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag = f"{{{SHEET_MAIN_NS}}}t"

    class CellParser(WorkSheetParser):
        def parse_cell(self, element):
            if element.get("t") == "inlineStr" and self.data_only and not self.rich_text:
                inline = element.find(INLINE_STRING)
                if inline is not None and not inline.attrib and len(inline) == 1 and inline[0].tag == text_tag:
                    return self._plain_text(element, inline[0].text or "")
            return super().parse_cell(element)

        def _plain_text(self, element, text: str) -> dict:
            """<is><t>…</t></is>, one plain run: the cell openpyxl gives (``Text(t=…).content``
            is the run's text), the row and column worked out the same way."""
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            coordinate = element.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            return {"row": row, "column": column, "value": text, "data_type": "s", "style_id": style_id}

    return CellParser


def _corrupt() -> SheetRejected:
    return SheetRejected(_("El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado. "
                           "Ábralo en Excel, guárdelo como XLSX y vuelva a subirlo."))


def _stream(rows, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    blank_run = 0
    count = 0
    number = 1
    try:
        for values in rows:
            number += 1
            record = {key: values[i] if i < len(values) else None for key, i in positions.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in record.values()):
                blank_run += 1
                if blank_run >= BLANK_RUN_END:
                    return
                continue
            blank_run = 0
            count += 1
            if count > MAX_ROWS:
                raise SheetRejected(_("El archivo tiene más de %(n)s filas con datos; divídalo en varios archivos.")
                                    % {"n": format_mx(MAX_ROWS)})
            yield number, record
    except SheetRejected:
        raise
    except Exception:
        raise _corrupt() from None


# Cells -------------------------------------------------------------------------------------

class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_NOT_FINITE = {"nan", "inf", "infinity", "infinito", "-inf", "+inf", "-infinity", "+infinity"}


def parse_number(raw: Any) -> Decimal | None:
    """A number from a cell; None for an empty cell. Raises CellError with a Spanish message."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CellError(_("Escriba un número, no VERDADERO o FALSO."))
    if isinstance(raw, (dt.date, dt.datetime, dt.time, dt.timedelta)):
        raise CellError(_("Escriba un número, no una fecha u hora."))
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(_("El valor debe ser un número finito."))
        # Excel keeps binary floats: 0.1 + 0.2 is 0.30000000000000004. Four decimals are what we store.
        number = Decimal(repr(raw)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            return None
        if text.casefold() in _NOT_FINITE:
            raise CellError(_("El valor debe ser un número finito."))
        if text.startswith("#"):
            raise CellError(_("La celda tiene un error de Excel (%(e)s); escriba un número.") % {"e": text[:12]})
        if not _PLAIN_NUMBER.fullmatch(text):
            raise CellError(_("«%(v)s» no es un número: use punto decimal, sin separador de miles ni símbolos "
                              "(por ejemplo, 1234.5).") % {"v": text[:30]})
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the pattern above admits only valid decimals
            raise CellError(_("«%(v)s» no es un número.") % {"v": text[:30]}) from None
        if number.as_tuple().exponent < -4:
            raise CellError(_("Use como máximo 4 decimales."))
    if abs(number) >= NUMBER_LIMIT:
        raise CellError(_("El número es demasiado grande."))
    return number


def parse_text(raw: Any, limit: int) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(restore_cell(str(raw))).strip()
    if len(text) > limit:
        raise CellError(_("El texto tiene %(n)s caracteres; el máximo es %(m)s.") % {
            "n": format_mx(len(text)), "m": format_mx(limit)})
    return text


def parse_label(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an annual period typed as a number: 2025
    return str(raw).strip().upper() if raw is not None else ""


# Validation --------------------------------------------------------------------------------

@dataclass
class Change:
    """One row that would change something, with what the confirm step needs (JSON-safe)."""

    row: int
    indicator: str
    period: str
    action: str
    before: str
    after: str
    payload: dict

    def as_dict(self) -> dict:
        return {"row": self.row, "indicator": self.indicator, "period": self.period, "action": self.action,
                "before": self.before, "after": self.after}


@dataclass
class Validation:
    kind: str
    sheet: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rows:
    """Shared bookkeeping of one validation pass: the indicators, duplicates and problems.

    What does not change from one row to the next (a code in canonical form, a column's header,
    a period's display) is worked out once and kept here."""

    def __init__(self, institution, indicators: list[Indicator], sheet: SheetRows, kind: str):
        self.institution = institution
        self.by_code = {str(i.code): i for i in indicators}
        self.periods = {(code, p.label): p for code, i in self.by_code.items() for p in i.calendar}
        self.sheet = sheet
        self.result = Validation(kind=kind, sheet=sheet.sheet)
        self.seen: dict[tuple[str, str], int] = {}
        self.words = {"create": _("Nuevo borrador"), "edit": _("Editar borrador"), "none": _("Sin reporte"),
                      "target": _("Cambiar meta")}
        self.codes: dict[str, str] = {}  # a valid code as written (stripped, lower case) -> canonical form
        self.headers: dict[str, str] = {}
        self.displays: dict[str, str] = {}  # period label -> display_of

    def header(self, key: str) -> str:
        if key not in self.headers:
            self.headers[key] = self._header(key)
        return self.headers[key]

    def _header(self, key: str) -> str:
        if key in self.sheet.columns:
            return self.sheet.columns[key]
        for column in (*UPDATE_COLUMNS, *TARGET_COLUMNS, *all_breakdown_columns()):
            if column.key == key:
                return str(column.label)
        return str(BREAKDOWN_LABEL)

    def display(self, period: ReportingPeriod) -> str:
        if period.label not in self.displays:
            self.displays[period.label] = display_of(period)
        return self.displays[period.label]

    def problem(self, row: int, key: str, message: str) -> None:
        self.result.problems.append(Problem(self.sheet.sheet, row, self.header(key), message))

    def locate(self, number: int, record: dict) -> tuple[Indicator, ReportingPeriod] | None:
        raw_code = record.get("code")
        code = str(raw_code).strip().lower() if raw_code is not None else ""
        label = parse_label(record.get("period"))
        if not code:
            self.problem(number, "code", _("Falta la clave del indicador."))
            return None
        written = code
        code = self.codes.get(written)
        if code is None:
            try:
                code = self.codes[written] = str(uuid.UUID(written))
            except ValueError:
                self.problem(number, "code", _("La clave «%(c)s» no es válida: copie la de la plantilla sin "
                                               "cambiarla.") % {"c": written[:40]})
                return None
        indicator = self.by_code.get(code)
        if indicator is None:
            # Another institution's key reads exactly like a missing one (missing and foreign look
            # alike, as everywhere): the sheet must not confirm that an indicator exists elsewhere.
            self.problem(number, "code", _("La clave %(c)s no corresponde a ningún indicador de esta institución.")
                         % {"c": code})
            return None
        period = self.periods.get((code, label))
        if period is None:
            self.problem(number, "period", _("El periodo «%(p)s» no está en el calendario del indicador.")
                         % {"p": label[:20]})
            return None
        first = self.seen.setdefault((code, label), number)
        if first != number:
            self.problem(number, "period", _("Este indicador y periodo ya aparecen en la fila %(n)s.") % {"n": first})
            return None
        return indicator, period

    def finish(self) -> Validation:
        self.result.problems.sort(key=lambda p: (p.row or 0, p.column))
        return self.result


# The column of each refusal update_check names by its code.
_CHECK_COLUMNS = {PERIOD_LOCKED: "period", NOT_EDITABLE: "status", BREAKDOWN: "breakdown"}


def _errors(exc: ValidationError, default: str) -> Iterator[tuple[str, str]]:
    """(column key, message) for each message of a service's ValidationError: a refusal with a
    known code goes to its column, a number's field to its own, anything else to ``default``."""
    groups = exc.error_dict.items() if hasattr(exc, "error_dict") else ((None, exc.error_list),)
    for name, errors in groups:
        for error in errors:
            key = _CHECK_COLUMNS.get(error.code) or (name if name in ("value", "numerator", "denominator") else default)
            for message in error:
                yield key, message


def _show(number: Decimal | None) -> str:
    return format_mx(number) if number is not None else _("(vacío)")  # only for emptied values: rare


def validate_updates(institution, indicators: list[Indicator], sheet: SheetRows) -> Validation:
    """Check every row of the "Avances" sheet; nothing is written."""
    state = _Rows(institution, indicators, sheet, UPDATES)
    for number, record in sheet.rows:
        state.result.rows += 1
        located = state.locate(number, record)
        if located is None:
            continue
        change = _update_row(state, number, record, *located)
        if change is None:
            continue
        state.result.changes.append(change)
    return state.finish()


def _read_update_cells(state: _Rows, number: int, record: dict, indicator: Indicator):
    ok = True
    numbers: dict[str, Decimal | None] = {}
    for key in ("value", "numerator", "denominator"):
        try:
            numbers[key] = parse_number(record.get(key))
        except CellError as exc:
            state.problem(number, key, exc.message)
            ok = False
    texts: dict[str, str] = {}
    for key, limit in (("narrative", NARRATIVE_MAX), ("note", NOTE_MAX)):
        try:
            texts[key] = parse_text(record.get(key), limit)
        except CellError as exc:
            state.problem(number, key, exc.message)
            ok = False
    allowed = indicator.all_disaggregations
    breakdown: dict[str, dict[str, Decimal]] = {}
    for key, raw in record.items():
        if ":" not in key:
            continue
        dimension, category = key.split(":", 1)
        try:
            value = parse_number(raw)
        except CellError as exc:
            state.problem(number, key, exc.message)
            ok = False
            continue
        if value is None:
            continue
        if dimension not in allowed:
            state.problem(number, key, _("La desagregación «%(d)s» no está prevista en la ficha del indicador.")
                          % {"d": Disaggregation(dimension).label})
            ok = False
            continue
        breakdown.setdefault(dimension, {})[category] = value
    return ok, numbers, texts, breakdown


def _update_row(state: _Rows, number: int, record: dict, indicator: Indicator, period: ReportingPeriod):
    ok, numbers, texts, breakdown = _read_update_cells(state, number, record, indicator)
    if not ok:
        return None
    if all(v is None for v in numbers.values()) and not any(texts.values()) and not breakdown:
        return None  # an empty row changes nothing
    try:
        # The value as it would be stored, to tell a row that repeats the current report (even
        # of a closed period or a submitted update) from one that changes it.
        computed = compute_value(indicator.measure, numbers["value"], numbers["numerator"], numbers["denominator"])
    except ValidationError as exc:
        for key, message in _errors(exc, "value"):
            state.problem(number, key, message)
        return None
    current = _current(period)
    if current is not None and (
        current.value == computed and current.numerator == numbers["numerator"]
        and current.denominator == numbers["denominator"] and current.narrative == texts["narrative"]
        and current.disaggregation_note == texts["note"] and _breakdown_of(current) == breakdown
    ):
        state.result.unchanged += 1
        return None
    try:
        computed = update_check(period=period, current=current, value=numbers["value"], numerator=numbers["numerator"],
                                denominator=numbers["denominator"], breakdown=breakdown, note=texts["note"])
    except ValidationError as exc:
        for key, message in _errors(exc, "value"):
            state.problem(number, key, message)
        return None
    payload = {
        "row": number, "indicator": str(indicator.code), "period": period.label,
        "version": current.version if current is not None else None,
        "value": _text(numbers["value"]), "numerator": _text(numbers["numerator"]),
        "denominator": _text(numbers["denominator"]), "narrative": texts["narrative"], "note": texts["note"],
        "breakdown": {d: {c: str(v) for c, v in values.items()} for d, values in breakdown.items()},
    }
    return Change(
        row=number, indicator=indicator.name, period=state.display(period),
        action=state.words["edit" if current is not None else "create"],
        before=_show(current.value) if current is not None else state.words["none"], after=_show(computed),
        payload=payload,
    )


def _text(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def validate_targets(institution, indicators: list[Indicator], sheet: SheetRows) -> Validation:
    """Check every row of the "Metas" sheet; nothing is written."""
    state = _Rows(institution, indicators, sheet, TARGETS)
    for number, record in sheet.rows:
        state.result.rows += 1
        located = state.locate(number, record)
        if located is None:
            continue
        indicator, period = located
        try:
            target = parse_number(record.get("target"))
        except CellError as exc:
            state.problem(number, "target", exc.message)
            continue
        if target == period.target:
            state.result.unchanged += 1
            continue
        if period.locked:
            state.problem(number, "target", _("El periodo %(label)s está cerrado; su meta ya no cambia.")
                          % {"label": period.label})
            continue
        if target is not None:
            try:
                validate_value(indicator.measure, target, field="target")
            except ValidationError as exc:
                for message in exc.messages:
                    state.problem(number, "target", message)
                continue
        state.result.changes.append(Change(
            row=number, indicator=indicator.name, period=state.display(period), action=state.words["target"],
            before=_show(period.target), after=_show(target),
            payload={"row": number, "indicator": str(indicator.code), "period": period.label,
                     "before": _text(period.target), "target": _text(target)},
        ))
    return state.finish()


def validate_upload(institution, upload, filename: str, kind: str) -> Validation:
    """Check the file by content, read the sheet of ``kind`` and validate every row."""
    check_upload(upload, filename)
    indicators = indicator_set(institution)
    validate = validate_updates if kind == UPDATES else validate_targets
    with open_sheet(upload, kind) as sheet:
        return validate(institution, indicators, sheet)


# Writing -------------------------------------------------------------------------------------

class ImportFailed(Exception):
    """The import was not written; ``problems`` say why (a conflict or a row the services refused)."""

    def __init__(self, problems: list[Problem], *, conflict: bool = False):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
        self.conflict = conflict


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@transaction.atomic
def import_apply(*, actor, institution, kind: str, rows: list[dict], filename: str = "") -> int:
    """Write a validated import through the services, all rows or none; return how many rows changed."""
    sheet = str(SHEET_UPDATES if kind == UPDATES else SHEET_TARGETS)
    codes = {row["indicator"] for row in rows}
    periods = {
        (str(p.indicator.code), p.label): p
        for p in ReportingPeriod.objects.select_related("indicator")
        .filter(indicator__owner=institution, indicator__code__in=codes)
    }
    missing = [row for row in rows if (row["indicator"], row["period"]) not in periods]
    if missing:
        raise ImportFailed([Problem(sheet, missing[0]["row"], _("Periodo"),
                                    _("El indicador o el periodo ya no existen."))], conflict=True)
    if kind == TARGETS:
        _apply_targets(actor, sheet, rows, periods)
    else:
        _apply_updates(actor, sheet, rows, periods)
    audit_record(actor=actor, verb="monitoring.sheet_import", target=institution, institution=institution,
                 changes={kind: [None, len(rows)]}, note=filename[:200])
    return len(rows)


def _apply_targets(actor, sheet: str, rows: list[dict], periods: dict) -> None:
    by_indicator: dict[str, list[dict]] = {}
    for row in rows:
        by_indicator.setdefault(row["indicator"], []).append(row)
    for code, group in by_indicator.items():
        indicator = periods[(code, group[0]["period"])].indicator
        now = dict(ReportingPeriod.objects.select_for_update(of=("self",)).filter(indicator=indicator)
                   .values_list("label", "target"))
        for row in group:
            if now.get(row["period"]) != _decimal(row["before"]):
                raise ImportFailed([Problem(sheet, row["row"], _("Meta"), _(
                    "Otra persona cambió esta meta después de la vista previa; no se guardó nada. "
                    "Vuelva a subir el archivo para revisar los valores actuales."))], conflict=True)
        try:
            targets_update(actor=actor, indicator=indicator,
                           targets={row["period"]: _decimal(row["target"]) for row in group})
        except ValidationError as exc:
            raise ImportFailed([Problem(sheet, group[0]["row"], _("Meta"), m)
                                for m in exc.messages]) from None


def _apply_updates(actor, sheet: str, rows: list[dict], periods: dict) -> None:
    for row in rows:
        try:
            update_save(
                actor=actor, period=periods[(row["indicator"], row["period"])], expected_version=row["version"],
                value=_decimal(row["value"]), numerator=_decimal(row["numerator"]),
                denominator=_decimal(row["denominator"]), narrative=row["narrative"],
                breakdown={d: {c: Decimal(v) for c, v in values.items()} for d, values in row["breakdown"].items()},
                disaggregation_note=row["note"],
            )
        except StaleEdit:
            raise ImportFailed([Problem(sheet, row["row"], _("Valor"), _(
                "Otra persona guardó este avance después de la vista previa; no se guardó nada. "
                "Vuelva a subir el archivo para revisar los valores actuales."))], conflict=True) from None
        except ValidationError as exc:
            raise ImportFailed([Problem(sheet, row["row"], _("Valor"), m)
                                for m in exc.messages]) from None
