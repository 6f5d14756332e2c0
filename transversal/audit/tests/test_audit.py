from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from transversal.accounts.models import Role
from transversal.accounts.services import (
    membership_add,
    membership_change_role,
    membership_end,
    user_create,
)
from transversal.audit.models import AuditEvent
from transversal.audit.services import audit_record
from transversal.institutions.models import InstitutionKind
from transversal.institutions.services import (
    institution_create,
    institution_name_add,
    institution_update_profile,
)
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def test_every_foundation_service_writes_an_audit_event_with_actor_and_changes(
    state_admin, durango
):
    actor = state_admin
    calls = [
        lambda: institution_create(
            actor=actor,
            slug="imm-lerdo",
            kind=InstitutionKind.MUNICIPAL_IMM,
            state=State.objects.get(code="10"),
            name="Instituto Municipal de la Mujer",
        ),
        lambda: institution_update_profile(
            actor=actor, institution=durango, mission="Nueva misión"
        ),
        lambda: institution_name_add(
            actor=actor, institution=durango, name="Secretaría de las Mujeres"
        ),
        lambda: user_create(actor=actor, email="otra@prueba.test", full_name="Otra"),
        lambda: membership_add(
            actor=actor,
            institution=durango,
            email="otra@prueba.test",
            full_name="Otra",
            role=Role.VIEWER,
        ),
    ]
    for call in calls:
        before = AuditEvent.objects.count()
        call()
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.order_by("-id").first()
        assert event.actor == actor and event.changes
    membership = durango.memberships.get(user__email="otra@prueba.test")
    membership_change_role(actor=actor, membership=membership, role=Role.EDITOR)
    membership_end(actor=actor, membership=membership)
    trail = AuditEvent.objects.filter(target_id=str(membership.pk), verb__startswith="membership.")
    assert list(trail.order_by("id").values_list("verb", flat=True)) == [
        "membership.add",
        "membership.change_role",
        "membership.end",
    ]


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(durango):
    with pytest.raises(RuntimeError):
        audit_record(actor=None, verb="x", target=durango)
    with transaction.atomic():
        assert audit_record(actor=None, verb="x", target=durango).state == durango.state


def test_the_history_page_is_for_members_only(client_for, viewer, outsider, durango):
    institution_update_profile(actor=None, institution=durango, mission="Con historia")
    url = reverse("audit:history", args=["institucion", durango.slug])
    page = client_for(viewer).get(url)
    assert page.status_code == 200 and "Con historia" in page.content.decode()
    assert client_for(outsider).get(url).status_code == 404
    assert (
        client_for(viewer).get(reverse("audit:history", args=["desconocido", "x"])).status_code
        == 404
    )


def test_the_admin_shows_events_read_only(coordinator):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
