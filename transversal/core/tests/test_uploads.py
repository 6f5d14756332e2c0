"""Tests for upload validation; every fixture is generated here."""

from __future__ import annotations

import hashlib
import io
import random
import zipfile
import zlib

import docx
import openpyxl
import pydyf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from transversal.core.uploads import (
    CHUNK_SIZE,
    DOCUMENT_KINDS,
    EVIDENCE_KINDS,
    MB,
    UploadInfo,
    UploadRejected,
    ZipLimits,
    inspect_upload,
    safe_filename,
)
from transversal.testing import blank_pdf

LIMIT = 10 * MB
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def inspect(data, filename, *, allowed=EVIDENCE_KINDS, max_bytes=LIMIT, **kwargs) -> UploadInfo:
    return inspect_upload(data, filename, allowed=allowed, max_bytes=max_bytes, **kwargs)


def rejection(data, filename, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect(data, filename, **kwargs)
    return caught.value


# ---------------------------------------------------------------------------
# Fixture builders
# ---------------------------------------------------------------------------


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (128, 0, 128)).save(out, format=fmt)
    return out.getvalue()


def handmade_pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def pypdf_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(text: str = "Informe de avance") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Indicador", "Valor"])
    workbook.active.append(["Mujeres capacitadas", 120])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def odf_bytes(mimetype: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return out.getvalue()


def pptx_bytes() -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"}
    )


