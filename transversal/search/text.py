"""Words to search terms, the same way for what is indexed and for what people type.

Pure functions, no database. A word is lower-cased, its accents folded ("género" and
"genero" are one word; "ñ" folds to "n" on both sides) and stemmed with the Spanish Snowball
stemmer ("capacitadas" and "capacitación" share "capacit"). Indexed texts keep both the folded
word and its stem, because Snowball does not always give a singular and its plural the same
stem ("mujer" → "muj", "mujeres" → "mujer"): a query word matches a document that holds its
stem or the word itself. Stop words are dropped on both sides.

The terms are plain ASCII letters and digits separated by spaces, so SQLite's FTS5 tokenizer
and PostgreSQL's ``simple`` parser cut them into the same tokens, and every query is built from
terms alone: nothing a person types reaches either engine's query syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

MAX_QUERY_LENGTH = 200  # characters kept of what was typed
MAX_QUERY_WORDS = 8
MAX_TERM_LENGTH = 40  # longer runs of letters are cut (nobody types them; PostgreSQL skips them)
PREFIX_MIN_LENGTH = 3  # the last word typed also matches longer words from this length

# Articles, prepositions, conjunctions and pronouns: words that would match nearly everything.
# Short on purpose: a word people might look for ("forma", "fin") is never dropped.
# fmt: off
STOP_WORDS = frozenset("""
a al ante bajo con contra de del desde e el en entre hacia hasta la las le les lo los mas me
ni o para pero por que se sin sobre su sus tras u un una unas uno unos y
""".split())
# fmt: on

_TOKEN = re.compile(r"[a-z0-9]+")
_stemmer = snowballstemmer.stemmer("spanish")


def fold(text: str) -> str:
    """Lower case without accents or other marks: "Género" → "genero", "Ñuu" → "nuu"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """The folded words of ``text`` that count for search (stop words dropped)."""
    found = []
    for token in _TOKEN.findall(fold(text)):
        token = token[:MAX_TERM_LENGTH]
        if token not in STOP_WORDS:
            found.append(token)
    return found


def stem(word: str) -> str:
    return _stemmer.stemWord(word) if not word.isdigit() else word


def document_terms(*texts: str) -> str:
    """What the index stores for ``texts``: each distinct word and its stem, space-separated."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            seen.setdefault(word, None)
            seen.setdefault(stem(word), None)
    return " ".join(seen)


@dataclass(frozen=True)
class Term:
    """One word typed: it matches a document holding ``word`` or ``stem``; the last word typed
    also matches words that start with it (``prefix``), so "capacita" finds "capacitación"."""

    word: str
    stem: str
    prefix: bool = False


def query_terms(query: str) -> list[Term]:
    """The terms of a typed query: at most MAX_QUERY_WORDS distinct words of its first
    MAX_QUERY_LENGTH characters, all of which a result must match (in any order)."""
    typed = words((query or "")[:MAX_QUERY_LENGTH])
    unique = list(dict.fromkeys(typed))[:MAX_QUERY_WORDS]
    terms = [Term(word, stem(word)) for word in unique]
    if terms and len(terms[-1].word) >= PREFIX_MIN_LENGTH and not terms[-1].word.isdigit():
        last = terms[-1]
        terms[-1] = Term(last.word, last.stem, prefix=True)
    return terms


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every term, as quoted strings (letters and digits only)."""
    parts = []
    for term in terms:
        options = [f'"{term.stem}"', f'"{term.word}"*' if term.prefix else f'"{term.word}"']
        parts.append("(" + " OR ".join(dict.fromkeys(options)) + ")")
    return " AND ".join(parts)


def tsquery(terms: list[Term]) -> str:
    """The same condition for PostgreSQL's ``to_tsquery('simple', …)``."""
    parts = []
    for term in terms:
        options = [term.stem, f"{term.word}:*" if term.prefix else term.word]
        parts.append("(" + " | ".join(dict.fromkeys(options)) + ")")
    return " & ".join(parts)
