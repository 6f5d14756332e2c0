"""The registers' open data: registros-capacitacion, -acciones-afirmativas, -participacion and
-servicios (CSV and JSON, described in the data package), one row per state, year and published
cell of registers.public's aggregates, with Spanish codes and the suppression flag."""

from __future__ import annotations

import csv
import io
import json

import pytest

from transversal.portal.tests.conftest import body
from transversal.registers.tests import public_world as w

pytestmark = pytest.mark.django_db

NAMES = (
    "registros-capacitacion",
    "registros-acciones-afirmativas",
    "registros-participacion",
    "registros-servicios",
)
FIELDS = [
    "clave_entidad",
    "anio",
    "registros",
    "personas",
    "porcentaje_mujeres",
    "desagregacion",
    "categoria",
    "valor",
    "suprimido",
    "dato_sintetico",
]


def csv_rows(client, name: str) -> list[dict]:
    response = client.get(f"/datos/{name}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(body(response).lstrip("\ufeff"))))


def test_the_data_package_describes_the_four_files(client):
    package = json.loads(body(client.get("/datos/datapackage.json")))
    resources = {resource["name"]: resource for resource in package["resources"]}
    for name in NAMES:
        for key in (name, f"{name}-json"):
            schema = resources[key]["schema"]
            assert [f["name"] for f in schema["fields"]] == FIELDS
            assert schema["primaryKey"] == ["clave_entidad", "anio", "desagregacion", "categoria"]
    categories = {f["name"]: f for f in resources["registros-servicios"]["schema"]["fields"]}[
        "categoria"
    ]
    assert categories["codigosApi"]["asesoria_juridica"] == "legal"


def test_a_file_has_one_row_per_published_cell_with_spanish_codes(client, durango):
    w.training(durango, women=30, men=12, audience="general")
    rows = csv_rows(client, "registros-capacitacion")
    assert [(r["desagregacion"], r["categoria"], r["valor"]) for r in rows] == [
        ("sexo", "mujeres", "30"),
        ("sexo", "hombres", "12"),
        ("sexo", "no_especificado", "0"),
        ("poblacion_objetivo", "personas_servidoras_publicas", "0"),
        ("poblacion_objetivo", "poblacion_general", "42"),
        ("poblacion_objetivo", "servicios_reeducativos", "0"),
    ]
    assert {
        (r["clave_entidad"], r["anio"], r["registros"], r["personas"], r["porcentaje_mujeres"])
        for r in rows
    } == {("10", "2025", "1", "42", "71.4")}
    assert {r["suprimido"] for r in rows} == {"false"}


def test_small_counts_are_empty_and_flagged_in_both_formats(client, durango):
    w.participation(durango, women=9, men=2, sectors=(6, 5, 0, 0, 0))
    rows = csv_rows(client, "registros-participacion")
    sexes = {
        r["categoria"]: (r["valor"], r["suprimido"]) for r in rows if r["desagregacion"] == "sexo"
    }
    assert sexes == {
        "mujeres": ("", "true"),
        "hombres": ("", "true"),
        "no_especificado": ("0", "false"),
    }
    assert {r["porcentaje_mujeres"] for r in rows} == {""}
    sectors = [r["valor"] for r in rows if r["desagregacion"] == "sector"]
    assert sectors == ["6", "5", "0", "0", "0"]
    items = json.loads(body(client.get("/datos/registros-participacion.json")))
    women = next(item for item in items if item["categoria"] == "mujeres")
    assert (women["valor"], women["suprimido"], women["porcentaje_mujeres"]) == (None, True, None)


def test_synthetic_entries_mark_their_state_and_year(client, durango, zacatecas):
    w.service(durango, synthetic=True)
    w.service(zacatecas)
    rows = csv_rows(client, "registros-servicios")
    assert {(r["clave_entidad"], r["dato_sintetico"]) for r in rows} == {
        ("10", "true"),
        ("32", "false"),
    }


def test_the_files_carry_no_text_of_an_entry(client, durango, national):
    w.one_of_each(durango)
    w.one_of_each(national)
    for name in NAMES:
        for fmt in ("csv", "json"):
            text = body(client.get(f"/datos/{name}.{fmt}"))
            assert "00,2025" in text or '"clave_entidad": "00"' in text
            assert w.PRIVATE not in text and w.NOTE not in text


def test_the_data_page_lists_the_files(client):
    text = body(client.get("/datos/"))
    for name in NAMES:
        assert f'href="/datos/{name}.csv"' in text
