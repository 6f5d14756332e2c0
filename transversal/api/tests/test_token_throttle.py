"""Failed token attempts are limited per client address: past the limit every token from that
address is refused with 429 (Spanish message, Retry-After) until the window ends, so a token
cannot be guessed by brute force. Requests without a token are not affected."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from transversal.api import auth

pytestmark = pytest.mark.django_db

LIMIT = 3
ATTACKER = "203.0.113.7"
NEIGHBOUR = "198.51.100.9"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.API_TOKEN_FAILURE_LIMIT = LIMIT
    settings.API_TOKEN_FAILURE_WINDOW_MINUTES = 15
    cache.clear()  # the counters live in the cache, which outlives a test


def call(client, secret: str | None, address: str = ATTACKER):
    headers = {"Authorization": f"Bearer {secret}"} if secret is not None else {}
    return client.get("/api/v1/states", headers=headers, REMOTE_ADDR=address)


def fail(client, times: int, address: str = ATTACKER) -> None:
    for attempt in range(times):
        assert call(client, f"adivinanza-{attempt}", address).status_code == 401


def test_failures_below_the_limit_are_plain_401(client):
    fail(client, LIMIT)


def test_past_the_limit_even_a_valid_token_gets_429_with_retry_after(client, editor, bearer):
    secret = bearer(editor)["Authorization"].removeprefix("Bearer ")
    fail(client, LIMIT)
    response = call(client, secret)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_requests"
    assert "Demasiados intentos con tokens no válidos" in response.json()["detail"]
    assert 1 <= int(response["Retry-After"]) <= 15 * 60


def test_a_guess_past_the_limit_is_also_429(client):
    fail(client, LIMIT)
    assert call(client, "otra-adivinanza").status_code == 429


def test_other_addresses_are_not_affected(client, editor, bearer):
    fail(client, LIMIT)
    assert call(client, "adivinanza", NEIGHBOUR).status_code == 401
    assert (
        call(client, bearer(editor)["Authorization"].removeprefix("Bearer "), NEIGHBOUR).status_code
        == 200
    )


def test_requests_without_a_token_are_not_throttled(client):
    fail(client, LIMIT)
    assert call(client, None).status_code == 200


def test_valid_tokens_do_not_count_as_failures(client, editor, bearer):
    secret = bearer(editor)["Authorization"].removeprefix("Bearer ")
    for _ in range(LIMIT * 2):
        assert call(client, secret).status_code == 200
    fail(client, LIMIT)


def test_the_address_may_try_again_when_the_window_ends(client, monkeypatch):
    now = 1_000_000.0
    monkeypatch.setattr(auth, "_now", lambda: now)
    fail(client, LIMIT)
    response = call(client, "adivinanza")
    assert response.status_code == 429
    now += int(response["Retry-After"])
    assert call(client, "adivinanza").status_code == 401


def test_the_openapi_document_lists_429(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "429" in operation["responses"], (method, path)
    assert "429" in document["info"]["description"]


def test_behind_the_proxy_each_forwarded_client_has_its_own_count(client, settings):
    settings.BEHIND_PROXY = True
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for attempt in range(LIMIT):
        response = client.get(
            "/api/v1/states",
            headers={
                "Authorization": f"Bearer adivinanza-{attempt}",
                "X-Forwarded-For": f"10.9.9.9, {ATTACKER}",
            },
            **via_proxy,
        )
        assert response.status_code == 401
    blocked = client.get(
        "/api/v1/states",
        headers={"Authorization": "Bearer otra", "X-Forwarded-For": ATTACKER},
        **via_proxy,
    )
    assert blocked.status_code == 429
    # Another client behind the same proxy, even one claiming the attacker's address on the left.
    other = client.get(
        "/api/v1/states",
        headers={"Authorization": "Bearer otra", "X-Forwarded-For": f"{ATTACKER}, {NEIGHBOUR}"},
        **via_proxy,
    )
    assert other.status_code == 401


def test_without_the_proxy_setting_forwarded_headers_are_ignored(client, settings):
    settings.BEHIND_PROXY = False
    for attempt in range(LIMIT):
        client.get(
            "/api/v1/states",
            headers={
                "Authorization": f"Bearer adivinanza-{attempt}",
                "X-Forwarded-For": f"10.0.0.{attempt}",
            },
            REMOTE_ADDR=ATTACKER,
        )
    assert call(client, "otra").status_code == 429
