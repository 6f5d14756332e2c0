"""Turn an uploaded file (DOCX, PDF, TXT, MD) into plain text.

The type is sniffed from the bytes, never taken from the name: uploads come
from many offices and their extensions lie. Every failure surfaces as an
`IngestError` with a message the person uploading can act on, written in
Spanish and translated with gettext when the error is raised.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.translation import gettext
from lxml import etree

from .errors import IngestError
from .text import BULLETS, normalise_newlines


def gettext_noop(message: str) -> str:
    """Mark a string for makemessages without translating it.

    Django's own gettext_noop reads the settings; this one keeps the module
    importable without them. gettext() is only called when an error is raised.
    """
    return message


MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 2000
MAX_PDF_PAGES = 2000

KINDS = ("docx", "pdf", "txt", "md")
_EXTENSIONS = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
}
# Names used in messages; translated with gettext() where they are used.
_LABELS = {
    "docx": "Word (.docx)",
    "pdf": "PDF",
    "txt": gettext_noop("texto"),
    "md": gettext_noop("texto (Markdown)"),
}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class ExtractedText:
    text: str
    kind: str
    sha256: str
    footnotes: dict[str, str] = field(default_factory=dict)


def extract_text(data: bytes, filename: str, *, max_bytes: int = MAX_BYTES) -> ExtractedText:
    """Read `data` and return its text; raise IngestError on anything unusable."""
    _check_size(data, max_bytes)
    kind = _sniff(data, filename)
    try:
        text, footnotes = _READERS[kind](data)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything
        raise IngestError(
            "corrupted",
            gettext("No se pudo leer el archivo %(kind)s; parece estar dañado o incompleto.")
            % {"kind": gettext(_LABELS[kind])},
        ) from exc
    return ExtractedText(
        text=text,
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        footnotes=footnotes,
    )


def _check_size(data: bytes, max_bytes: int) -> None:
    if not data or not data.strip():
        raise IngestError("empty", gettext("El archivo está vacío."))
    if len(data) > max_bytes:
        limit = max_bytes / (1024 * 1024)
        raise IngestError(
            "too_large",
            gettext("El archivo es demasiado grande; el máximo permitido es %(limit)s MB.")
            % {"limit": f"{limit:g}"},
        )


# --- Type sniffing -----------------------------------------------------------


def _sniff(data: bytes, filename: str) -> str:
    ext = PurePath(filename or "").suffix.lower()
    claimed = _EXTENSIONS.get(ext)
    if ext == ".doc":
        raise IngestError(
            "unsupported",
            gettext("Los archivos .doc (Word 97-2003) no se admiten; guárdelo como .docx o PDF."),
        )
    if ext and claimed is None:
        raise _unsupported()
    content = _content_kind(data)
    if content is None:
        if claimed in ("pdf", "docx"):
            raise IngestError(
                "corrupted",
                gettext("El archivo no es un %(kind)s válido o está dañado.")
                % {"kind": gettext(_LABELS[claimed])},
            )
        raise _unsupported()
    if content == "text":
        # Markdown and plain text look alike; here the extension may decide.
        return claimed if claimed in ("txt", "md") else _text_mismatch(claimed)
    if claimed is not None and claimed != content:
        raise _mismatch(claimed, content)
    return content


def _content_kind(data: bytes) -> str | None:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx" if _zip_has_document(data) else None
    if _decode_text(data) is not None:
        return "text"
    return None


def _zip_has_document(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


def _text_mismatch(claimed: str | None) -> str:
    if claimed is None:
        return "txt"
    raise _mismatch(claimed, "txt")


def _mismatch(claimed: str, content: str) -> IngestError:
    return IngestError(
        "type_mismatch",
        gettext(
            "La extensión del archivo indica %(claimed)s, pero su contenido es "
            "%(content)s. Revise que subió el archivo correcto o corrija su extensión."
        )
        % {"claimed": gettext(_LABELS[claimed]), "content": gettext(_LABELS[content])},
    )


def _unsupported() -> IngestError:
    return IngestError(
        "unsupported",
        gettext(
            "Tipo de archivo no admitido. Suba un documento Word (.docx), PDF, texto (.txt) "
            "o Markdown (.md)."
        ),
    )


# --- Plain text --------------------------------------------------------------


def _decode_text(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    raw = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Old Windows editors still save cp1252; accept it only when the result
    # looks like prose, so binary junk is not mistaken for text.
    for encoding in ("cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _mostly_printable(text):
            return text
    return None


def _mostly_printable(text: str) -> bool:
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return printable >= 0.95 * len(text)


def _read_text(data: bytes) -> tuple[str, dict[str, str]]:
    text = _decode_text(data)
    if text is None:
        raise _unsupported()
    return normalise_newlines(text), {}


# --- DOCX --------------------------------------------------------------------


def _read_docx(data: bytes) -> tuple[str, dict[str, str]]:
    import docx  # imported late: python-docx is heavy and only needed here

    archive = _open_zip_safely(data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_block_lines(document.element.body))
        footnotes = _docx_footnotes(archive)
    finally:
        archive.close()
    return normalise_newlines("\n".join(lines)), footnotes


def _open_zip_safely(data: bytes) -> zipfile.ZipFile:
    """Open the archive after checking the central directory for a zip bomb.

    The declared sizes are checked before anything is inflated; zipfile never
    inflates an entry past its declared size, so the checks bound the work.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError(
            "corrupted", gettext("El documento Word está dañado o incompleto.")
        ) from exc
    entries = archive.infolist()
    unzipped = sum(info.file_size for info in entries)
    packed = sum(info.compress_size for info in entries)
    if (
        len(entries) > MAX_ZIP_ENTRIES
        or unzipped > MAX_UNZIPPED_BYTES
        or (unzipped > 1024 * 1024 and unzipped > MAX_ZIP_RATIO * max(packed, 1))
    ):
        archive.close()
        raise IngestError(
            "zip_bomb",
            gettext(
                "El documento Word tiene un contenido comprimido anormalmente grande y no se "
                "procesará por seguridad."
            ),
        )
    return archive


