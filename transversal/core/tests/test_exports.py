"""Tests for what every exported cell goes through (core/exports.py) and for the writers that
use it: the XLSX lists (reports/xlsx.py), the open-data CSV (portal/datasets.py) and the plan
coverage workbook (planning/views.py)."""

from __future__ import annotations

import csv
import io
import unicodedata

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from transversal.core.exports import (
    FORMULA_PREFIXES,
    cell_text,
    is_formula_like,
    neutralise_cell,
    restore_cell,
)
from transversal.core.text import BIDI_CONTROLS

# Bidirectional controls: embeddings and overrides, isolates, marks, the Arabic letter mark.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Characters that NFKC turns into a formula trigger: full-width, small and super/subscript
# forms of = + - @.
LOOKALIKES = "\uff1d\ufe66\u207c\u208c\uff0b\ufe62\u207a\u208a\uff0d\ufe63\uff20\ufe6b\u2a75"

# Text as people type it, with the characters this module cares about made likely (text()
# with such an alphabet almost never draws them, so the characters are drawn one by one).
TEXT = st.lists(
    st.one_of(st.characters(codec="utf-8"), st.sampled_from(BIDI + LOOKALIKES + "=+-@\t\r'"))
).map("".join)


def starts_like_a_formula(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).startswith(FORMULA_PREFIXES)


# ---------------------------------------------------------------------------
# neutralise_cell and restore_cell
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Mujeres capacitadas", "Mujeres capacitadas"),
        ("Índice de paridad", "Índice de paridad"),
        ('=HYPERLINK("http://ejemplo.invalid")', '\'=HYPERLINK("http://ejemplo.invalid")'),
        ("-2+3", "'-2+3"),
        (
            '\uff1dHYPERLINK("http://ejemplo.invalid")',
            '\'\uff1dHYPERLINK("http://ejemplo.invalid")',
        ),
        ("\ufe66SUMA(A1)", "'\ufe66SUMA(A1)"),
        ("\uff0b1", "'\uff0b1"),
        ("\ufe621", "'\ufe621"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUMA(A1)", "'\uff20SUMA(A1)"),
        ("\u202e=1+1", "'=1+1"),
        ("Informe \u202etxt.exe", "Informe txt.exe"),
        ("\u2066الإجمالي\u2069 12", "الإجمالي 12"),
        # LibreOffice 7.4 reads a cell starting with U+2212 MINUS SIGN as text, and NFKC keeps
        # it, so a proper minus in a narrative is left alone.
        ("\u22125 % respecto de 2024", "\u22125 % respecto de 2024"),
        ("Línea\x0bcon\x01controles", "Líneaconcontroles"),
        ("'=1", "''=1"),
    ],
)
def test_neutralise_cell_examples(typed, written):
    assert neutralise_cell(typed) == written


def test_neutralise_cell_leaves_numbers_dates_and_none_alone():
    assert (
        neutralise_cell(-5) == -5 and neutralise_cell(None) is None and neutralise_cell(2.5) == 2.5
    )


def test_a_full_width_equals_sign_is_formula_like():
    assert is_formula_like("\uff1d1+1") and not is_formula_like("1\uff1d1")


@settings(max_examples=500)
@given(TEXT)
def test_no_neutralised_cell_starts_a_formula_even_after_nfkc(typed):
    assert not starts_like_a_formula(neutralise_cell(typed))


@settings(max_examples=500)
@given(TEXT)
def test_no_neutralised_cell_keeps_a_bidi_control(typed):
    assert not set(neutralise_cell(typed)) & set(BIDI)


@settings(max_examples=500)
@given(TEXT)
def test_restore_cell_reads_back_what_neutralise_cell_wrote(typed):
    """Our own sheets come back as typed, less the bidirectional and control characters."""
    assert restore_cell(neutralise_cell(typed)) == cell_text(typed)


@pytest.mark.parametrize("typed", ["'=1", "''+1", "'\uff1d1", "'", "'texto"])
def test_text_that_already_starts_with_an_apostrophe_comes_back_unchanged(typed):
    assert restore_cell(neutralise_cell(typed)) == typed


def test_the_bidi_controls_are_the_twelve_unicode_lists():
    """Unicode's Bidi_Control property: U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069."""
    assert BIDI_CONTROLS == frozenset(BIDI)


# ---------------------------------------------------------------------------
# The writers
# ---------------------------------------------------------------------------


def workbook_strings(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_no_xlsx_list_cell_is_a_formula_or_carries_a_bidi_control(texts):
    from transversal.reports.xlsx import Column, queryset_to_xlsx

    columns = [Column("Nombre", lambda row: row), Column("=Encabezado\u202e", lambda row: row)]
    handle = queryset_to_xlsx(texts, columns)
    cells = workbook_strings(handle.read())
    handle.close()

    for cell in cells:
        assert cell.data_type != "f"
        if isinstance(cell.value, str):
            assert not starts_like_a_formula(cell.value)
            assert not set(cell.value) & set(BIDI)


@settings(max_examples=300)
@given(TEXT)
def test_no_open_data_csv_cell_starts_a_formula_or_carries_a_bidi_control(typed):
    from transversal.portal.datasets import CELL_WRITERS, csv_cell

    [row] = list(csv.reader(io.StringIO(CELL_WRITERS["string"](typed) + ",fin", newline="")))
    for cell in (row[0], csv_cell(typed, "string")):
        assert not starts_like_a_formula(cell)
        assert not set(cell) & set(BIDI)


@pytest.mark.django_db
def test_the_plan_coverage_workbook_neutralises_what_people_typed(client_for, durango):
    from transversal.planning.tests.factories import make_plan

    texts = {
        "1": '=HYPERLINK("http://ejemplo.invalid","clic")',
        "2": "\uff1dSUMA(A1)",
        "3": "Informe \u202etxt.exe",
    }
    plan = make_plan(durango, codes=tuple(texts), texts=texts, publish=True)

    response = client_for(None).get(reverse("planning:coverage_xlsx", args=[plan.code]))

    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    written = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert written == {
        "1": "'" + texts["1"],
        "2": "'\uff1dSUMA(A1)",
        "3": "Informe txt.exe",
    }


@pytest.mark.django_db
def test_a_plan_document_is_downloaded_under_a_name_without_bidi_controls(
    client_for, durango, editor
):
    """The ingest_plan command stores a file's own name, which upload checks never saw."""
    from transversal.planning.ingest import DraftItem, DraftPlan
    from transversal.planning.services import plan_create_from_draft

    plan = plan_create_from_draft(
        actor=None,
        institution=durango,
        kind="institutional_program",
        draft=DraftPlan(
            "Programa", 2025, 2030, [DraftItem(code="1", level="objective", text="Objetivo")]
        ),
        source=b"Programa Institucional\n",
        source_name="programa\u202etxt.exe",
    )

    response = client_for(editor).get(reverse("planning:source", args=[plan.code]))

    disposition = response["Content-Disposition"]
    assert "programatxt.exe" in disposition
    assert "%E2%80%AE" not in disposition.upper() and "\u202e" not in disposition
