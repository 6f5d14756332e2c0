"""Read an institutional profile: creation instrument, names, mission, vision.

Profiles are written as prose by each institute, so the rules look for the
cues every author uses ("se creó por decreto", "Misión", "Visión", "objetivos
institucionales", "políticas transversales") and take what follows them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .plan_parser import plan_mentions
from .text import BULLETS, capitalise_first, fold, normalise_newlines, squash


class TransversalPolicy(NamedTuple):
    number: int
    name: str
    text: str


@dataclass
class CreationInstrument:
    kind: str | None = None  # "Decreto", "Acuerdo", "Ley"
    number: str | None = None
    date: datetime.date | None = None
    gazette: str | None = None
    law_name: str | None = None


@dataclass(frozen=True)
class Transformation:
    """A dated step of the institution's history: its creation, a new name or a new form."""

    date: datetime.date
    name: str
    legal_form: str | None = None


@dataclass
class DraftProfile:
    current_name: str | None = None
    former_names: list[str] = field(default_factory=list)
    creation: CreationInstrument = field(default_factory=CreationInstrument)
    mission: str | None = None
    vision: str | None = None
    objectives: list[str] = field(default_factory=list)
    transversal_policies: list[TransversalPolicy] = field(default_factory=list)
    aligned_plan: str | None = None
    # "Organismo público descentralizado", "Órgano desconcentrado", "Secretaría"...
    legal_form: str | None = None
    # The object a creation law gives the institution ("tiene por objeto…").
    purpose: str | None = None
    transformations: list[Transformation] = field(default_factory=list)


def parse_profile(text: str) -> DraftProfile:
    text = normalise_newlines(text or "")
    lists = _cued_lists(text.split("\n"))
    former, current = _names(text, _creation_paragraph(text) or "")
    history = transformations(text)
    if len(history) >= 2 or (current is None and history):
        # A history that dates several steps names today's institution last.
        current = history[-1].name
    current = current or _title_name(text)
    former = list(dict.fromkeys([*former, *(step.name for step in history)]))
    mentions = plan_mentions(text)
    return DraftProfile(
        current_name=current,
        former_names=[name for name in former if name != current],
        creation=_creation(text),
        mission=_section(text, "mission"),
        vision=_section(text, "vision"),
        objectives=lists.get("objectives") or lists.get("attributions", []),
        transversal_policies=[_policy(n, item) for n, item in lists.get("policies", [])],
        aligned_plan=mentions[0].title if mentions else None,
        legal_form=_legal_form(text, history, current),
        purpose=_purpose(text),
        transformations=history,
    )


def profile_parts(profile: DraftProfile) -> list[str]:
    """The parts of an institute's profile found: "creation", "mission", "vision",
    "objectives", "policies"."""
    creation = profile.creation
    found = {
        "creation": bool(creation.kind or creation.number or creation.law_name),
        "mission": bool(profile.mission),
        "vision": bool(profile.vision),
        "objectives": bool(profile.objectives),
        "policies": bool(profile.transversal_policies),
    }
    return [part for part, present in found.items() if present]


def reads_as_profile(profile: DraftProfile) -> bool:
    """Whether a text read as ``profile`` is an institutional profile.

    One cue alone turns up in any document (a list after "objetivos", a passing "visión de
    género"); two of an institute's own sections do not.
    """
    return len(profile_parts(profile)) >= 2


# --- Spanish dates -----------------------------------------------------------

_MONTHS = {
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
_DATE_WORDS = re.compile(
    r"\b(?P<day>\d{1,2}|primero)\s*(?:o\.?|º|°)?\s+de\s+(?P<month>"
    + "|".join(_MONTHS)
    + r")\s+(?:de|del)\s+(?:ano\s+)?(?P<year>\d{4})\b"
)
_DATE_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})\b")


def find_dates(text: str) -> list[tuple[int, datetime.date]]:
    """Dates written in Spanish ("18 de junio del 2000", "18/06/2000"), with positions."""
    folded = fold(text)
    found = []
    for match in [*_DATE_WORDS.finditer(folded), *_DATE_NUMERIC.finditer(folded)]:
        day = 1 if match["day"] == "primero" else int(match["day"])
        month = _MONTHS.get(match["month"]) or int(match["month"])
        try:
            found.append((match.start(), datetime.date(int(match["year"]), month, day)))
        except ValueError:
            continue
    return sorted(found)


