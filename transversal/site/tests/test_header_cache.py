"""The header's institutions and pending-review count are kept per person (audit.stamp) and
counted again after a review step."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.monitoring.services import update_submit
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, submitted

pytestmark = pytest.mark.django_db


def badge(response) -> int:
    match = re.search(
        r'id="nav-review-count"><span aria-hidden="true">(\d+)<', response.content.decode()
    )
    return int(match.group(1))


def test_the_header_is_queried_once_while_nothing_changes(
    page_cache, settings, client_for, reviewer
):
    client = client_for(reviewer)
    client.get("/entidades/")  # fills the cache
    with CaptureQueriesContext(connection) as cached:
        client.get("/entidades/")
    settings.PAGE_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as uncached:
        client.get("/entidades/")
    # Without the cache the header reads the memberships, their institutions' names and the
    # pending COUNT; with it, only the data stamp.
    assert len(uncached) - len(cached) == 2
    sql = " ".join(q["sql"] for q in cached.captured_queries)
    assert 'COUNT(*) AS "__count" FROM "monitoring_progressupdate"' not in sql


def test_the_pending_count_follows_a_submission_on_the_next_page(
    page_cache, client_for, reviewer, editor, durango
):
    indicator = indicator_with_calendar(durango, name="Mujeres capacitadas")
    submitted(indicator, "2025-T1", actor=editor)
    client = client_for(reviewer)
    assert badge(client.get("/")) == 1
    update = draft(indicator, "2025-T2", actor=editor)
    update_submit(actor=editor, update=update, expected_version=update.version)
    assert badge(client.get("/")) == 2


def test_each_person_sees_their_own_institution_in_the_header(
    page_cache, client_for, reviewer, outsider
):
    assert '<span class="muted-header">IEM</span>' in client_for(reviewer).get("/").content.decode()
    page = client_for(outsider).get("/").content.decode()
    assert '<span class="muted-header">SEMUJER</span>' in page