def zeros_bomb(main_part: str, megabytes: int) -> bytes:
    """An OOXML-looking archive whose main part is a long run of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(main_part, "w") as member:
            block = bytes(MB)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


def encrypt_flag(archive: bytes) -> bytes:
    """Set the 'encrypted' bit on every member, as a password tool would."""
    data = bytearray(archive)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x01
            start = data.find(signature, start + 4)
    return bytes(data)


@pytest.fixture(scope="module")
def huge_docx_bomb() -> bytes:
    return zeros_bomb("word/document.xml", 210)


# ---------------------------------------------------------------------------
# Accepted files
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("builder", "filename", "kind", "mime"),
    [
        (lambda: image_bytes("PNG"), "foto.png", "png", "image/png"),
        (lambda: image_bytes("JPEG"), "foto.jpg", "jpeg", "image/jpeg"),
        (lambda: image_bytes("JPEG"), "foto.JPEG", "jpeg", "image/jpeg"),
        (lambda: image_bytes("GIF"), "foto.gif", "gif", "image/gif"),
        (lambda: image_bytes("WEBP"), "foto.webp", "webp", "image/webp"),
        (handmade_pdf, "acta.pdf", "pdf", "application/pdf"),
        (pypdf_pdf, "acta.pdf", "pdf", "application/pdf"),
        (
            docx_bytes,
            "informe.docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            xlsx_bytes,
            "datos.xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            lambda: odf_bytes("application/vnd.oasis.opendocument.text"),
            "informe.odt",
            "odt",
            "application/vnd.oasis.opendocument.text",
        ),
        (
            lambda: odf_bytes("application/vnd.oasis.opendocument.spreadsheet"),
            "datos.ods",
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        (lambda: "Texto con acentos: áéíóú ñ\n".encode(), "notas.txt", "txt", "text/plain"),
        (lambda: b"municipio,mujeres\nDurango,12\nLerdo,3\n", "datos.csv", "csv", "text/csv"),
    ],
)
def test_it_accepts_each_evidence_kind(builder, filename, kind, mime):
    content = builder()

    info = inspect(content, filename)

    assert info == UploadInfo(
        kind=kind,
        mime_type=mime,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        filename=filename,
    )


def test_it_accepts_a_csv_with_a_bom_and_semicolons():
    content = "\ufeffmunicipio;mujeres\r\nCanatlán;5\r\nGómez Palacio;8\r\n".encode()

    assert inspect(content, "datos.csv").kind == "csv"


def test_it_accepts_a_csv_with_quoted_delimiters_and_newlines():
    content = b'nombre,nota\n"Ortiz, Ana","dijo ""s\xc3\xad""\ny sigui\xc3\xb3"\nLuz,ok\n'

    assert inspect(content, "datos.csv").kind == "csv"


def test_it_accepts_a_single_column_csv():
    assert inspect(b"municipio\nDurango\nLerdo\n", "municipios.csv").kind == "csv"


def test_it_accepts_markdown_as_a_plan_document():
    content = "# Programa Estatal\n\n## Objetivo 1\n\nLínea de acción 1.1\n".encode()

    info = inspect(content, "programa.md", allowed=DOCUMENT_KINDS)

    assert (info.kind, info.mime_type) == ("md", "text/markdown")


def test_it_reads_a_django_uploaded_file_in_chunks():
    upload = SimpleUploadedFile("informe.docx", docx_bytes())

    assert inspect(upload, upload.name).kind == "docx"


def test_it_reads_a_plain_binary_file_and_rewinds_it():
    stream = io.BytesIO(handmade_pdf())
    stream.seek(5)

    info = inspect(stream, "acta.pdf")

    assert info.size == len(handmade_pdf())
    assert stream.tell() == 0


def test_it_accepts_a_file_exactly_at_the_limit():
    content = b"a" * 1000

    assert inspect(content, "a.txt", max_bytes=1000).size == 1000


def test_it_appends_the_real_extension_when_the_name_has_none():
    assert inspect(handmade_pdf(), "acta de sesión").filename == "acta de sesión.pdf"


def test_it_appends_the_real_extension_to_an_unknown_one():
    assert inspect(image_bytes("PNG"), "captura.final").filename == "captura.final.png"


def test_it_keeps_the_accents_of_the_name():
    info = inspect(handmade_pdf(), "Programa Estatal de Igualdad – Año 2025.pdf")

    assert info.filename == "Programa Estatal de Igualdad – Año 2025.pdf"


def test_a_text_starting_with_mz_is_still_text():
    assert inspect(b"MZ Ventas del trimestre\n", "notas.txt").kind == "txt"


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------


def test_it_rejects_an_empty_file():
    assert rejection(b"", "vacio.pdf").code == "empty"


def test_it_rejects_a_text_file_with_only_a_bom_and_spaces():
    assert rejection(b"\xef\xbb\xbf  \n", "vacio.txt").code == "empty"


def test_it_rejects_one_byte_over_the_limit_and_says_the_limit_in_mb():
    error = rejection(b"a" * (LIMIT + 1), "a.txt")

    assert error.code == "too_large"
    assert "10 MB" in error.message


def test_it_formats_big_limits_mexican_style():
    error = rejection(b"a" * 11, "a.txt", max_bytes=10)

    assert "10 bytes" in error.message
    big = SimpleUploadedFile("a.txt", b"a")
    big.size = 2 * 1024 * MB
    assert "1,536 MB" in rejection(big, "a.txt", max_bytes=1536 * MB).message


def test_it_stops_reading_as_soon_as_the_limit_is_exceeded():
    class EndlessStream:
        read_bytes = 0

        def read(self, size: int) -> bytes:
            self.read_bytes += size
            return b"a" * size

    stream = EndlessStream()

    assert rejection(stream, "a.txt", max_bytes=MB).code == "too_large"
    assert stream.read_bytes <= MB + CHUNK_SIZE


def test_it_trusts_a_declared_size_to_refuse_without_reading():
    upload = SimpleUploadedFile("a.txt", b"a" * 100)
    upload.chunks = None  # reading would fail

    assert rejection(upload, "a.txt", max_bytes=50).code == "too_large"


# ---------------------------------------------------------------------------
# Types and names that do not agree
# ---------------------------------------------------------------------------


def test_it_rejects_a_png_named_pdf_and_names_both():
    error = rejection(image_bytes("PNG"), "acta.pdf")

    assert error.code == "mismatch"
    assert "PDF" in error.message and "PNG" in error.message


def test_it_rejects_a_docx_named_xlsx_and_names_both():
    error = rejection(docx_bytes(), "datos.xlsx")

    assert error.code == "mismatch"
    assert "XLSX" in error.message and "DOCX" in error.message


def test_it_rejects_text_named_pdf():
    assert rejection(b"hola", "acta.pdf").code == "mismatch"


def test_it_rejects_a_pdf_named_txt():
    assert rejection(handmade_pdf(), "notas.txt").code == "mismatch"


def test_it_rejects_a_kind_the_form_does_not_allow_and_lists_the_allowed():
    error = rejection(image_bytes("PNG"), "foto.png", allowed=DOCUMENT_KINDS)

    assert error.code == "not_allowed"
    assert "DOCX, MD, PDF, TXT" in error.message


def test_it_rejects_a_presentation_by_default():
    error = rejection(pptx_bytes(), "presentacion.pptx")

    assert error.code == "not_allowed"
    assert "PDF" in error.message


def test_it_rejects_an_opendocument_presentation():
    content = odf_bytes("application/vnd.oasis.opendocument.presentation")

    assert rejection(content, "p.odp").code == "not_allowed"


def test_it_rejects_a_plain_zip():
    content = zip_bytes({"a.txt": b"hola", "b.txt": b"adios"})

    assert rejection(content, "anexos.zip").code == "not_allowed"


def test_it_rejects_an_old_office_document_with_a_hint():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

    error = rejection(content, "informe.doc")

    assert error.code == "not_allowed"
    assert "DOCX" in error.message


def test_it_rejects_a_csv_with_an_inconsistent_delimiter():
    content = b"a,b,c\n1,2\n3,4,5,6\n"

    assert rejection(content, "datos.csv").code == "bad_csv"


def test_it_rejects_latin1_text_with_advice_on_saving_as_utf8():
    content = "municipio,mujeres\nCanatlán,5\n".encode("latin-1")

    error = rejection(content, "datos.csv")

    assert error.code == "encoding"
    assert "UTF-8" in error.message


def test_it_rejects_binary_garbage_as_unknown():
    content = bytes(range(256)) * 4

    assert rejection(content, "datos.bin").code == "unknown"


def test_an_unknown_file_is_told_the_kinds_the_form_takes():
    content = bytes(range(256)) * 4

    error = rejection(content, "datos.xlsx", allowed=frozenset({"csv", "xlsx"}))

    assert error.code == "unknown"
    assert error.message == "No se reconoce el tipo de archivo. Suba un archivo CSV o XLSX."
    assert "PDF" not in rejection(content, "d.xlsx", allowed=frozenset({"xlsx"})).message
    documents = rejection(content, "d.bin", allowed=DOCUMENT_KINDS).message
    assert documents.endswith("Suba un archivo DOCX, MD, PDF o TXT.")


def test_an_unknown_evidence_file_keeps_the_general_advice():
    error = rejection(bytes(range(256)) * 4, "datos.bin")

    assert "Suba un PDF, una imagen, un documento de Office u OpenDocument, o texto." in (
        error.message
    )


# ---------------------------------------------------------------------------
# Dangerous content and names
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "nota.txt"),
        (b"  <html><body>hola</body></html>", "pagina"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "logo.txt"),
        (b'<?xml version="1.0"?><svg/>', "logo.md"),
        (b"Titulo\n<script>alert(1)</script>", "notas.txt"),
        (b"#!/bin/sh\nrm -rf /\n", "script.txt"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "programa"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(100), "factura.pdf"),
        (b"%PDF-1.4", "factura.exe"),
        (b"hola", "pagina.html"),
        (b"hola", "logo.SVG"),
    ],
)
def test_it_rejects_executables_and_active_markup(content, filename):
    assert rejection(content, filename).code == "dangerous"


def test_it_sees_through_a_right_to_left_override_hiding_an_exe():
    # Displays as "facturaexe.pdf" but is "factura" + "fdp.exe" reversed.
    error = rejection(handmade_pdf(), "factura\u202efdp.exe")

    assert error.code == "dangerous"
    assert ".exe" in error.message


def test_it_cleans_a_path_traversal_name():
    info = inspect(handmade_pdf(), "../../etc/..\\..\\acta.pdf")

    assert info.filename == "acta.pdf"


def test_it_rejects_macros_in_an_office_document():
    content = zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00" * 10,
        }
    )

    assert rejection(content, "informe.docx").code == "macros"


# ---------------------------------------------------------------------------
# ZIP containers
# ---------------------------------------------------------------------------


def test_it_rejects_a_zip_bomb_named_docx_before_decompressing(huge_docx_bomb):
    assert len(huge_docx_bomb) < MB

    error = rejection(huge_docx_bomb, "informe.docx")

    assert error.code == "zip_bomb"
    assert "200 MB" in error.message


def test_it_rejects_a_zip_bomb_named_xlsx_by_its_ratio():
    content = zeros_bomb("xl/workbook.xml", 20)

    error = rejection(content, "datos.xlsx")

    assert error.code == "zip_bomb"
    assert "100 veces" in error.message


def test_it_rejects_too_many_members():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    members.update({f"word/media/{i}.png": b"x" for i in range(5)})

    error = rejection(zip_bytes(members), "a.docx", zip_limits=ZipLimits(max_members=5))

    assert error.code == "zip_bomb"


def test_it_rejects_more_uncompressed_data_than_the_cap():
    limits = ZipLimits(max_total_uncompressed=1000)
    content = zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"x" * 2000},
        compression=zipfile.ZIP_STORED,
    )

    assert rejection(content, "a.docx", zip_limits=limits).code == "zip_bomb"


def test_it_does_not_apply_the_ratio_to_small_archives():
    content = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(500_000)})

    assert inspect(content, "a.docx").kind == "docx"


def test_it_rejects_encrypted_members():
    content = encrypt_flag(docx_bytes())

    assert rejection(content, "informe.docx").code == "encrypted"


def test_it_rejects_a_truncated_docx_as_corrupt():
    content = docx_bytes()[:-200]

    error = rejection(content, "informe.docx")

    assert error.code == "corrupt"
    assert "dañado" in error.message


def test_it_rejects_an_odt_whose_mimetype_member_is_damaged():
    content = bytearray(odf_bytes("application/vnd.oasis.opendocument.text"))
    position = content.find(b"application/vnd")
    content[position] = ord("X")  # the stored CRC no longer matches

    assert rejection(bytes(content), "informe.odt").code == "corrupt"


def test_it_rejects_a_zip_that_is_only_a_header():
    assert rejection(b"PK\x03\x04" + bytes(40), "a.docx").code == "corrupt"


# ---------------------------------------------------------------------------
# safe_filename
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("informe.pdf", "informe.pdf"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
        ("/var/www/acta.pdf", "acta.pdf"),
        ("C:\\Users\\ana\\Documentos\\acta final.pdf", "acta final.pdf"),
        ("..", "archivo"),
        ("", "archivo"),
        ("\x00\x01\x1f", "archivo"),
        (".htaccess", "htaccess"),
        ("...oculto.txt", "oculto.txt"),
        ("acta.pdf. . ", "acta.pdf"),
        ("factura\u202efdp.exe", "facturafdp.exe"),
        ("a\u2066b\u2069c\u200e.txt", "abc.txt"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("línea\nnueva\t.txt", "línea nueva .txt"),
        ("Informacio\u0301n.pdf", "Información.pdf"),
        ('¿qué?: "sí" <no>|*.txt', "¿qué__ _sí_ _no___.txt"),
        ("con.txt", "_con.txt"),
        ("LPT1", "_LPT1"),
    ],
)
def test_safe_filename_examples(raw, expected):
    assert safe_filename(raw) == expected


def test_safe_filename_keeps_the_extension_when_cutting():
    name = safe_filename("á" * 300 + ".docx")

    assert len(name) == 120
    assert name.endswith("á.docx")


def test_safe_filename_cuts_a_name_without_extension():
    assert safe_filename("x" * 300, max_length=10) == "x" * 10


@settings(max_examples=500)
@given(st.text())
def test_safe_filename_is_always_safe_and_idempotent(raw):
    name = safe_filename(raw)

    assert name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not any(ch in BIDI for ch in name)
    assert not name.startswith(".")
    assert len(name) <= 120
    assert safe_filename(name) == name


@given(
    st.text(alphabet=st.sampled_from("ab./\\ .\u202e\x00é\u0301"), max_size=40), st.integers(1, 20)
)
def test_safe_filename_respects_any_length_and_stays_idempotent(raw, max_length):
    name = safe_filename(raw, max_length=max_length)

    assert 0 < len(name) <= max_length
    assert safe_filename(name, max_length=max_length) == name


# ---------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------


FILENAMES = st.sampled_from(
    ["a.pdf", "a.png", "a.docx", "a.xlsx", "a.odt", "a.csv", "a.txt", "a.md", "a", "a.exe", "a.zip"]
)


@settings(max_examples=300)
@given(st.binary(max_size=2048), FILENAMES)
def test_inspect_upload_on_arbitrary_bytes_returns_or_rejects(content, filename):
    try:
        info = inspect(content, filename, max_bytes=1024)
    except UploadRejected as error:
        assert error.code and error.message
    else:
        assert info.kind in EVIDENCE_KINDS
        assert info.size == len(content)


MAGICS = st.sampled_from(
    [
        b"PK\x03\x04",
        b"%PDF-",
        b"\x89PNG\r\n\x1a\n",
        b"GIF89a",
        b"RIFF\x00\x00\x00\x00WEBP",
        b"MZ",
        b"",
    ]
)


@settings(max_examples=300)
@given(MAGICS, st.binary(max_size=512), FILENAMES)
def test_inspect_upload_on_bytes_behind_a_magic_number_returns_or_rejects(magic, tail, filename):
    try:
        inspect(magic + tail, filename)
    except UploadRejected:
        pass


@settings(max_examples=100)
@given(st.data())
def test_inspect_upload_on_a_mangled_office_file_returns_or_rejects(data):
    content = bytearray(docx_bytes())
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(content) - 1))
        content[position] = data.draw(st.integers(0, 255))
    try:
        inspect(bytes(content), "informe.docx")
    except UploadRejected:
        pass


def test_random_bytes_are_rejected():
    content = random.Random(2025).randbytes(4096)

    assert rejection(content, "datos.pdf").code in {"unknown", "encoding"}


# ---------------------------------------------------------------------------
# Active content in PDFs
# ---------------------------------------------------------------------------


def pdf_with(change=None, *, attachment: tuple[str, bytes] | None = None) -> bytes:
    """A one-page pypdf PDF; ``change(writer, page)`` adds what a test needs."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if change:
        change(writer, page)
    if attachment:
        writer.add_attachment(*attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    values = {NameObject("/S"): NameObject(kind)}
    for key, value in entries.items():
        values[NameObject(f"/{key}")] = TextStringObject(value) if isinstance(value, str) else value
    return DictionaryObject(values)


def link(page, target: DictionaryObject) -> None:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 700, 300, 720)]),
            NameObject("/A"): target,
        }
    )
    page[NameObject("/Annots")] = ArrayObject([annotation])


