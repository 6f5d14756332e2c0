"""Any list as an XLSX workbook, streamed row by row to a temporary file.

``queryset_to_xlsx(rows, columns)`` takes any iterable (a queryset already
filtered and shaped by the list's selector, so the export shows exactly what
the page shows) and a list of :class:`Column`. openpyxl's write-only mode keeps
memory flat whatever the number of rows; text typed by people goes through
``core.exports.neutralise_cell`` so a cell can never run as a formula; dates
stay dates (dd/mm/aaaa), numbers stay numbers.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from transversal.core.exports import neutralise_cell

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
NUMBER_FORMAT = "#,##0.####"
MAX_SHEET_TITLE = 31


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 18


def _plain(value: Any) -> tuple[Any, str | None]:
    """The value a cell stores and its number format."""
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value, DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    if isinstance(value, bool):
        return ("Sí" if value else "No"), None
    if isinstance(value, Decimal):
        return (float(value) if value.is_finite() else None), NUMBER_FORMAT
    if isinstance(value, int | float):
        return value, NUMBER_FORMAT
    return neutralise_cell(str(value)), None


def queryset_to_xlsx(
    rows: Iterable[Any], columns: list[Column], *, title: str = "Datos"
) -> IO[bytes]:
    """Write ``rows`` to a new workbook; returns the open temporary file, rewound (the caller
    closes it)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:MAX_SHEET_TITLE])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise_cell(str(column.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value, number_format = _plain(column.value(row))
            cell = WriteOnlyCell(sheet, value=value)
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle
