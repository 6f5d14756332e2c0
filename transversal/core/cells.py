"""Cells of an uploaded spreadsheet or CSV read as people type them: numbers (as on the forms,
``core.numbers``) and texts, each refused with a Spanish message (``CellError``). Shared by
every import (progress reports, gender statistics)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from transversal.core.exports import restore_cell
from transversal.core.numbers import NumberError, parse_decimal
from transversal.core.templatetags.transversal import format_mx

FOUR_PLACES = Decimal("0.0001")


def blank(value: Any) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def data_rows(
    rows: Iterable[tuple],
    *,
    max_rows: int,
    blank_run_end: int,
    rejected: type[Exception],
    corrupt: Callable[[], Exception],
) -> Iterator[tuple[int, tuple]]:
    """The rows of a sheet below its header, each with its number as the spreadsheet shows it
    (the header is row 1). Empty rows are skipped; a run of ``blank_run_end`` of them ends the
    data (sheets often carry formatted, empty rows). More than ``max_rows`` rows with data raise
    ``rejected`` with a Spanish message; any error reading the rows raises ``corrupt()``. Shared
    by the progress import and the registers import."""
    blank_run = count = 0
    number = 1
    try:
        for values in rows:
            number += 1
            if all(blank(v) for v in values):
                blank_run += 1
                if blank_run >= blank_run_end:
                    return
                continue
            blank_run = 0
            count += 1
            if count > max_rows:
                raise rejected(
                    _("El archivo tiene más de %(n)s filas con datos; divídalo en varios archivos.")
                    % {"n": format_mx(max_rows)}
                )
            yield number, values
    except rejected:
        raise
    except Exception:
        raise corrupt() from None


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FileRejected(Exception):
    """The file cannot be read as the import's template; ``message`` is for the person. Raised
    by the registers and gender-statistics imports."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """A problem of one row (and column) of an imported file; ``row`` None for the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Fila %(r)s: %(m)s") % {"r": self.row, "m": self.message}
        return _("Fila %(r)s, columna «%(c)s»: %(m)s") % {
            "r": self.row,
            "c": self.column,
            "m": self.message,
        }

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


_NOT_FINITE = {"nan", "inf", "infinity", "infinito", "-inf", "+inf", "-infinity", "+infinity"}


def parse_number(raw: Any, *, limit: Decimal) -> Decimal | None:
    """A number from a cell, below ``limit`` in size and with at most four decimals; None for an
    empty cell. Raises CellError with a Spanish message."""
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
        # Excel keeps binary floats: 0.1 + 0.2 is 0.30000000000000004. Four decimals are what we
        # store.
        number = Decimal(repr(raw)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    else:
        text = str(restore_cell(str(raw))).strip()
        if not text:
            return None
        if text.casefold() in _NOT_FINITE:
            raise CellError(_("El valor debe ser un número finito."))
        if text.startswith("#"):
            raise CellError(
                _("La celda tiene un error de Excel (%(e)s); escriba un número.") % {"e": text[:12]}
            )
        # A number typed as text reads as on the forms: "1,234.5" and "1 234.5" are one thousand
        # two hundred thirty-four and a half; a decimal comma ("1,20") is refused, not guessed.
        try:
            number = parse_decimal(text)
        except NumberError as error:
            raise CellError(error.message) from None
        if number.as_tuple().exponent < -4:
            raise CellError(_("Use como máximo 4 decimales."))
    if abs(number) >= limit:
        raise CellError(_("El número es demasiado grande."))
    return number


def parse_text(raw: Any, limit: int, *, fold_spaces: bool = False) -> str:
    """A text from a cell, at most ``limit`` characters (a whole number typed in a text column
    reads without ".0"); with ``fold_spaces``, runs of spaces and line breaks become one space
    and NUL bytes go."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(restore_cell(str(raw)))
    text = " ".join(text.replace("\x00", "").split()) if fold_spaces else text.strip()
    if len(text) > limit:
        raise CellError(
            _("El texto tiene %(n)s caracteres; el máximo es %(m)s.")
            % {"n": format_mx(len(text)), "m": format_mx(limit)}
        )
    return text
