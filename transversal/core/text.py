"""Free text typed by people (comments, reasons, notes), checked once in the services.

Forms check their own fields; these checks guard the services that views and the API call
with raw text, so a NUL byte (which PostgreSQL cannot store) or a text beyond the limit is
refused with a Spanish message, whichever door it came through.

Bidirectional controls (right-to-left overrides, isolates, marks) are removed: nobody needs
them to write Spanish, and they change how a text is shown without changing what it says
(a comment can make "txt.exe" read as "exe.txt", or reverse a figure). Removing them here
keeps them out of what is stored from now on; what was stored before, and the fields that
do not pass through here, lose them again in every exported cell (``core.exports``).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TEXT_LENGTH = 5000

# Unicode's bidirectional controls (the Bidi_Control property): embeddings and overrides,
# isolates, the left-to-right and right-to-left marks and the Arabic letter mark.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI_CONTROL = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")


def strip_bidi(text: str) -> str:
    """The text without bidirectional controls."""
    if text.isascii() or not _BIDI_CONTROL.search(text):
        return text
    return _BIDI_CONTROL.sub("", text)


def clean_text(
    value: str | None, *, field: str, required: str | None = None, max_length: int = MAX_TEXT_LENGTH
) -> str:
    """The text without surrounding spaces, or ValidationError({field: message}).

    ``required`` is the message for an empty text; without it an empty text is allowed.
    Bidirectional controls are removed before anything else.
    """
    text = strip_bidi(value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: required})
        return ""
    if "\x00" in text:
        raise ValidationError(
            {field: _("El texto contiene caracteres no válidos (NUL); vuelva a escribirlo.")}
        )
    if len(text) > max_length:
        raise ValidationError(
            {
                field: _("El texto admite como máximo %(max)s caracteres; tiene %(count)s.")
                % {"max": f"{max_length:,}", "count": f"{len(text):,}"}
            }
        )
    return text


def shorten(text: str, limit: int = 80) -> str:
    """``text`` in at most ``limit`` characters, cut between words with an ellipsis when longer
    (a word longer than the limit is cut inside)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.") + "…"