# --- Creation instrument -----------------------------------------------------

_CREATION_CUE = re.compile(r"\b(?:decreto|se creo|se crea|creacion|ley que crea|fue creado)")
_PUBLISHED = re.compile(r"\bpublicad[oa]\b")
_INSTRUMENT = re.compile(
    r"\b(?P<kind>decreto|acuerdo)(?:\s+(?:administrativo|legislativo|gubernativo))?"
    r"\s*(?:(?:n|no|num|numero)\s*\.?\s*)?(?P<number>\d[\w/.-]*\d|\d)"
)
_GAZETTE = re.compile(
    r"(?:Peri[oó]dico|Gaceta|Bolet[ií]n|Diario)\s+Oficial"
    r"(?:\s+(?:del|de\s+la)\s+(?:Gobierno\s+del\s+)?(?:Estado|Federaci[oó]n)"
    r"(?:\s+(?:Libre\s+y\s+Soberano\s+)?de\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:\s+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)*)?)?",
)
_QUOTED = re.compile(r"[“\"«]\s*((?:Ley|Decreto|Acuerdo)\b[^”\"»\n]{3,200}?)\s*[”\"»]")


def _creation(text: str) -> CreationInstrument:
    paragraph = _creation_paragraph(text)
    if paragraph is None:
        return CreationInstrument()
    folded = fold(paragraph)
    instrument = _INSTRUMENT.search(folded)
    dates = find_dates(paragraph)
    gazette = _GAZETTE.search(paragraph)
    law = _QUOTED.search(paragraph)
    law_name = squash(law.group(1)) if law else _law_heading(text)
    bare = _BARE_INSTRUMENT.search(folded)  # "fue creado mediante decreto publicado el…"
    kind = (
        instrument["kind"].capitalize()
        if instrument
        else ("Ley" if law_name else (bare["kind"].capitalize() if bare else _title_kind(text)))
    )
    date = _date_near(dates, instrument.start() if instrument else 0)
    if date is None and not instrument:
        # Shape: a creation law whose date is only in its publication note.
        date, gazette = _publication(text) or (None, gazette)
    return CreationInstrument(
        kind=kind,
        number=instrument["number"] if instrument else None,
        date=date,
        gazette=squash(gazette.group(0)) if gazette else None,
        law_name=law_name,
    )


_BARE_INSTRUMENT = re.compile(
    r"\b(?:mediante|por|a\s+traves\s+de)\s+(?:el\s+)?(?P<kind>decreto|acuerdo)\b"
)
_LAW_HEADING = re.compile(r"^\s*(?:ley\s+(?:que\s+crea|organica|de\s+creacion)\b[^\n]{5,200})$")
# Shape: the title of the instrument in capitals at the head of the text, alone or after a
# gazette's page header: "DECRETO POR EL QUE SE CREA EL INSTITUTO…", "LEY del Instituto…".
_TITLE_INSTRUMENT = re.compile(
    r"(?:^|\s)(?P<kind>LEY|DECRETO|ACUERDO)\s+(?:(?:POR\s+EL\s+)?QUE\s+(?:SE\s+)?CREA"
    r"|DE\s+CREACI[OÓ]N|DEL\s+INSTITUTO|del\s+Instituto)\b"
)
_TITLE_REACH = 400


def _law_heading(text: str) -> str | None:
    """Shape: the title line of a creation law ("LEY QUE CREA EL INSTITUTO…")."""
    for line in text.split("\n")[:15]:
        if _LAW_HEADING.match(fold(line)):
            return _sentence_case_name(squash(line))
    return None


def _title_kind(text: str) -> str | None:
    """The kind of instrument the text's title names ("DECRETO POR EL QUE SE CREA…")."""
    match = _TITLE_INSTRUMENT.search(text[:_TITLE_REACH])
    return match["kind"].capitalize() if match else None


