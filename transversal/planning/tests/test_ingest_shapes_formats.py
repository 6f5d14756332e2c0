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