def on_open(target) -> callable:
    def change(writer, page):
        writer.root_object[NameObject("/OpenAction")] = target

    return change


def javascript_on_open() -> bytes:
    return pdf_with(on_open(action("/JavaScript", JS="app.alert('hola');")))


def compressed_pdf(build) -> bytes:
    """A PDF whose dictionaries sit in a compressed object stream, as WeasyPrint and
    Acrobat write them: nothing of them shows in the raw bytes. ``build(add)`` returns the
    entries to add to the page and to the catalog; ``add(obj)`` makes an object of its own
    and returns its reference."""
    pdf = pydyf.PDF()

    def add(obj):
        pdf.add_object(obj)
        return obj.reference

    page, catalog = build(add)
    pdf.add_page(
        pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, 612, 792]),
                **page,
            }
        )
    )
    pdf.catalog.update(catalog)
    out = io.BytesIO()
    pdf.write(out, compress=True)
    return out.getvalue()


def javascript_in_an_object_stream() -> bytes:
    script = pydyf.Dictionary({"S": "/JavaScript", "JS": pydyf.String("app.alert(1)")})
    content = compressed_pdf(lambda add: ({}, {"OpenAction": add(script)}))
    assert b"/JavaScript" not in content and b"/ObjStm" in content
    return content


def link_to(target: pydyf.Dictionary) -> dict:
    annotation = pydyf.Dictionary(
        {"Type": "/Annot", "Subtype": "/Link", "Rect": pydyf.Array([0, 0, 10, 10]), "A": target}
    )
    return {"Annots": pydyf.Array([annotation])}


