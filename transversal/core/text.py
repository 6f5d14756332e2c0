"""Free text typed by people (comments, reasons, notes), checked once in the services.

Forms check their own fields; these checks guard the services that views and the API call
with raw text, so a NUL byte (which PostgreSQL cannot store) or a text beyond the limit is
refused with a Spanish message, whichever door it came through.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_TEXT_LENGTH = 5000


def clean_text(value: str | None, *, field: str, required: str | None = None,
               max_length: int = MAX_TEXT_LENGTH) -> str:
    """The text without surrounding spaces, or ValidationError({field: message}).

    ``required`` is the message for an empty text; without it an empty text is allowed.
    """
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: required})
        return ""
    if "\x00" in text:
        raise ValidationError({field: _("El texto contiene caracteres no válidos (NUL); vuelva a escribirlo.")})
    if len(text) > max_length:
        raise ValidationError({field: _("El texto admite como máximo %(max)s caracteres; tiene %(count)s.") % {
            "max": f"{max_length:,}", "count": f"{len(text):,}"}})
    return text
