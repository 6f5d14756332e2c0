"""Word files start as Spanish documents: Word checks their spelling in es-MX and their
properties carry no word of the library that wrote them."""

from __future__ import annotations

import io
import zipfile

from transversal.core.wordfiles import new_document


def parts(document) -> dict[str, str]:
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {
            name: archive.read(name).decode() for name in ("word/styles.xml", "docProps/core.xml")
        }


def test_a_new_document_is_in_mexican_spanish_with_its_title():
    files = parts(new_document("Reporte nacional · 2025"))
    assert '<w:lang w:val="es-MX" w:bidi="es-MX"/>' in files["word/styles.xml"]
    assert "en-US" not in files["word/styles.xml"]
    core = files["docProps/core.xml"]
    assert "<dc:title>Reporte nacional · 2025</dc:title>" in core
    assert "<dc:language>es-MX</dc:language>" in core
    assert "python-docx" not in core


def test_its_text_is_liberation_sans_at_the_size_asked():
    document = new_document("Acta", font_pt=9)
    assert document.styles["Normal"].font.name == "Liberation Sans"
    assert document.styles["Normal"].font.size.pt == 9
