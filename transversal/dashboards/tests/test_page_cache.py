"""The dashboards' cached fragments (audit.stamp): a second visit skips the dashboard's queries,
a review step shows on the next visit, and nobody is served a fragment rendered for a person
who may see something else."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from transversal.audit.stamp import cache_key
from transversal.dashboards.tests.data import known_dataset
from transversal.dashboards.tests.test_national import tile
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import update_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(national, durango, zacatecas):
    return known_dataset(national, durango, zacatecas)


def main(response) -> str:
    """The page below the header (the header carries a fresh CSRF token on every render)."""
    html = response.content.decode()
    return re.search(r'<main id="contenido".*?</main>', html, re.S).group(0)


def test_a_second_visit_to_the_national_dashboard_runs_none_of_its_queries(
    page_cache, client_for, coordinator, data
):
    client = client_for(coordinator)
    first = client.get("/tableros/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/tableros/")
    # session, user, memberships (scope), the data stamp: the figures, the header's institutions
    # and the pending count come from the cache.
    assert len(queries) == 4
    assert main(second) == main(first)
    assert "Durango" in main(second)


def test_a_review_step_shows_on_the_next_visit(page_cache, client_for, coordinator, data):
    client = client_for(coordinator)
    url = "/tableros/?medida=pendientes"
    assert tile(client.get(url).content.decode(), "10").endswith(" 2 por revisar")
    update = ProgressUpdate.objects.filter(
        status=UpdateStatus.SUBMITTED, is_current=True, period__indicator__owner__state__code="10"
    ).first()
    update_return(actor=coordinator, update=update, comment="Falta el soporte.")
    assert tile(client.get(url).content.decode(), "10").endswith(" 1 por revisar")


def test_a_rejected_filter_is_never_served_from_the_cache(
    page_cache, client_for, coordinator, data
):
    client = client_for(coordinator)
    for _ in range(2):
        response = client.get("/tableros/?medida=nada")
        assert response.status_code == 400
        assert "Se ignoraron filtros con un valor no válido" in response.content.decode()


def test_a_second_visit_to_a_state_dashboard_runs_none_of_its_queries(
    page_cache, client_for, coordinator, data
):
    client = client_for(coordinator)
    first = client.get("/tableros/entidad/10/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/tableros/entidad/10/")
    # session, user, memberships (scope), the state with its summary (the access check runs on
    # every visit), the data stamp
    assert len(queries) == 5
    assert main(second) == main(first)


def test_a_state_member_is_not_served_the_fragment_rendered_for_the_coordinator(
    page_cache, client_for, coordinator, viewer, data
):
    crumb = 'href="/tableros/">Tablero nacional</a>'
    assert crumb in main(client_for(coordinator).get("/tableros/entidad/10/"))
    assert crumb not in main(client_for(viewer).get("/tableros/entidad/10/"))


def test_the_key_holds_the_language_the_day_and_the_data_stamp(page_cache, coordinator, data):
    import datetime as dt

    with translation.override("es-mx"):
        spanish = cache_key("x", 1)
    with translation.override("en"):
        english = cache_key("x", 1)
    assert spanish != english
    assert cache_key("x", 1, today=dt.date(2026, 1, 1)) != cache_key(
        "x", 1, today=dt.date(2026, 1, 2)
    )
    before = cache_key("x", 1)
    update = ProgressUpdate.objects.filter(status=UpdateStatus.SUBMITTED, is_current=True).first()
    update_return(actor=coordinator, update=update, comment="Falta el soporte.")
    assert cache_key("x", 1) != before
