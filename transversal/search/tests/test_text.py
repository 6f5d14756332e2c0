"""Search terms: pure functions, the same for what is indexed and what is typed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from transversal.search.text import (
    MAX_QUERY_WORDS,
    document_terms,
    fold,
    fts5_query,
    query_terms,
    tsquery,
)

FTS5_SHAPE = re.compile(r'^(\("[a-z0-9]+"\*?( OR "[a-z0-9]+"\*?)*\)( AND (?=\())?)*$')
TSQUERY_SHAPE = re.compile(r"^(\([a-z0-9]+(:\*)?( \| [a-z0-9]+(:\*)?)*\)( & (?=\())?)*$")


def matches(document: str, query: str) -> bool:
    """What both engines compute, in Python: every term's stem or word (or prefix) is held."""
    held = set(document_terms(document).split())
    return all(
        term.stem in held
        or term.word in held
        or (term.prefix and any(token.startswith(term.word) for token in held))
        for term in query_terms(query)
    )


def test_accents_and_case_fold_away():
    assert fold("Género, PARTICIPACIÓN, Ñuu Savi, pingüino") == (
        "genero, participacion, nuu savi, pinguino"
    )


def test_documents_keep_each_word_and_its_stem_without_stop_words():
    assert document_terms("Violencia de género") == "violencia violenci genero gener"


def test_a_query_matches_in_any_order_without_accents():
    assert matches("Porcentaje de mujeres víctimas de violencia de género", "genero violencia")


def test_singular_and_plural_find_each_other_even_when_their_stems_differ():
    assert matches("Refugios para mujeres", "mujer")
    assert matches("Atención a la mujer rural", "mujeres")


def test_forms_of_a_word_share_a_stem():
    assert matches("Capacitación en igualdad", "capacitadas")


def test_every_word_typed_must_be_found():
    assert not matches("Violencia de género", "violencia laboral")


def test_stop_words_alone_make_no_query():
    assert query_terms("de la y los") == []


def test_long_queries_keep_their_first_words():
    terms = query_terms(" ".join(f"palabra{n}" for n in range(50)))
    assert [t.word for t in terms] == [f"palabra{n}" for n in range(MAX_QUERY_WORDS)]


@given(st.text())
def test_whatever_is_typed_the_fts5_query_holds_only_quoted_letters_and_digits(typed):
    assert FTS5_SHAPE.match(fts5_query(query_terms(typed)))


@given(st.text())
def test_whatever_is_typed_the_tsquery_holds_only_letters_digits_and_operators(typed):
    assert TSQUERY_SHAPE.match(tsquery(query_terms(typed)))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_a_text_always_finds_itself(text):
    if query_terms(text):
        assert matches(text, text)
