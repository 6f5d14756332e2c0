"""One account, one failure counter: the login name is trimmed and lower-cased everywhere
(sign-in page, admin sign-in, password reset, lockout), so changing its letter case or adding
spaces neither dodges the lockout nor creates a fresh counter."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from transversal.testing import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "consulta.durango@prueba.test"
VARIANTS = [
    EMAIL,
    "Consulta.Durango@Prueba.Test",
    EMAIL.upper(),
    f"  {EMAIL}  ",
    f"\t{EMAIL}",
    " cONSULTA.durango@PRUEBA.test ",
]
PAGES = {
    "entrar": reverse("accounts:login"),
    "admin": reverse("admin:login"),
}


@pytest.fixture
def person(durango):
    from transversal.accounts.models import Role
    from transversal.conftest import make_member

    user = make_member(EMAIL, durango, Role.VIEWER)
    user.is_staff = True  # so the admin sign-in would let the person in
    user.save(update_fields=["is_staff"])
    return user


def sign_in(client, sign_in_page: str, username: str, password: str):
    return client.post(PAGES[sign_in_page], {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("sign_in_page", PAGES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_of_the_name_signs_in_with_the_right_password(
    client, person, sign_in_page, variant
):
    response = sign_in(client, sign_in_page, variant, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("sign_in_page", PAGES)
def test_failures_spread_across_variants_lock_every_variant(client, person, sign_in_page, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, sign_in_page, VARIANTS[attempt % len(VARIANTS)], "equivocada")
    assert AccessAttempt.objects.count() == 1
    assert AccessAttempt.objects.get().username == EMAIL
    for variant in VARIANTS:
        response = sign_in(client, sign_in_page, variant, PASSWORD)
        assert response.status_code == 429, variant
        assert not signed_in(client), variant


def test_failures_on_both_sign_in_pages_share_one_counter(client, person, settings):
    pages = list(PAGES)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, pages[attempt % 2], VARIANTS[attempt % len(VARIANTS)], "equivocada")
    for page in PAGES:
        for variant in VARIANTS:
            assert sign_in(client, page, variant, PASSWORD).status_code == 429, (page, variant)
    assert not signed_in(client)


def test_one_failure_short_of_the_limit_still_signs_in_and_clears_the_counter(
    client, person, settings
):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "entrar", VARIANTS[attempt % len(VARIANTS)], "equivocada")
    assert sign_in(client, "entrar", VARIANTS[1], PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


@pytest.mark.parametrize("variant", VARIANTS)
def test_password_reset_finds_the_account_under_any_variant(client, person, variant):
    response = client.post(reverse("accounts:password_reset"), {"email": variant})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]


def test_new_accounts_are_stored_trimmed_and_in_lower_case(durango):
    from transversal.accounts.models import User
    from transversal.accounts.services import user_create

    user = user_create(actor=None, email="  Nueva.Persona@Prueba.TEST ", full_name="Nueva Persona")
    assert user.email == "nueva.persona@prueba.test"
    again = User.objects.create_user(email=" Otra@Prueba.Test\t", password=None, full_name="Otra")
    assert again.email == "otra@prueba.test"


def test_behind_the_proxy_the_lockout_counts_the_forwarded_client(client, person, settings):
    settings.BEHIND_PROXY = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            PAGES["entrar"],
            {"username": VARIANTS[attempt % len(VARIANTS)], "password": "equivocada"},
            REMOTE_ADDR="127.0.0.1",
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    locked = client.post(
        PAGES["entrar"],
        {"username": EMAIL, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert locked.status_code == 429
