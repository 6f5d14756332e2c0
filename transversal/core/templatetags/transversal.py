"""Formatting figures the way Mexican public administration writes them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.html import format_html
from django.utils.translation import gettext as _

from transversal.core import lights

register = template.Library()


def format_mx(value, decimals: int | None = None) -> str:
    """1234567.891 -> "1,234,567.89": comma for thousands, point for decimals (NOM-008-SCFI).

    Without ``decimals``, no trailing zeros ("119", not "119.00"); with them, exactly that many.
    """
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return "—"
    if decimals is None:
        # As many decimals as the figure needs, at most two: "119", "0.5", "1,234.56".
        return lights.format_number(_rounded(number, 2))
    text = f"{_rounded(number, decimals):,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


def _rounded(number: Decimal, decimals: int) -> Decimal:
    try:
        return number.quantize(Decimal(1).scaleb(-decimals))
    except InvalidOperation:  # more digits than the context holds: already coarser than asked
        return number


@register.filter(name="mx")
def mx_number(value, decimals=None) -> str:
    return format_mx(value, None if decimals in (None, "") else int(decimals))


@register.filter(name="mx_percent")
def mx_percent(value, decimals=1) -> str:
    text = format_mx(value, int(decimals))
    return text if text == "—" else f"{text} %"


@register.simple_tag(name="light")
def light_tag(colour: str | None) -> str:
    """A traffic light as people read it: the colour's shape and name, and a text alternative
    for screen readers (``{% light goal.light %}``). Unknown or empty colours read "Sin dato"."""
    key = colour if colour in lights.LABELS else lights.NO_DATA
    return format_html(
        '<span class="light {}"><span class="visually-hidden">{} </span>{}</span>',
        key,
        _("Semáforo:"),
        lights.label(key),
    )


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """«Error: » when a form on the page was submitted and refused, for the page's <title>.

    Only forms already validated count (``_errors`` set): asking an unvalidated form for its
    errors would run its validation, and its queries, from the template.
    """
    for scope in context.dicts:
        for value in scope.values():
            if isinstance(value, BaseForm | BaseFormSet) and value._errors is not None:
                errors = value.errors
                if isinstance(value, BaseFormSet):
                    failed = any(errors) or bool(value.non_form_errors())
                else:
                    failed = bool(errors)
                if failed:
                    return _("Error: ")
    return ""
