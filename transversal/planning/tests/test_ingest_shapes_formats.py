"""Each shape fixture read back from Word and PDF holds the same recall and precision.

Planning units rarely have plain text: the fixtures are written into a DOCX (one
paragraph per line) and a PDF (one paragraph per line, laid out by WeasyPrint) and read
through `extract_text` as an upload would be.
"""

from __future__ import annotations

import html
import io

import pytest

from transversal.planning.ingest import extract_text
from transversal.planning.ingest.extract import reflow_pdf_page

from .ingest_shapes import PLAN_ITEMS, PROFILE_FACTS, fixture_text, score_fixture

RECALL = 0.95
PRECISION = 0.9
NAMES = sorted([*PLAN_ITEMS, *PROFILE_FACTS])


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(
        f"<p>{html.escape(line)}</p>" if line.strip() else "<p>&nbsp;</p>"
        for line in text.split("\n")
    )
    style = "<style>@page{size:A4;margin:2cm} p{margin:0;font-size:10pt}</style>"
    return HTML(string=f"<html><head>{style}</head><body>{paragraphs}</body></html>").write_pdf()


@pytest.mark.parametrize("name", NAMES)
def test_each_shape_read_from_a_word_document_scores_as_the_plain_text(name):
    extracted = extract_text(_docx(fixture_text(name)), name.replace(".txt", ".docx"))

    score = score_fixture(name, extracted.text)

    assert score.recall >= RECALL, str(score)
    assert score.precision >= PRECISION, str(score)


@pytest.mark.parametrize("name", NAMES)
def test_each_shape_read_from_a_pdf_scores_as_the_plain_text(name):
    extracted = extract_text(_pdf(fixture_text(name)), name.replace(".txt", ".pdf"))

    score = score_fixture(name, extracted.text)

    assert score.recall >= RECALL, str(score)
    assert score.precision >= PRECISION, str(score)


# --- PDF reflow of the shapes -------------------------------------------------------

_WIDE = "Texto de referencia que ocupa todo el ancho de la página en este documento"


def test_a_full_width_heading_keeps_apart_from_the_paragraph_below_it():
    page = f"{_WIDE}\n4.1 Justificación del Objetivo 1 – Crear un sistema estatal de cuidados\n"
    page += "Durante años el cuidado se resolvió dentro de los hogares."

    assert reflow_pdf_page(page).split("\n")[1:] == [
        "4.1 Justificación del Objetivo 1 – Crear un sistema estatal de cuidados",
        "Durante años el cuidado se resolvió dentro de los hogares.",
    ]


def test_a_heading_cut_after_a_little_word_goes_on_in_capitals():
    page = f"{_WIDE}\nObjetivo 2.1 Coordinar las acciones de prevención junto con la\n"
    page += "Secretaría de Salud."

    assert reflow_pdf_page(page).split("\n")[1:] == [
        "Objetivo 2.1 Coordinar las acciones de prevención junto con la Secretaría de Salud."
    ]


def test_roman_lettered_and_page_led_lines_start_lines_of_their_own():
    page = "Objetivo Específico 1.1 Sancionar la exigencia\na) Revisar los reglamentos.\n"
    page += "I. Diagnóstico\n14 EJE 1: Autonomía\n6.1.- Relevancia del Objetivo prioritario 1: X"

    assert len(reflow_pdf_page(page).split("\n")) == 5


def test_a_line_is_measured_as_printed_not_as_joined_to_the_lines_before_it():
    page = f"{_WIDE}.\nEjes rectores del plan estatal de desarrollo\ny de sus programas\n"
    page += "Principios del plan"

    # Joined, the first two lines are as wide as the page; the second alone is short.
    assert reflow_pdf_page(page).split("\n")[1:] == [
        "Ejes rectores del plan estatal de desarrollo y de sus programas",
        "Principios del plan",
    ]