def _block_lines(parent: etree._Element):
    """Yield one line per paragraph, walking tables and content controls in order."""
    for child in parent.iterchildren():
        if child.tag == f"{W}p":
            yield _paragraph_text(child)
        elif child.tag == f"{W}tbl":
            yield from _table_lines(child)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _block_lines(content)


def _table_lines(table: etree._Element):
    for row in table.iterchildren(f"{W}tr"):
        for cell in row.iterchildren(f"{W}tc"):
            yield from _block_lines(cell)


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}footnoteReference"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}footnoteReference":
            # Same marker the pandoc-like seeds carry, so one parser serves both.
            parts.append(f"[footnoteRef:{node.get(f'{W}id')}]")
        elif node.tag == f"{W}tab":
            parts.append("\t")
        else:
            parts.append(" ")
    text = "".join(parts)
    return f"- {text}" if _is_list_paragraph(paragraph) and text.strip() else text


def _is_list_paragraph(paragraph: etree._Element) -> bool:
    # Automatic numbering lives in numbering.xml, not in the text; marking the
    # paragraph as a bullet at least keeps lists recognisable as lists.
    props = paragraph.find(f"{W}pPr")
    return props is not None and props.find(f"{W}numPr") is not None


def _docx_footnotes(archive: zipfile.ZipFile) -> dict[str, str]:
    if "word/footnotes.xml" not in archive.namelist():
        return {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(archive.read("word/footnotes.xml"), parser)
    notes: dict[str, str] = {}
    for note in root.iterchildren(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        body = " ".join(_paragraph_text(p) for p in note.iter(f"{W}p"))
        notes[note.get(f"{W}id", "")] = " ".join(body.split())
    return notes


# --- PDF ---------------------------------------------------------------------


def _read_pdf(data: bytes) -> tuple[str, dict[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    _unlock(reader)
    if len(reader.pages) > MAX_PDF_PAGES:
        raise IngestError(
            "too_large",
            gettext("El PDF tiene más de %(pages)s páginas; divídalo en partes.")
            % {"pages": MAX_PDF_PAGES},
        )
    pages = [page.extract_text() or "" for page in reader.pages]
    if sum(len(re.sub(r"\W", "", page)) for page in pages) < 20:
        raise IngestError(
            "no_text_layer",
            gettext(
                "El PDF no contiene texto seleccionable; parece un documento escaneado. "
                "Suba la versión original en Word o un PDF con texto (o aplíquele OCR)."
            ),
        )
    return "\n\n".join(reflow_pdf_page(page) for page in pages), {}


def _unlock(reader) -> None:
    if not reader.is_encrypted:
        return
    # Many official PDFs are "encrypted" only to restrict editing, with an
    # empty user password; those open fine.
    try:
        opened = reader.decrypt("")
    except Exception:  # noqa: BLE001 - e.g. AES without a crypto backend
        opened = 0
    if not opened:
        raise IngestError(
            "encrypted",
            gettext(
                "El PDF está protegido con contraseña. Quite la protección o suba una versión "
                "sin contraseña."
            ),
        )


_SENTENCE_END = re.compile(r"[.:;!?…)\]»”\"]$")
_PAGE_NUMBER = re.compile(r"^(?:p[áa]gina\s+)?\d{1,4}(?:\s+de\s+\d{1,4})?$", re.IGNORECASE)
_ITEM_START = re.compile(
    r"^(?:[" + re.escape(BULLETS) + r"]\s*|\d{1,3}(?:\.\d{1,3})*(?:[.)]|\.?\s*[-–—])\s"
    r"|\d{1,3}(?:\.\d{1,3})+\s|"
    r"(?:\d{1,3}\s+)?(?:eje|objetivo|estrategia|l[íi]nea|pol[íi]tica|acci[óo]n)\b)",
    re.IGNORECASE,
)
# Roman-numeral and lettered entries ("IV. Las demás…", "a) Revisar…") start a line of
# their own even in lower case. Case-sensitive: "I." is a numeral, "i." is not.
_BLOCK_START = re.compile(r"^(?:[IVXLC]{1,6}|[a-z])[.)]\s")


def reflow_pdf_page(text: str) -> str:
    """Rejoin lines that the PDF layout broke, and undo hyphenation."""
    text = normalise_newlines(text.replace("\u00ad\n", ""))
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if not _PAGE_NUMBER.match(line)]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    previous = ""  # the line as the layout printed it, before any joining
    for line in lines:
        if out and out[-1] and line and _continues(previous, line, width):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
        previous = line
    return "\n".join(out)


def _continues(previous: str, line: str, width: int) -> bool:
    if _ITEM_START.match(line) or _BLOCK_START.match(line):
        return False
    if re.search(r"\w-$", previous) and line[:1].islower():
        return True
    if _SENTENCE_END.search(previous):
        return False
    # A lower-case start is a continued sentence; a nearly full line was wrapped.
    if line[:1].islower():
        return True
    if len(previous) < _WRAPPED * width:
        return False
    # An item's heading is followed by its paragraph, which starts in capitals too: only
    # a heading cut after a little word ("…con la" / "Secretaría…") goes on.
    return not _ITEM_START.match(previous) or bool(_ENDS_WITH_LINK_WORD.search(previous))


_ENDS_WITH_LINK_WORD = re.compile(
    r"\b(?:de|del|la|las|el|los|y|e|o|u|en|con|para|por|a|al|entre|sus?)$", re.IGNORECASE
)
# A line this close to the widest one on its page was broken by the layout.
_WRAPPED = 0.8


def _join(previous: str, line: str) -> str:
    if re.search(r"[^\W\d_]-$", previous) and line[:1].islower():
        return previous[:-1] + line
    return f"{previous} {line}"


_READERS = {"docx": _read_docx, "pdf": _read_pdf, "txt": _read_text, "md": _read_text}
