"""API fixtures: tokens for the personas and a small world of Durango and Zacatecas data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transversal.api.services import token_create
from transversal.monitoring.services import update_approve, update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas' Argon2 hashing dominates these tests' time; the API never checks passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_token_throttle():
    """Failed-token counters live in the cache, which outlives a test: start each one at zero."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def bearer():
    """``bearer(user)`` → headers for the test client with a fresh token of that person."""

    def make(user) -> dict:
        _token, secret = token_create(actor=user, name="pruebas")
        return {"Authorization": f"Bearer {secret}"}

    return make


@pytest.fixture
def world(durango, zacatecas, editor, reviewer):
    """Per state: a public indicator with an approved value and a private one with a draft."""
    durango_public = indicator_with_calendar(
        durango, name="Mujeres capacitadas (Durango)", is_public=True, disaggregations=["sex"]
    )
    durango_private = indicator_with_calendar(durango, name="Refugios operando (Durango)")
    zacatecas_public = indicator_with_calendar(
        zacatecas, name="Mujeres capacitadas (Zacatecas)", is_public=True
    )
    zacatecas_private = indicator_with_calendar(zacatecas, name="Refugios operando (Zacatecas)")
    return {
        "durango_public": durango_public,
        "durango_private": durango_private,
        "zacatecas_public": zacatecas_public,
        "zacatecas_private": zacatecas_private,
        "durango_approved": _approved_with_breakdown(durango_public, editor, reviewer),
        "durango_public_draft": draft(durango_public, "2025-T2", Decimal(40), actor=editor),
        "durango_private_draft": draft(durango_private, value=Decimal(7777), actor=editor),
        "zacatecas_private_draft": draft(zacatecas_private, value=Decimal(4242)),
    }


def _approved_with_breakdown(indicator, editor, reviewer):
    update = draft(
        indicator,
        value=Decimal(95),
        actor=editor,
        breakdown={"sex": {"women": Decimal(92), "men": Decimal(3)}},
    )
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    return update_approve(actor=reviewer, update=update)
