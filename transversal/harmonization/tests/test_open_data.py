"""Open data ``armonizacion``: one row per provision and state; a status only with its
citation, every other row «sin_verificar» with nothing of its citation."""

from __future__ import annotations

import csv
import io
import json

import pytest

from transversal.harmonization import services
from transversal.harmonization.tests.factories import CITED, cell, provision

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8").lstrip("\ufeff")


def test_the_dataset_publishes_only_cited_statuses(client):
    prov = provision()
    services.cell_set(actor=None, cell=cell(prov), **CITED)
    services.cell_set(
        actor=None, cell=cell(prov, "32"), status="armonizada", gazette="PO", is_synthetic=True
    )
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/datos/armonizacion.csv")))))
    assert len(rows) == 32
    by_state = {r["clave_entidad"]: r for r in rows}
    assert by_state["10"]["estado"] == "armonizada"
    assert by_state["10"]["fecha_publicacion"] == "2021-03-04"
    assert by_state["10"]["fecha_dof"] == "2020-04-13"
    assert by_state["32"]["estado"] == "sin_verificar"
    assert by_state["32"]["periodico_oficial"] == ""
    assert by_state["32"]["dato_sintetico"] == "true"
    data = json.loads(_body(client.get("/datos/armonizacion.json")))
    assert len(data) == 32
    assert {r["estado"] for r in data if r["clave_entidad"] == "32"} == {"sin_verificar"}


def test_the_datapackage_describes_it(client):
    package = json.loads(_body(client.get("/datos/datapackage.json")))
    resource = next(r for r in package["resources"] if r["name"] == "armonizacion")
    assert resource["schema"]["primaryKey"] == ["clave_disposicion", "clave_entidad"]
    estado = next(f for f in resource["schema"]["fields"] if f["name"] == "estado")
    assert "sin_verificar" in estado["constraints"]["enum"]
