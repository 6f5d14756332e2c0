"""The registers on the API: /trainings, /affirmative-actions, /participation and /services (each
register's entries, with a token: the caller's institutions', every one for the national
institution) and /registers/aggregates (the public aggregates, for anyone, always through the
small-count rule). Never an entry's notes, evidence or who recorded it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.registers import public
from transversal.registers.models import REGISTER_MODELS
from transversal.registers.tests import public_world as w
from transversal.territory.models import Municipality

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "training": "/api/v1/trainings",
    "affirmative": "/api/v1/affirmative-actions",
    "participation": "/api/v1/participation",
    "service": "/api/v1/services",
}
AGGREGATES = "/api/v1/registers/aggregates"


@pytest.fixture
def entries(durango, zacatecas, national):
    return {
        "durango": w.one_of_each(durango),
        "zacatecas": w.one_of_each(zacatecas),
        "national": w.one_of_each(national),
    }


def listed(client, url: str, headers: dict, params: dict | None = None) -> dict:
    response = client.get(url, {"limit": 200, **(params or {})}, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def codes(client, url: str, headers: dict, params: dict | None = None) -> set[str]:
    return {row["code"] for row in listed(client, url, headers, params)["items"]}


# The entries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("register", ENDPOINTS)
def test_the_entries_need_a_token(client, entries, register):
    response = client.get(ENDPOINTS[register])
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("register", ENDPOINTS)
def test_a_states_token_reads_its_institutions_entries_only(
    client, entries, editor, outsider, bearer, register
):
    url = ENDPOINTS[register]
    assert codes(client, url, bearer(editor)) == {str(entries["durango"][register].code)}
    assert codes(client, url, bearer(outsider)) == {str(entries["zacatecas"][register].code)}


@pytest.mark.parametrize("register", ENDPOINTS)
def test_the_national_institution_reads_every_entry(client, entries, coordinator, bearer, register):
    every = {str(group[register].code) for group in entries.values()}
    assert codes(client, ENDPOINTS[register], bearer(coordinator)) == every


@pytest.mark.parametrize("register", ENDPOINTS)
def test_an_entry_carries_its_counts_but_never_its_notes_or_who_recorded_it(
    client, entries, editor, bearer, register
):
    [row] = listed(client, ENDPOINTS[register], bearer(editor))["items"]
    assert row["institution"] == "iem-durango-test"
    assert row["state"] == "10"
    assert row["total"] == row["women"] + row["men"] + row["sex_unspecified"]
    assert {"notes", "created_by", "evidence"}.isdisjoint(row)
    text = str(row)
    assert w.NOTE not in text


def test_each_register_gives_its_own_fields(client, durango, editor, bearer):
    state = durango.state
    municipality, second = (
        Municipality.objects.get_or_create(code=code, defaults={"state": state, "name": name})[0]
        for code, name in (("10005", "Durango"), ("10007", "Gómez Palacio"))
    )
    training = w.training(durango)
    training.municipality = municipality
    training.save()
    action = w.affirmative(durango)
    action.municipalities.set([second, municipality])
    w.participation(durango, women=6, men=4, sectors=(5, 3, 2, 0, 0))
    w.service(durango, women=12, men=3, service_type="shelter", month=dt.date(2025, 4, 1))
    headers = bearer(editor)
    [row] = listed(client, ENDPOINTS["training"], headers)["items"]
    assert (row["audience"], row["modality"], row["hours"]) == (
        "public_servants",
        "in_person",
        "4.0",
    )
    assert row["municipality"] == municipality.code
    [row] = listed(client, ENDPOINTS["affirmative"], headers)["items"]
    assert (
        row["municipalities"] == sorted(row["municipalities"]) and len(row["municipalities"]) == 2
    )
    assert row["resources"] == "1000.00"
    [row] = listed(client, ENDPOINTS["participation"], headers)["items"]
    assert (row["members_government"], row["members_civil_society"], row["year"]) == (5, 3, 2025)
    assert row["system"] is None
    [row] = listed(client, ENDPOINTS["service"], headers)["items"]
    assert (row["service_type"], row["month"], row["attentions"]) == ("shelter", "2025-04-01", 20)


def test_entries_are_filtered_by_state_and_year(client, entries, durango, coordinator, bearer):
    earlier = w.training(durango, end=dt.date(2024, 10, 1))
    headers = bearer(coordinator)
    url = ENDPOINTS["training"]
    assert codes(client, url, headers, {"state": "10", "year": 2024}) == {str(earlier.code)}
    assert codes(client, url, headers, {"state": "10", "year": 2025}) == {
        str(entries["durango"]["training"].code)
    }
    assert codes(client, url, headers, {"state": "00"}) == {
        str(entries["national"]["training"].code)
    }
    response = client.get(url, {"state": "33"}, headers=headers)
    assert response.status_code == 422


def test_entries_are_paginated_newest_first(client, durango, editor, bearer):
    made = [w.training(durango, end=dt.date(2025, 1, day)) for day in (5, 20, 12)]
    page = listed(client, ENDPOINTS["training"], bearer(editor), {"limit": 2, "offset": 1})
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [row["code"] for row in page["items"]] == [str(made[2].code), str(made[0].code)]


@pytest.mark.parametrize("register", ENDPOINTS)
def test_a_page_of_entries_takes_constant_queries(client, durango, editor, bearer, register):
    headers = bearer(editor)
    url = ENDPOINTS[register]

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            listed(client, url, headers)
        return len(captured)

    municipality = Municipality.objects.get_or_create(
        code="10005", defaults={"state": durango.state, "name": "Durango"}
    )[0]

    def grow(count: int, step: int) -> None:
        w.grow(durango, count, step)
        model = REGISTER_MODELS[register]
        if register == "affirmative":
            for action in model.objects.all():
                action.municipalities.add(municipality)
        else:
            model.objects.update(municipality=municipality)

    count()  # the token's first use records when it was used
    grow(3, 1)
    before = count()
    grow(6, 2)
    # The token and its scope, the count, the page (with institutions, states, municipalities
    # and systems joined) and, for affirmative actions, their municipalities.
    assert count() == before


# The public aggregates -----------------------------------------------------------------------


def test_the_aggregates_are_public_and_the_same_with_any_token(
    client, entries, editor, outsider, coordinator, bearer
):
    anonymous = listed(client, AGGREGATES, {})
    assert anonymous["count"] == 12  # four registers × Durango, Zacatecas and the nation
    for user in (editor, outsider, coordinator):
        assert listed(client, AGGREGATES, bearer(user)) == anonymous


def test_an_aggregate_is_suppressed_for_everyone_even_the_states_members(
    client, durango, editor, bearer
):
    w.training(durango, women=3, men=40, audience="general")
    for headers in ({}, bearer(editor)):
        [row] = listed(client, AGGREGATES, headers, {"kind": "training"})["items"]
        assert (row["state"], row["year"], row["entries"], row["people"]) == ("10", 2025, 1, 43)
        assert row["women_share"] is None
        sexes = {cell["category"]: cell for cell in row["breakdown"] if cell["dimension"] == "sex"}
        assert sexes["women"] == {
            "dimension": "sex",
            "category": "women",
            "value": None,
            "suppressed": True,
        }
        assert sexes["men"]["value"] is None and sexes["unspecified"]["value"] == 0


def test_the_aggregates_are_what_the_portal_and_open_data_publish(client, entries):
    items = listed(client, AGGREGATES, {}, {"kind": "service", "state": "32", "year": 2025})[
        "items"
    ]
    [expected] = public.public_aggregates("service", state="32", year=2025)
    [row] = items
    assert row["people"] == expected.people and row["entries"] == expected.entries
    assert [(c["dimension"], c["category"], c["value"]) for c in row["breakdown"]] == [
        (c.dimension, c.category, c.value) for c in expected.cells
    ]


def test_the_aggregates_carry_no_text_of_an_entry(client, entries):
    text = client.get(AGGREGATES, {"limit": 200}).content.decode()
    assert w.PRIVATE not in text and w.NOTE not in text


def test_the_aggregates_take_one_query_per_register(client, durango, zacatecas):
    w.grow(durango, 3, 1)
    w.grow(zacatecas, 5, 2)
    with CaptureQueriesContext(connection) as captured:
        listed(client, AGGREGATES, {})
    assert len(captured) == 4  # one grouped query per register, no token to read
    with CaptureQueriesContext(connection) as captured:
        listed(client, AGGREGATES, {}, {"kind": "participation"})
    assert len(captured) == 1


def test_an_unknown_register_is_refused(client):
    response = client.get(AGGREGATES, {"kind": "cursos"})
    assert response.status_code == 422
