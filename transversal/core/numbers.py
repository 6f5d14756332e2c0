"""Numbers as people in Mexico type them: "1,200", "1 200" or "1200" and "1,200.5".

The point separates decimals and the comma (or a space) groups thousands, as the Mexican
norm writes them (NOM-008-SCFI). A comma followed by other than three digits ("1,20", "0,5")
is someone writing a decimal comma: it could mean 1.2 or 120, so it is refused with a message
saying to use the point, never guessed. ``NumberField`` is the form field for every typed
decimal; it shows a stored figure the same way ("140", "1,200.5"), never "140.0000".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from transversal.core.lights import format_number

# Typed by hand or pasted from a document: a plain, a no-break, a narrow no-break or a thin
# space between groups of thousands.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2212": "-"})
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)"
    r"(?P<whole>\d+|\d{1,3}(?P<sep>[, ])\d{3}(?:(?P=sep)\d{3})*)?"
    r"(?:\.(?P<fraction>\d*))?"
)
# Only digits, signs and separators: a number written some other way (decimal comma).
_NUMBERISH = re.compile(r"[+-]?[\d., ]*\d[\d., ]*")
_LONGEST = 60


class NumberError(ValueError):
    """The text is not a number; ``message`` says why, in Spanish."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def parse_decimal(text: str) -> Decimal | None:
    """The number in ``text``; None when it is blank. Raises ``NumberError`` otherwise."""
    text = text.translate(_SPACES).strip()
    if not text:
        return None
    match = _NUMBER.fullmatch(text) if len(text) <= _LONGEST else None
    if match is None or (match["whole"] is None and not match["fraction"]):
        if "," in text and _NUMBERISH.fullmatch(text):
            raise NumberError(
                _(
                    "«%(v)s» no es claro: use el punto para los decimales (1.5) y la coma solo "
                    "para separar miles (1,200)."
                )
                % {"v": text[:30]},
                code="decimal_comma",
            )
        raise NumberError(
            _("«%(v)s» no es un número. Escriba, por ejemplo, 1200, 1,200 o 1,200.5.")
            % {"v": text[:30]},
            code="invalid",
        )
    digits = (match["whole"] or "0").replace(",", "").replace(" ", "")
    fraction = "" if match["fraction"] is None else f".{match['fraction']}"
    try:
        return Decimal(f"{match['sign']}{digits}{fraction}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        raise NumberError(_("«%(v)s» no es un número.") % {"v": text[:30]}, "invalid") from None


def input_text(value: Decimal | int | float | None) -> str:
    """A stored figure as a form shows it: "140", "1,200.5" (no trailing zeros)."""
    if value is None:
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return format_number(number) if number.is_finite() else str(number)


class NumberField(forms.DecimalField):
    """A decimal typed the Mexican way (see the module); a text box, so "1,200" can be typed."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Decimal(str(value))
        try:
            return parse_decimal(str(value))
        except NumberError as error:
            raise ValidationError(error.message, code=error.code) from None

    def prepare_value(self, value):
        # A stored figure (unbound form, disabled field) is formatted; typed text stays as typed.
        if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
            return input_text(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.NumberInput):
            attrs.setdefault("inputmode", "decimal")
        return attrs


class CountField(forms.IntegerField):
    """A whole number typed the Mexican way ("1,200", "1 200"), for counts of people or items."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            number = parse_decimal(str(value))
        except NumberError as error:
            raise ValidationError(error.message, code=error.code) from None
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(_("Escriba un número entero, sin decimales."), code="invalid")
        return int(number)

    def prepare_value(self, value):
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            return input_text(value)
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.NumberInput):
            attrs.setdefault("inputmode", "numeric")
        return attrs
