"""Free text that looks like personal data: a CURP, an RFC, an e-mail address, a telephone
number, a street address or a person's name.

The registers count people and never list them; a form or an import that receives one of
these is refused with the kind of data it looks like, so that no case record slips in through
a notes field or a misplaced spreadsheet column. The checks lean towards refusing: a place
or programme that happens to read like a name can be passed as ``allowed`` (the caller's
catalogue of municipality names, for instance) or written differently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

# CURP: four letters, birth date (aammdd), sex, state of birth, three consonants, a
# differentiator and a check digit.
_CURP = re.compile(
    r"\b[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX][A-Z]{2}"
    r"[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d\b",
    re.IGNORECASE,
)
# RFC of a person: four letters, date, three-character homoclave.
_RFC = re.compile(
    r"\b[A-ZÑ&]{4}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[A-Z0-9]{3}\b", re.IGNORECASE
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
# Ten digits (a Mexican number), possibly after +52, grouped by spaces, dots, dashes or
# parentheses; never commas (amounts) nor slashes (dates).
_PHONE = re.compile(r"(?<![\d/])(\+?\s?52[\s.-]?)?(\(?\d[\d\s.()-]{8,16}\d)(?![\d/])")
_ADDRESS = re.compile(
    r"\b(calle|avenida|av\.|blvd\.?|bulevar|boulevard|calzada|calz\.|privada|priv\.|"
    r"andador|callej[oó]n|cerrada|colonia|col\.|fraccionamiento|fracc\.|manzana|mz\.|"
    r"lote|lt\.|domicilio)\s+[^,;:\n]{0,60}?\d"
    r"|#\s?\d+"
    r"|\bn[uú]m(ero|\.)?\s*(ext(erior)?\.?|int(erior)?\.?)?\s*\d+"
    r"|\bc\.?\s?p\.?\s?\d{5}\b",
    re.IGNORECASE,
)
# Given names common in Mexico (a fact list, not a register of anybody): a text in which one
# of them is followed by one to three capitalised words reads as a person's name.
GIVEN_NAMES = frozenset(
    """
    adriana alejandra alejandro alicia alma ana andrea angelica antonio araceli arturo beatriz
    blanca brenda carlos carmen carolina cecilia claudia cristina daniel daniela david diana
    diego dolores eduardo elena elizabeth enrique erika esperanza esther eva fernanda
    fernando francisco gabriela gerardo gloria guadalupe guillermo hector hilda irma isabel
    ivan javier jesus jessica jorge jose josefina juan juana julia julio karina karla laura
    leticia liliana lorena lucia luis luisa lourdes manuel marcela margarita maria mariana
    mario marisol marta martha martin mayra miguel monica nancy natalia norma olga oscar
    pablo patricia pedro perla raquel raul rebeca refugio ricardo roberto rocio rosa rosario
    ruben sandra sara sergio silvia sofia sonia susana teresa valeria veronica victor
    victoria ximena yolanda
    """.split()
)
_CAPITALISED = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+"
_WORD = re.compile(rf"\b{_CAPITALISED}\b")
# What follows a given name in a person's name: one to three surnames (with their particles).
_SURNAMES = re.compile(rf"(?:\s+(?:de\s+la\s+|de\s+los\s+|del\s+|de\s+)?{_CAPITALISED}\b){{1,3}}")


class PersonalData(NamedTuple):
    kind: str  # what it looks like, said on screen
    fragment: str  # the part of the text that looks like it


KINDS = {
    "curp": _("una CURP"),
    "rfc": _("un RFC"),
    "email": _("un correo electrónico"),
    "phone": _("un número telefónico"),
    "address": _("un domicilio"),
    "name": _("un nombre de persona"),
}


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").lower()


def find_personal_data(
    text: str, *, allowed: Iterable[str] = (), names: bool = True
) -> PersonalData | None:
    """The first stretch of ``text`` that looks like personal data, or None. ``names=False``
    leaves out the person's-name check, for titles that may honour someone ("Cátedra Rosario
    Castellanos")."""
    if not text or not text.strip():
        return None
    for phrase in allowed:
        if phrase:
            text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    for kind, pattern in (("curp", _CURP), ("rfc", _RFC), ("email", _EMAIL)):
        found = pattern.search(text)
        if found:
            return PersonalData(str(KINDS[kind]), found.group(0))
    for found in _PHONE.finditer(text):
        if sum(ch.isdigit() for ch in found.group(2)) == 10:
            return PersonalData(str(KINDS["phone"]), found.group(0).strip())
    found = _ADDRESS.search(text)
    if found:
        return PersonalData(str(KINDS["address"]), found.group(0))
    for word in _WORD.finditer(text) if names else ():
        if _plain(word.group(0)) in GIVEN_NAMES:
            surnames = _SURNAMES.match(text, word.end())
            if surnames:
                return PersonalData(str(KINDS["name"]), text[word.start() : surnames.end()])
    return None


def personal_data_message(found: PersonalData) -> str:
    from django.utils.translation import gettext

    return gettext(
        "Parece contener %(kind)s («%(fragment)s»). Los registros cuentan personas sin "
        "identificarlas: no escriba nombres, CURP, teléfonos, correos ni domicilios."
    ) % {"kind": found.kind, "fragment": found.fragment}
