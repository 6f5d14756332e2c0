"""Helpers shared by every file Transversal hands out (XLSX workbooks, CSV exports).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula, and a tab or carriage return in front hides the same trick (CSV
injection, OWASP). Text typed by people (indicator names, narratives) goes
through :func:`neutralise_cell` before it is written to any cell.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def neutralise_cell(value: Any) -> Any:
    """The value as a spreadsheet must store it: text that would start a formula gets a
    leading apostrophe, so it is shown and kept as text; anything else is unchanged."""
    if is_formula_like(value):
        return TEXT_MARK + value
    return value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` on a value read back from a file we produced."""
    if isinstance(value, str) and value.startswith(TEXT_MARK) and is_formula_like(value[1:]):
        return value[1:]
    return value
