from __future__ import annotations

import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transversal.planning.ingest import IngestError, extract_text, parse_plan
from transversal.planning.ingest.extract import reflow_pdf_page

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# --- Builders ----------------------------------------------------------------


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_with_footnote(text: str, note: str) -> bytes:
    """A DOCX whose single paragraph ends with footnote 1 (python-docx cannot write one)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    run = document.add_paragraph(text).add_run()
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), "1")
    run._r.append(reference)
    buffer = io.BytesIO()
    document.save(buffer)
    footnotes = (
        f'<w:footnotes xmlns:w="{W_NS}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f'<w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve"> {note}</w:t></w:r>'
        "</w:p></w:footnote>"
        "</w:footnotes>"
    )
    return _add_zip_entry(buffer.getvalue(), "word/footnotes.xml", footnotes.encode())


def _add_zip_entry(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(name, content)
    return out.getvalue()


def _pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def _blank_pdf(password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _error(data: bytes, filename: str, **kwargs) -> IngestError:
    with pytest.raises(IngestError) as caught:
        extract_text(data, filename, **kwargs)
    return caught.value


# --- Plain text --------------------------------------------------------------


def test_it_reads_utf8_text_and_reports_its_hash():
    data = b"Estrategia 1.1 Impulsar la igualdad.\n"

    result = extract_text(data, "plan.txt")

    assert result.kind == "txt"
    assert result.text == "Estrategia 1.1 Impulsar la igualdad.\n"
    assert len(result.sha256) == 64


def test_it_falls_back_to_cp1252_for_old_windows_text():
    result = extract_text("Línea de acción 1.1.1 Capacitar.".encode("cp1252"), "plan.txt")

    assert result.text == "Línea de acción 1.1.1 Capacitar."


def test_it_calls_markdown_what_the_extension_says():
    assert extract_text(b"# Objetivo 1. Igualdad", "plan.md").kind == "md"


def test_it_accepts_a_file_without_extension_by_its_content():
    assert extract_text(b"Objetivo 1. Igualdad", "plan").kind == "txt"


# --- DOCX --------------------------------------------------------------------


def test_it_reads_docx_paragraphs_and_table_cells_in_order():
    data = _docx(
        ["Objetivo 1. Lograr la igualdad sustantiva", "Estrategia 1.1 Impulsar la autonomía"],
        table=[["Línea de acción 1.1.1", "Capacitar al personal del servicio público."]],
    )

    result = extract_text(data, "plan.docx")

    assert result.kind == "docx"
    assert result.text.split("\n") == [
        "Objetivo 1. Lograr la igualdad sustantiva",
        "Estrategia 1.1 Impulsar la autonomía",
        "Línea de acción 1.1.1",
        "Capacitar al personal del servicio público.",
    ]
    assert result.footnotes == {}


def test_a_docx_plan_goes_through_the_parser_with_its_hierarchy():
    data = _docx(
        [
            "Objetivo 1. Lograr la igualdad sustantiva",
            "Estrategia 1.1 Impulsar la autonomía económica",
            "Línea de acción 1.1.1 Otorgar créditos a mujeres emprendedoras.",
        ]
    )

    plan = parse_plan(extract_text(data, "plan.docx").text)

    [objective] = plan.items
    [strategy] = objective.children
    [action] = strategy.children
    assert (objective.code, objective.level) == ("1", "objective")
    assert (strategy.code, strategy.level) == ("1.1", "strategy")
    assert (action.code, action.level, action.text) == (
        "1.1.1",
        "action_line",
        "Otorgar créditos a mujeres emprendedoras.",
    )


def test_it_marks_docx_footnote_references_and_returns_their_bodies():
    data = _docx_with_footnote("2.1.1 Crear mecanismos de participación.", "PED 2022-2027, p. 5.")

    result = extract_text(data, "plan.docx")

    assert result.text == "2.1.1 Crear mecanismos de participación.[footnoteRef:1]"
    assert result.footnotes == {"1": "PED 2022-2027, p. 5."}
    [item] = parse_plan(result.text, result.footnotes).items
    assert (item.text, item.note) == ("Crear mecanismos de participación.", "PED 2022-2027, p. 5.")


def test_it_rejects_a_zip_bomb_disguised_as_docx_before_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))

    error = _error(buffer.getvalue(), "plan.docx")

    assert error.code == "zip_bomb"
    assert "comprimido" in error.message


def test_it_rejects_a_docx_with_too_many_entries():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<x/>")
        for index in range(2001):
            archive.writestr(f"word/media/{index}.bin", b"")

    assert _error(buffer.getvalue(), "plan.docx").code == "zip_bomb"


def test_it_reports_a_corrupted_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<not xml")

    error = _error(buffer.getvalue(), "plan.docx")

    assert error.code == "corrupted"
    assert "dañado" in error.message


def test_it_rejects_a_plain_zip_named_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("datos.csv", b"a,b")

    assert _error(buffer.getvalue(), "plan.docx").code == "corrupted"


# --- PDF ---------------------------------------------------------------------


def test_it_reads_a_pdf_text_layer_and_rejoins_a_wrapped_item():
    from pypdf import PdfReader

    item = "1.1.1 Impulsar mecanismos para el empoderamiento socioeconómico de las mujeres."
    data = _pdf_from_html(
        f'<html lang="es"><body style="width: 8cm"><p>Estrategias:</p><p>{item}</p>'
        "<p>Párrafo siguiente.</p></body></html>"
    )
    raw = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert item not in raw  # the layout really wrapped the item

    result = extract_text(data, "plan.pdf")

    assert result.kind == "pdf"
    assert result.text.split("\n") == ["Estrategias:", item, "Párrafo siguiente."]


def test_it_undoes_hyphenation_and_drops_page_numbers():
    page = "Fortalecer la coordina-\nción interinstitucional\nen el estado.\n12"

    assert reflow_pdf_page(page) == "Fortalecer la coordinación interinstitucional en el estado."


def test_it_keeps_item_lines_apart_when_reflowing():
    page = "Estrategias\n1.1 Impulsar la autonomía\n1.2 Prevenir la violencia"

    assert reflow_pdf_page(page).split("\n") == [
        "Estrategias",
        "1.1 Impulsar la autonomía",
        "1.2 Prevenir la violencia",
    ]


def test_it_rejects_a_password_protected_pdf():
    error = _error(_blank_pdf(password="secreto"), "plan.pdf")

    assert error.code == "encrypted"
    assert error.message.startswith("El PDF está protegido con contraseña")


def test_it_rejects_a_pdf_without_a_text_layer():
    error = _error(_blank_pdf(), "escaneo.pdf")

    assert error.code == "no_text_layer"
    assert error.message.startswith("El PDF no contiene texto seleccionable")


def test_it_reports_random_bytes_named_pdf_as_not_a_pdf():
    error = _error(random.Random(0).randbytes(4096), "plan.pdf")

    assert error.code == "corrupted"
    assert "PDF" in error.message


def test_it_reports_a_truncated_pdf_as_corrupted():
    assert _error(b"%PDF-1.7\n1 0 obj << /Type /Catalog", "plan.pdf").code == "corrupted"


# --- Guards ------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\t "])
def test_it_rejects_an_empty_file(data):
    error = _error(data, "plan.txt")

    assert (error.code, error.message) == ("empty", "El archivo está vacío.")


def test_it_rejects_a_file_over_the_size_limit():
    error = _error(b"x" * 11, "plan.txt", max_bytes=10)

    assert error.code == "too_large"
    assert "demasiado grande" in error.message


def test_it_rejects_an_extension_that_contradicts_the_content():
    error = _error(_docx(["Objetivo 1. Igualdad"]), "plan.pdf")

    assert error.code == "type_mismatch"
    assert "PDF" in error.message and "Word" in error.message


def test_it_rejects_text_named_as_pdf():
    assert _error(b"Objetivo 1. Igualdad", "plan.pdf").code == "type_mismatch"


@pytest.mark.parametrize("filename", ["plan.xlsx", "plan.doc", "foto.png"])
def test_it_rejects_unsupported_types(filename):
    assert _error(b"Objetivo 1. Igualdad", filename).code == "unsupported"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2048),
        st.binary(max_size=512).map(lambda tail: b"%PDF-1.4\n" + tail),
        st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    filename=st.sampled_from(["a.pdf", "a.docx", "a.txt", "a.md", "a", "a.exe"]),
)
def test_it_never_fails_with_anything_but_an_ingest_error(data, filename):
    try:
        result = extract_text(data, filename)
    except IngestError as error:
        assert error.code and error.message
    else:
        assert result.kind in ("docx", "pdf", "txt", "md")
