"""/api/v1/statistics: public, filtered, with the gap computed, and in constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.genderstats.tests.factories import make_indicator, put

pytestmark = pytest.mark.django_db
URL = "/api/v1/statistics"


@pytest.fixture
def data(db):
    employed = make_indicator("ocupadas", measure="conteo", unit="Personas", is_synthetic=True)
    put(employed, 2024, "10", "mujeres", 310500, is_synthetic=True)
    put(employed, 2024, "10", "hombres", 452300, is_synthetic=True)
    put(employed, 2024, "", "mujeres", 1000, cv=Decimal("40"))
    put(employed, 2024, "", "hombres", 900, cv=Decimal("5"))
    put(employed, 2020, "32", "mujeres", 10)
    violence = make_indicator("violencia")
    put(violence, 2021, "10", "mujeres", "40.5", cv=Decimal("16"))
    put(violence, 2021, "10", "hombres", "30.25", cv=Decimal("3"))
    return employed, violence


def test_anyone_reads_the_statistics_with_the_gap_computed(client, data):
    body = client.get(URL, {"indicator": "ocupadas", "state": "10"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["state"] == "10" and item["state_name"] == "Durango"
    assert Decimal(item["gap"]) == Decimal("-141800")
    assert Decimal(item["ratio"]) == Decimal("0.6865")
    assert Decimal(item["femininity_index"]) == Decimal("68.6")
    assert item["precision"] == "no_reportada"
    assert item["is_synthetic"] is True
    assert item["source"]["publisher"] == "INEGI"


def test_00_gives_the_national_rows_and_their_precision(client, data):
    body = client.get(URL, {"state": "00"}).json()
    assert [(i["indicator"], i["state"], i["precision"]) for i in body["items"]] == [
        ("ocupadas", "00", "baja")
    ]


def test_filters_by_year_and_indicator(client, data):
    body = client.get(URL, {"year": 2021}).json()
    assert [(i["indicator"], i["year"]) for i in body["items"]] == [("violencia", 2021)]
    assert Decimal(body["items"][0]["gap"]) == Decimal("10.25")
    assert body["items"][0]["femininity_index"] is None  # a percentage, not a count
    assert client.get(URL).json()["count"] == 4


def test_a_row_with_one_sex_has_no_gap(client, data):
    item = client.get(URL, {"indicator": "ocupadas", "year": 2020}).json()["items"][0]
    assert item["women"] is not None and item["men"] is None and item["gap"] is None


@pytest.mark.parametrize("query", [{"state": "33"}, {"year": 1800}, {"indicator": "a b"}])
def test_bad_filters_are_422(client, query):
    assert client.get(URL, query).status_code == 422


def test_the_list_takes_the_same_queries_for_few_or_many_rows(client, data):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    more = make_indicator("mas")
    for code in ("01", "02", "03", "04"):
        put(more, 2022, code, "mujeres", 1)
        put(more, 2022, code, "hombres", 2)
    assert count() == small


def test_the_openapi_document_lists_the_endpoint(client):
    assert "/api/v1/statistics" in client.get("/api/v1/openapi.json").json()["paths"]
