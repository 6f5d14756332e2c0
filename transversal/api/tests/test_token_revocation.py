"""A person's API tokens stop working when their password changes (change, reset, the admin's
set-password form, the command line) or when no active membership remains; each revocation
is one audit event."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from transversal.accounts.models import Membership, Role
from transversal.accounts.services import membership_add, membership_end
from transversal.api.models import ApiToken
from transversal.api.services import token_create, token_revoke
from transversal.audit.models import AuditEvent
from transversal.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Otra-contrasena-segura-2026"


def answers(client, secret: str) -> int:
    return client.get("/api/v1/states", headers={"Authorization": f"Bearer {secret}"}).status_code


@pytest.fixture
def two_tokens(editor):
    first, first_secret = token_create(actor=editor, name="Tablero")
    second, second_secret = token_create(actor=editor, name="Respaldo")
    return [(first, first_secret), (second, second_secret)]


def assert_all_revoked(client, tokens, *, note: str):
    for token, secret in tokens:
        token.refresh_from_db()
        assert token.revoked_at is not None, token.name
        assert answers(client, secret) == 401
    events = AuditEvent.objects.filter(verb="api_token.revoke")
    assert events.count() == len(tokens)
    assert all(note in event.note for event in events)


def test_changing_the_password_revokes_every_token(client_for, editor, two_tokens):
    client = client_for(editor)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert_all_revoked(client, two_tokens, note="contraseña")


def test_the_password_change_page_says_tokens_will_be_revoked(client_for, editor):
    page = client_for(editor).get(reverse("accounts:password_change")).content.decode()
    assert "se revocan todos sus tokens de la API" in page


def test_a_rejected_password_change_keeps_the_tokens(client_for, editor, two_tokens):
    client = client_for(editor)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "equivocada",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert answers(client, two_tokens[0][1]) == 200
    assert not AuditEvent.objects.filter(verb="api_token.revoke").exists()


def test_resetting_the_password_revokes_every_token(client, editor, two_tokens):
    uid = urlsafe_base64_encode(force_bytes(editor.pk))
    token = default_token_generator.make_token(editor)
    # Django swaps the token in the URL for a session marker before showing the form.
    form_url = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert_all_revoked(client, two_tokens, note="contraseña")


def test_the_admin_set_password_form_revokes_every_token(client, editor, two_tokens):
    form = AdminPasswordChangeForm(editor, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert form.is_valid(), form.errors
    form.save()
    assert_all_revoked(client, two_tokens, note="contraseña")


def test_changepassword_on_the_command_line_revokes_every_token(
    client, editor, two_tokens, monkeypatch
):
    answers_given = iter([NEW_PASSWORD, NEW_PASSWORD])
    monkeypatch.setattr(
        "django.contrib.auth.management.commands.changepassword.getpass.getpass",
        lambda prompt="": next(answers_given),
    )
    call_command("changepassword", editor.email, stdout=io.StringIO())
    assert_all_revoked(client, two_tokens, note="contraseña")


def test_a_password_hash_upgrade_on_sign_in_keeps_the_tokens(client, editor, settings):
    _token, secret = token_create(actor=editor, name="Tablero")
    # The personas are hashed with MD5 here; making Argon2 preferred rehashes on the next sign-in.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert (
        client.post(
            reverse("accounts:login"), {"username": editor.email, "password": PASSWORD}
        ).status_code
        == 302
    )
    editor.refresh_from_db()
    assert editor.password.startswith("argon2")
    assert answers(client, secret) == 200


def test_already_revoked_tokens_get_no_second_event(client_for, editor, two_tokens):
    token_revoke(actor=editor, token=two_tokens[0][0])
    client_for(editor).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert AuditEvent.objects.filter(verb="api_token.revoke").count() == 2
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


def test_ending_the_last_active_membership_revokes_every_token(
    client, editor, state_admin, two_tokens
):
    membership = Membership.objects.get(user=editor)
    membership_end(actor=state_admin, membership=membership)
    assert_all_revoked(client, two_tokens, note="integrante")
    assert set(
        AuditEvent.objects.filter(verb="api_token.revoke").values_list("actor", flat=True)
    ) == {state_admin.pk}


def test_ending_one_of_two_memberships_keeps_the_tokens(
    client, editor, state_admin, zacatecas, two_tokens
):
    membership_add(
        actor=None,
        institution=zacatecas,
        email=editor.email,
        full_name=editor.full_name,
        role=Role.VIEWER,
    )
    membership_end(
        actor=state_admin,
        membership=Membership.objects.get(user=editor, institution__slug="iem-durango-test"),
    )
    assert answers(client, two_tokens[0][1]) == 200
    assert not AuditEvent.objects.filter(verb="api_token.revoke").exists()


def test_the_token_page_explains_when_tokens_are_revoked(client_for, editor):
    page = client_for(editor).get("/api/v1/tokens/").content.decode()
    assert "cambia o restablece su contraseña" in page
    assert "deja de ser integrante" in page


def test_the_token_page_warns_a_person_without_active_membership(client_for, editor, state_admin):
    membership_end(actor=state_admin, membership=Membership.objects.get(user=editor))
    page = client_for(editor).get("/api/v1/tokens/").content.decode()
    assert "No tiene membresías activas en ninguna institución" in page
