"""Tests for core/numbers.py and the number filters: figures typed and shown the Mexican way."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from transversal.core.lights import format_number
from transversal.core.numbers import (
    CountField,
    NumberError,
    NumberField,
    input_text,
    parse_decimal,
)
from transversal.core.templatetags.transversal import format_mx, mx_number

NBSP, NARROW, THIN = "\u00a0", "\u202f", "\u2009"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("140", Decimal(140)),
        ("1,200", Decimal(1200)),
        ("1 200", Decimal(1200)),
        (f"1{NBSP}200", Decimal(1200)),
        (f"1{NARROW}200{NARROW}300", Decimal(1200300)),
        (f"12{THIN}000.75", Decimal("12000.75")),
        ("1,200.5", Decimal("1200.5")),
        ("1 200.5", Decimal("1200.5")),
        ("1,234,567.891", Decimal("1234567.891")),
        ("  95  ", Decimal(95)),
        (f"{NBSP}95{NBSP}", Decimal(95)),
        ("0.5", Decimal("0.5")),
        (".5", Decimal("0.5")),
        ("5.", Decimal(5)),
        ("-3", Decimal(-3)),
        ("\u22123.5", Decimal("-3.5")),
        ("+7", Decimal(7)),
        ("1200", Decimal(1200)),
        ("1234567", Decimal(1234567)),
        ("", None),
        ("   ", None),
    ],
)
def test_it_reads_what_people_type(typed, number):
    assert parse_decimal(typed) == number


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1,20", "decimal_comma"),
        ("0,5", "decimal_comma"),
        ("1 200,5", "decimal_comma"),
        ("1.200,5", "decimal_comma"),
        ("1,2000", "decimal_comma"),
        ("12,00", "decimal_comma"),
        ("1,200 300", "decimal_comma"),
        ("1 20", "invalid"),
        ("1.2.3", "invalid"),
        ("muchas", "invalid"),
        ("1e5", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("$1,200", "invalid"),
        ("95 %", "invalid"),
        (".", "invalid"),
        ("-", "invalid"),
        ("1" * 80, "invalid"),
    ],
)
def test_it_refuses_anything_else_with_a_spanish_reason(typed, code):
    with pytest.raises(NumberError) as refused:
        parse_decimal(typed)
    assert refused.value.code == code
    if code == "decimal_comma":
        assert "use el punto para los decimales" in refused.value.message
    else:
        assert "no es un número" in refused.value.message


@given(st.decimals(min_value=-(10**14), max_value=10**14, places=4, allow_nan=False))
def test_what_a_form_shows_reads_back_as_the_same_number(number):
    assert parse_decimal(input_text(number)) == number


@given(st.decimals(min_value=0, max_value=10**14, places=4, allow_nan=False))
def test_what_a_form_shows_has_no_trailing_zeros(number):
    text = input_text(number)
    assert not ("." in text and text.endswith("0")) and not text.endswith(".")


class _Form(forms.Form):
    value = NumberField(max_digits=18, decimal_places=4, required=False)


def test_the_field_shows_a_stored_figure_without_trailing_zeros():
    assert 'value="140"' in str(_Form(initial={"value": Decimal("140.0000")})["value"])
    assert 'value="1,200.5"' in str(_Form(initial={"value": Decimal("1200.5000")})["value"])


def test_the_field_is_a_text_box_for_decimals_so_a_comma_can_be_typed():
    html = str(_Form()["value"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html


def test_the_field_keeps_what_was_typed_when_it_is_refused():
    form = _Form({"value": "1,20"})
    assert not form.is_valid()
    assert 'value="1,20"' in str(form["value"])
    assert "use el punto para los decimales" in form.errors["value"][0]


def test_the_field_still_checks_its_decimal_places():
    form = _Form({"value": "1,200.12345"})
    assert not form.is_valid() and "value" in form.errors
    assert _Form({"value": "1,200.1234"}).is_valid()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("119.0000"), "119"),
        (Decimal("0.5000"), "0.5"),
        (Decimal("0.50"), "0.5"),
        (Decimal("1234.5600"), "1,234.56"),
        (Decimal("1234.567"), "1,234.57"),
        (Decimal("1200.0000"), "1,200"),
        (Decimal("-0.001"), "0"),
        (Decimal(0), "0"),
        (None, "—"),
    ],
)
def test_the_mx_filter_shows_no_trailing_zeros(value, shown):
    assert mx_number(value) == shown


def test_the_mx_filter_keeps_a_precision_asked_for():
    assert mx_number(Decimal("92.5"), "1") == "92.5" and format_mx(Decimal(90), 1) == "90.0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("119.0000"), "119"),
        (Decimal("0.5000"), "0.5"),
        (Decimal("1234.5600"), "1,234.56"),
        (Decimal("1E+3"), "1,000"),
        (Decimal("-0.0000"), "0"),
    ],
)
def test_format_number_shows_no_trailing_zeros(value, shown):
    assert format_number(value) == shown


def test_a_figure_that_rounds_to_zero_has_no_minus_sign():
    assert format_number(Decimal("-0.04"), 1) == "0.0" and format_mx(Decimal("-0.004"), 2) == "0.00"


class _CountForm(forms.Form):
    people = CountField(min_value=0)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1,200", 1200), ("1 200", 1200), (" 35 ", 35), ("0", 0), ("12.0", 12)],
)
def test_a_count_reads_what_people_type(typed, number):
    form = _CountForm({"people": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["people"] == number


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1,20", "use el punto para los decimales"),
        ("12.5", "Escriba un número entero"),
        ("doce", "no es un número"),
        ("-1", "mayor o igual a 0"),
    ],
)
def test_a_count_refuses_anything_else_in_spanish(typed, said):
    form = _CountForm({"people": typed})
    assert not form.is_valid()
    assert said in form.errors["people"][0]


def test_a_count_is_shown_with_its_thousands_comma():
    assert 'value="1,200"' in str(_CountForm(initial={"people": 1200})["people"])