def uri(address: str) -> pydyf.Dictionary:
    return pydyf.Dictionary({"S": "/URI", "URI": pydyf.String(address)})


def attachment(add, name: str, data: bytes) -> dict:
    filespec = pydyf.Dictionary(
        {
            "Type": "/Filespec",
            "F": pydyf.String(name),
            "EF": pydyf.Dictionary({"F": add(pydyf.Stream([data]))}),
        }
    )
    tree = pydyf.Dictionary({"Names": pydyf.Array([pydyf.String(name), add(filespec)])})
    return {"Names": add(pydyf.Dictionary({"EmbeddedFiles": add(tree)}))}


def xfa_form(script: str) -> callable:
    def change(writer, page):
        template = DecodedStreamObject()
        template.set_data(
            (
                '<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><subform>'
                f'<event activity="initialize">{script}</event></subform></template></xdp:xdp>'
            ).encode()
        )
        writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject(),
                NameObject("/XFA"): writer._add_object(template.flate_encode()),
            }
        )

    return change


def text_field(writer, page) -> None:
    """A fillable text box, as LibreOffice or Word export a form without scripts."""
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/T"): TextStringObject("nombre"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (72, 600, 300, 620)]),
        }
    )
    reference = writer._add_object(field)
    page[NameObject("/Annots")] = ArrayObject([reference])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference])}
    )


