"""Find the numbered items (ejes, objetivos, estrategias, líneas de acción) of a plan.

The input is plain text as produced by `extract_text` or by pandoc-like
converters. The output is a draft the person reviews before saving, so the
rules prefer missing an item to inventing one: a line is an item only when it
starts with a code, and a code mentioned inside prose becomes an item only
when numbered items hang below it.

Real plans come in a few recurring shapes, each handled by a small function
named in its docstring ("Shape: …"): headings with a prefix before the item's
keyword (`_PREFIXED_ITEM`), indexes with leaders, page numbers first or last
(`_index_entry`, `_mark_index_runs`, `_drop_index_twins`), flat lists of axes
(`_keep_flat_lists`), Roman and lettered blocks between levels (`_BLOCK_MARKER`),
codes that restart under each parent (`_qualify_restarted_codes`) and words
glued or hyphenated by PDF extraction (`_unglue`, `_join_parts`). Shapes met on the
public evaluation corpus (scripts/eval_docs): zero-padded chapters whose title names the
level (`_CHAPTER`), level initials before codes (`_ABBREVIATED_ITEM`), an index run
together in one paragraph (`_split_run_together_index`), section numbers of prefixed
headings (`_drop_section_numbers`) and the document's own chapters
(`_drop_document_sections`). Each item carries a confidence and the draft lists the lines
it left out, with why.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .extract import gettext_noop
from .text import BULLETS, fold, normalise_newlines, squash

LEVELS = ("axis", "objective", "policy", "strategy", "action_line", "item")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# Level a numbered child takes under a parent when nothing else says.
_CHILD_LEVEL = {
    "axis": "objective",
    "objective": "strategy",
    "policy": "strategy",
    "strategy": "action_line",
    "action_line": "item",
    "item": "item",
}


@dataclass
class DraftItem:
    code: str
    level: str
    text: str
    note: str = ""
    children: list[DraftItem] = field(default_factory=list)
    # How sure the reader is that this is an item, from 0 to 1: a "Línea de acción 1.1.1"
    # is surer than a "1. Texto" kept because it sits in a flat list of headings.
    confidence: float = 1.0


# Why a line that looked like an item was left out; the values are Spanish
# messages for the review screen (marked for translation, translated there).
SKIP_REASONS = {
    "list_in_prose": gettext_noop(
        "Línea numerada sin elementos numerados debajo: se leyó como una lista dentro del texto."
    ),
    "index_entry": gettext_noop("Entrada del índice: el cuerpo del documento repite el elemento."),
    "block_heading": gettext_noop(
        "Encabezado de bloque con número romano o letra entre dos niveles del plan."
    ),
    "document_section": gettext_noop(
        "Capítulo del documento (introducción, anexos, bibliografía…), no un elemento del plan."
    ),
    "section_number": gettext_noop(
        "Número de sección del documento, como los de los encabezados «6.1 Relevancia del "
        "objetivo 1»: no es un elemento del plan."
    ),
}


@dataclass(frozen=True)
class SkippedLine:
    """A line that looked like an item and was left out, with the key of its reason."""

    text: str
    reason: str

    @property
    def message(self) -> str:
        return SKIP_REASONS[self.reason]


@dataclass
class DraftPlan:
    title: str | None
    period_start: int | None
    period_end: int | None
    items: list[DraftItem] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)


def iter_items(items: Iterable[DraftItem]) -> Iterator[DraftItem]:
    """Every item of a tree, depth first in document order."""
    for item in items:
        yield item
        yield from iter_items(item.children)


def parse_plan(text: str, footnotes: dict[str, str] | None = None) -> DraftPlan:
    text = normalise_newlines(text or "")
    text, notes = _take_footnote_definitions(text)
    notes.update({str(k): squash(v) for k, v in (footnotes or {}).items()})
    text = _split_run_together_index(_strip_artefacts(text))
    title, start, end = plan_title(text)
    skipped: list[SkippedLine] = []
    nodes = _drop_section_numbers(_scan(text.split("\n"), skipped), skipped)
    nodes = _drop_document_sections(nodes, skipped)
    _mark_index_runs(nodes)
    _keep_flat_lists(nodes)
    roots = _drop_index_twins(_build_tree(nodes, skipped), skipped)
    roots = _prune(roots, skipped)
    _assign_levels(roots, parent_level=None)
    _qualify_restarted_codes(roots)
    return DraftPlan(title, start, end, _to_drafts(roots, notes), skipped)


@dataclass(frozen=True)
class ScanSummary:
    """What the reader saw in a text, to tell a person why it found no items."""

    paragraphs: int
    # Lines that start like an item ("1. Texto", "Objetivo 2"). In a text with no items they
    # were all read as a list within the prose, since nothing numbered hangs below them.
    numbered_lines: int
    title: str | None


def scan_summary(text: str) -> ScanSummary:
    text = normalise_newlines(text or "")
    text, _notes = _take_footnote_definitions(text)
    text = _strip_artefacts(text)
    lines = [line for line in (_undecorate(raw) for raw in text.split("\n")) if line]
    numbered = sum(1 for line in lines if _item_from_line(line, None) is not None)
    return ScanSummary(len(lines), numbered, plan_title(text)[0])


# --- Conversion artefacts and footnotes --------------------------------------

_FOOTNOTE_REF = re.compile(r"\[footnoteRef:\s*([^\]\s]+)\s*\]")
# docx-to-text converters append the body right after the reference: "[1: body]".
_FOOTNOTE_BODY = re.compile(r"\[(\d{1,4}):\s+([^\[\]]*)\]")
_MD_FOOTNOTE_BODY = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$", re.MULTILINE)
_MD_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
_ARTEFACTS = (
    re.compile(r"\[bookmark:[^\]]*\]"),
    re.compile(r"\{#[^}\n]*\}"),
    re.compile(r"\{\.[\w-]+\}"),
)
# What is left of a marker a converter cut short or an earlier rule split in
# two ("[footnoteRef", "[bookmark: _Toc1", "{#sec"): the marker and its token.
_PARTIAL_MARKER = re.compile(r"\[(?:footnoteRef|bookmark):?[ \t]*[^\]\s]*|\{#[^}\s]*")


def _take_footnote_definitions(text: str) -> tuple[str, dict[str, str]]:
    notes: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        notes[match.group(1)] = squash(match.group(2))
        return ""

    text = _FOOTNOTE_BODY.sub(keep, text)
    text = _MD_FOOTNOTE_BODY.sub(keep, text)
    return _MD_FOOTNOTE_REF.sub(r"[footnoteRef:\1]", text), notes


def _strip_artefacts(text: str) -> str:
    for pattern in _ARTEFACTS:
        text = pattern.sub("", text)
    return text


# --- Title and period --------------------------------------------------------

_YEARS = (
    r"(?P<start>(?:19|20)\d{2})[ \t]*(?:[-–—/]|[ \t]+al?[ \t]+)[ \t]*(?P<end>(?:19|20)\d{2})(?!\d)"
)
_NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ][\wáéíóúñü]*|de|del|la|las|los|el|para|y|e|en|entre|contra|a)"
_PLAN_NAME = re.compile(
    rf"\b(?P<name>(?:Plan|Programa)(?:[ \t]+{_NAME_WORD}){{0,14}}?),?[ \t]+(?:del?[ \t]+)?{_YEARS}"
)
# Planning acronyms start with P: PND, PED, PMD, PROIGUALDAD, PEIMH...
_PLAN_ACRONYM = re.compile(rf"\b(?P<name>P[A-Z]{{1,11}})[ \t]+(?:del?[ \t]+)?{_YEARS}")


@dataclass(frozen=True)
class PlanMention:
    name: str
    start: int
    end: int
    position: int

    @property
    def title(self) -> str:
        return f"{self.name} {self.start}-{self.end}"


def plan_mentions(text: str) -> list[PlanMention]:
    """Plans named with their period, in document order."""
    found = []
    for pattern in (_PLAN_NAME, _PLAN_ACRONYM):
        for match in pattern.finditer(text):
            start, end = int(match["start"]), int(match["end"])
            if start <= end <= start + 30:
                found.append(PlanMention(squash(match["name"]), start, end, match.start()))
    return sorted(found, key=lambda mention: mention.position)


def plan_title(text: str) -> tuple[str | None, int | None, int | None]:
    mentions = plan_mentions(text)
    if not mentions:
        return None, None, None
    # A mention that is a heading of its own names the document; otherwise the
    # first plan the text names is the one it is about.
    chosen = next((m for m in mentions if _is_heading(text, m)), mentions[0])
    return chosen.title, chosen.start, chosen.end


def _is_heading(text: str, mention: PlanMention) -> bool:
    line_start = text.rfind("\n", 0, mention.position) + 1
    line_end = text.find("\n", mention.position)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    return len(line.strip(" #*")) <= len(mention.title) + 15


# --- Line scanning -----------------------------------------------------------

_CODE = r"(?P<code>\d{1,3}(?:\.\d{1,3}){0,5}|[ivxlc]{1,6})(?![\w])"
_KEYWORD = (
    r"(?:(?P<axis>ejes?(?:\s+(?:rector|tematico|estrategico|transversal|general)(?:es)?)?)"
    r"|(?P<objective>objetivos?(?:\s+(?:general|especifico|estrategico|prioritario|"
    r"transversal|sectorial)(?:e?s)?)?)"
    r"|(?P<policy>politicas?\s+publicas?)"
    r"|(?P<strategy>estrategias?(?:\s+(?:prioritaria|general|especifica|transversal)s?)?)"
    r"|(?P<action_line>lineas?\s+de\s+accion|acci(?:on|ones)\s+puntual(?:es)?))"
)
_NUMBER_SIGN = r"(?:(?:n|no|num|numero)\s*\.?\s*)?"
_SEPARATOR = r"\s*\.?\s*(?:[-–—:)]\s*)?"
_KEYWORD_ITEM = re.compile(rf"^{_KEYWORD}\s*{_NUMBER_SIGN}{_CODE}{_SEPARATOR}(?P<rest>.*)$")
_BARE_ITEM = re.compile(
    r"^(?P<code>\d{1,3}(?:\.\d{1,3}){1,5})(?![\d])(?=[\s.:)\-–—]|$)" + _SEPARATOR + r"(?P<rest>.*)$"
)
# "1.", "1)", "1 -", "1.-" and "1.-)" all close a single number.
_BARE_SINGLE = re.compile(
    r"^(?P<code>\d{1,2})(?:\.?[ \t]*[-–—][ \t]*\)?|\.\)?|\))\s+(?P<rest>\S.*)$"
)
_INLINE = re.compile(rf"\b{_KEYWORD}\s+{_NUMBER_SIGN}{_CODE}")
_HINT = re.compile(
    r"\b(?:(?P<axis>ejes(?:\s+(?:rectores|tematicos|estrategicos|transversales|generales"
    r"|de\s+gobierno))?)|(?P<objective>objetivos(?:\s+\w+)?)|(?P<policy>politicas\s+publicas)"
    r"|(?P<strategy>estrategias(?:\s+\w+)?)|(?P<action_line>lineas\s+de\s+accion|acciones\s+puntuales))"
    r"(?:\s+siguientes)?\s*(?P<colon>:)?\s*$"
)
_DECORATION = re.compile(r"^(?:\s|#|>|\||\*\*|__|[" + re.escape(BULLETS) + r"])+")
_LEADERS = re.compile(r"\s*(?:\.{4,}|…{2,}|\.\s(?:\.\s?){3,})\s*\d*\s*$")
# Shape: a table-of-contents entry whose leaders and page went to a line of their own.
_LEADERS_ONLY = re.compile(r"^(?:\.{3,}|…{2,}|(?:\.\s?){4,})\s*\d{0,4}\s*$")
# Shape: a page number before an index entry ("14 EJE 1: Autonomía…").
_LEADING_PAGE = re.compile(
    r"^\d{1,3}\s+(?=(?:ejes?|objetivos?|estrategias?|lineas?|politicas?|acci(?:on|ones))\b"
    r"|\d{1,3}(?:\.\d{1,3})+\s)"
)
# Shape: a Roman-numeral or lettered block heading between two plan levels
# ("I. Diagnóstico", "a) Revisar…"); it is neither an item nor part of one.
_BLOCK_MARKER = re.compile(r"^(?:[IVXLC]{1,6}|[a-zA-Z])[.)]\s+\S")
# Shape: a section number and a few words before the item's own keyword and code:
# "6.1.- Relevancia del Objetivo prioritario 1: <texto>".
_PREFIXED_ITEM = re.compile(
    r"^(?:(?P<section>\d{1,2})(?:\.\d{1,2}){0,3}\.?\s*[-–—)]?\s*)?"
    r"(?:[^\W\d_]+\s+){0,5}(?:del|de\s+la|de\s+los|de\s+las|al|a\s+la)\s+"
    rf"{_KEYWORD}\s*{_NUMBER_SIGN}{_CODE}\s*\.?\s*[-–—:]\s*(?P<rest>\S.*)$"
)
# Shape: the level's initials glued before the code ("O.T3.1.", "E.T3.1.1.", "L.A3.1.1.1.",
# "ET3.1.4.", "O.T. 3.2."): matched on the original line, since the initials are capitals.
_ABBREVIATED_ITEM = re.compile(
    r"^(?P<abbr>[A-Z](?:\.?[ \t]?[A-Z]){0,2}\.?[ \t]?)"
    r"(?P<code>\d{1,3}(?:\.\d{1,3}){1,5})(?!\d)" + _SEPARATOR + r"(?P<rest>.*)$"
)
_ENDS_SENTENCE = re.compile(r"[.;!?…]\s*$")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


@dataclass
class _Node:
    code: str
    key: tuple[int, ...]
    level: str | None  # given by a keyword; None means "infer"
    parts: list[str]
    tentative: bool = False
    hint: str | None = None
    children: list[_Node] = field(default_factory=list)
    shape: str = "keyword"  # how the line was read; sets the confidence
    index: bool = False  # read from a table of contents
    closed: bool = False  # a heading complete on its line: nothing continues it
    chapter: int | None = None  # which zero-padded chapter ("02 Ejes…") the line is in
    chapter_level: str | None = None  # the plan level that chapter's title names
    section: int | None = None  # a prefixed heading's section ("6" of "6.1.- Relevancia…")

    @property
    def raw_text(self) -> str:
        return " ".join(self.parts)


def _scan(lines: list[str], skipped: list[SkippedLine]) -> list[_Node]:
    """Read line by line: each line starts an item, continues the last one, closes an
    index entry, is a block heading, or is prose (which may name items or a level)."""
    nodes: list[_Node] = []
    wrap_width = _wrap_width(lines)
    current: _Node | None = None
    hint: str | None = None
    after_blank = False
    chapter: tuple[int | None, str | None] = (None, None)
    for raw in lines:
        line = _undecorate(raw)
        if not line:
            after_blank = True
            continue
        heading = _CHAPTER.match(line)
        if heading is not None:
            level = _LEVEL_WORD.search(fold(heading["title"]))
            chapter = ((chapter[0] or 0) + 1, _matched_level(level) if level else None)
            current, hint, after_blank = None, None, False
            continue
        first_new = len(nodes)
        if _LEADERS_ONLY.match(line):
            if current is not None:
                current.parts.append(line)
                current.index = True
            current = None
            continue
        node = _item_from_line(line, hint) or _index_entry(line, hint)
        if node is not None:
            node.index = node.index or bool(_LEADERS.search(line))
            nodes.append(node)
            current = node
        elif _BLOCK_MARKER.match(line) and (current is not None or _RAW_BLOCK.match(line)):
            skipped.append(SkippedLine(line, "block_heading"))
            current = None
        elif current is not None and _continues(current, line, wrap_width, after_blank):
            current.parts.append(line)
            current.index = current.index or bool(_LEADERS.search(line))
        else:
            current = None
            nodes.extend(_inline_items(line))
            hint = _hint_from_prose(line)
        after_blank = False
        for node in nodes[first_new:]:
            node.chapter, node.chapter_level = chapter
    return nodes


# Shape: chapters numbered with a leading zero ("01. Presentación", "02 Ejes de
# intervención ..... 14"). They group an outline; their title may name a plan level.
_CHAPTER = re.compile(r"^0\d\.?[ \t]+(?P<title>\S.*)$")
_LEVEL_WORD = re.compile(
    r"\b(?:(?P<axis>ejes?)|(?P<objective>objetivos?)|(?P<policy>politicas\s+publicas)"
    r"|(?P<strategy>estrategias?)|(?P<action_line>lineas\s+de\s+accion))\b"
)


# Shape: an index whose entries a PDF ran together into one paragraph ("1. MARCO...... 4
# 2. DIAGNÓSTICO...... 6 EJE 1. PROGRESO...... 9"): it is cut after each page number.
_ENTRY_END = re.compile(r"(?:\.{4,}|…{2,})[ \t]*\d{1,3}[ \t]+(?=\S)")


def _split_run_together_index(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        if _ENTRY_END.search(line):  # a page number after leaders with more text after it
            line = _ENTRY_END.sub(lambda match: match.group(0).rstrip() + "\n", line)
        lines.append(line)
    return "\n".join(lines)


# Chapters every document has; a numbered line naming one is the outline, never an item.
_CHAPTER_NAME = re.compile(
    r"^(?:introduccion|presentacion|mensaje|antecedentes|metodologia|diagnostico|glosario|siglas"
    r"|acronimos|anexos?|bibliografia|referencias|indice|contenido)\b"
)
_MAX_CHAPTER_WORDS = 4


def _drop_document_sections(nodes: list[_Node], skipped: list[SkippedLine]) -> list[_Node]:
    """Shape: "6. Anexos", "6.1 Bibliografía" in a document's outline: bare numbered lines
    that only name one of a document's chapters are left out with their reason."""
    kept = []
    for node in nodes:
        text = squash(_LEADERS.sub("", node.raw_text)).rstrip(" .")
        if (
            node.shape in ("heading", "code")
            and len(text.split()) <= _MAX_CHAPTER_WORDS
            and _CHAPTER_NAME.match(fold(text))
        ):
            skipped.append(SkippedLine(f"{node.code} {text}", "document_section"))
        else:
            kept.append(node)
    return kept


