"""Who may open each dashboard page."""

from __future__ import annotations

import pytest

from transversal.accounts.models import User
from transversal.dashboards.tests.data import known_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(national, durango, zacatecas):
    return known_dataset(national, durango, zacatecas)


@pytest.fixture
def nobody(db):
    return User.objects.create_user(email="sin.institucion@prueba.test", password="x-Prueba-2026")


def test_anonymous_visitors_are_sent_to_sign_in(client, data):
    for url in (
        "/tableros/",
        "/tableros/entidad/10/",
        f"/tableros/indicador/{data['indicator'].code}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/entrar/")


def test_the_national_dashboard_is_for_national_coordinators(client_for, coordinator, data):
    assert client_for(coordinator).get("/tableros/").status_code == 200


@pytest.mark.parametrize("persona", ["editor", "reviewer", "viewer", "state_admin"])
def test_a_state_member_is_sent_to_their_state_dashboard(client_for, request, persona, data):
    response = client_for(request.getfixturevalue(persona)).get("/tableros/")
    assert response.status_code == 302
    assert response["Location"] == "/tableros/entidad/10/"


def test_a_signed_in_person_without_membership_gets_403(client_for, nobody, data):
    assert client_for(nobody).get("/tableros/").status_code == 403


@pytest.mark.parametrize("persona", ["coordinator", "editor", "reviewer", "viewer"])
def test_the_state_dashboard_is_for_its_members_and_coordinators(
    client_for, request, persona, data
):
    assert (
        client_for(request.getfixturevalue(persona)).get("/tableros/entidad/10/").status_code == 200
    )


def test_it_hides_other_states_from_state_members(client_for, outsider, nobody, data):
    assert client_for(outsider).get("/tableros/entidad/10/").status_code == 404
    assert client_for(outsider).get("/tableros/entidad/32/").status_code == 200
    assert client_for(nobody).get("/tableros/entidad/10/").status_code == 404


@pytest.mark.parametrize("code", ["99", "1", "abc", "00"])
def test_an_unknown_state_is_404(client_for, coordinator, code):
    assert client_for(coordinator).get(f"/tableros/entidad/{code}/").status_code == 404


def test_indicator_charts_are_for_members_and_coordinators(
    client_for, coordinator, viewer, outsider, data
):
    url = f"/tableros/indicador/{data['indicator'].code}/"
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(viewer).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(coordinator).get("/tableros/indicador/no-es-una-clave/").status_code == 404


def test_a_public_indicator_still_hides_its_dashboard_from_outsiders(client_for, outsider, data):
    indicator = data["indicator"]
    indicator.is_public = True
    indicator.save(update_fields=["is_public"])
    assert client_for(outsider).get(f"/tableros/indicador/{indicator.code}/").status_code == 404


def test_pages_reject_post(client_for, coordinator, data):
    client = client_for(coordinator)
    for url in (
        "/tableros/",
        "/tableros/entidad/10/",
        f"/tableros/indicador/{data['indicator'].code}/",
    ):
        assert client.post(url).status_code == 405


def test_every_dashboard_view_declares_its_access():
    from transversal.core.access import unprotected_views

    assert [route for route in unprotected_views() if route.startswith("tableros/")] == []