def weasyprint_pdf() -> bytes:
    """What the project's own reports and most HTML-to-PDF tools produce: compressed object
    streams, a link and a form without scripts."""
    import weasyprint

    html = (
        "<h1>Informe de avance</h1><p>Consulte <a href='https://www.gob.mx/inmujeres'>el "
        "sitio</a>.</p><form><input name='nombre'><input type='checkbox' name='ok'>"
        "<select name='s'><option>a</option></select><textarea name='t'></textarea></form>"
    )
    return weasyprint.HTML(string=html).write_pdf(pdf_forms=True)


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password=user_password, owner_password="propietaria", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def damaged_pdf(extra: bytes) -> bytes:
    """A PDF without cross-reference table: pypdf cannot read it, readers repair it."""
    return (
        b"%PDF-1.5\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]" + extra + b">>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


@pytest.mark.parametrize(
    ("builder", "reason"),
    [
        (lambda: handmade_pdf(), None),
        (lambda: pypdf_pdf(), None),
        (lambda: blank_pdf("Lista de asistencia"), None),
        (weasyprint_pdf, None),
        (lambda: pdf_with(lambda w, p: link(p, action("/URI", URI="https://www.gob.mx/"))), "link"),
        (lambda: pdf_with(text_field), "form without scripts"),
        (
            lambda: pdf_with(
                on_open(ArrayObject([NumberObject(0), NameObject("/XYZ"), NullObject()]))
            ),
            "opens at a page, as LibreOffice writes",
        ),
        (lambda: pdf_with(on_open(action("/GoTo", D=ArrayObject([NumberObject(0)])))), "go-to"),
        (lambda: pdf_with(attachment=("datos.csv", b"municipio,mujeres\nLerdo,3\n")), "csv"),
        (lambda: pdf_with(xfa_form("<text>sin scripts</text>")), "static XFA form"),
        (lambda: encrypted_pdf(""), "protected only against editing"),
    ],
)
def test_it_accepts_pdfs_without_active_content(builder, reason):
    assert inspect(builder(), "acta.pdf").kind == "pdf"


def compressed_stream(data: bytes) -> bytes:
    packed = zlib.compress(data)
    return (
        b"/Contents 9 0 R>>endobj\n9 0 obj<</Length %d/Filter/FlateDecode>>stream\n%s\nendstream"
        % (
            len(packed),
            packed,
        )
    )


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n" + b"\xff\xfe basura " * 50,
        damaged_pdf(compressed_stream(b"BT /F1 12 Tf 72 712 Td (Informe) Tj ET")),
    ],
    ids=["garbage", "compressed page"],
)
def test_it_accepts_a_damaged_pdf_without_anything_active(content):
    assert inspect(content, "roto.pdf").kind == "pdf"


