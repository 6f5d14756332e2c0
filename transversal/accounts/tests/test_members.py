from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from transversal.accounts.access import READ, scope_for
from transversal.accounts.models import Membership, Role, User
from transversal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def members_url(institution):
    return reverse("accounts:members", args=[institution.slug])


def add_url(institution):
    return reverse("accounts:member_add", args=[institution.slug])


NEW = {"email": "nueva@prueba.test", "full_name": "Persona Nueva", "role": Role.EDITOR}


def test_the_members_page_is_for_members_and_national_coordinators(
    client_for, viewer, coordinator, outsider, durango
):
    assert client_for(viewer).get(members_url(durango)).status_code == 200
    assert client_for(coordinator).get(members_url(durango)).status_code == 200
    assert client_for(outsider).get(members_url(durango)).status_code == 404
    assert client_for(None).get(members_url(durango)).status_code == 302


def test_an_admin_adds_a_new_person_who_gets_an_invitation(
    client_for, state_admin, durango, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(state_admin).post(add_url(durango), NEW)
    assert response.status_code == 302
    user = User.objects.get(email="nueva@prueba.test")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, institution=durango).role == Role.EDITOR
    assert len(mail.outbox) == 1 and "/recuperar/" in mail.outbox[0].body
    assert (
        AuditEvent.objects.filter(
            verb="membership.add", actor=state_admin, institution=durango
        ).count()
        == 1
    )


def test_adding_a_member_twice_gets_a_message_and_changes_nothing(
    client_for, state_admin, editor, durango
):
    client = client_for(state_admin)
    before = AuditEvent.objects.count()
    response = client.post(add_url(durango), {**NEW, "email": editor.email}, follow=True)
    assert "ya es integrante de esta institución" in response.content.decode()
    assert Membership.objects.filter(user=editor).count() == 1
    assert AuditEvent.objects.count() == before


def test_a_read_only_member_gets_403_on_every_member_write(
    client_for, viewer, state_admin, durango
):
    membership = Membership.objects.get(user=state_admin)
    client = client_for(viewer)
    assert client.post(add_url(durango), NEW).status_code == 403
    assert (
        client.post(
            reverse("accounts:member_role", args=[durango.slug, membership.code]),
            {"role": "viewer"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("accounts:member_end", args=[durango.slug, membership.code])
        ).status_code
        == 403
    )
    assert Membership.objects.get(user=state_admin).role == Role.ADMIN


def test_an_outsider_gets_404_on_member_writes(client_for, outsider, editor, durango):
    membership = Membership.objects.get(user=editor)
    client = client_for(outsider)
    assert client.post(add_url(durango), NEW).status_code == 404
    assert (
        client.post(
            reverse("accounts:member_end", args=[durango.slug, membership.code])
        ).status_code
        == 404
    )
    assert Membership.objects.get(user=editor).is_active


def test_member_writes_reject_get(client_for, state_admin, editor, durango):
    membership = Membership.objects.get(user=editor)
    client = client_for(state_admin)
    assert client.get(add_url(durango)).status_code == 405
    assert (
        client.get(
            reverse("accounts:member_role", args=[durango.slug, membership.code])
        ).status_code
        == 405
    )
    assert (
        client.get(reverse("accounts:member_end", args=[durango.slug, membership.code])).status_code
        == 405
    )


def test_an_admin_changes_a_role_and_ends_a_membership_keeping_it(
    client_for, state_admin, editor, durango
):
    membership = Membership.objects.get(user=editor)
    client = client_for(state_admin)
    client.post(
        reverse("accounts:member_role", args=[durango.slug, membership.code]),
        {"role": Role.REVIEWER},
    )
    membership.refresh_from_db()
    assert membership.role == Role.REVIEWER
    client.post(reverse("accounts:member_end", args=[durango.slug, membership.code]))
    membership.refresh_from_db()
    assert not membership.is_active and membership.ended_at is not None
    assert not scope_for(User.objects.get(pk=editor.pk)).roles
    verbs = set(AuditEvent.objects.filter(actor=state_admin).values_list("verb", flat=True))
    assert verbs == {"membership.change_role", "membership.end"}


def test_the_last_admin_cannot_be_removed(client_for, state_admin, durango):
    membership = Membership.objects.get(user=state_admin)
    response = client_for(state_admin).post(
        reverse("accounts:member_end", args=[durango.slug, membership.code]), follow=True
    )
    assert "al menos una persona con rol de administración" in response.content.decode()
    membership.refresh_from_db()
    assert membership.is_active


def test_a_national_member_is_a_coordinator_who_reads_every_state(coordinator, durango, zacatecas):
    from transversal.accounts.access import can_do

    scope = scope_for(coordinator)
    assert scope.is_national
    assert can_do(scope, durango, READ) and can_do(scope, zacatecas, READ)
    assert not can_do(scope, durango, "edit")
