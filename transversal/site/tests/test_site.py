from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.core.access import unprotected_views
from transversal.core.templatetags.transversal import format_mx


def test_every_view_is_declared_public_or_protected():
    assert unprotected_views() == []


def test_the_walk_catches_an_unprotected_view():
    assert unprotected_views("transversal.core.tests.urls_unprotected") == ["sin-proteccion/"]


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_pages_are_spanish_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("directory:state_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "es-mx"
    assert "Entidades federativas" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_changes_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/entidades/"})
    assert response.status_code == 302
    page = client.get("/entidades/").content.decode()
    assert "Mexican states" in page
    client.post(reverse("set_language"), {"language": "es-mx", "next": "/entidades/"})
    assert "Entidades federativas" in client.get("/entidades/").content.decode()


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_numbers_use_mexican_format():
    assert format_mx(1234567.891) == "1,234,567.89"
    assert format_mx(2025) == "2,025"
    assert format_mx("12.5", 1) == "12.5"
    assert format_mx(None) == "—"
    assert format_mx("nan") == "—"


def test_the_compiled_english_catalogue_matches_its_source():
    """Run `make messages` after editing the .po: a stale .mo would show old text."""
    from gettext import GNUTranslations
    from pathlib import Path

    from babel.messages.pofile import read_po

    folder = Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES"
    with (folder / "django.po").open("rb") as po:
        expected = {
            (m.context, m.id): m.string
            for m in read_po(po)
            if m.id and m.string and isinstance(m.id, str)
        }
    with (folder / "django.mo").open("rb") as mo:
        compiled = GNUTranslations(mo)

    def read(context, key):  # a message with a context is looked up with it
        return compiled.pgettext(context, key) if context else compiled.gettext(key)

    assert {(ctx, key): read(ctx, key) for ctx, key in expected} == expected