def _sentence_case_name(line: str) -> str:
    """A title in capitals written as a name: "LEY QUE CREA EL INSTITUTO X DE LAS
    MUJERES" becomes "Ley que crea el Instituto X de las Mujeres"."""
    if line != line.upper():
        return line
    words = line.lower().split()
    head = next((i for i, word in enumerate(words) if re.match(_HEAD, word.title())), None)
    out = []
    for index, word in enumerate(words):
        proper = head is not None and index >= head and not re.fullmatch(_CONNECTOR, word)
        out.append(word.capitalize() if index == 0 or proper else word)
    return " ".join(out)


def _publication(text: str) -> tuple[datetime.date, re.Match[str] | None] | None:
    for paragraph in text.split("\n"):
        if _PUBLISHED.search(fold(paragraph)):
            dates = find_dates(paragraph)
            if dates:
                return dates[0][1], _GAZETTE.search(paragraph)
    return None


def _creation_paragraph(text: str) -> str | None:
    """The first paragraph that speaks of the creation, preferring one with a date.

    A law's own publication note ("Publicada en el Periódico Oficial el…") is
    the fallback when no paragraph speaks of a decree or a creation.
    """
    paragraphs = text.split("\n")
    candidates = [p for p in paragraphs if _CREATION_CUE.search(fold(p))]
    published = [p for p in paragraphs if _PUBLISHED.search(fold(p)) and _GAZETTE.search(p)]
    dated = [p for p in candidates if find_dates(p)]
    dated_published = [p for p in published if find_dates(p)]
    return (dated or candidates or dated_published or [None])[0]


def _date_near(dates: list[tuple[int, datetime.date]], position: int) -> datetime.date | None:
    if not dates:
        return None
    return min(dates, key=lambda found: abs(found[0] - position))[1]


# --- Names -------------------------------------------------------------------

_HEAD = r"(?:Instituto|Secretar[ií]a|Consejo|Coordinaci[oó]n|Comisi[oó]n)"
_CAP = r"[A-ZÁÉÍÓÚÑ][\wáéíóúñü]*"
_CONNECTOR = r"(?:de|del|la|las|los|para|y|e)"
# "Instituto de la Mujer para el Estado de Morelos": "el" joins a name only after "para".
_NAME_LINK = r"(?:para[ \t]+el|de|del|la|las|los|para|y|e)"
_INSTITUTION = re.compile(rf"\b{_HEAD}(?:(?:[ \t]+{_NAME_LINK})*[ \t]+{_CAP})+")
_FORMER_CUE = re.compile(
    r"(?:\bdenominad[oa]|\bllamad[oa]|\banteriormente|\bantes|\botrora|\boriginalmente"
    r"|\bley\s+que\s+crea|\bcreacion\s+del?|\bcambio\s+su\s+(?:denominacion|nombre)\s+de)"
    r"(?:\s+(?:como|el|la|al))?\s*[“\"«]?\s*$"
)
_CURRENT_CUE = re.compile(
    r"(?:\bactualmente|\bhoy|\bahora|\bcambio\s+su\s+(?:denominacion|nombre)(?:\s+de\s+.*)?\s+a"
    r"|\bse\s+(?:transformo|convirtio)\s+en|\bpaso\s+a\s+ser)"
    r"(?:\s+(?:denominad[oa]|llamad[oa]|se\s+denomina|como|el|la|en))*\s*[“\"«]?\s*$"
)


def _names(text: str, creation_paragraph: str) -> tuple[list[str], str | None]:
    former: list[str] = []
    current: list[str] = []
    plain: list[str] = []
    owners: set[str] = set()
    for match in _INSTITUTION.finditer(text):
        name = _trim_name(match.group(0))
        before = fold(text[max(0, match.start() - 60) : match.start()])
        if _OWNER_CUE.search(before):
            # "órgano desconcentrado de la Secretaría General de Gobierno": the
            # institution it belongs to, never one of its names.
            owners.add(name)
        if _CURRENT_CUE.search(before):
            current.append(name)
        elif _FORMER_CUE.search(before):
            former.append(name)
        else:
            plain.append(name)
    chosen = current[-1] if current else _most_frequent(n for n in plain if n not in former)
    if current:
        # Once the text states today's name, the institute it says was created
        # under another name is a former name ("El Instituto X se creó…").
        former += [n for n in plain if n in creation_paragraph and n != chosen and n not in owners]
    former = [n for n in dict.fromkeys(former) if n != chosen]
    return former, chosen