def _drop_section_numbers(nodes: list[_Node], skipped: list[SkippedLine]) -> list[_Node]:
    """Shape: prefixed headings number the document's sections ("6.1 Relevancia del
    objetivo 1: …"), so another line of that section ("6.7 Vinculación de los
    objetivos…") is a section of the document, not item 6.7."""
    sections = {node.section for node in nodes if node.shape == "prefixed" and node.section}
    kept = []
    for node in nodes:
        if node.shape == "code" and len(node.key) == 2 and node.key[0] in sections:
            skipped.append(SkippedLine(f"{node.code} {squash(node.raw_text)}", "section_number"))
        else:
            kept.append(node)
    return kept


# A Roman block heading stands out even away from an item: "II. Objetivos específicos".
_RAW_BLOCK = re.compile(r"^[IVXLC]{1,6}\.\s+[A-ZÁÉÍÓÚÑ]")


def _index_entry(line: str, hint: str | None) -> _Node | None:
    """Shape: an index line led by its page number ("14 EJE 1: Autonomía…")."""
    page = _LEADING_PAGE.match(fold(line))
    if page is None:
        return None
    node = _item_from_line(line[page.end() :], hint)
    if node is not None:
        node.index = True
    return node


def _undecorate(line: str) -> str:
    line = _DECORATION.sub("", line.strip())
    line = line.replace("**", "").replace("__", "")
    if line.endswith("|"):
        line = line.rstrip("| ").replace(" | ", " ")
    return line.strip()


