"""Tests for clean_text, the check services apply to free text typed by people, and shorten."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from transversal.core.text import BIDI_CONTROLS, clean_text, shorten, strip_bidi


def test_it_trims_the_text():
    assert clean_text("  Revisar la meta 2  ", field="comment") == "Revisar la meta 2"


def test_it_allows_an_empty_text_unless_required():
    assert clean_text(None, field="comment") == ""
    with pytest.raises(ValidationError) as caught:
        clean_text("   ", field="comment", required="Escriba un comentario.")
    assert caught.value.message_dict == {"comment": ["Escriba un comentario."]}


def test_it_refuses_a_nul_byte():
    with pytest.raises(ValidationError) as caught:
        clean_text("texto\x00nulo", field="reason")
    assert "NUL" in caught.value.message_dict["reason"][0]


def test_it_refuses_a_text_over_the_limit_with_both_lengths():
    with pytest.raises(ValidationError) as caught:
        clean_text("a" * 5001, field="note")
    assert (
        "5,000" in caught.value.message_dict["note"][0]
        and "5,001" in caught.value.message_dict["note"][0]
    )


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Informe \u202etxt.exe", "Informe txt.exe"),
        ("Meta \u2067alcanzada\u2069 al 80 %", "Meta alcanzada al 80 %"),
        ("\u200f\u200eAprobado\u061c", "Aprobado"),
        ("\u202a\u202b\u202c\u202d", ""),
    ],
)
def test_it_removes_bidirectional_controls_that_could_disguise_the_text(typed, kept):
    assert clean_text(typed, field="comment") == kept


def test_a_text_made_only_of_bidi_controls_counts_as_empty():
    with pytest.raises(ValidationError):
        clean_text("\u202e\u2066", field="comment", required="Escriba un comentario.")


@given(st.lists(st.one_of(st.characters(), st.sampled_from(sorted(BIDI_CONTROLS)))).map("".join))
def test_strip_bidi_leaves_no_control_and_keeps_everything_else(text):
    stripped = strip_bidi(text)

    assert not set(stripped) & BIDI_CONTROLS
    assert stripped == "".join(ch for ch in text if ch not in BIDI_CONTROLS)


class TestShorten:
    def test_a_short_text_is_kept_whole_with_its_spaces_folded(self):
        assert shorten("Meta  de\nprueba", 80) == "Meta de prueba"

    def test_a_long_text_is_cut_between_words_with_an_ellipsis(self):
        text = "Contar con un programa estatal para la igualdad alineado al plan estatal"
        short = shorten(text, 40)
        assert short == "Contar con un programa estatal para la…"
        assert len(short) <= 40

    def test_one_endless_word_is_cut_inside(self):
        assert shorten("a" * 100, 10) == "a" * 9 + "…"
