"""Small text helpers shared by the parsers."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case and strip accents while keeping every index in place.

    Parsers match keywords on the folded copy and slice the original with the
    same offsets, so one character must always map to exactly one character.
    """
    return "".join(_fold_char(ch) for ch in text)


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    lower = base.lower()
    return lower if len(lower) == 1 else base


def squash(text: str) -> str:
    """Collapse runs of whitespace (newlines included) into one space."""
    return _SPACES.sub(" ", text).strip()


def normalise_newlines(text: str) -> str:
    # Word and PDF producers leave non-breaking and zero-width spaces that
    # defeat `\s`-based patterns downstream.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub("[\u200b\u200c\u200d\ufeff\u00ad]", "", text)


def capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


# Bullets as they come out of Word, PDF and pandoc, including the Symbol and
# Wingdings private-use glyphs Word writes for its default bullets.
BULLETS = "·•‣◦▪▫■□●○◆◇➢➤►▶✓✔*-–—\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8"
