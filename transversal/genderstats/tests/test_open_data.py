"""The open-data file estadisticas-genero: one row per value, with its cell's gap columns."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.genderstats.tests.factories import make_indicator, put

pytestmark = pytest.mark.django_db
URL = "/datos/estadisticas-genero.csv"


def read(client) -> list[dict]:
    response = client.get(URL)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def employed(db):
    indicator = make_indicator("ocupadas", measure="conteo", unit="Personas")
    put(indicator, 2024, "10", "mujeres", 310500, cv=Decimal("12"))
    put(indicator, 2024, "10", "hombres", 452300, cv=Decimal("16"))
    put(indicator, 2024, "10", "total", 762800)
    put(indicator, 2024, "", "mujeres", 1000)
    return indicator


def test_each_value_is_a_row_carrying_its_cells_gap(client, employed):
    rows = read(client)
    assert sorted((r["clave_entidad"], r["sexo"]) for r in rows) == [
        ("00", "mujeres"),
        ("10", "hombres"),
        ("10", "mujeres"),
        ("10", "total"),
    ]
    durango = [r for r in rows if r["clave_entidad"] == "10"]
    assert {r["brecha"] for r in durango} == {"-141800"}
    assert {r["razon"] for r in durango} == {"0.6865"}
    assert {r["indice_feminidad"] for r in durango} == {"68.6"}
    assert {r["precision_brecha"] for r in durango} == {"moderada"}
    women = next(r for r in durango if r["sexo"] == "mujeres")
    assert women["precision"] == "alta" and women["fuente"] == "ENDIREH"
    national = next(r for r in rows if r["clave_entidad"] == "00")
    assert national["brecha"] == "" and national["precision_brecha"] == ""


def test_the_data_package_describes_the_file(client, employed):
    package = client.get("/datos/datapackage.json").json()
    resource = next(r for r in package["resources"] if r["name"] == "estadisticas-genero")
    names = [f["name"] for f in resource["schema"]["fields"]]
    assert names[-5:] == [
        "brecha",
        "razon",
        "indice_feminidad",
        "precision_brecha",
        "dato_sintetico",
    ]
    assert len(read(client)[0]) == len(names)


def test_the_file_takes_the_same_queries_for_few_or_many_values(client, employed):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            read(client)
        return len(ctx.captured_queries)

    small = count()
    other = make_indicator("otra")
    for code in ("01", "02", "03"):
        put(other, 2020, code, "mujeres", 3)
        put(other, 2020, code, "hombres", 4)
    assert count() == small
