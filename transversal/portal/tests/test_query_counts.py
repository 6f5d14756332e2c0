"""Every portal page and every open-data file takes the same number of queries whatever the data
size.

Pages read through selectors with select_related/prefetch_related and aggregate
annotations; files read one ``values_list`` query each (institutions carry their
current name through a subquery, never a query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.portal.tests.conftest import body, data_urls, portal_urls
from transversal.portal.tests.world import grow

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body(response)  # a streaming response runs its query while it is consumed
    assert response.status_code == 200, url
    return len(captured)


def test_pages_and_files_take_constant_queries(client, world, durango, national):
    urls = [*portal_urls(world), *data_urls()]
    grow(world, durango, national, step=1)
    before = {url: count_queries(client, url) for url in urls}
    grow(world, durango, national, step=2)
    after = {url: count_queries(client, url) for url in urls}
    assert after == before


def test_each_data_file_is_one_query(client, world):
    for url in data_urls()[1:]:
        assert count_queries(client, url) == 1, url


def test_the_indicator_page_budget(client, world):
    # indicator with owner and state; owner names; periods; approved updates; their breakdown;
    # their public evidence; goals of public agreements measured by it.
    from django.urls import reverse

    assert count_queries(client, reverse("portal:indicator", args=[world.indicator.code])) == 7
