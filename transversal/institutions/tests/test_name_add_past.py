"""institution_name_add_past: a dated step of the history goes in its place among the names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from transversal.audit.models import AuditEvent
from transversal.institutions.models import NameChange
from transversal.institutions.services import institution_name_add, institution_name_add_past

pytestmark = pytest.mark.django_db


def names(institution):
    return [(n.sequence, n.name, n.valid_from, n.valid_to) for n in institution.names.all()]


def test_an_older_step_goes_before_the_later_names_and_the_current_name_stays(durango):
    institution_name_add(
        actor=None, institution=durango, name="Secretaría", valid_from=dt.date(2020, 1, 1)
    )
    institution_name_add_past(
        actor=None,
        institution=durango,
        name="Coordinación",
        valid_from=dt.date(1999, 3, 8),
        change=NameChange.CREATION,
        legal_form="deconcentrated",
    )
    assert names(durango) == [
        (1, "Coordinación", dt.date(1999, 3, 8), None),
        (2, "Instituto Estatal de las Mujeres", None, dt.date(2019, 12, 31)),
        (3, "Secretaría", dt.date(2020, 1, 1), None),
    ]
    assert durango.names.order_by("-sequence").first().name == "Secretaría"
    event = AuditEvent.objects.filter(verb="institution.rename").latest("pk")
    assert event.changes["former_name"] == [None, "Coordinación"]
    assert event.changes["change"] == [None, "creation"]


def test_a_step_between_two_dated_names_ends_the_one_before(durango):
    institution_name_add_past(
        actor=None, institution=durango, name="Coordinación", valid_from=dt.date(1999, 3, 8)
    )
    institution_name_add_past(
        actor=None, institution=durango, name="Instituto", valid_from=dt.date(2004, 8, 20)
    )
    assert names(durango) == [
        (1, "Coordinación", dt.date(1999, 3, 8), dt.date(2004, 8, 19)),
        (2, "Instituto", dt.date(2004, 8, 20), None),
        (3, "Instituto Estatal de las Mujeres", None, None),
    ]


def test_a_bad_legal_form_is_refused_and_nothing_moves(durango):
    before = names(durango)
    with pytest.raises(ValidationError):
        institution_name_add_past(
            actor=None,
            institution=durango,
            name="Coordinación",
            valid_from=dt.date(1999, 3, 8),
            legal_form="no-existe",
        )
    assert names(durango) == before
