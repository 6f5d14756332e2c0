"""/api/v1/harmonization: every provision with its 32 cells, public; a status only with its
citation."""

from __future__ import annotations

import pytest

from transversal.harmonization import services
from transversal.harmonization.tests.factories import CITED, cell, provision

pytestmark = pytest.mark.django_db
URL = "/api/v1/harmonization"


def _world(size: int):
    provisions = [provision(f"disp-{n}", order=n) for n in range(size)]
    for prov in provisions:
        services.cell_set(actor=None, cell=cell(prov), **CITED)
        services.cell_set(
            actor=None, cell=cell(prov, "32"), status="parcial", gazette="PO", is_synthetic=True
        )
    return provisions


def test_each_provision_lists_its_32_cells_and_publishes_only_cited_facts(client):
    _world(1)
    body = client.get(URL).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["dof_date"] == "2020-04-13" and item["topic"] == "political_violence"
    cells = {c["state"]: c for c in item["cells"]}
    assert len(cells) == 32
    assert cells["10"]["status"] == "armonizada" and cells["10"]["verified"] is True
    assert cells["10"]["published_on"] == "2021-03-04"
    # A gazette without its date is no citation: nothing of it is published.
    assert cells["32"] == {
        **cells["32"],
        "status": "sin_verificar",
        "verified": False,
        "gazette": "",
        "is_synthetic": True,
    }


def test_it_filters_by_provision_state_and_status(client):
    _world(2)
    body = client.get(URL, {"provision": "disp-1", "state": "10"}).json()
    assert [i["slug"] for i in body["items"]] == ["disp-1"]
    assert [c["state"] for c in body["items"][0]["cells"]] == ["10"]
    body = client.get(URL, {"status": "armonizada"}).json()
    assert {c["state"] for i in body["items"] for c in i["cells"]} == {"10"}
    body = client.get(URL, {"status": "sin_verificar", "state": "32"}).json()
    assert all(c["status"] == "sin_verificar" for i in body["items"] for c in i["cells"])


def test_a_bad_filter_is_422(client):
    assert client.get(URL, {"state": "33"}).status_code == 422
    assert client.get(URL, {"status": "hecha"}).status_code == 422


@pytest.mark.parametrize("size", [1, 4])
def test_it_reads_in_constant_queries(client, size, django_assert_max_num_queries):
    _world(size)
    # provisions page, count, cells with their states.
    with django_assert_max_num_queries(3):
        assert client.get(URL).status_code == 200
