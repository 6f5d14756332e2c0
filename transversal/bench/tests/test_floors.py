"""The SQL floors filter as their pages do, so a page's time divided by its floor's compares
like with like."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.bench import floors

pytestmark = pytest.mark.django_db


def test_the_review_queue_floor_reads_the_pending_index_as_the_page_does():
    """On both databases (no skip): each floor query's plan uses the partial index the page's
    queries use."""
    with CaptureQueriesContext(connection) as queries:
        floors.review_queue()
    assert len(queries) == 2  # the first page, the total
    for query in queries.captured_queries:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plan = " ".join(str(row) for row in cursor.fetchall())
            else:
                cursor.execute("SET enable_seqscan = off")  # a tiny table would be scanned
                cursor.execute("EXPLAIN " + query["sql"])
                plan = " ".join(str(row) for row in cursor.fetchall())
                cursor.execute("SET enable_seqscan = on")
        assert "update_pending_idx" in plan, query["sql"]