def test_it_rejects_a_pdf_that_runs_javascript_when_opened():
    error = rejection(javascript_on_open(), "acta.pdf")

    assert error.code == "active_content"
    assert "JavaScript" in error.message and "Imprimir" in error.message


@pytest.mark.parametrize(
    "builder",
    [
        lambda: pdf_with(lambda w, p: w.add_open_action(JavaScript("app.alert('hola');"))),
        lambda: pdf_with(lambda w, p: link(p, action("/JavaScript", JS="app.alert(1)"))),
        lambda: pdf_with(
            lambda w, p: p.__setitem__(
                NameObject("/AA"),
                DictionaryObject({NameObject("/O"): action("/JavaScript", JS="x")}),
            )
        ),
        lambda: pdf_with(
            on_open(
                action(
                    "/GoTo", D=ArrayObject([NumberObject(0)]), Next=action("/JavaScript", JS="x")
                )
            )
        ),
        javascript_in_an_object_stream,
        lambda: pdf_with(
            xfa_form('<script contentType="application/x-javascript">app.alert(1)</script>')
        ),
        lambda: damaged_pdf(b"/AA<</O<</S/JavaScript/JS(app.alert(1))>>>>"),
        lambda: damaged_pdf(compressed_stream(b"10 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj")),
    ],
    ids=[
        "document JavaScript name tree",
        "JavaScript link",
        "page-open additional action",
        "script chained after a go-to",
        "compressed object stream",
        "XFA script",
        "damaged file",
        "damaged file, compressed",
    ],
)
def test_it_rejects_javascript_wherever_it_hides(builder):
    error = rejection(builder(), "acta.pdf")

    assert error.code == "active_content"
    assert "JavaScript" in error.message


