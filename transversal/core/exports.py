"""Helpers shared by every file Transversal hands out (XLSX workbooks, CSV exports).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as
a formula, and a tab or carriage return in front hides the same trick (CSV
injection, OWASP). The same signs in their full-width, small, superscript and
subscript forms (``＝``, ``﹦``, ``＋``, ``﹢``, ``－``, ``＠``…) become them under
Unicode NFKC normalisation, which some programs and input methods apply, so they
count too. Text typed by people (indicator names, narratives) goes through
:func:`neutralise_cell` before it is written to any cell.

A cell also loses its bidirectional controls (right-to-left overrides, isolates
and marks): they change how the text is shown, not what it says, and can make
"txt.exe" read as "exe.txt". Free text is cleaned of them when it is typed
(``core.text.clean_text``), but that leaves alone what was stored before and the
fields that do not pass through it, so they are removed again on the way out.
So are the control characters an XLSX file cannot hold (all below U+0020 but
tab, line feed and carriage return), which would otherwise stop the export.

LibreOffice 7.4, asked to evaluate formulas when opening a CSV, only takes a
plain ``=`` as the start of one; the minus sign U+2212, which NFKC keeps as it
is, is read as text and left alone here.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from transversal.core.text import BIDI_CONTROLS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
_FORMULA_STARTS = frozenset(FORMULA_PREFIXES)
# What a cell drops: the bidirectional controls, and what openpyxl refuses to write (XML 1.0
# forbids these control characters). One pattern, so ordinary text is scanned once.
_DROPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def is_formula_like(value: Any) -> bool:
    """Whether a spreadsheet could take the text for a formula, reading it as it is or after
    NFKC normalisation (only the first character matters: NFKC never moves a sign from
    later in the text to the front)."""
    if not isinstance(value, str) or not value:
        return False
    first = value[0]
    if first in _FORMULA_STARTS:
        return True
    return not first.isascii() and unicodedata.normalize("NFKC", first)[:1] in _FORMULA_STARTS


def cell_text(text: str) -> str:
    """Text as every cell shows it: without bidirectional controls nor the control
    characters an XLSX file cannot hold."""
    return _DROPPED.sub("", text) if _DROPPED.search(text) else text


def _needs_mark(text: str) -> bool:
    # Text that already starts with apostrophes before a formula sign gets one more, so
    # that restore_cell, which takes one off, gives it back as it was.
    return is_formula_like(text.lstrip(TEXT_MARK) if text[:1] == TEXT_MARK else text)


def neutralise_cell(value: Any) -> Any:
    """The value as a spreadsheet must store it: text is cleaned by :func:`cell_text`, and
    text that would start a formula gets a leading apostrophe, so it is shown and kept as
    text; anything else is unchanged."""
    if not isinstance(value, str):
        return value
    # Inlined: this runs for every text cell of every export.
    if _DROPPED.search(value):
        value = _DROPPED.sub("", value)
    first = value[:1]
    if first in _FORMULA_STARTS:
        return TEXT_MARK + value
    if (first == TEXT_MARK or not first.isascii()) and _needs_mark(value):
        return TEXT_MARK + value
    return value


def restore_cell(value: Any) -> Any:
    """Undo :func:`neutralise_cell` on a value read back from a file we produced (what
    :func:`cell_text` removed is gone for good)."""
    if isinstance(value, str) and value.startswith(TEXT_MARK) and _needs_mark(value[1:]):
        return value[1:]
    return value
