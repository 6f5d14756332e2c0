"""A system invented for the demo or the benchmarks says "dato sintético" on every coordination
page that shows it or what hangs from it (its sessions and acuerdos); a real one never does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from transversal.coordination import services
from transversal.coordination.tests.factories import make_resolution, make_session, make_system

pytestmark = pytest.mark.django_db

MARK = "dato sintético"


def _pages(system, durango) -> list[str]:
    session = make_session(system)
    resolution = make_resolution(session, durango)
    return [
        reverse("coordination:list"),
        reverse("coordination:system", args=[system.code]),
        reverse("coordination:session", args=[session.code]),
        reverse("coordination:resolution", args=[resolution.code]),
    ]


def test_an_invented_system_is_marked_on_its_list_system_session_and_acuerdo_pages(
    client_for, durango, editor
):
    system = services.system_create(
        actor=None,
        name="Sistema Estatal para la Igualdad entre Mujeres y Hombres de Durango",
        acronym="SEIMH-DUR",
        topic="equality",
        level="state",
        secretariat=durango,
        legal_instrument="Ley estatal para la igualdad (referencia genérica, dato sintético)",
        is_synthetic=True,
    )
    client = client_for(editor)
    for url in _pages(system, durango):
        response = client.get(url)
        assert response.status_code == 200, url
        assert MARK in response.content.decode(), url


def test_a_real_system_carries_no_mark(client_for, durango, editor):
    system = make_system(durango)
    assert not system.is_synthetic
    client = client_for(editor)
    for url in _pages(system, durango):
        assert MARK not in client.get(url).content.decode(), url
