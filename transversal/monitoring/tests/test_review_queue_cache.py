"""The review queue's rendered list is kept per person (audit.stamp): never shown to someone
who reviews other states, and rendered again after a review step."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.monitoring.services import update_return
from transversal.monitoring.tests.factories import indicator_with_calendar, submitted

pytestmark = pytest.mark.django_db

QUEUE = reverse("monitoring:review_queue")


@pytest.fixture
def pending(durango, zacatecas, editor):
    durango_update = submitted(indicator_with_calendar(durango, name="Capacitadas en Durango"))
    zacatecas_update = submitted(indicator_with_calendar(zacatecas, name="Refugios en Zacatecas"))
    return durango_update, zacatecas_update


def test_a_second_visit_runs_none_of_the_queue_queries(
    page_cache, client_for, coordinator, pending
):
    client = client_for(coordinator)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(QUEUE).content.decode()
    # session, user, memberships (scope), the data stamp
    assert len(queries) == 4
    assert "Capacitadas en Durango" in page and "Refugios en Zacatecas" in page


def test_a_state_reviewer_is_not_served_the_coordinators_list(
    page_cache, client_for, coordinator, reviewer, pending
):
    assert "Refugios en Zacatecas" in client_for(coordinator).get(QUEUE).content.decode()
    page = client_for(reviewer).get(QUEUE).content.decode()
    assert "Capacitadas en Durango" in page and "Refugios en Zacatecas" not in page


def test_a_returned_report_leaves_the_list_on_the_next_visit(
    page_cache, client_for, coordinator, pending
):
    client = client_for(coordinator)
    assert "Refugios en Zacatecas" in client.get(QUEUE).content.decode()
    update_return(actor=coordinator, update=pending[1], comment="Falta el soporte.")
    assert "Refugios en Zacatecas" not in client.get(QUEUE).content.decode()


def test_the_htmx_fragment_and_the_page_are_kept_apart(
    page_cache, client_for, coordinator, pending
):
    client = client_for(coordinator)
    fragment = client.get(QUEUE, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="queue-results">')
    page = client.get(QUEUE).content.decode()
    assert "<html" in page and 'id="queue-results"' in page