_OWNER_CUE = re.compile(
    r"(?:desconcentrad[oa]|sectorizad[oa]|adscrit[oa]|dependiente)\s+(?:de|del|de\s+la|a|al|a\s+la)\s*$"
)


# Shape: the institution named only in the capitals of the title ("DECRETO POR EL QUE SE
# CREA EL INSTITUTO DE LA MUJER PARA EL ESTADO DE TLAXCALA").
_CAPS_INSTITUTION = re.compile(
    r"\b(?:INSTITUTO|SECRETAR[IÍ]A|CONSEJO|COORDINACI[OÓ]N|COMISI[OÓ]N)"
    r"(?:[ \t]+(?:PARA[ \t]+EL|DE|DEL|LA|LAS|LOS|PARA|Y|E|[A-ZÁÉÍÓÚÑ]{2,})\b)+"
)
_CAPS_LINKS = frozenset({"de", "del", "la", "las", "los", "para", "el", "y", "e"})


def _title_name(text: str) -> str | None:
    match = _CAPS_INSTITUTION.search(text[:_TITLE_REACH])
    if match is None:
        return None
    words = match.group(0).lower().split()
    while words and words[-1] in _CAPS_LINKS:
        words.pop()
    if len(words) < 2:
        return None
    return " ".join(w if w in _CAPS_LINKS and i else w.capitalize() for i, w in enumerate(words))


def _trim_name(name: str) -> str:
    # The pattern may swallow a trailing connector-less word such as "Estado"
    # only through connectors; nothing to trim but spaces and punctuation.
    return squash(name).rstrip(".,;:")


def _most_frequent(names) -> str | None:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda name: counts[name])  # ties: first seen wins


# --- Mission and vision ------------------------------------------------------

_SECTION_CUE = {
    "mission": re.compile(r"\bmision\b"),
    "vision": re.compile(r"\bvision\b"),
}
_NEXT_CUE = re.compile(
    r"(?:(?:^|\n)[ \t#*]*|\b(?:la|las|los|el|nuestra|nuestros|nuestras|su|sus)\s+)"
    r"(?:mision|vision|valores|objetivos|politicas\s+transversales"
    r"|principios)\b"
)
_OWNER = re.compile(r"\s*(?:del|de\s+la|de)\s+")
_LEAD = re.compile(
    r"(?:\s*(?:institucional|del?\s+(?:la\s+)?(?:instituto|secretaria|consejo|organismo)|"
    r"se\s+traduce(?:\s+en)?|es|sera|consiste\s+en|se\s+define\s+como|es\s+la\s+siguiente|"
    r"(?:de\s+)?(?:nuestra|la)\s+institucion)\b|\s*[:,.\-–—])+\s*"
)


def _section(text: str, which: str) -> str | None:
    folded = fold(text)
    cue = _section_cue(folded, which)
    if cue is None:
        return None
    start = _content_start(text, folded, cue.end())
    following = _NEXT_CUE.search(folded, start)
    end = following.start() if following else len(text)
    # A section ends with its paragraph unless its heading stood alone.
    newline = text.find("\n", start)
    if newline != -1 and newline < end:
        end = newline
    return _clean_section(text[start:end]) or None


def _section_cue(folded: str, which: str) -> re.Match[str] | None:
    """Prefer a cue that introduces the section over a passing "visión de género"."""
    cues = list(_SECTION_CUE[which].finditer(folded))
    return next((cue for cue in cues if _introduces(folded, cue)), cues[0] if cues else None)


def _introduces(folded: str, cue: re.Match[str]) -> bool:
    before = folded[max(0, cue.start() - 12) : cue.start()]
    after = folded[cue.end() : cue.end() + 3].lstrip(" ")
    return bool(re.search(r"(?:^|\n|\b(?:la|nuestra|su))\s*$", before)) or after[:1] in (
        ":",
        "\n",
        "",
    )


