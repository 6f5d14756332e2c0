"""Validation of uploaded files: evidence files and plan documents.

The rules, in the order they are applied:

1. The display name is cleaned by :func:`safe_filename` (no directories, no
   control or bidirectional characters, no leading dots, bounded length). The
   extension is read from the cleaned name, so a right-to-left override cannot
   hide ``.exe`` behind ``fdp.``. Extensions that run code or markup in a browser
   or on a desktop (``.exe``, ``.js``, ``.html``, ``.svg``…) are refused outright.
2. The content is read in chunks and never beyond ``max_bytes``; an empty file
   or one over the limit is refused.
3. The type is decided by the content only (magic numbers, ZIP members, text
   encoding), never by the name or by what the browser claims:
   PDF, PNG, JPEG, GIF and WebP by their signatures; DOCX, XLSX and PPTX by
   their main part (``word/document.xml``, ``xl/workbook.xml``,
   ``ppt/presentation.xml``); ODT and ODS by their ``mimetype`` member; CSV,
   TXT and MD are UTF-8 text (a BOM is allowed) without NUL bytes. Text that a
   browser would render as HTML, SVG or XML, scripts with ``#!`` and native
   executables are refused.
4. ZIP containers are checked from their central directory before anything is
   decompressed: at most ``ZipLimits.max_members`` members, at most
   ``ZipLimits.max_total_uncompressed`` bytes once expanded, at most
   ``ZipLimits.max_ratio`` times the archive's size, no encrypted members and no
   macros (``vbaProject.bin``).
5. A known extension must agree with the content (an ``.xlsx`` that is really a
   DOCX is refused, naming both). A missing or unknown extension gets the
   canonical one appended, so the stored name always ends as the content is.
   A ``.csv`` must have one delimiter (comma, semicolon, tab or vertical bar)
   giving the same number of columns on every row, or be a single column.
6. The kind must be one of the ``allowed`` kinds of the calling form.
7. Active content and polyglots are refused (:func:`_check_active_content`):
   a PDF carrying JavaScript (``/JS``, ``/S /JavaScript``, a ``/JavaScript``
   name tree, scripts in an XFA form), a launch action, an automatic action
   (``/OpenAction`` or ``/AA``) other than going to a page, an attached
   executable, or a password that keeps us from reading it; an image whose
   header doubles as a JavaScript comment (the GIF/JPEG-JS trick) or whose bytes
   carry HTML; and any file with a PDF header after its first byte (readers
   accept ``%PDF-`` anywhere in the first 1,024 bytes, which is how a file is
   made to be an image, a page and a PDF at once). Links (``/URI`` on click),
   forms without scripts and harmless attachments stay allowed.

Every refusal is an :class:`UploadRejected` with a stable ``code`` and a
``message`` meant for the person who uploaded the file, written in Spanish and
translated with gettext when the refusal is raised.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import struct
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from transversal.core.text import BIDI_CONTROLS


def gettext_noop(message: str) -> str:
    """Mark a string for makemessages without translating it.

    Django's own gettext_noop reads the settings; this one keeps the module
    importable without them. gettext() is only called when a file is refused.
    """
    return message


MB = 1024 * 1024
CHUNK_SIZE = 64 * 1024

EVIDENCE_KINDS = frozenset(
    {"pdf", "png", "jpeg", "gif", "webp", "docx", "xlsx", "odt", "ods", "csv", "txt"}
)
DOCUMENT_KINDS = frozenset({"docx", "pdf", "txt", "md"})

MIME_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv",
    "txt": "text/plain",
    "md": "text/markdown",
    "zip": "application/zip",
    "legacy_office": "application/x-ole-storage",
}

# Spanish names used in messages; translated with gettext() where they are used.
KIND_LABELS = {
    "pdf": gettext_noop("un PDF"),
    "png": gettext_noop("una imagen PNG"),
    "jpeg": gettext_noop("una imagen JPEG"),
    "gif": gettext_noop("una imagen GIF"),
    "webp": gettext_noop("una imagen WebP"),
    "docx": gettext_noop("un documento de Word (DOCX)"),
    "xlsx": gettext_noop("una hoja de cálculo de Excel (XLSX)"),
    "pptx": gettext_noop("una presentación de PowerPoint (PPTX)"),
    "odt": gettext_noop("un documento de texto OpenDocument (ODT)"),
    "ods": gettext_noop("una hoja de cálculo OpenDocument (ODS)"),
    "odp": gettext_noop("una presentación OpenDocument (ODP)"),
    "csv": gettext_noop("un archivo CSV"),
    "txt": gettext_noop("un archivo de texto (TXT)"),
    "md": gettext_noop("un archivo Markdown (MD)"),
    "zip": gettext_noop("un archivo comprimido ZIP"),
    "legacy_office": gettext_noop(
        "un documento de Office en formato antiguo o protegido con contraseña"
    ),
}

# Advice appended, after a space, to a "not allowed" refusal; translated where used.
_HINTS = {
    "legacy_office": gettext_noop("Ábralo y guárdelo como DOCX o XLSX, sin contraseña."),
    "zip": gettext_noop("Suba cada archivo por separado."),
    "pptx": gettext_noop("Guarde la presentación como PDF."),
    "odp": gettext_noop("Guarde la presentación como PDF."),
}

CANONICAL_EXTENSIONS = {
    "pdf": ".pdf",
    "png": ".png",
    "jpeg": ".jpg",
    "gif": ".gif",
    "webp": ".webp",
    "docx": ".docx",
    "xlsx": ".xlsx",
    "pptx": ".pptx",
    "odt": ".odt",
    "ods": ".ods",
    "odp": ".odp",
    "csv": ".csv",
    "txt": ".txt",
    "md": ".md",
    "zip": ".zip",
    "legacy_office": ".doc",
}

# Extensions that name one of the kinds above; they must agree with the content.
EXTENSION_KINDS = {
    **{ext: kind for kind, ext in CANONICAL_EXTENSIONS.items()},
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".markdown": "md",
    ".xls": "legacy_office",
    ".ppt": "legacy_office",
}

# Extensions refused whatever the content: they run code or active markup.
# fmt: off
DANGEROUS_EXTENSIONS = frozenset(
    {
        ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".msc",
        ".bat", ".cmd", ".ps1", ".psm1", ".vbs", ".vbe", ".js", ".jse", ".mjs",
        ".wsf", ".wsh", ".hta", ".jar", ".class", ".apk", ".app", ".dmg", ".deb",
        ".rpm", ".sh", ".bash", ".py", ".pl", ".php", ".phtml", ".asp", ".aspx",
        ".jsp", ".cgi", ".lnk", ".reg", ".inf", ".html", ".htm", ".xhtml", ".shtml",
        ".mht", ".mhtml", ".svg", ".svgz", ".xml", ".xsl", ".swf", ".docm", ".xlsm",
        ".pptm", ".dotm", ".xltm",
    }
)
# fmt: on

# Byte signatures of native executables.
_EXECUTABLE_MAGICS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\x00asm",
)

# Openings that make a browser treat text as HTML or XML (WHATWG MIME sniffing).
# fmt: off
_MARKUP_TAGS = (
    "!doctype html", "html", "head", "script", "iframe", "h1", "div", "font",
    "table", "a", "style", "title", "b", "body", "br", "p", "svg", "object",
    "embed", "meta", "link", "img", "form",
)
# fmt: on
_MARKUP_START = re.compile(
    r"<(?:" + "|".join(re.escape(t) for t in _MARKUP_TAGS) + r")[\s/>]|<!--|<\?xml",
    re.IGNORECASE,
)
# Older browsers scanned the first bytes for these anywhere.
_MARKUP_ANYWHERE = re.compile(r"<(?:script|html|svg|iframe|body|!doctype\s+html)\b", re.I)

_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
_OOXML_MAIN_PARTS = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    OverflowError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    zlib.error,
)

CSV_DELIMITERS = (",", ";", "\t", "|")
CSV_ROWS_CHECKED = 1000

MAX_FILENAME_LENGTH = 120
FALLBACK_FILENAME = "archivo"
_RESERVED_CHARS = frozenset('<>:"|?*/\\')
_WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{0,9}[A-Za-z][A-Za-z0-9]{0,9}")


class UploadRejected(Exception):
    """A file that cannot be accepted; ``message`` is for the person uploading.

    Codes: ``empty``, ``too_large``, ``dangerous``, ``unknown``, ``encoding``,
    ``mismatch``, ``not_allowed``, ``corrupt``, ``encrypted``, ``zip_bomb``,
    ``macros``, ``bad_csv``, ``active_content``, ``polyglot``.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"UploadRejected({self.code!r}, {self.message!r})"


