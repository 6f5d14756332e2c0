"""Every mutating endpoint: method, tenancy (404), role (403), and the happy path with one audit
event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from transversal.agreements.models import (
    Agreement,
    AgreementAmendment,
    AgreementStatus,
    Commitment,
    Goal,
    TechnicalAssistance,
)
from transversal.audit.models import AuditEvent

from .conftest import pdf

pytestmark = pytest.mark.django_db


@dataclass
class Endpoint:
    name: str
    url: Callable  # agreement -> url
    payload: Callable[[], dict]
    effect: Callable  # agreement -> bool (after the happy path)
    post_only: bool
    happy_user: str = "coordinator"


def _commitment_url(a):
    return reverse("agreements:commitment_edit", args=[a.code, "national", 1])


def _goal_url(a):
    return reverse("agreements:goal_edit", args=[a.code, a.goals.get(number=1).code])


ENDPOINTS = [
    Endpoint(
        "create",
        lambda a: reverse("agreements:new"),
        lambda: {
            "state_institution": "",
            "title": "Convenio nuevo",
            "round": "IP-321",
            "valid_from": "01/03/2015",
            "valid_to": "30/11/2018",
            "emphasis_areas": ["economic_empowerment", "human_development"],
        },
        lambda a: Agreement.objects.filter(title="Convenio nuevo", status="draft").exists(),
        post_only=False,
    ),
    Endpoint(
        "edit",
        lambda a: reverse("agreements:edit", args=[a.code]),
        lambda: {
            "title": "Título corregido",
            "round": "IP-321",
            "valid_from": "01/03/2015",
            "valid_to": "30/11/2018",
            "purpose": "Nuevo objeto",
            "emphasis_areas": ["violence_prevention"],
        },
        lambda a: Agreement.objects.get(pk=a.pk).emphasis_areas == ["violence_prevention"],
        post_only=False,
    ),
    Endpoint(
        "status",
        lambda a: reverse("agreements:status", args=[a.code]),
        lambda: {"to_status": "in_force", "on": "15/03/2015"},
        lambda a: (
            Agreement.objects.get(pk=a.pk).status == AgreementStatus.IN_FORCE
            and a.status_changes.filter(to_status="in_force").exists()
        ),
        post_only=True,
    ),
    Endpoint(
        "amendment",
        lambda a: reverse("agreements:amendment_create", args=[a.code]),
        lambda: {
            "signed_on": "01/06/2016",
            "summary": "Amplía la vigencia.",
            "document": pdf("mod.pdf"),
        },
        lambda a: (
            AgreementAmendment.objects.filter(agreement=a, number=1).exclude(document="").exists()
        ),
        post_only=True,
    ),
    Endpoint(
        "commitment",
        lambda a: reverse("agreements:commitment_create", args=[a.code]),
        lambda: {
            "party": "state",
            "text": "Instalar el sistema estatal.",
            "area": "political_participation",
        },
        lambda a: Commitment.objects.filter(agreement=a, party="state", number=2).exists(),
        post_only=True,
    ),
    Endpoint(
        "commitment_edit",
        _commitment_url,
        lambda: {"text": "Texto corregido", "area": ""},
        lambda a: (
            Commitment.objects.get(agreement=a, party="national", number=1).text
            == "Texto corregido"
        ),
        post_only=False,
    ),
    Endpoint(
        "goal",
        lambda a: reverse("agreements:goal_create", args=[a.code]),
        lambda: {
            "number": "2",
            "description": "Segunda meta",
            "due_date": "31/12/2017",
            "area": "",
        },
        lambda a: Goal.objects.filter(agreement=a, number=2).exists(),
        post_only=True,
    ),
    Endpoint(
        "goal_edit",
        _goal_url,
        lambda: {
            "number": "1",
            "description": "Meta corregida",
            "due_date": "",
            "area": "economic_empowerment",
        },
        lambda a: Goal.objects.get(agreement=a, number=1).area == "economic_empowerment",
        post_only=False,
    ),
    Endpoint(
        "assistance",
        lambda a: reverse("agreements:assistance_new", args=[a.state.code]),
        lambda: {
            "recipient": "",
            "topic": "Taller",
            "modality": "virtual",
            "date": "10/10/2015",
            "hours": "4.5",
            "participants_women": "10",
            "participants_men": "3",
            "participants_other": "0",
        },
        lambda a: TechnicalAssistance.objects.filter(
            topic="Taller", recipient=a.state_institution
        ).exists(),
        post_only=False,
        happy_user="editor",
    ),
]
IDS = [e.name for e in ENDPOINTS]


def _payload(endpoint: Endpoint, agreement) -> dict:
    data = endpoint.payload()
    if "state_institution" in data:
        data["state_institution"] = agreement.state_institution_id
    if "recipient" in data:
        data["recipient"] = agreement.state_institution_id
    return data


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.post_only],
    ids=[e.name for e in ENDPOINTS if e.post_only],
)
def test_post_only_endpoints_reject_get(endpoint, client_for, coordinator, signed):
    assert client_for(coordinator).get(endpoint.url(signed)).status_code == 405


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if not e.post_only],
    ids=[e.name for e in ENDPOINTS if not e.post_only],
)
def test_form_endpoints_reject_other_methods_and_write_nothing_on_get(
    endpoint, client_for, coordinator, editor, signed
):
    client = client_for(editor if endpoint.happy_user == "editor" else coordinator)
    before = AuditEvent.objects.count()
    assert client.get(endpoint.url(signed)).status_code == 200
    assert client.put(endpoint.url(signed)).status_code == 405
    assert AuditEvent.objects.count() == before


# Creating has no tenant object yet: see test_only_national_editors_create_agreements.
TENANT_ENDPOINTS = [e for e in ENDPOINTS if e.name != "create"]


@pytest.mark.parametrize("endpoint", TENANT_ENDPOINTS, ids=[e.name for e in TENANT_ENDPOINTS])
def test_an_outsider_gets_404_and_nothing_changes(endpoint, client_for, outsider, signed):
    before = AuditEvent.objects.count()
    response = client_for(outsider).post(endpoint.url(signed), _payload(endpoint, signed))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_a_read_only_member_gets_403_and_nothing_changes(endpoint, client_for, viewer, signed):
    before = AuditEvent.objects.count()
    response = client_for(viewer).post(endpoint.url(signed), _payload(endpoint, signed))
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.happy_user == "coordinator"],
    ids=[e.name for e in ENDPOINTS if e.happy_user == "coordinator"],
)
def test_a_state_editor_cannot_write_agreements(endpoint, client_for, editor, signed):
    before = AuditEvent.objects.count()
    assert (
        client_for(editor).post(endpoint.url(signed), _payload(endpoint, signed)).status_code == 403
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_anonymous_is_sent_to_login(endpoint, client, signed):
    response = client.post(endpoint.url(signed), _payload(endpoint, signed))
    assert response.status_code == 302 and "/entrar/" in response["Location"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_the_happy_path_writes_and_leaves_exactly_one_audit_event(
    endpoint, request, client_for, signed
):
    user = request.getfixturevalue(endpoint.happy_user)
    before = AuditEvent.objects.count()
    response = client_for(user).post(endpoint.url(signed), _payload(endpoint, signed))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert endpoint.effect(signed)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.actor == user
    assert event.changes
    assert event.state_id == signed.state_id


def test_only_national_editors_create_agreements(
    client_for, coordinator, editor, state_admin, durango
):
    from transversal.accounts.models import User

    url = reverse("agreements:new")
    nobody = User.objects.create_user(
        email="sin.membresia@prueba.test", password="x-Prueba-2026", full_name="Nadie"
    )
    assert client_for(nobody).post(url, {"title": "X"}).status_code == 404
    assert client_for(editor).get(url).status_code == 403
    assert client_for(state_admin).get(url).status_code == 403
    assert client_for(coordinator).get(url).status_code == 200


def test_national_editors_also_record_assistance_for_a_state(client_for, coordinator, signed):
    response = client_for(coordinator).post(
        reverse("agreements:assistance_new", args=[signed.state.code]),
        {
            "recipient": signed.state_institution_id,
            "agreement": signed.pk,
            "topic": "Asesoría",
            "modality": "mixed",
            "date": "01/02/2016",
            "hours": "2",
            "participants_women": "1",
            "participants_men": "0",
            "participants_other": "0",
        },
    )
    assert response.status_code == 302
    record = TechnicalAssistance.objects.get(topic="Asesoría")
    assert record.agreement == signed and record.provider_institution.is_national