def _content_start(text: str, folded: str, after_cue: int) -> int:
    """Skip what sits between the cue and the content: "del Instituto X, se traduce…"."""
    position = after_cue
    while True:
        owner = _OWNER.match(folded, position)
        name = _INSTITUTION.match(text, owner.end()) if owner else None
        if name:
            position = name.end()
            continue
        lead = _LEAD.match(folded, position)
        if lead and lead.end() > position:
            position = lead.end()
            continue
        break
    # A heading alone on its line ("Misión") is followed by its paragraph.
    while position < len(text) and text[position] in " \t\n":
        position += 1
    return position


def _clean_section(section: str) -> str:
    section = squash(section)
    # Authors chain sections as "…violencia.; y La Visión…": drop the glue.
    previous = None
    while previous != section:
        previous = section
        section = re.sub(r"(?:[\s;,]+|\s+y)$", "", section)
    return capitalise_first(section)


# --- Legal form, object and history ------------------------------------------

_LEGAL_FORMS = (
    (re.compile(r"\borganismo\s+publico\s+descentralizado\b"), "Organismo público descentralizado"),
    (re.compile(r"\borganismo\s+descentralizado\b"), "Organismo público descentralizado"),
    (
        re.compile(r"\b(?:organo|organismo)\s+(?:administrativo\s+)?desconcentrado\b"),
        "Órgano desconcentrado",
    ),
    (
        re.compile(r"\b(?:organismo|organo)\s+(?:constitucional\s+)?autonomo\b"),
        "Organismo autónomo",
    ),
    (re.compile(r"\bdependencia\s+de\s+la\s+administracion\s+publica\s+centralizada\b"), None),
)


def _legal_form(
    text: str, history: list[Transformation], current_name: str | None = None
) -> str | None:
    """The institution's legal form today.

    Shape: a history page names a form at each step, so the latest step that names
    one wins; a creation law names it once ("se crea… como un organismo público
    descentralizado").
    """
    for step in reversed(history):
        if step.legal_form:
            return step.legal_form
    # A Secretaría named as today's institution is one, whatever forms the text also names.
    return _form_in(text, current_name)


def _form_in(sentence: str, name: str | None) -> str | None:
    if name and fold(name).startswith("secretaria"):
        return "Secretaría"
    folded = fold(sentence)
    found = [
        (m.start(), label) for pattern, label in _LEGAL_FORMS for m in pattern.finditer(folded)
    ]
    for _position, label in sorted(found):
        if label:
            return label
    return None


_PURPOSE = re.compile(
    r"\b(?:tiene|tendra)\s+(?:por|como)\s+objet(?:o|ivo)(?:\s+general)?\s*(?:[:,]\s*)?(?:el\s+de\s+)?"
    r"|\bobjeto\s+del?\s+(?:la\s+)?(?:instituto|secretaria|consejo|organismo)\s+(?:es|sera)\s+"
)


def _purpose(text: str) -> str | None:
    """Shape: the article of a creation law that states the object ("tiene por objeto…")."""
    match = _PURPOSE.search(fold(text))
    if match is None:
        return None
    rest = text[match.end() :]
    end = re.search(r"\.(?:\s|$)|\n", rest)
    purpose = squash(rest[: end.start()] if end else rest)
    return capitalise_first(purpose) or None


_SENTENCE_BREAK = re.compile(r"(?<=[.;])\s+(?=[A-ZÁÉÍÓÚÑ])|\n+")
_STEP_CUE = re.compile(
    r"(?:\bse\s+cre[oa]|\bfue\s+cread[oa]|\bse\s+transformo\s+en|\bse\s+convirtio\s+en"
    r"|\bpaso\s+a\s+ser|\bcambio\s+su\s+(?:denominacion|nombre)(?:\s+de\s+.*)?\s+(?:a|por)"
    r"|\bse\s+denomino|\bahora\s+(?:se\s+)?(?:denomina|llama))"
    r"(?:\s+(?:como|el|la|al|en|denominad[oa]))*\s*[“\"«]?\s*$"
)


_POINTS_BACK = re.compile(
    r"\b(?:esta|dicha|la\s+citada|la\s+referida)\s+ley\b"
    r"|\b(?:este|dicho|el\s+citado|el\s+referido)\s+(?:decreto|acuerdo)\b"
)