def _wrap_width(lines: list[str]) -> int:
    """Column at which a hard-wrapped text breaks its lines, or 0 if it does not."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 5:
        return 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    # One paragraph per line (Word, pandoc without wrapping) gives long lines.
    return width if width <= 160 else 0


def _continues(node: _Node, line: str, wrap_width: int, after_blank: bool) -> bool:
    if not node.raw_text.strip():
        return True
    last = node.parts[-1]
    if node.closed:
        # A heading complete on its line, unless the line stops at a little word ("…de la")
        # and the heading goes on in the next one (a PDF cuts long headings so).
        return _ends_in_link_word(last) and not _ENDS_SENTENCE.search(last)
    if _LEADERS.search(last):
        return False  # a table-of-contents entry ends at its page number
    if after_blank:
        # PDF converters leave blank lines mid-sentence; only an unfinished
        # sentence going on in lower case bridges them.
        return line[:1].islower() and not _ENDS_SENTENCE.search(last)
    if line[:1].islower():
        return True
    if line.endswith(":"):
        return False  # a capitalised lead-in to a list ("Principios del plan:") starts anew
    wrapped = wrap_width and len(last) >= 0.7 * wrap_width
    return bool(wrapped) and not _ENDS_SENTENCE.search(last)


_HEADING_LINKS = frozenset(
    {
        "a",
        "al",
        "de",
        "del",
        "en",
        "por",
        "con",
        "entre",
        "y",
        "e",
        "o",
        "u",
        "la",
        "las",
        "los",
        "el",
        "para",
        "que",
        "sin",
        "sobre",
    }
)


def _ends_in_link_word(text: str) -> bool:
    words = fold(text).split()
    return bool(words) and words[-1] in _HEADING_LINKS


def _item_from_line(line: str, hint: str | None) -> _Node | None:
    folded = fold(line)
    match = _KEYWORD_ITEM.match(folded)
    if match and _plausible_rest(line, match, allow_empty=True) and not _section_page(match):
        return _node(line, match, _matched_level(match), hint)
    match = _PREFIXED_ITEM.match(folded)
    if match and _plausible_rest(line, match, allow_empty=False):
        node = _node(line, match, _matched_level(match), hint, shape="prefixed", closed=True)
        node.section = int(match["section"]) if match["section"] else None
        return node
    match = _ABBREVIATED_ITEM.match(line)
    if match and _abbreviation(match["abbr"]) and line[match.start("rest") :].strip():
        # The initials make it an item even when its text starts in lower case.
        return _node(line, match, None, hint, shape="abbreviated")
    match = _BARE_ITEM.match(folded)
    if match and _plausible_rest(line, match, allow_empty=match["code"].count(".") >= 2):
        return _node(line, match, None, hint, shape="code")
    match = _BARE_SINGLE.match(folded)
    if match and _plausible_rest(line, match, allow_empty=False):
        # "1. Texto" is as often a prose list as a plan item: keep it only if
        # numbered items end up below it, or if it belongs to a flat list of headings.
        node = _node(line, match, None, hint, shape="heading")
        node.tentative = True
        return node
    return None


def _section_page(match: re.Match[str]) -> bool:
    """Shape: an index line naming a section in the plural and its page ("OBJETIVOS
    ESTRATÉGICOS 32"): a plural level word with a lone number and nothing after it is no
    item 32. "Objetivo 2" alone on its line, its text below, still is."""
    plural = match.group(0).split()[0].endswith("s")
    return plural and "." not in match["code"] and not match["rest"].strip()


def _abbreviation(abbr: str) -> bool:
    """Initials hold a dot or touch the code; a capital and a space ("A 2.5 millones") do
    not make initials."""
    return "." in abbr or not abbr.endswith((" ", "\t"))


def _plausible_rest(line: str, match: re.Match[str], *, allow_empty: bool) -> bool:
    rest = line[match.start("rest") :].strip()
    if not rest:
        return allow_empty
    # Prose that merely starts with a number ("2.5 millones de…") goes on in
    # lower case; item titles start with a capital, a quote or a digit.
    return not rest[0].islower()


def _matched_level(match: re.Match[str]) -> str:
    return next(level for level in LEVELS[:-1] if match.groupdict().get(level))


def _node(
    line: str,
    match: re.Match[str],
    level: str | None,
    hint: str | None,
    *,
    shape: str = "keyword",
    closed: bool = False,
) -> _Node:
    code = line[match.start("code") : match.end("code")]
    rest = line[match.start("rest") :].strip()
    return _Node(code, _code_key(code), level, [rest], hint=hint, shape=shape, closed=closed)


def _code_key(code: str) -> tuple[int, ...]:
    folded = code.lower()
    if folded.isalpha():
        return (_roman_value(folded),)
    return tuple(int(part) for part in code.split(".") if part)


def _roman_value(numeral: str) -> int:
    values = [_ROMAN.get(ch, 0) for ch in numeral]
    total = 0
    for value, following in zip(values, [*values[1:], 0], strict=True):
        total += -value if value < following else value
    return total


def _inline_items(line: str) -> list[_Node]:
    """Items named inside prose: "…en su política pública 2.10 Mujeres…, es…"."""
    folded = fold(line)
    nodes = []
    for match in _INLINE.finditer(folded):
        code = line[match.start("code") : match.end("code")]
        name = _inline_name(line[match.end() :])
        node = _Node(
            code, _code_key(code), _matched_level(match), [name], tentative=True, shape="inline"
        )
        nodes.append(node)
    return nodes


def _inline_name(after: str) -> str:
    after = re.sub(r"^[\s.:\-–—]+", "", after)
    # The colon inside "[footnoteRef:1]" ends no name: look for the end of the
    # name with the markers blanked out, keeping every offset in place.
    masked = _FOOTNOTE_REF.sub(lambda match: "x" * len(match.group()), after)
    end = _INLINE_NAME_END.search(masked)
    name = after[: end.start()] if end else after
    words = name.split()
    if len(words) > 20 or (words and words[0][:1].islower()):
        return ""
    return name.strip(" \"'“”«»")


_INLINE_NAME_END = re.compile(r"[,;:(\n]|\.(?:\s|$)")


def _hint_from_prose(line: str) -> str | None:
    """The level announced by "…se plantean las siguientes estrategias:"."""
    match = _HINT.search(fold(line))
    if not match:
        return None
    if not match["colon"] and len(line.split()) > 6:
        return None
    return _matched_level(match)


# --- Index entries without leaders -------------------------------------------

# A page number after a tab ("Texto\t14", a Word index) or a space ("Texto 14", the
# same index out of a PDF); not a figure the wording ends with ("…capacitar a 500").
_TRAILING_PAGE = re.compile(r"(?P<before>\S+)(?:\t+|\s+)(?P<page>\d{1,3})\s*$")
_LINK_WORDS = frozenset({"a", "al", "de", "del", "en", "por", "con", "hasta", "entre", "y"})
_MIN_INDEX_RUN = 3


def _mark_index_runs(nodes: list[_Node]) -> None:
    """Shape: an index whose entries end in a page number with no dot leaders.

    One item ending in a number may be worded so ("…en 10"); three one-line items
    in a row whose last numbers never go down are the entries of an index: they are
    marked as such and lose the page number.
    """
    run: list[_Node] = []
    for node in [*nodes, None]:
        page = _page_of(node) if node is not None else None
        if page is not None and (not run or page >= (_page_of(run[-1]) or 0)):
            run.append(node)
            continue
        _accept_index_run(run)
        run = [node] if page is not None else []


def _page_of(node: _Node) -> int | None:
    if len(node.parts) != 1:
        return None
    match = _TRAILING_PAGE.search(node.parts[0])
    if match is None or fold(match["before"]) in _LINK_WORDS:
        return None
    return int(match["page"])


def _accept_index_run(run: list[_Node]) -> None:
    if len(run) < _MIN_INDEX_RUN:
        return
    for entry in run:
        match = _TRAILING_PAGE.search(entry.parts[0])
        entry.parts = [entry.parts[0][: match.start("page")].rstrip()]
        entry.index = True


# --- Flat lists ---------------------------------------------------------------

# Chapters every plan has; a numbered list of them is the document's outline, not a plan level.
_DOCUMENT_SECTIONS = re.compile(
    r"^(?:introduccion|presentacion|mensaje|diagnostico|antecedentes|marco\b|metodologia"
    r"|glosario|siglas|acronimos|anexos?|bibliografia|referencias|indice|contenido"
    r"|seguimiento|evaluacion|alineacion|fuentes|participacion|consulta)"
)
_MAX_HEADING_WORDS = 14
_QUOTED_MOTTO = re.compile(r"[“«\"][^”»\"]{1,200}[”»\"]")


def _keep_flat_lists(nodes: list[_Node]) -> None:
    """Shape: a flat list of headings "1. Eje", "2. Eje"… with nothing numbered below.

    A PED's list of ejes is a plan level of its own. A run of "N. Texto" lines
    numbered 1, 2, 3… with no other item between them is kept when every entry
    reads as a heading (short, no sentence punctuation, not a chapter name such as
    "Introducción"), and the run has three entries, or two after a cue ("Ejes:").

    Under zero-padded chapters ("02 Ejes de intervención"), once a chapter's title names a
    plan level, only the list of such a chapter is kept (cued by the title); the lists of
    the other chapters are the document's outline.
    """
    chapters_name_levels = any(node.chapter_level for node in nodes)
    run: list[_Node] = []
    for node in [*nodes, None]:
        if (
            node is not None
            and node.shape == "heading"
            and node.key == (len(run) + 1,)
            and (not run or node.chapter == run[0].chapter)
        ):
            run.append(node)
            continue
        _accept_flat_run(run, chapters_name_levels)
        starts = node is not None and node.shape == "heading" and node.key == (1,)
        run = [node] if starts else []


def _accept_flat_run(run: list[_Node], chapters_name_levels: bool) -> None:
    if not run:
        return
    cue = run[0].hint
    if run[0].chapter is not None and chapters_name_levels:
        cue = run[0].chapter_level
        if cue is None:
            for node in run:
                node.shape = "outline"  # never worded over an item of the plan's own chapter
            return
    if len(run) < (2 if cue else 3) or not all(_reads_as_heading(node) for node in run):
        return
    for node in run:
        node.tentative = False
        node.shape = "flat"
        node.level = node.level or cue or "axis"


def _reads_as_heading(node: _Node) -> bool:
    text = squash(_LEADERS.sub("", node.raw_text))  # an index entry's leaders end no sentence
    folded = fold(text)
    # A motto in quotes after the axis' name ("Bienestar social “Combate a…”") is part of the
    # heading, not a sign of prose: only the words outside quotes are counted.
    words = _QUOTED_MOTTO.sub(" ", text).split()
    return (
        0 < len(words) <= _MAX_HEADING_WORDS
        and not re.search(r"[.;:!?…]$", text)
        and not _DOCUMENT_SECTIONS.match(folded)
    )


# --- Tree --------------------------------------------------------------------


def _build_tree(nodes: list[_Node], skipped: list[SkippedLine]) -> list[_Node]:
    root = _Node("", (), None, [])
    by_key: dict[tuple[int, ...], _Node] = {}
    open_levels: list[_Node] = []  # keyword items, for numbering that restarts per level
    for node in nodes:
        parent = _prefix_parent(node, by_key)
        if node.level and not node.tentative:
            rank = _RANK[node.level]
            while open_levels and _RANK[open_levels[-1].level or "item"] >= rank:
                open_levels.pop()
            if parent is None and open_levels:
                parent = open_levels[-1]
        placed = _attach(parent or root, node, skipped)
        by_key[node.key] = placed
        if placed.level and not placed.tentative:
            if not open_levels or open_levels[-1] is not placed:
                open_levels.append(placed)
    return root.children


def _prefix_parent(node: _Node, by_key: dict[tuple[int, ...], _Node]) -> _Node | None:
    for length in range(len(node.key) - 1, 0, -1):
        parent = by_key.get(node.key[:length])
        if parent is not None:
            return parent
    return None


def _attach(parent: _Node, node: _Node, skipped: list[SkippedLine]) -> _Node:
    """Add `node` under `parent`, merging it into a sibling with the same code."""
    twin = next((child for child in parent.children if child.key == node.key), None)
    if twin is not None and twin.tentative and not twin.children and not node.tentative:
        # A sure item takes the place of a line kept only if items hung below it (an
        # outline's "2. Diagnóstico" before "EJE 2. Agua"), in document order.
        if twin.shape in _LIST_SHAPES and squash(twin.raw_text) != squash(node.raw_text):
            text = squash(_LEADERS.sub("", twin.raw_text))
            skipped.append(SkippedLine(f"{twin.code}. {text}", "list_in_prose"))
        parent.children.remove(twin)
        twin = None
    if twin is None:
        parent.children.append(node)
        return node
    # Tables of contents, summaries and section headings repeat items: keep one,
    # with the best wording of the two.
    if node.tentative and not twin.tentative and node.shape in _LIST_SHAPES:
        if squash(node.raw_text) != squash(twin.raw_text):
            skipped.append(SkippedLine(f"{node.code}. {squash(node.raw_text)}", "list_in_prose"))
    elif twin.shape == "outline" and node.shape != "outline":
        # The outline line came first: the plan's own item takes its place.
        skipped.append(SkippedLine(f"{twin.code}. {squash(twin.raw_text)}", "list_in_prose"))
    if _wording_rank(node) > _wording_rank(twin):
        twin.parts, twin.index, twin.closed = node.parts, node.index, node.closed
        twin.shape = node.shape
    twin.level = twin.level or node.level
    twin.tentative = twin.tentative and node.tentative
    twin.hint = twin.hint or node.hint
    return twin


def _wording_rank(node: _Node) -> tuple[bool, bool, bool, float, int]:
    """Which of two lines naming one item words it best: anything beats a chapter's
    outline, an item beats a line kept only if items hang below it ("EJE 1. Progreso" in an
    index beats a body's "1. Integración del cabildo"), the body beats an index, a surer
    shape ("Objetivo prioritario 1.- Texto") beats a less sure one ("6.1.- Relevancia del
    Objetivo prioritario 1: Texto"), and otherwise the fuller wording wins."""
    return (
        node.shape != "outline",
        not node.tentative,
        not node.index,
        _CONFIDENCE[node.shape],
        len(node.raw_text),
    )


def _drop_index_twins(roots: list[_Node], skipped: list[SkippedLine]) -> list[_Node]:
    """Shape: an index and the body both list the items: keep the body's.

    An index entry read before its parent exists lands elsewhere in the tree
    than the body's item with the same code; the entry goes when the body has
    the code and the entry carries nothing below it.
    """
    body_codes = {node.key for node in _walk(roots) if not node.index}

    def keep(nodes: list[_Node]) -> list[_Node]:
        kept = []
        for node in nodes:
            node.children = keep(node.children)
            if node.index and node.key in body_codes and not node.children:
                skipped.append(SkippedLine(squash(_LEADERS.sub("", node.raw_text)), "index_entry"))
            else:
                kept.append(node)
        return kept

    return keep(roots)


def _walk(nodes: list[_Node]) -> Iterator[_Node]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _prune(nodes: list[_Node], skipped: list[SkippedLine]) -> list[_Node]:
    kept = []
    for node in nodes:
        node.children = _prune(node.children, skipped)
        if not (node.tentative and not node.children):
            kept.append(node)
        elif node.shape in _LIST_SHAPES:
            skipped.append(SkippedLine(f"{node.code}. {squash(node.raw_text)}", "list_in_prose"))
    return kept


def _assign_levels(nodes: list[_Node], parent_level: str | None) -> None:
    sibling_levels = Counter(node.level for node in nodes if node.level)
    common = sibling_levels.most_common(1)[0][0] if sibling_levels else None
    for node in nodes:
        if node.level is None:
            inherited = _CHILD_LEVEL[parent_level] if parent_level else None
            node.level = common or node.hint or inherited or "item"
        _assign_levels(node.children, node.level)


def _qualify_restarted_codes(roots: list[_Node]) -> None:
    """Shape: numbering that restarts inside each parent ("EJE 2" → "Objetivo 1").

    A plan needs one code per item, so when a level's codes clash with any other
    code, every item of that level hanging from a parent by keyword alone gets
    its parent's code in front: the first objective of axis 2 becomes "2.1".
    """
    for level in LEVELS:
        restarted = [
            (parent, node)
            for parent, node in _walk_with_parents(roots, None)
            if parent is not None and node.level == level and len(node.key) == 1
        ]
        codes = Counter(node.code for node in _walk(roots))
        if any(codes[node.code] > 1 for _parent, node in restarted):
            for parent, node in restarted:
                node.code = f"{parent.code}.{node.code}"
                node.key = (*parent.key, *node.key)


def _walk_with_parents(
    nodes: list[_Node], parent: _Node | None
) -> Iterator[tuple[_Node | None, _Node]]:
    for node in nodes:
        yield parent, node
        yield from _walk_with_parents(node.children, node)


def _without_partial_markers(text: str) -> str:
    # Repeat: cutting one marker out may join the halves of another.
    while True:
        cleaned = _PARTIAL_MARKER.sub("", text)
        if cleaned == text:
            return text
        text = cleaned


def _to_drafts(nodes: list[_Node], notes: dict[str, str]) -> list[DraftItem]:
    return [draft for draft in (_to_draft(node, notes) for node in nodes) if draft is not None]


def _to_draft(node: _Node, notes: dict[str, str]) -> DraftItem | None:
    raw = _join_parts(node.parts)
    refs = _FOOTNOTE_REF.findall(raw)
    text = squash(_without_partial_markers(_LEADERS.sub("", _FOOTNOTE_REF.sub("", raw))))
    text = _unglue(text)
    note = " ".join(notes[ref] for ref in dict.fromkeys(refs) if notes.get(ref))
    children = _to_drafts(node.children, notes)
    if not text and not children:
        # A code followed by nothing but artefacts names no item; a heading with
        # items below keeps its place and gets its text during review.
        return None
    return DraftItem(node.code, node.level or "item", text, note, children, _confidence(node))


# Lines kept only if items hang below them: a numbered line, or one of a chapter's outline.
_LIST_SHAPES = ("heading", "outline")

_CONFIDENCE = {
    "keyword": 0.95,
    "prefixed": 0.85,
    "abbreviated": 0.85,
    "code": 0.85,
    "heading": 0.75,
    "flat": 0.6,
    "inline": 0.5,
    "outline": 0.5,
}


def _confidence(node: _Node) -> float:
    """Keyword items are surest, flat lists and mentions in prose least; an item
    only an index names is less sure than one the body states."""
    value = _CONFIDENCE.get(node.shape, 0.5)
    return round(value * (0.8 if node.index else 1.0), 2)


_HYPHENATED = re.compile(r"[^\W\d_]-$")


def _join_parts(parts: list[str]) -> str:
    """Shape: a word hyphenated across lines ("oportuni-" + "dades") is joined back."""
    joined = ""
    for part in parts:
        if joined and _HYPHENATED.search(joined) and part[:1].islower():
            joined = joined[:-1] + part
        else:
            joined = f"{joined} {part}" if joined else part
    return joined


# Shape: words glued by PDF extraction ("DesarrolloSustentable"): a capital right
# after three lower-case letters starts a new word.
_GLUED = re.compile(r"(?<=[a-záéíóúñü]{3})(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñü])")


def _unglue(text: str) -> str:
    return _GLUED.sub(" ", text)
