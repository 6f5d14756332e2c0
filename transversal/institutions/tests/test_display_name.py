"""One way to name an institution (issue 13, item 4): the name in force on a date, "(hoy …)" when
the records cannot tell, and the state in brackets where two bodies would read the same."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template

from transversal.institutions.models import InstitutionName, display_name

pytestmark = pytest.mark.django_db


def test_the_national_institution_is_inmujeres_in_2015_and_the_secretaria_today(national):
    assert display_name(national, dt.date(2015, 3, 1)) == "Instituto Nacional de las Mujeres"
    assert display_name(national, dt.date(2015, 3, 1), acronym=True) == (
        "Instituto Nacional de las Mujeres (Inmujeres)"
    )
    assert display_name(national, dt.date(2024, 12, 31)) == "Instituto Nacional de las Mujeres"
    assert display_name(national, dt.date(2025, 1, 1)) == "Secretaría de las Mujeres"
    assert display_name(national) == "Secretaría de las Mujeres"


def test_a_state_body_named_like_the_national_one_carries_its_state(zacatecas, national):
    assert display_name(zacatecas) == "Secretaría de las Mujeres (Zacatecas)"
    # the acronym and the state in one pair of brackets, never "(SEMUJER) (Zacatecas)"
    assert display_name(zacatecas, acronym=True) == "Secretaría de las Mujeres (SEMUJER; Zacatecas)"
    assert display_name(national) != display_name(zacatecas)


def test_a_name_that_says_its_state_is_not_qualified_twice(durango):
    InstitutionName.objects.filter(institution=durango).update(name="Instituto de Durango")
    durango.refresh_from_db()
    assert display_name(durango) == "Instituto de Durango"


def test_an_unknown_rename_date_shows_the_name_on_record_with_todays(durango):
    """Instituto de la Mujer Duranguense became Instituto Estatal de las Mujeres on a date the
    records do not hold: for 2016 the old name is shown, with today's beside it."""
    current = durango.names.get()
    current.sequence = 2
    current.valid_from = None
    current.save()
    InstitutionName.objects.create(
        institution=durango,
        sequence=1,
        name="Instituto de la Mujer Duranguense",
        valid_from=dt.date(2002, 1, 1),
    )
    durango = type(durango).objects.with_names().get(pk=durango.pk)
    assert display_name(durango, dt.date(2016, 5, 1)) == (
        "Instituto de la Mujer Duranguense (Durango; hoy Instituto Estatal de las Mujeres)"
    )
    assert display_name(durango) == "Instituto Estatal de las Mujeres (Durango)"


def test_templates_use_the_same_function(national):
    rendered = Template(
        "{% load institutions %}{{ i|institution_name:day }} / {{ i|institution_name }}"
    ).render(Context({"i": national, "day": dt.date(2015, 1, 1)}))
    assert rendered == "Instituto Nacional de las Mujeres / Secretaría de las Mujeres"