@dataclass(frozen=True)
class UploadInfo:
    """What we learnt about an accepted file."""

    kind: str
    mime_type: str
    size: int
    sha256: str
    filename: str

    @property
    def extension(self) -> str:
        return CANONICAL_EXTENSIONS[self.kind]


@dataclass(frozen=True)
class ZipLimits:
    """Caps checked on a ZIP's central directory before any decompression.

    The ratio is the declared uncompressed total over the archive's size on
    disk; it is only checked once the total exceeds ``ratio_floor``, because a
    small archive cannot exhaust anything however well it compresses.
    """

    max_total_uncompressed: int = 200 * MB
    max_ratio: int = 100
    max_members: int = 10_000
    ratio_floor: int = 1 * MB


DEFAULT_ZIP_LIMITS = ZipLimits()


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def inspect_upload(
    data: bytes | Any,
    filename: str,
    *,
    allowed: frozenset[str],
    max_bytes: int,
    zip_limits: ZipLimits = DEFAULT_ZIP_LIMITS,
) -> UploadInfo:
    """Check an uploaded file and describe it, or raise :class:`UploadRejected`.

    ``data`` is bytes or a binary file-like object: a Django ``UploadedFile``
    (read through ``.chunks()``) or any object with ``.read()``. Seekable
    files are read from the start and rewound afterwards so they can be saved.
    """
    name = safe_filename(filename)
    extension = _extension_of(name)
    if extension in DANGEROUS_EXTENSIONS:
        raise UploadRejected(
            "dangerous",
            gettext(
                "No se admiten archivos con extensión %(extension)s: pueden contener "
                "programas o código que se ejecuta en el navegador."
            )
            % {"extension": extension},
        )
    content, digest = _read_bounded(data, max_bytes)
    try:
        kind = _sniff(content, zip_limits)
    except UploadRejected as exc:
        if exc.code == "unknown":
            raise _unknown(allowed) from None
        raise
    kind = _refine_text_kind(kind, extension, content)
    _check_extension(kind, extension)
    _check_allowed(kind, allowed)
    _check_active_content(kind, content)
    if extension not in EXTENSION_KINDS:
        name = safe_filename(name + CANONICAL_EXTENSIONS[kind])
    return UploadInfo(
        kind=kind,
        mime_type=MIME_TYPES[kind],
        size=len(content),
        sha256=digest,
        filename=name,
    )


