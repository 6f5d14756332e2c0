from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from transversal.agreements.models import AgreementStatus
from transversal.agreements.services import agreement_transition
from transversal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
DAY = dt.date(2016, 1, 4)


def test_an_agreement_walks_from_draft_to_concluded_with_dated_steps(coordinator, draft):
    for target in ("signed", "in_force", "concluded"):
        agreement_transition(actor=coordinator, agreement=draft, to_status=target, on=DAY)
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.CONCLUDED
    steps = [(c.from_status, c.to_status, c.on, c.actor) for c in draft.status_changes.all()]
    assert steps == [
        ("draft", "signed", DAY, coordinator),
        ("signed", "in_force", DAY, coordinator),
        ("in_force", "concluded", DAY, coordinator),
    ]
    assert AuditEvent.objects.filter(verb="agreement.transition", actor=coordinator).count() == 3


def test_signing_records_the_signing_date_when_it_was_missing(draft):
    agreement_transition(actor=None, agreement=draft, to_status="signed", on=DAY)
    draft.refresh_from_db()
    assert draft.signed_on == DAY


@pytest.mark.parametrize(
    "start, target",
    [
        ("draft", "in_force"),
        ("draft", "concluded"),
        ("draft", "terminated"),
        ("signed", "concluded"),
        ("signed", "draft"),
        ("concluded", "terminated"),
        ("concluded", "in_force"),
    ],
)
def test_a_forbidden_transition_is_refused_in_spanish_and_writes_nothing(
    start, target, national, durango
):
    from .conftest import make_agreement

    agreement = make_agreement(national, durango, status=start)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        agreement_transition(
            actor=None, agreement=agreement, to_status=target, on=DAY, note="motivo"
        )
    assert "no puede pasar a" in str(error.value)
    agreement.refresh_from_db()
    assert agreement.status == start and AuditEvent.objects.count() == events


@pytest.mark.parametrize("start", ["signed", "in_force"])
def test_termination_needs_a_note(start, national, durango):
    from .conftest import make_agreement

    agreement = make_agreement(national, durango, status=start)
    with pytest.raises(ValidationError) as error:
        agreement_transition(
            actor=None, agreement=agreement, to_status="terminated", on=DAY, note="  "
        )
    assert "motivo de la terminación" in str(error.value)
    agreement_transition(
        actor=None,
        agreement=agreement,
        to_status="terminated",
        on=DAY,
        note="La entidad solicitó darlo por terminado.",
    )
    agreement.refresh_from_db()
    assert agreement.status == "terminated"
    assert agreement.status_changes.last().note == "La entidad solicitó darlo por terminado."


def test_the_page_shows_the_note_error_and_keeps_the_status(client_for, coordinator, signed):
    response = client_for(coordinator).post(
        reverse("agreements:status", args=[signed.code]),
        {"to_status": "terminated", "on": "01/02/2016", "note": ""},
    )
    assert response.status_code == 400
    assert "Explique el motivo de la terminación anticipada." in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == "signed"


def test_the_transition_form_offers_only_the_allowed_next_statuses(client_for, coordinator, signed):
    page = (
        client_for(coordinator)
        .get(reverse("agreements:detail", args=[signed.code]))
        .content.decode()
    )
    assert 'value="in_force"' in page and 'value="terminated"' in page
    assert 'value="concluded"' not in page