# "El Instituto X fue creado mediante decreto…": the cue follows the name.
_CREATED_AFTER = re.compile(r"\s*,?\s*(?:fue\s+cread[oa]|se\s+creo|nace|nacio)\b")


def transformations(text: str) -> list[Transformation]:
    """Shape: a history that dates each step ("El 1 de enero de 2016… cambió su
    denominación a…"): one step per dated sentence naming the institution it made."""
    steps = []
    previous_dates: list[tuple[int, datetime.date]] = []
    for sentence in _SENTENCE_BREAK.split(text):
        dates = find_dates(sentence)
        if not dates and _POINTS_BACK.search(fold(sentence)):
            # Shape: "Con la publicación de esta ley, se creó la Secretaría…": the step
            # takes the date of the law the sentence before dated.
            dates = previous_dates
        if sentence.strip():
            previous_dates = find_dates(sentence)
        if not dates:
            continue
        for match in _INSTITUTION.finditer(sentence):
            before = fold(sentence[max(0, match.start() - 60) : match.start()])
            after = fold(sentence[match.end() : match.end() + 40])
            if _STEP_CUE.search(before) or _CREATED_AFTER.match(after):
                name = _trim_name(match.group(0))
                tail = sentence[match.end() :]
                steps.append(Transformation(dates[0][1], name, _form_in(tail, name)))
                break
    steps.sort(key=lambda step: step.date)
    return list({(step.date, step.name): step for step in steps}.values())


# --- Lists after a cue ("…son:", "…que establece el Plan:") -----------------

_LIST_ITEM = re.compile(
    r"^\s*(?:(?P<number>\d{1,2})\s*[.)\-–]|(?P<roman>[IVXLC]{1,6})\s*(?:\.-|[.)\-–])\s|["
    + re.escape(BULLETS)
    + r"])\s*(?P<text>\S.*)$"
)
_LIST_CUES = (
    ("policies", re.compile(r"\bpoliticas\s+transversales\b|\bejes\s+transversales\b")),
    ("objectives", re.compile(r"\bobjetivos\b")),
    # Shape: a creation law's article of attributions, a Roman-numbered list.
    ("attributions", re.compile(r"\b(?:atribuciones|facultades)\b")),
)
# A law's list closes with a catch-all ("Las demás que le confieran…"): no objective.
_CATCH_ALL = re.compile(r"^(?:las\s+)?demas\s+que\b")


def _cued_lists(lines: list[str]) -> dict[str, list]:
    lists: dict[str, list] = {}
    for index, line in enumerate(lines):
        kind = _list_kind(line)
        if kind is None or kind in lists:
            continue
        items = _list_after(lines, index + 1)
        if kind == "attributions":
            items = [(n, text) for n, text in items if not _CATCH_ALL.match(fold(text))]
        if items:
            lists[kind] = items if kind == "policies" else [_list_text(text) for _, text in items]
    return lists


def _list_text(text: str) -> str:
    """An entry without the glue a law's list puts between entries ("…;", "…, y")."""
    return re.sub(r"(?:[;,]\s*y|[;,])\s*$", "", squash(text)).strip()


def _list_kind(line: str) -> str | None:
    folded = fold(line)
    if _LIST_ITEM.match(line):
        return None
    return next((kind for kind, cue in _LIST_CUES if cue.search(folded)), None)


def _list_after(lines: list[str], start: int) -> list[tuple[int, str]]:
    items: list[tuple[int, str]] = []
    for line in lines[start:]:
        if not line.strip():
            if items:
                break
            continue
        match = _LIST_ITEM.match(line)
        if match is None:
            break
        number = int(match["number"]) if match["number"] else len(items) + 1
        items.append((number, match["text"].strip()))
    return items


def _policy(number: int, item: str) -> TransversalPolicy:
    item = squash(item)
    name, separator, rest = _split_name(item)
    if not separator:
        return TransversalPolicy(number, item.rstrip("."), "")
    return TransversalPolicy(number, name.strip(), rest.strip())


def _split_name(item: str) -> tuple[str, str, str]:
    for separator in (":", " – ", " - ", ","):
        name, found, rest = item.partition(separator)
        if found and name.strip() and len(name.split()) <= 8:
            return name, found, rest
    return item, "", ""