@settings(max_examples=50)
@given(st.lists(st.booleans(), min_size=12, max_size=12))
def test_it_sees_through_escaped_names(escaped):
    """Readers decode "#xx" in names: "/Java#53cript" is the name /JavaScript."""

    def escape(name: bytes, flags: list[bool]) -> bytes:
        return b"/" + b"".join(
            f"#{ch:02X}".encode() if flag else bytes([ch])
            for ch, flag in zip(name[1:], flags, strict=True)
        )

    content = javascript_on_open()
    content = content.replace(b"/JavaScript", escape(b"/JavaScript", escaped[:10]))
    content = content.replace(b"/JS ", escape(b"/JS", escaped[10:]) + b" ")

    assert rejection(content, "acta.pdf").code == "active_content"


def test_it_rejects_a_link_that_launches_a_program():
    content = pdf_with(lambda w, p: link(p, action("/Launch", F="C:\\Windows\\System32\\calc.exe")))

    error = rejection(content, "acta.pdf")

    assert error.code == "active_content"
    assert "abre programas" in error.message


def test_it_rejects_a_pdf_that_opens_a_website_by_itself():
    content = pdf_with(on_open(action("/URI", URI="https://ejemplo.invalid/rastreo")))

    error = rejection(content, "acta.pdf")

    assert error.code == "active_content"
    assert "se ejecutan solas" in error.message


def test_it_rejects_a_pdf_carrying_an_executable_and_names_it():
    error = rejection(pdf_with(attachment=("factura.exe", b"hola")), "acta.pdf")

    assert error.code == "active_content"
    assert "factura.exe" in error.message


def test_it_rejects_an_attachment_that_is_a_program_whatever_its_name():
    content = pdf_with(attachment=("anexo.dat", b"MZ\x90\x00\x03" + bytes(200)))

    assert "programa ejecutable" in rejection(content, "acta.pdf").message


def test_it_rejects_a_compressed_pdf_with_javascript_attached_to_a_pdf():
    content = pdf_with(attachment=("anexo.pdf", javascript_in_an_object_stream()))

    assert "JavaScript" in rejection(content, "acta.pdf").message


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (
            lambda add: ({"AA": pydyf.Dictionary({"O": uri("https://ejemplo.invalid")})}, {}),
            "se ejecutan solas",
        ),
        (
            lambda add: (
                link_to(pydyf.Dictionary({"S": "/Launch", "F": pydyf.String("cmd.exe")})),
                {},
            ),
            "abre programas",
        ),
        (lambda add: ({}, attachment(add, "anexo.hta", b"hola")), "anexo.hta"),
    ],
    ids=["automatic action", "launch link", "attachment"],
)
def test_it_reads_actions_and_attachments_inside_compressed_object_streams(build, reason):
    content = compressed_pdf(build)
    assert b"/ObjStm" in content and b"/URI" not in content and b"/Launch" not in content

    error = rejection(content, "acta.pdf")

    assert error.code == "active_content"
    assert reason in error.message


def test_it_accepts_a_compressed_pdf_that_opens_at_a_page_with_links_and_an_attachment():
    content = compressed_pdf(
        lambda add: (
            link_to(uri("https://www.gob.mx/")),
            {"OpenAction": pydyf.Array([0, "/Fit"]), **attachment(add, "datos.csv", b"a,b\n")},
        )
    )

    assert inspect(content, "acta.pdf").kind == "pdf"


def test_it_rejects_a_pdf_it_cannot_open_for_its_password():
    error = rejection(encrypted_pdf("secreto"), "acta.pdf")

    assert error.code == "encrypted"
    assert "contraseña" in error.message


