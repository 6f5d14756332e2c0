"""Each coordination and improvement page has a change history, with the events of its parts,
closed to outsiders like the page itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.services import followup_note_add
from transversal.improvement import services

pytestmark = pytest.mark.django_db


def test_a_system_and_an_acuerdo_tell_their_history(client_for, durango, editor, outsider):
    system = make_system(durango)
    session = make_session(system)
    resolution = make_resolution(session, durango)
    followup_note_add(actor=editor, item=resolution.followup, text="Primer avance")
    client = client_for(editor)
    page = (
        client.get(reverse("audit:history", args=["sistema", system.code])).content.decode().lower()
    )
    assert "registró el sistema" in page and "programó la sesión" in page
    page = (
        client.get(reverse("audit:history", args=["acuerdo", resolution.code]))
        .content.decode()
        .lower()
    )
    assert "registró el acuerdo" in page and "primer avance" in page
    assert (
        reverse("audit:history", args=["acuerdo", resolution.code])
        in client.get(reverse("coordination:resolution", args=[resolution.code])).content.decode()
    )
    for kind, code in (("sistema", system.code), ("sesion", session.code)):
        url = reverse("audit:history", args=[kind, code])
        assert client_for(outsider).get(url).status_code == 404


def test_an_evaluation_tells_the_history_of_its_findings_and_asm(
    client_for, durango, reviewer, outsider
):
    evaluation = services.evaluation_create(
        actor=reviewer,
        institution=durango,
        year=2026,
        kind="external",
        title="Evaluación externa",
        evaluator="Universidad",
        started_on=dt.date(2026, 2, 1),
    )
    finding = services.finding_add(
        actor=reviewer, institution=durango, evaluation=evaluation, text="Sin línea base"
    )
    services.action_add(
        actor=reviewer,
        finding=finding,
        text="Documentar la línea base",
        kind="specific",
        priority="high",
        owner=durango,
        due_date=dt.date(2026, 12, 31),
    )
    url = reverse("audit:history", args=["evaluacion", evaluation.code])
    page = client_for(reviewer).get(url).content.decode().lower()
    for verb in (
        "registró la evaluación",
        "registró el hallazgo",
        "registró el aspecto susceptible de mejora",
    ):
        assert verb in page
    assert client_for(outsider).get(url).status_code == 404
