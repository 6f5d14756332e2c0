"""The portal's home reads its counts once per data stamp (audit.stamp): a second visit runs only
the stamp's query, and a change made through a service shows on the next visit."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.monitoring.services import indicator_create

pytestmark = pytest.mark.django_db


def public_indicators(response) -> int:
    html = response.content.decode()
    return int(re.search(r'<span class="figure">([\d,]+)</span>indicadores públicos', html)[1])


def new_public_indicator(durango, name: str):
    return indicator_create(
        actor=None,
        owner=durango,
        name=name,
        unit="personas",
        measure="count",
        frequency="annual",
        direction="ascending",
        by_sex=False,
        is_public=True,
    )


def test_a_second_visit_runs_only_the_stamp_query(page_cache, client, durango):
    new_public_indicator(durango, "Personas atendidas")
    first = client.get("/portal/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/portal/")
    assert len(queries) == 1  # MAX(id) of the audit trail
    assert public_indicators(second) == public_indicators(first) == 1


def test_a_change_through_a_service_shows_on_the_next_visit(page_cache, client, durango):
    new_public_indicator(durango, "Personas atendidas")
    assert public_indicators(client.get("/portal/")) == 1
    new_public_indicator(durango, "Personas capacitadas")
    assert public_indicators(client.get("/portal/")) == 2
