"""`mejora/hallazgos/<code>/aceptar/` and `/descartar/`: the reason is raw text the services
check, so a NUL byte (which PostgreSQL cannot store) is refused with a message and leaves the
proposal as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.improvement import services
from transversal.improvement.models import FindingStatus
from transversal.monitoring.tests.factories import indicator_with_calendar

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "El texto contiene caracteres no válidos (NUL); vuelva a escribirlo."


@pytest.fixture
def proposal(durango):
    indicator = indicator_with_calendar(durango)
    periods = {p.label: p for p in indicator.periods.all()}
    return services.finding_propose(earlier=periods["2025-T1"], later=periods["2025-T2"])


@pytest.mark.parametrize("route", ["improvement:finding_dismiss", "improvement:finding_accept"])
def test_a_reason_with_a_nul_byte_is_refused_and_changes_nothing(
    client_for, reviewer, proposal, route
):
    events = AuditEvent.objects.count()
    client = client_for(reviewer)
    response = client.post(
        reverse(route, args=[proposal.code]), {"reason": "Causa externa\x00"}, follow=True
    )
    assert NUL_MESSAGE in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == FindingStatus.PROPOSED and proposal.decision_reason == ""
    assert AuditEvent.objects.count() == events


def test_a_dismissal_keeps_its_reason_without_bidirectional_controls(
    client_for, reviewer, proposal
):
    client = client_for(reviewer)
    client.post(
        reverse("improvement:finding_dismiss", args=[proposal.code]),
        {"reason": "  Causa \u202eexterna  "},
    )
    proposal.refresh_from_db()
    assert proposal.status == FindingStatus.DISMISSED
    assert proposal.decision_reason == "Causa externa"
