"""What the sheet requires before a figure can be sent to review: breakdowns and evidence."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from transversal.agreements.services import agreement_create, goal_add
from transversal.monitoring.forms import UpdateForm
from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.services import evidence_add, indicator_create, update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


def _send(update):
    return update_submit(actor=None, update=update, expected_version=update.version)


def test_a_required_breakdown_must_be_given_before_sending(durango):
    indicator = indicator_with_calendar(
        durango, disaggregations=["age"], required_disaggregations=["sex", "age"]
    )
    update = draft(indicator, value=Decimal(10), breakdown={"sex": {"women": Decimal(10)}})

    with pytest.raises(ValidationError) as refusal:
        _send(update)

    assert refusal.value.messages == ["Falta la desagregación que la ficha exige: Grupo de edad."]
    assert ProgressUpdate.objects.get().status == "draft"


def test_with_every_required_breakdown_the_figure_is_sent(durango):
    indicator = indicator_with_calendar(
        durango, disaggregations=["age"], required_disaggregations=["age"]
    )
    update = draft(indicator, value=Decimal(10), breakdown={"age": {"15-29": Decimal(10)}})

    assert _send(update).status == "submitted"


def test_evidence_required_by_the_sheet_is_named_when_missing(durango):
    indicator = indicator_with_calendar(durango, evidence_required=True)
    update = draft(indicator)

    with pytest.raises(ValidationError) as refusal:
        _send(update)
    assert "la ficha del indicador lo exige" in refusal.value.messages[0]

    pdf = SimpleUploadedFile("lista.pdf", blank_pdf(), content_type="application/pdf")
    evidence_add(actor=None, update=update, upload=pdf, filename="lista.pdf")
    update.refresh_from_db()
    assert _send(update).status == "submitted"


def test_a_convenio_goal_can_require_evidence_of_the_indicators_measuring_it(national, durango):
    agreement = agreement_create(
        actor=None,
        national_institution=national,
        state_institution=durango,
        title="Convenio",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
    )
    goal = goal_add(
        actor=None, agreement=agreement, number=3, description="Meta", evidence_required=True
    )
    indicator = indicator_with_calendar(durango)
    indicator.goals.add(goal)

    with pytest.raises(ValidationError) as refusal:
        _send(draft(indicator))

    assert "la meta 3 del convenio lo exige" in refusal.value.messages[0]


def test_the_period_page_names_what_is_missing(client_for, editor, durango):
    indicator = indicator_with_calendar(durango, evidence_required=True)
    url = reverse("monitoring:period", args=[indicator.code, "2025-T1"])

    response = client_for(editor).post(url, {"value": "95", "intent": "submit"}, follow=True)

    page = response.content.decode()
    # Said in the error summary that takes the focus above the form.
    assert "Adjunte al menos un medio de verificación" in page and 'class="error-summary"' in page
    assert not ProgressUpdate.objects.filter(status="submitted").exists()


def test_an_indicator_that_counts_no_people_asks_for_no_split_by_sex(durango):
    indicator = indicator_with_calendar(
        durango, name="Municipios con instancia de las mujeres", unit="%", by_sex=False
    )

    assert indicator.all_disaggregations == []
    assert not [name for name in UpdateForm(indicator=indicator).fields if name.startswith("d__")]


def test_a_sheet_cannot_require_a_breakdown_it_does_not_list(durango):
    with pytest.raises(ValidationError) as refusal:
        indicator_create(
            actor=None,
            owner=durango,
            name="Indicador",
            unit="personas",
            measure="count",
            frequency="quarterly",
            direction="ascending",
            required_disaggregations=["municipality"],
        )

    assert "Municipio" in str(refusal.value)
