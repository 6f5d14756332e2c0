"""Open-data files are written once per change of the data and served from disk meanwhile."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.tests.factories import approve_all_levels, second_pair_of_eyes
from transversal.portal import filecache

URL = reverse("portal:dataset_csv", args=["valores-aprobados"])


@pytest.fixture
def cached(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PAGE_CACHE_SECONDS = 60


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_second_download_reads_the_file_not_the_data(client, world, cached):
    first = _body(client.get(URL))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
        second = _body(response)
    assert second == first and b"2025" in second
    assert len(queries) == 1  # the data stamp only
    assert response["Content-Disposition"] == 'attachment; filename="valores-aprobados.csv"'
    assert [p.name.split("--")[0] for p in filecache.folder().iterdir()] == [
        "valores-aprobados.csv"
    ]


def test_an_approval_makes_the_next_download_new_and_drops_the_old_file(client, world, cached):
    before = _body(client.get(URL))
    submitted = ProgressUpdate.objects.get(
        period__indicator=world.indicator, period__label="2025-T2", is_current=True
    )
    approve_all_levels(actor=second_pair_of_eyes(), update=submitted)
    after = _body(client.get(URL))
    assert after.count(b"\n") == before.count(b"\n") + 1  # the newly approved row
    files = list(filecache.folder().glob("valores-aprobados.csv--*"))
    assert len(files) <= 2  # the old one goes once it is a second old


def test_with_the_cache_off_every_download_reads_the_data(client, world, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PAGE_CACHE_SECONDS = 0
    assert b"2025" in _body(client.get(URL))
    assert not filecache.folder().exists()
