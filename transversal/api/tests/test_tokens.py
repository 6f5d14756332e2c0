"""API tokens: created once in clear, stored hashed, revoked or expired → 401."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from transversal.api.models import ApiToken
from transversal.api.services import token_create, token_revoke
from transversal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_secret_is_shown_once_and_stored_only_as_its_hash(editor):
    token, secret = token_create(actor=editor, name="Tablero")
    assert len(secret) >= 43 and token.prefix == secret[:8]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert AuditEvent.objects.filter(verb="api_token.create", actor=editor).count() == 1


def test_a_valid_token_records_its_last_use(client, editor):
    token, secret = token_create(actor=editor, name="Tablero")
    assert (
        client.get("/api/v1/states", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nada-que-ver", "Basic dXNlcjpwYXNz", "Bearer "])
def test_a_bad_token_is_401_even_on_public_reads(client, header):
    response = client.get("/api/v1/states", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_revoked_token_is_401(client, editor):
    token, secret = token_create(actor=editor, name="Tablero")
    token_revoke(actor=editor, token=token)
    token_revoke(actor=editor, token=token)  # idempotent: one event
    response = client.get("/api/v1/states", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "El token no es válido, fue revocado o venció."
    assert AuditEvent.objects.filter(verb="api_token.revoke").count() == 1


def test_an_expired_token_is_401(client, editor):
    token, secret = token_create(
        actor=editor, name="Tablero", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert (
        client.get("/api/v1/states", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_a_deactivated_person_token_is_401(client, editor):
    _token, secret = token_create(actor=editor, name="Tablero")
    editor.is_active = False
    editor.save()
    assert (
        client.get("/api/v1/states", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_the_token_page_requires_sign_in(client):
    response = client.get("/api/v1/tokens/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_person_creates_a_token_and_sees_it_once(client_for, editor):
    client = client_for(editor)
    response = client.post("/api/v1/tokens/", {"name": "Tablero estatal", "expires_in": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert secret in response.content.decode()
    page = client.get("/api/v1/tokens/").content.decode()
    assert "Tablero estatal" in page and secret not in page and secret[:8] in page
    token = ApiToken.objects.get(user=editor)
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)


def test_a_person_revokes_only_their_own_tokens(client_for, editor, outsider):
    mine, _secret = token_create(actor=editor, name="Mío")
    theirs, _other = token_create(actor=outsider, name="Ajeno")
    client = client_for(editor)
    assert client.get(f"/api/v1/tokens/{mine.code}/revoke").status_code == 405
    assert client.post(f"/api/v1/tokens/{theirs.code}/revoke").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.post(f"/api/v1/tokens/{mine.code}/revoke").status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert "Ajeno" not in client.get("/api/v1/tokens/").content.decode()


def test_an_invalid_token_form_is_400_and_creates_nothing(client_for, editor):
    response = client_for(editor).post("/api/v1/tokens/", {"name": "", "expires_in": "7"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_token_the_service_refuses_is_400_with_its_reason(client_for, editor, monkeypatch):
    # The form offers only future expiries, so the service's own refusal is forced here.
    def refuse(**_kwargs):
        raise ValidationError({"expires_at": "La fecha de vencimiento debe estar en el futuro."})

    monkeypatch.setattr("transversal.api.views.token_create", refuse)
    response = client_for(editor).post("/api/v1/tokens/", {"name": "Tablero", "expires_in": "30"})
    assert response.status_code == 400
    assert "La fecha de vencimiento debe estar en el futuro." in response.content.decode()
    assert not ApiToken.objects.exists()