@pytest.mark.parametrize(
    "extra",
    [
        b"/AA<</O<</S/URI/URI(https://ejemplo.invalid)>>>>",
        (
            b"/Resources<</XObject<</O 9 0 R>>>>>>endobj 9 0 obj<</Type/ObjStm/N 1/First 4>>"
            b"stream\nx\nendstream"
        ),
    ],
    ids=["automatic action", "object stream"],
)
def test_it_rejects_a_damaged_pdf_whose_active_parts_cannot_be_checked(extra):
    error = rejection(damaged_pdf(extra), "acta.pdf")

    assert error.code == "active_content"
    assert "dañado" in error.message


# ---------------------------------------------------------------------------
# Polyglots: files that are two types at once
# ---------------------------------------------------------------------------


def gif_javascript() -> bytes:
    """GIF89a/*…*/=alert(1); is a GIF and a script: the width bytes open a comment."""
    gif = image_bytes("GIF")
    return gif[:6] + b"/*" + gif[8:] + b"*/=alert(document.domain);"


def jpeg_javascript() -> bytes:
    """The same trick in a JPEG read as Latin-1: the first segment's length opens a comment."""
    payload = b"*/=alert(document.domain);/*"
    segment = b"JFIF\x00" + bytes(0x2F2A - 2 - 5 - len(payload)) + payload
    return b"\xff\xd8\xff\xe0/*" + segment + image_bytes("JPEG")[2:] + b"*/"


def png_with_text(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def gif_with_comment(comment: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, format="GIF", comment=comment)
    return out.getvalue()


@pytest.mark.parametrize(
    ("builder", "filename"),
    [
        (gif_javascript, "foto.gif"),
        (jpeg_javascript, "foto.jpg"),
        (lambda: png_with_text("<html><body><script>alert(1)</script>"), "foto.png"),
        (lambda: gif_with_comment(b"<svg onload=alert(1)>"), "foto.gif"),
        (lambda: image_bytes("PNG") + b"<script>alert(1)</script>", "foto.png"),
        (
            lambda: image_bytes("WEBP") + b"<SCRIPT src=//ejemplo.invalid/x.js></SCRIPT>",
            "foto.webp",
        ),
    ],
    ids=[
        "GIF/JS",
        "JPEG/JS",
        "PNG/HTML",
        "GIF/SVG",
        "script after the PNG",
        "script after the WebP",
    ],
)
def test_it_rejects_an_image_that_is_also_a_script_or_a_page(builder, filename):
    error = rejection(builder(), filename)

    assert error.code == "polyglot"
    assert "imagen" in error.message and "JavaScript" in error.message


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><script>alert(1)</script></body></html>\n" + pypdf_pdf(),
        b"\x00\x01basura" + pypdf_pdf(),
        b"\n\n" + handmade_pdf(),
        png_with_text(handmade_pdf().decode()),
    ],
    ids=[
        "HTML before the PDF",
        "bytes before the PDF",
        "blank lines before the PDF",
        "PDF in a PNG",
    ],
)
def test_it_rejects_a_file_with_a_pdf_header_after_its_start(content):
    for filename in ("acta.pdf", "foto.png", "nota.txt", "archivo"):
        error = rejection(content, filename)

        assert error.code == "polyglot"
        assert "encabezado de PDF" in error.message


def test_it_rejects_a_pdf_with_html_right_after_its_header():
    pdf = pypdf_pdf()
    content = pdf[:9] + b"<html><script>alert(document.cookie)</script>\n" + pdf[9:]

    error = rejection(content, "acta.pdf")

    assert error.code == "polyglot"
    assert "página web" in error.message


def test_a_text_that_mentions_the_pdf_header_is_still_text():
    content = b"Todo PDF empieza con %PDF-1.7 y termina con %%EOF.\n"

    assert inspect(content, "notas.txt").kind == "txt"


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(["PNG", "JPEG", "GIF", "WEBP"]),
    st.integers(1, 64),
    st.integers(1, 64),
    st.randoms(use_true_random=False),
)
def test_noisy_real_images_are_accepted(fmt, width, height, rng):
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3)).save(out, format=fmt)

    assert inspect(out.getvalue(), "foto." + fmt.lower()).kind in {"png", "jpeg", "gif", "webp"}
