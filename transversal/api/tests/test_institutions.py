"""The registry through the API: institutions with their name history, filters and a detail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.institutions.models import InstitutionKind, LegalForm, NameChange
from transversal.institutions.services import (
    institution_name_add,
    institution_register,
    state_institutes_load,
)
from transversal.territory.models import Municipality, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def lerdo_imm(db):
    lerdo = Municipality.objects.create(
        code="10012", state=State.objects.get(code="10"), name="Lerdo"
    )
    return institution_register(
        actor=None,
        kind=InstitutionKind.MUNICIPAL_IMM,
        state=lerdo.state,
        municipality=lerdo,
        name="Instituto Municipal de la Mujer de Lerdo",
        head_name="Titular",
        head_charge="Directora",
        operating_status="not_operating",
    )


def test_an_institution_comes_with_its_names_and_their_instruments(client, durango):
    durango.names.update(valid_from=dt.date(2000, 6, 18))
    institution_name_add(
        actor=None,
        institution=durango,
        name="Secretaría de las Mujeres",
        change=NameChange.TRANSFORMATION,
        legal_form=LegalForm.CENTRALIZED,
        valid_from=dt.date(2026, 3, 1),
        instrument="Decreto de reforma",
        instrument_number="45",
        instrument_gazette="Periódico Oficial",
    )
    response = client.get(f"/api/v1/institutions/{durango.slug}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Secretaría de las Mujeres" and body["legal_form"] == "centralized"
    first, second = body["names"]
    assert (first["change"], first["valid_to"]) == ("creation", "2026-02-28")
    assert second["instrument_number"] == "45" and second["instrument_date"] is None


def test_an_unknown_institution_is_404(client):
    response = client.get("/api/v1/institutions/no-existe")
    assert response.status_code == 404 and response.json()["code"]


def test_it_filters_by_kind_status_and_municipality(client, durango, lerdo_imm):
    def slugs(**params):
        return {i["slug"] for i in client.get("/api/v1/institutions", params).json()["items"]}

    assert slugs(kind="municipal_imm") == {lerdo_imm.slug}
    assert slugs(status="not_operating") == {lerdo_imm.slug}
    assert slugs(municipality="10012") == {lerdo_imm.slug}
    item = client.get(f"/api/v1/institutions/{lerdo_imm.slug}").json()
    assert (item["municipality"], item["head_charge"]) == ("10012", "Directora")
    assert client.get("/api/v1/institutions", {"municipality": "10"}).status_code == 422


def test_the_list_answers_in_the_same_number_of_queries_for_more_institutions(client, lerdo_imm):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/institutions", {"limit": 200}).status_code == 200
        return len(queries)

    few = count()
    state_institutes_load(actor=None)  # 32 more, with one to three names each
    assert count() == few
