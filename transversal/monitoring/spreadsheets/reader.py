"""Reading an uploaded workbook: the file checked by content, the sheet streamed as rows, cells
parsed.

``open_sheet`` streams a sheet of an uploaded workbook (openpyxl read-only, cached values
only, never formulas) into plain dictionaries keyed by column; ``parse_number``,
``parse_text`` and ``parse_label`` turn a cell into what the checks compare, or raise
``CellError`` with a Spanish message.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from transversal.core import cells
from transversal.core.uploads import MB, UploadRejected, inspect_upload
from transversal.monitoring.spreadsheets.template import (
    NUMBER_LIMIT,
    REQUIRED,
    SHEET_TARGETS,
    SHEET_UPDATES,
    TARGET_COLUMNS,
    UPDATE_COLUMNS,
    UPDATES,
    Column,
    all_breakdown_columns,
)

MAX_UPLOAD_BYTES = 10 * MB
MAX_ROWS = 20_000
MAX_COLUMNS = 120
# A run of this many empty rows ends the data: sheets often carry formatted, empty rows.
BLANK_RUN_END = 500


# Reading an upload -----------------------------------------------------------------------


class SheetRejected(Exception):
    """The upload is not a workbook we can read; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    except (
        Exception
    ):  # openpyxl raises many kinds of errors on a malformed file; all mean the same here
        raise SheetRejected(
            _(
                "El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado. "
                "Ábralo en Excel, guárdelo como XLSX y vuelva a subirlo."
            )
        ) from None
    try:
        wanted = SHEET_UPDATES if kind == UPDATES else SHEET_TARGETS
        names = _aliases(wanted)
        sheet = next(
            (workbook[name] for name in workbook.sheetnames if _normal(name) in names), None
        )
        if sheet is None:
            raise SheetRejected(
                _(
                    "El archivo no tiene la hoja «%(s)s». Use la plantilla que descarga de "
                    "Transversal y no cambie el nombre de las hojas."
                )
                % {"s": wanted}
            )
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
    missing = [
        str(c.label)
        for c in (UPDATE_COLUMNS if kind == UPDATES else TARGET_COLUMNS)
        if c.key in REQUIRED[kind] and c.key not in positions
    ]
    if missing:
        raise SheetRejected(
            _(
                "A la hoja «%(s)s» le falta la columna %(c)s. No cambie los encabezados de la "
                "plantilla."
            )
            % {"s": name, "c": ", ".join(f"«{m}»" for m in missing)}
        )
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
        parser = parser_class(
            source,
            sheet._shared_strings,
            data_only=workbook.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
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
                if (
                    inline is not None
                    and not inline.attrib
                    and len(inline) == 1
                    and inline[0].tag == text_tag
                ):
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
            return {
                "row": row,
                "column": column,
                "value": text,
                "data_type": "s",
                "style_id": style_id,
            }

    return CellParser


def _corrupt() -> SheetRejected:
    return SheetRejected(
        _(
            "El archivo no se pudo leer como hoja de cálculo de Excel: puede estar dañado. "
            "Ábralo en Excel, guárdelo como XLSX y vuelva a subirlo."
        )
    )


def _stream(rows, positions: dict[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    # Only the known columns count: a row with text in an unknown column alone is empty.
    known = (
        tuple(values[i] if i < len(values) else None for i in positions.values()) for values in rows
    )
    for number, values in cells.data_rows(
        known,
        max_rows=MAX_ROWS,
        blank_run_end=BLANK_RUN_END,
        rejected=SheetRejected,
        corrupt=_corrupt,
    ):
        yield number, dict(zip(positions, values, strict=True))


# Cells -------------------------------------------------------------------------------------


def parse_number(raw: Any) -> Decimal | None:
    """A number from a cell, within what the models store (``core.cells.parse_number``)."""
    return cells.parse_number(raw, limit=NUMBER_LIMIT)


def parse_label(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an annual period typed as a number: 2025
    return str(raw).strip().upper() if raw is not None else ""