def safe_filename(name: str, *, max_length: int = MAX_FILENAME_LENGTH) -> str:
    """Return a harmless display name for an uploaded file.

    Only the last path component is kept (``../``, ``..\\``, ``C:\\`` and
    absolute paths are dropped); control characters, NUL, bidirectional
    overrides and characters Windows forbids are removed or replaced; runs of
    spaces collapse; leading dots and trailing dots or spaces go; the name is
    NFC-normalised (accents such as "Información" are kept) and cut to
    ``max_length`` characters keeping its extension. Never empty: the fallback
    is "archivo" (cut to ``max_length`` if need be). Applying it twice
    changes nothing.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(_clean_char(ch) for ch in text)
    text = unicodedata.normalize("NFC", text)
    text = _fit_length(_strip_edges(" ".join(text.split())), max_length)
    if text.split(".", 1)[0].lower() in _WINDOWS_DEVICE_NAMES:
        # "con.txt" and friends cannot be saved on Windows.
        text = _fit_length("_" + text, max_length)
    return text or FALLBACK_FILENAME[: max(max_length, 1)]


# ---------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------


def _clean_char(ch: str) -> str:
    if ch in BIDI_CONTROLS:
        return ""
    if ch in _RESERVED_CHARS:
        return "_"
    category = unicodedata.category(ch)
    if category in ("Zl", "Zp") or ch.isspace():
        return " "
    if category in ("Cc", "Cf", "Cs"):
        return ""
    return ch


def _strip_edges(text: str) -> str:
    return text.lstrip(". ").rstrip(". ")


def _split_extension(text: str) -> tuple[str, str]:
    stem, dot, ext = text.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch("." + ext):
        return stem, "." + ext
    return text, ""


def _fit_length(text: str, max_length: int) -> str:
    max_length = max(max_length, 1)
    while len(text) > max_length:
        stem, ext = _split_extension(text)
        if len(ext) >= max_length:
            stem, ext = text, ""
        stem = stem[: max_length - len(ext)]
        text = _strip_edges(unicodedata.normalize("NFC", stem.rstrip() + ext))
    return text


def _extension_of(name: str) -> str:
    return _split_extension(name)[1].lower()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def _read_bounded(data: bytes | Any, max_bytes: int) -> tuple[bytes, str]:
    """Read everything, never more than ``max_bytes`` + one chunk."""
    declared = getattr(data, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_large(max_bytes)
    digest = hashlib.sha256()
    buffer = bytearray()
    for chunk in _chunks(data):
        buffer += chunk
        if len(buffer) > max_bytes:
            raise _too_large(max_bytes)
        digest.update(chunk)
    if not buffer:
        raise UploadRejected("empty", gettext("El archivo está vacío."))
    return bytes(buffer), digest.hexdigest()


def _chunks(data: bytes | Any) -> Iterator[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        yield bytes(data)
        return
    if hasattr(data, "chunks"):
        yield from data.chunks(CHUNK_SIZE)
        return
    seekable = getattr(data, "seekable", lambda: False)()
    if seekable:
        data.seek(0)
    while chunk := data.read(CHUNK_SIZE):
        yield bytes(chunk)
    if seekable:
        data.seek(0)


def _too_large(max_bytes: int) -> UploadRejected:
    return UploadRejected(
        "too_large",
        gettext("El archivo supera el límite de %(size)s.") % {"size": _format_size(max_bytes)},
    )


def _format_size(size: int) -> str:
    """A size for people, Mexican style: "10 MB", "1,500 MB", "2.5 MB", "512 KB".

    A megabyte here is 1,048,576 bytes, as operating systems show it.
    """
    if size >= MB:
        number, unit = size / MB, "MB"
    elif size >= 1024:
        number, unit = size / 1024, "KB"
    else:
        return f"{size:,} bytes"
    return f"{number:,.1f}".removesuffix(".0") + f" {unit}"


# ---------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------


def _sniff(content: bytes, limits: ZipLimits) -> str:
    """Decide the kind from the bytes alone."""
    _check_late_pdf_header(content)
    head = content[:16]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(content, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "legacy_office"
    if _is_executable(content):
        raise _executable()
    return _sniff_text(content)


def _is_executable(content: bytes) -> bool:
    if content.startswith(_EXECUTABLE_MAGICS):
        return True
    # DOS/Windows executables; a text that merely starts with "MZ" has no NUL.
    return content.startswith(b"MZ") and b"\x00" in content[:512]


def _executable() -> UploadRejected:
    return UploadRejected(
        "dangerous", gettext("El archivo es un programa ejecutable; no se admite como adjunto.")
    )


def _sniff_text(content: bytes) -> str:
    if b"\x00" in content:
        raise _unknown()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _not_utf8(content) from None
    if not text.strip():
        raise UploadRejected("empty", gettext("El archivo no contiene texto."))
    start = text.lstrip()
    if start.startswith("#!"):
        raise _executable()
    if _MARKUP_START.match(start) or _MARKUP_ANYWHERE.search(start[:1024]):
        raise UploadRejected(
            "dangerous",
            gettext(
                "El archivo contiene HTML, SVG o XML, que puede ejecutar código en el "
                "navegador; no se admite."
            ),
        )
    return "text"


def _unknown(allowed: Iterable[str] = EVIDENCE_KINDS) -> UploadRejected:
    """The general advice names the evidence kinds; a form that takes fewer names its own
    (the statistics import: "CSV o XLSX")."""
    allowed = frozenset(allowed)
    if EVIDENCE_KINDS <= allowed:
        advice = gettext("Suba un PDF, una imagen, un documento de Office u OpenDocument, o texto.")
    else:
        advice = gettext("Suba un archivo %(accepted)s.") % {"accepted": _one_of(allowed)}
    return UploadRejected("unknown", gettext("No se reconoce el tipo de archivo.") + " " + advice)


def _one_of(kinds: Iterable[str]) -> str:
    """ "CSV o XLSX", "DOCX, MD, PDF o TXT": the kinds' extensions as a form names them."""
    names = sorted({CANONICAL_EXTENSIONS[k].lstrip(".").upper() for k in kinds})
    if len(names) < 2:
        return "".join(names)
    return gettext("%(first)s o %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _not_utf8(content: bytes) -> UploadRejected:
    binary = any(b < 0x20 and b not in b"\t\n\r\x0c" for b in content[:4096])
    if binary:
        return _unknown()
    return UploadRejected(
        "encoding",
        gettext(
            "El texto no está codificado en UTF-8. En Excel use «Guardar como» y elija "
            "«CSV UTF-8»; en el Bloc de notas elija la codificación UTF-8."
        ),
    )


def _refine_text_kind(kind: str, extension: str, content: bytes) -> str:
    """Text becomes csv, md or txt according to the extension."""
    if kind != "text":
        return kind
    named = EXTENSION_KINDS.get(extension)
    if named == "csv":
        if not _csv_is_consistent(content.decode("utf-8-sig")):
            raise UploadRejected(
                "bad_csv",
                gettext(
                    "El CSV no tiene un separador consistente: todas las filas deben "
                    "tener el mismo número de columnas, separadas por coma, punto y "
                    "coma, tabulador o barra vertical."
                ),
            )
        return "csv"
    if named == "md":
        return "md"
    return "txt"


def _csv_is_consistent(text: str) -> bool:
    """One delimiter gives the same width (2 or more) on every row, or none
    of the delimiters appears (a single column)."""
    widths_by_delimiter = [_csv_widths(text, d) for d in CSV_DELIMITERS]
    if any(w is not None and len(w) == 1 and min(w) >= 2 for w in widths_by_delimiter):
        return True
    return all(w == {1} for w in widths_by_delimiter)


def _csv_widths(text: str, delimiter: str) -> set[int] | None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    widths: set[int] = set()
    try:
        for index, row in enumerate(reader):
            if index >= CSV_ROWS_CHECKED:
                break
            if row:
                widths.add(len(row))
    except csv.Error:
        return None
    return widths


# ---------------------------------------------------------------------------
# ZIP containers
# ---------------------------------------------------------------------------


def _sniff_zip(content: bytes, limits: ZipLimits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            _check_zip_directory(infos, len(content), limits)
            return _zip_kind(archive, {info.filename for info in infos})
    except UploadRejected:
        raise
    except _ZIP_ERRORS:
        raise UploadRejected(
            "corrupt",
            gettext(
                "El archivo está dañado o incompleto y no se puede abrir. Vuelva a "
                "guardarlo o a exportarlo e inténtelo de nuevo."
            ),
        ) from None


def _check_zip_directory(
    infos: list[zipfile.ZipInfo], archive_size: int, limits: ZipLimits
) -> None:
    if len(infos) > limits.max_members:
        raise _zip_bomb(
            gettext(
                "El archivo no se acepta porque tiene más de %(count)s archivos internos; "
                "puede ser un archivo malicioso."
            )
            % {"count": f"{limits.max_members:,}"}
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise UploadRejected(
            "encrypted",
            gettext(
                "El archivo está protegido con contraseña. Quite la contraseña y vuelva a subirlo."
            ),
        )
    total = sum(info.file_size for info in infos)
    if total > limits.max_total_uncompressed:
        raise _zip_bomb(
            gettext(
                "El archivo no se acepta porque al descomprimirse ocuparía más de %(size)s; "
                "puede ser un archivo malicioso."
            )
            % {"size": _format_size(limits.max_total_uncompressed)}
        )
    if total > limits.ratio_floor and total > limits.max_ratio * archive_size:
        raise _zip_bomb(
            gettext(
                "El archivo no se acepta porque al descomprimirse crecería más de %(ratio)s "
                "veces su tamaño; puede ser un archivo malicioso."
            )
            % {"ratio": f"{limits.max_ratio:,}"}
        )


def _zip_bomb(message: str) -> UploadRejected:
    return UploadRejected("zip_bomb", message)


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UploadRejected(
            "macros",
            gettext(
                "El documento contiene macros, que pueden ejecutar código. Guárdelo "
                "sin macros (DOCX o XLSX) y vuelva a subirlo."
            ),
        )
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            declared = member.read(100).strip()
        if declared in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[declared]
    if "[Content_Types].xml" in names:
        for part, kind in _OOXML_MAIN_PARTS.items():
            if part in names:
                return kind
    return "zip"


# ---------------------------------------------------------------------------
# Active content and polyglots
# ---------------------------------------------------------------------------

# PDF readers accept the header anywhere in the first 1,024 bytes, not only at the start.
PDF_HEADER_WINDOW = 1024
# Where a browser, or an old one sniffing the type, looks for markup in a binary file.
MARKUP_WINDOW = 1024
IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
# Bounds on reading one PDF: bytes decoded from its object streams; objects pypdf may
# have to parse to judge its actions or attachments (about 5,000 a second); PDFs attached
# inside PDFs.
MAX_PDF_OBJECT_STREAM_BYTES = 200 * MB
MAX_PDF_PARSED_OBJECTS = 20_000
MAX_PDF_DEPTH = 2

_PDF_HEADER = re.compile(rb"%PDF-\d\.\d")
_SCRIPT_TAG = re.compile(rb"<(?:[a-z]+:)?script[\s/>]", re.IGNORECASE)
# Read as JavaScript (or as Latin-1 JavaScript for JPEG), "GIF89a/*…" is a name followed by
# a comment: the opening of a GIF/JS polyglot. These are the offsets right after the
# signature, where a width or a length normally sits.
_JS_OPENER_OFFSETS = {"gif": 6, "jpeg": 4, "webp": 4}
_JS_OPENERS = (b"/*", b"//")

_PDF_SCRIPT_NAMES = frozenset({"JS", "JavaScript"})
_PDF_ATTACHMENT_NAMES = frozenset({"EF", "EmbeddedFile", "EmbeddedFiles"})
# Action types harmless when they run by themselves (on opening, on a page, on a field),
# and the others: an automatic action is only read when one of the others is in the file.
_PDF_QUIET_ACTIONS = frozenset({"/GoTo", "/Named", "/SetOCGState", "/Hide", "/Trans"})
# fmt: off
_PDF_LOUD_ACTION_NAMES = frozenset(
    {
        "URI", "SubmitForm", "ImportData", "ResetForm", "GoToR", "GoToE", "GoToDp", "Thread",
        "Sound", "Movie", "Rendition", "GoTo3DView", "RichMediaExecute", "Launch", "JavaScript",
    }
)
# fmt: on
# What only a full read can judge: refused when the PDF cannot be read whole.
_PDF_OPAQUE_NAMES = _PDF_ATTACHMENT_NAMES | {"AA", "XFA", "ObjStm", "XRef"}
_PDF_WATCHED_NAMES = (
    _PDF_SCRIPT_NAMES
    | _PDF_OPAQUE_NAMES
    | _PDF_LOUD_ACTION_NAMES
    | {"RichMedia", "OpenAction", "Encrypt"}
)


def _pdf_name_pattern(names: Iterable[str]) -> re.Pattern[bytes]:
    """The names as a PDF may write them: any character may be escaped as "#xx", and a
    name ends at a space, a delimiter or the end of the file."""

    def spelled(name: str) -> bytes:
        return b"".join(b"(?:%s|#(?i:%02x))" % (re.escape(bytes([ch])), ch) for ch in name.encode())

    ordered = sorted(names, key=len, reverse=True)
    initials = re.escape("".join(sorted({n[0] for n in ordered})).encode())
    return re.compile(
        rb"/(?=[#" + initials + rb"])(" + b"|".join(spelled(n) for n in ordered) + rb")"
        rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
    )


_PDF_NAME = _pdf_name_pattern(_PDF_WATCHED_NAMES)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_PDF_ATTACHMENT_NAME_KEYS = ("/UF", "/F", "/DOS", "/Mac", "/Unix")

_PDF_ADVICE = gettext_noop(
    "Guárdelo de nuevo como PDF sin esos elementos (por ejemplo, con «Imprimir» y «Guardar "
    "como PDF») y vuelva a subirlo."
)


def _check_active_content(kind: str, content: bytes) -> None:
    if kind == "pdf":
        _check_pdf(content)
    elif kind in IMAGE_KINDS:
        _check_image(kind, content)


def _check_late_pdf_header(content: bytes) -> None:
    """A PDF header after the first byte makes a file open as a PDF and as something else."""
    if content.startswith(b"%PDF-"):
        return
    match = _PDF_HEADER.search(content, 0, PDF_HEADER_WINDOW + 8)
    if match and match.start() < PDF_HEADER_WINDOW and b"endobj" in content:
        raise UploadRejected(
            "polyglot",
            gettext(
                "El archivo tiene un encabezado de PDF después de su inicio: está hecho para "
                "abrirse a la vez como PDF y como otro tipo de archivo (por ejemplo, una página "
                "web o una imagen). Vuelva a guardarlo o a exportarlo y súbalo de nuevo."
            ),
        )


def _has_markup_at_start(content: bytes) -> bool:
    return bool(_MARKUP_ANYWHERE.search(content[:MARKUP_WINDOW].decode("latin-1")))


def _check_image(kind: str, content: bytes) -> None:
    offset = _JS_OPENER_OFFSETS.get(kind)
    opens_a_comment = offset is not None and content[offset : offset + 2] in _JS_OPENERS
    if opens_a_comment or _has_markup_at_start(content) or _SCRIPT_TAG.search(content):
        raise UploadRejected(
            "polyglot",
            gettext(
                "La imagen lleva escondido código HTML o JavaScript, así que también puede "
                "abrirse como página web o ejecutarse como programa. Vuelva a guardarla con un "
                "editor de imágenes, o suba una captura de pantalla."
            ),
        )


def _check_pdf(content: bytes, depth: int = 0) -> None:
    """Refuse a PDF that carries scripts, launch or automatic actions, or executable
    attachments.

    Every dictionary key of a PDF is a name written either in the raw bytes or in an object
    stream, so the names are read from both: the raw bytes (which also cover objects a
    damaged file hides from pypdf but a reader repairing it would find) and the object
    streams pypdf decodes (decrypting them if need be). A script (/JS, /JavaScript) or a
    launch action (/Launch) is refused by its name alone, and so is Flash (/RichMedia). What
    a name cannot judge is then read with pypdf, only when the names show it may matter
    (pypdf parses about 5,000 objects a second): the opening action of the catalog and its
    additional actions (/AA) when an action other than moving around the document exists,
    the XFA form, and attachments. When pypdf cannot read the file, the names decide alone,
    read from the raw bytes and from every stream zlib can inflate (a reader repairing the
    file may find objects in any of them), and whatever they cannot judge is refused.
    """
    if _has_markup_at_start(content):
        raise _pdf_refusal(
            "polyglot",
            gettext(
                "El PDF contiene código HTML al inicio, así que también puede abrirse como "
                "página web."
            ),
        )
    names = _pdf_names(content)
    _check_pdf_names(names)
    try:
        reader = _open_pdf(content)
        names |= _pdf_object_stream_names(reader)
        _check_pdf_names(names)
        loud = bool(names & _PDF_LOUD_ACTION_NAMES)
        if loud and "OpenAction" in names or "XFA" in names:
            _check_parse_budget(len(reader.xref_objStm))
            root = reader.trailer["/Root"]
            if loud:
                _check_automatic_action(_pdf_value(root, "/OpenAction"))
            _check_xfa(_pdf_value(_pdf_value(root, "/AcroForm"), "/XFA"))
        if loud and "AA" in names or names & _PDF_ATTACHMENT_NAMES:
            _walk_pdf(reader, depth)
    except UploadRejected:
        raise
    except Exception:  # pypdf raises many kinds of errors on hostile input
        names |= _pdf_inflated_names(content)
        _check_pdf_names(names)
        if names & _PDF_OPAQUE_NAMES:
            raise _pdf_encrypted() if "Encrypt" in names else _pdf_unreadable() from None


def _pdf_names(data: bytes) -> set[str]:
    found = set()
    for match in _PDF_NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:
            raw = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add(raw.decode("latin-1"))
    return found


def _pdf_inflated_names(content: bytes) -> set[str]:
    """The names in every Flate stream of a file pypdf cannot read; "ObjStm" (so a refusal)
    when there is more to inflate than the bound."""
    found: set[str] = set()
    budget = MAX_PDF_OBJECT_STREAM_BYTES
    for match in _PDF_STREAM_START.finditer(content):
        end = content.find(b"endstream", match.end())
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(content[match.end() : end if end >= 0 else None], budget)
        except zlib.error:
            continue
        budget -= len(data)
        if inflater.unconsumed_tail or budget <= 0:
            return found | {"ObjStm"}
        found |= _pdf_names(data)
    return found


def _check_pdf_names(names: set[str]) -> None:
    if names & _PDF_SCRIPT_NAMES:
        raise _pdf_script()
    if "Launch" in names:
        raise _pdf_refusal(
            "active_content",
            gettext("El PDF contiene una acción que abre programas o archivos del equipo."),
        )
    if "RichMedia" in names:
        raise _pdf_refusal(
            "active_content",
            gettext("El PDF contiene contenido multimedia interactivo (Flash o similar)."),
        )


def _check_parse_budget(objects: int) -> None:
    if objects > MAX_PDF_PARSED_OBJECTS:
        raise _pdf_refusal(
            "active_content",
            gettext(
                "El PDF tiene acciones automáticas, formularios o archivos adjuntos, y "
                "demasiados objetos (más de %(count)s) para revisarlos."
            )
            % {"count": f"{MAX_PDF_PARSED_OBJECTS:,}"},
        )


def _open_pdf(content: bytes) -> Any:
    from pypdf import PdfReader  # imported here: only PDFs need it

    reader = PdfReader(io.BytesIO(content), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")  # a password that only restricts editing
        except Exception:  # an encryption pypdf cannot undo without extra libraries
            opened = 0
        if not opened:
            raise _pdf_encrypted()
    return reader


def _pdf_object_stream_names(reader: Any) -> set[str]:
    from pypdf.generic import IndirectObject

    found: set[str] = set()
    decoded = 0
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        data = IndirectObject(number, 0, reader).get_object().get_data()
        decoded += len(data)
        if decoded > MAX_PDF_OBJECT_STREAM_BYTES:
            raise ValueError("object streams too large to read")
        found |= _pdf_names(data)
    return found


def _pdf_value(dictionary: Any, key: str) -> Any:
    """The value of a key with its reference followed; None if absent or not a dictionary."""
    from pypdf.generic import DictionaryObject

    if not isinstance(dictionary, DictionaryObject):
        return None
    value = dict.get(dictionary, key)
    return value.get_object() if value is not None else None


def _walk_pdf(reader: Any, depth: int) -> None:
    """Check every dictionary of every object in the file, once."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    objects = [IndirectObject(n, g, reader) for g, numbers in reader.xref.items() for n in numbers]
    objects += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    _check_parse_budget(len(objects))
    containers = (DictionaryObject, ArrayObject)
    for reference in objects:
        # References inside an object are not followed (values are read unresolved):
        # every object is walked on its own.
        pending = [reference.get_object()]
        while pending:
            node = pending.pop()
            if isinstance(node, DictionaryObject):
                _check_pdf_dictionary(node, depth)
                pending.extend(v for v in node.values() if isinstance(v, containers))
            elif isinstance(node, ArrayObject):
                pending.extend(v for v in node if isinstance(v, containers))


def _check_pdf_dictionary(dictionary: Any, depth: int) -> None:
    from pypdf.generic import DictionaryObject, StreamObject

    additional = _pdf_value(dictionary, "/AA")
    if isinstance(additional, DictionaryObject):
        for trigger in list(additional):
            _check_automatic_action(_pdf_value(additional, trigger))
    attachments = _pdf_value(dictionary, "/EF")
    if isinstance(attachments, DictionaryObject):
        _check_attachment_names(dictionary)
        for key in list(attachments):
            stream = _pdf_value(attachments, key)
            if isinstance(stream, StreamObject):
                _check_attachment_data(stream.get_data(), depth)


def _check_automatic_action(action: Any) -> None:
    """An action run without a click (with the ones chained after it by /Next) may only
    move around the document; a destination (an array or a name) is always fine."""
    from pypdf.generic import ArrayObject, DictionaryObject

    chain, steps = [action], 0
    while chain and steps < 1000:
        steps += 1
        current = chain.pop()
        current = current.get_object() if current is not None else None
        if not isinstance(current, DictionaryObject):
            continue
        kind = _pdf_value(current, "/S")
        if isinstance(kind, str) and kind not in _PDF_QUIET_ACTIONS:
            raise _pdf_refusal(
                "active_content",
                gettext(
                    "El PDF contiene acciones que se ejecutan solas al abrirlo o al recorrerlo "
                    "(por ejemplo, abrir un sitio web o enviar datos)."
                ),
            )
        following = _pdf_value(current, "/Next")
        if isinstance(following, ArrayObject):
            chain.extend(following)
        elif following is not None:
            chain.append(following)


def _check_xfa(xfa: Any) -> None:
    """An XFA form is XML; its <script> elements run when the form is opened or filled."""
    from pypdf.generic import ArrayObject, StreamObject

    parts = xfa[1::2] if isinstance(xfa, ArrayObject) else [xfa]
    for part in parts:
        part = part.get_object() if part is not None else None
        if isinstance(part, StreamObject) and _SCRIPT_TAG.search(part.get_data()):
            raise _pdf_script()


def _check_attachment_names(filespec: Any) -> None:
    for key in _PDF_ATTACHMENT_NAME_KEYS:
        value = _pdf_value(filespec, key)
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and _extension_of(safe_filename(value)) in DANGEROUS_EXTENSIONS:
            raise _pdf_refusal(
                "active_content",
                gettext("El PDF lleva adjunto un archivo que puede ejecutar código (%(name)s).")
                % {"name": safe_filename(value)},
            )


def _check_attachment_data(data: bytes, depth: int) -> None:
    if _is_executable(data):
        raise _pdf_refusal(
            "active_content", gettext("El PDF lleva adjunto un programa ejecutable.")
        )
    if data.startswith(b"%PDF-"):
        if depth >= MAX_PDF_DEPTH:
            raise _pdf_refusal(
                "active_content",
                gettext(
                    "El PDF lleva adjuntos otros PDF, uno dentro de otro, en más niveles de "
                    "los que se pueden revisar."
                ),
            )
        _check_pdf(data, depth + 1)


def _pdf_refusal(code: str, reason: str) -> UploadRejected:
    return UploadRejected(code, reason + " " + gettext(_PDF_ADVICE))


def _pdf_script() -> UploadRejected:
    return _pdf_refusal(
        "active_content",
        gettext("El PDF contiene código JavaScript, que puede ejecutarse al abrirlo."),
    )


def _pdf_unreadable() -> UploadRejected:
    return _pdf_refusal(
        "active_content",
        gettext(
            "El PDF está dañado y contiene elementos que podrían ejecutar código (acciones "
            "automáticas, formularios XFA o archivos adjuntos) que no se pueden revisar."
        ),
    )


def _pdf_encrypted() -> UploadRejected:
    return UploadRejected(
        "encrypted",
        gettext(
            "El PDF está protegido con contraseña o cifrado, y así no se puede revisar que sea "
            "seguro. Quite la protección (por ejemplo, con «Imprimir» y «Guardar como PDF») y "
            "vuelva a subirlo."
        ),
    )


# ---------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------


def _check_extension(kind: str, extension: str) -> None:
    named = EXTENSION_KINDS.get(extension)
    if named is None or named == kind:
        return
    raise UploadRejected(
        "mismatch",
        gettext(
            "El nombre del archivo indica %(named)s (%(extension)s), pero su "
            "contenido es %(actual)s. Revise que sea el archivo correcto."
        )
        % {
            "named": gettext(KIND_LABELS[named]),
            "extension": extension,
            "actual": gettext(KIND_LABELS[kind]),
        },
    )


def _check_allowed(kind: str, allowed: Iterable[str]) -> None:
    if kind in allowed:
        return
    accepted = ", ".join(sorted(CANONICAL_EXTENSIONS[k].lstrip(".").upper() for k in allowed))
    raise UploadRejected(
        "not_allowed",
        gettext("Aquí no se admite %(kind)s. Tipos admitidos: %(accepted)s.")
        % {"kind": gettext(KIND_LABELS[kind]), "accepted": accepted}
        + _hint(kind),
    )


def _hint(kind: str) -> str:
    hint = _HINTS.get(kind)
    return " " + gettext(hint) if hint else ""


# Evidence files, the same way for every app that keeps them ------------------------------------


def checked_evidence(upload, filename: str, *, allowed=EVIDENCE_KINDS) -> UploadInfo:
    """The upload checked by its content against the evidence rules and the size limit, or
    ``ValidationError({"file": reason})`` in Spanish."""
    from django.conf import settings
    from django.core.exceptions import ValidationError

    try:
        return inspect_upload(
            upload, filename, allowed=allowed, max_bytes=settings.EVIDENCE_MAX_MB * MB
        )
    except UploadRejected as exc:
        raise ValidationError({"file": exc.message}) from None


def evidence_fields(info: UploadInfo) -> dict:
    """What an evidence row records of a checked file (never the name it was uploaded with)."""
    return {
        "original_name": info.filename,
        "kind": info.kind,
        "extension": info.extension,
        "mime_type": info.mime_type,
        "size": info.size,
        "sha256": info.sha256,
    }


def save_with_file(instance, upload, *, exclude: list[str], field: str = "file") -> None:
    """Store the upload's bytes under a server-chosen name, validate and save the row; the stored
    file is removed again if the row is not saved, so a failed write never leaves an orphan."""
    from django.core.files.base import ContentFile

    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read() if hasattr(upload, "read") else upload
    stored = getattr(instance, field)
    stored.save("evidencia", ContentFile(content), save=False)
    try:
        instance.full_clean(exclude=[*exclude, field])
        instance.save()
    except Exception:
        stored.delete(save=False)
        raise


def attachment_response(handle, filename: str, content_type: str):
    """A kept file as a download: never shown inline, never sniffed, never run (the same headers
    for every app's evidence and documents)."""
    from django.http import FileResponse

    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# How long a previewed upload waits for its confirmation: the progress and registers imports
# (a preview in the session, ``pending_upload``) and the statistics import (a preview row,
# ``genderstats.models.preview_cutoff``) all drop a preview older than this.
PENDING_SECONDS = 60 * 60


def pending_upload(session, key: str, token, *, max_age: float, **expected) -> dict | None:
    """The previewed upload kept in ``session[key]`` if it is the one ``token`` names, its
    fields equal ``expected`` and it is at most ``max_age`` seconds old; None otherwise (an
    expired one is dropped). Shared by the progress and registers imports."""
    pending = session.get(key)
    if (
        not pending
        or pending.get("token") != str(token)
        or any(pending.get(name) != value for name, value in expected.items())
    ):
        return None
    if time.time() - pending.get("created", 0) > max_age:
        session.pop(key, None)
        return None
    return pending
