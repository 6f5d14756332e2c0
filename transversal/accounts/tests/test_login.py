from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from transversal.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_a_member_logs_in_with_email_and_password(client, editor):
    response = login(client, editor.email, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("accounts:my_account")).status_code == 200


def test_a_wrong_password_shows_a_spanish_message(client, editor):
    response = login(client, editor.email, "equivocada")
    assert response.status_code == 200
    assert "El correo o la contraseña no son correctos" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, editor.email, "equivocada")
    response = login(client, editor.email, PASSWORD)
    assert response.status_code == 429
    assert "bloqueada temporalmente" in response.content.decode()
    assert client.get(reverse("accounts:my_account")).status_code == 302  # still signed out


def test_passwords_are_hashed_with_argon2(settings):
    # The suite hashes with MD5 for speed (conftest); the project's own setting is Argon2.
    from django.contrib.auth.hashers import make_password

    from transversal import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    assert make_password(PASSWORD).startswith("argon2$")


def test_logout_requires_post_and_signs_out(client_for, editor):
    client = client_for(editor)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:my_account")).status_code == 302


def test_password_reset_sends_a_link_by_email(client, editor):
    response = client.post(reverse("accounts:password_reset"), {"email": editor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/recuperar/" in mail.outbox[0].body


def test_password_change_applies_the_validators(client_for, editor):
    response = client_for(editor).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD)
