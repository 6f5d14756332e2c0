"""The ASM page's «Última verificación» names the verifier institution of the day it decided,
as its audit event recorded it, not the item's verifier today; an event older than that record
names today's verifier and says so. Neither reads a query per event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.followup import services as followup
from transversal.followup.models import FollowUp
from transversal.improvement import services
from transversal.institutions.models import display_name
from transversal.monitoring.tests.factories import indicator_with_calendar

pytestmark = pytest.mark.django_db

NOTICE = "Institución que verifica hoy: el registro de esta decisión no guardó cuál verificaba"


@pytest.fixture
def verified(durango, zacatecas, reviewer, outsider):
    """An ASM of Durango's finding, answered by Zacatecas and verified by Durango's reviewer."""
    indicator = indicator_with_calendar(durango)
    periods = {p.label: p for p in indicator.periods.all()}
    finding = services.finding_propose(earlier=periods["2025-T1"], later=periods["2025-T2"])
    services.finding_accept(actor=reviewer, finding=finding)
    action = services.action_add(
        actor=reviewer,
        finding=finding,
        text="Reforzar la capacitación en los municipios.",
        kind="interinstitutional",
        priority="high",
        owner=zacatecas,
        due_date=dt.date(2026, 12, 31),
    )
    item = action.followup
    followup.followup_note_add(actor=outsider, item=item, text="Se capacitó a 40 municipios.")
    followup.followup_mark_done(actor=outsider, item=item)
    followup.followup_verify(actor=reviewer, item=item, note="Listas revisadas.")
    return action


def page(client, action):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("improvement:action", args=[action.code])).content.decode()
    return body, len(queries)


def test_the_latest_verification_still_names_durango_after_the_verifier_changes(
    client_for, verified, reviewer, durango, national
):
    client = client_for(reviewer)
    before, _queries = page(client, verified)
    assert f"{display_name(durango)} (revision)" in before
    FollowUp.objects.filter(pk=verified.followup_id).update(verifier=national)
    after, _queries = page(client, verified)
    assert f"{display_name(durango)} (revision)" in after
    assert f"{display_name(national)} (revision)" not in after
    assert NOTICE not in after


def test_an_older_event_names_todays_verifier_and_says_so(client_for, verified, reviewer, national):
    FollowUp.objects.filter(pk=verified.followup_id).update(verifier=national)
    client = client_for(reviewer)
    page(client, verified)  # warm the session
    _body, recorded = page(client, verified)
    event = AuditEvent.objects.get(verb="followup.verify", target_id=str(verified.followup_id))
    del event.changes["verifier_institution"]  # as events were written before it was kept
    event.save(update_fields=["changes"])
    body, fallback = page(client, verified)
    assert f"{display_name(national)} (revision)" in body
    assert NOTICE in body
    # The same event query either way; only the fallback reads the item's verifier's names
    # (one query, as every verification did before the event kept the name).
    assert fallback == recorded + 1
