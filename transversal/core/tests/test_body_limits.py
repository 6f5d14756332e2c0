"""Request bodies are refused with 413 from their declared size, before anything reads them: a
low limit for anyone not signed in (sign-in, password reset, the API) and one based on
EVIDENCE_MAX_MB for signed-in uploads. An anonymous 200 MB multipart POST to /entrar/ used to
be spooled whole to disk before CSRF refused it."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from transversal.core.middleware import signed_in_body_limit

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "limite"


class UnreadableBody:
    """A request body that records whether anyone tried to read it."""

    def __init__(self) -> None:
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        return b""

    def readline(self, *args):
        self.reads += 1
        return b""


def post_declaring(client, path: str, size: int, *, content_type: str | None = None, headers=None):
    body = UnreadableBody()
    response = client.generic(
        "POST",
        path,
        b"x",
        content_type=content_type or f"multipart/form-data; boundary={BOUNDARY}",
        headers=headers,
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": body},
    )
    return response, body


def multipart(fields: dict[str, str], *, padding: int = 0) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    if padding:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="relleno"; '
            'filename="relleno.bin"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n{'x' * padding}\r\n"
        )
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()


def test_an_anonymous_200_mb_post_to_the_sign_in_page_is_413_unread(client):
    response, body = post_declaring(client, reverse("accounts:login"), 200 * MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert 'role="alert"' in page and "sin iniciar sesión se admiten hasta 256 KB" in page
    assert body.reads == 0


@pytest.mark.parametrize("path", ["/recuperar/", "/admin/login/", "/", "/api/v1/tokens/"])
def test_other_anonymous_endpoints_refuse_a_large_body_unread(client, path):
    limit = django_settings.ANONYMOUS_MAX_BODY_KB * 1024
    response, body = post_declaring(client, path, limit + 1)
    assert response.status_code == 413
    assert body.reads == 0


def test_the_api_answers_413_in_its_error_shape(client):
    limit = django_settings.ANONYMOUS_MAX_BODY_KB * 1024
    response, body = post_declaring(
        client,
        "/api/v1/updates/00000000-0000-0000-0000-000000000000/submit",
        limit + 1,
        content_type="application/json",
        headers={"Authorization": "Bearer cualquiera"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert "demasiado grande" in response.json()["detail"]
    assert body.reads == 0


def test_an_anonymous_body_at_the_limit_goes_through(client, editor):
    from transversal.testing import PASSWORD

    limit = django_settings.ANONYMOUS_MAX_BODY_KB * 1024
    small = multipart({"username": editor.email, "password": PASSWORD})
    data = multipart(
        {"username": editor.email, "password": PASSWORD}, padding=limit - len(small) - 200
    )
    assert len(data) <= limit
    response = client.generic(
        "POST",
        reverse("accounts:login"),
        data,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 302


def test_a_signed_in_upload_above_the_anonymous_limit_goes_through(client_for, editor):
    from transversal.testing import PASSWORD

    client = client_for(editor)
    limit = django_settings.ANONYMOUS_MAX_BODY_KB * 1024
    data = multipart(
        {"old_password": PASSWORD, "new_password1": "a", "new_password2": "b"}, padding=limit * 2
    )
    response = client.generic(
        "POST",
        reverse("accounts:password_change"),
        data,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 200  # the form answers (the passwords differ), not the limit


def test_a_signed_in_body_above_the_evidence_limit_is_413_unread(client_for, editor, settings):
    settings.EVIDENCE_MAX_MB = 3
    client = client_for(editor)
    response, body = post_declaring(
        client, reverse("accounts:password_change"), signed_in_body_limit() + 1
    )
    assert response.status_code == 413
    assert "3 MB" in response.content.decode()
    assert body.reads == 0
    response, _body = post_declaring(client, reverse("accounts:password_change"), 3 * MB)
    assert response.status_code != 413


def test_the_signed_in_limit_follows_evidence_max_mb(settings):
    settings.EVIDENCE_MAX_MB = 7
    assert 7 * MB < signed_in_body_limit() <= 8 * MB


@pytest.mark.parametrize("declared", ["no-es-numero", "-5"])
def test_a_malformed_content_length_is_left_to_django(client, declared):
    response = client.generic("POST", reverse("accounts:login"), b"", CONTENT_LENGTH=declared)
    assert response.status_code != 413


def test_gets_without_a_body_are_not_affected(client):
    assert client.get(reverse("accounts:login")).status_code == 200


def test_django_parses_at_most_a_handful_of_files_per_request():
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10


def test_the_plan_review_form_fits_the_field_limit():
    """The draft-plan review posts up to 5,000 items of six fields each; Django's default
    limit of 1,000 fields refused any plan over about 160 items."""
    from transversal.planning.forms import (
        DraftItemForm,
        DraftItemFormSet,
        DraftPlanForm,
        SkippedLineForm,
        SkippedLineFormSet,
    )

    per_item = len(DraftItemForm.base_fields) + 1  # + DELETE
    needed = (
        DraftItemFormSet.absolute_max * per_item
        + SkippedLineFormSet.absolute_max * len(SkippedLineForm.base_fields)
        + len(DraftPlanForm.base_fields)
        + 20  # the two formsets' management forms and the CSRF token
    )
    assert django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= needed
