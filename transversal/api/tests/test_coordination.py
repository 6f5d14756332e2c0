"""Coordination reads: /systems, /sessions, /resolutions. Public to everyone; a token only widens
an acuerdo's links to the caller's unpublished plan items, goals and indicators. Never a
person's name."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.api.tests import coordination_world
from transversal.api.tests.coordination_world import PERSON, REPRESENTATIVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordination(durango, zacatecas, national):
    return coordination_world.build(durango, zacatecas, national)


def items(client, url: str, params: dict | None = None, headers: dict | None = None) -> list:
    response = client.get(url, {"limit": 200, **(params or {})}, headers=headers or {})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def by_code(rows: list) -> dict:
    return {row["code"]: row for row in rows}


# /systems ------------------------------------------------------------------------------------


def test_anonymous_callers_list_every_system_with_todays_members(client, coordination):
    rows = by_code(items(client, "/api/v1/systems"))
    assert set(rows) == {str(coordination.system.code), str(coordination.zacatecas_system.code)}
    system = rows[str(coordination.system.code)]
    assert {k: system[k] for k in ("acronym", "topic", "level", "state", "secretariat")} == {
        "acronym": "SEI",
        "topic": "equality",
        "level": "state",
        "state": "10",
        "secretariat": "iem-durango-test",
    }
    assert system["legal_instrument"] == "Ley de Igualdad del Estado"
    assert system["legal_date"] == "2010-03-01"
    assert system["presidency"] == "Persona titular del Ejecutivo"
    assert system["quorum_percent"] == 50
    members = [(m["institution"], m["sector"], m["role"], m["has_vote"]) for m in system["members"]]
    # The council that left on 01/03/2026 is no longer a member today.
    assert members == [
        ("iem-durango-test", "government", "secretariat", True),
        ("bienestar-durango-test", "government", "member", True),
        (None, "civil_society", "member", True),
        (None, "academia", "guest", False),
    ]
    assert system["members"][2]["name"] == "Red de Mujeres de Durango, A. C."
    assert system["members"][0]["name"].startswith("Instituto Estatal de las Mujeres")
    assert system["members"][0]["joined_on"] == "2020-01-01"
    assert system["members"][0]["left_on"] is None


def test_systems_filter_by_state_topic_and_level(client, coordination):
    assert [r["acronym"] for r in items(client, "/api/v1/systems", {"state": "32"})] == ["SEIZ"]
    assert items(client, "/api/v1/systems", {"topic": "violence"}) == []
    assert len(items(client, "/api/v1/systems", {"level": "state"})) == 2


def test_a_system_is_read_by_its_code_and_an_unknown_one_is_404(client, coordination):
    response = client.get(f"/api/v1/systems/{coordination.system.code}")
    assert response.status_code == 200 and response.json()["acronym"] == "SEI"
    response = client.get("/api/v1/systems/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


# /sessions -----------------------------------------------------------------------------------


def test_a_held_session_gives_its_agenda_attendance_and_quorum_as_counts(client, coordination):
    session = by_code(items(client, "/api/v1/sessions"))[str(coordination.held.code)]
    assert session == {
        "code": str(coordination.held.code),
        "system": str(coordination.system.code),
        "state": "10",
        "kind": "ordinary",
        "number": 1,
        "label": "O-1",
        "year": 2026,
        "date": "2026-02-10",
        "modality": "in_person",
        "status": "held",
        "agenda_items": 3,
        # Secretariat, civil society and the guest (no vote) were present; on that date five
        # members sat (the council left later), four with a vote: more than 50 % needs three.
        "members_present": 3,
        "voting_members": 4,
        "voting_present": 2,
        "quorum_required": 3,
        "quorum_met": False,
        "has_signed_minutes": True,
    }


def test_a_planned_session_has_no_attendance_nor_acta(client, coordination):
    session = client.get(f"/api/v1/sessions/{coordination.planned.code}").json()
    assert session["status"] == "scheduled" and session["label"] == "O-1"
    assert (session["agenda_items"], session["members_present"]) == (0, 0)
    assert session["voting_members"] == 3  # the council left in 2026
    assert session["quorum_met"] is False and session["has_signed_minutes"] is False


def test_sessions_filter_by_system_year_kind_status_and_state(client, coordination):
    def codes(params: dict) -> set[str]:
        return {row["code"] for row in items(client, "/api/v1/sessions", params)}

    held, planned = str(coordination.held.code), str(coordination.planned.code)
    assert codes({"system": str(coordination.system.code)}) == {held, planned}
    assert codes({"state": "10", "year": 2099}) == {planned}
    assert codes({"state": "10", "status": "held"}) == {held}
    assert codes({"kind": "extraordinary"}) == set()
    assert client.get("/api/v1/sessions/00000000-0000-4000-8000-000000000000").status_code == 404


# /resolutions --------------------------------------------------------------------------------


def test_each_acuerdo_reads_its_status_as_people_do_beside_the_follow_up_status(
    client, coordination
):
    rows = by_code(items(client, "/api/v1/resolutions"))
    statuses = {
        name: (rows[str(getattr(coordination, name).code)]["status"],)
        + (rows[str(getattr(coordination, name).code)]["followup_status"],)
        for name in ("overdue", "fulfilled", "cancelled", "done")
    }
    assert statuses == {
        "overdue": ("overdue", "open"),
        "fulfilled": ("fulfilled", "verified"),
        "cancelled": ("cancelled", "cancelled"),
        "done": ("in_progress", "done"),
    }
    fulfilled = rows[str(coordination.fulfilled.code)]
    assert (fulfilled["done_on"], fulfilled["closed_on"]) == ("2026-05-02", "2026-05-09")


def test_an_acuerdo_gives_folio_session_text_and_responsible_institutions(client, coordination):
    row = client.get(f"/api/v1/resolutions/{coordination.overdue.code}").json()
    assert row["folio"] == coordination.overdue.folio and row["number"] == 1
    assert row["session"] == str(coordination.held.code)
    assert row["system"] == str(coordination.system.code) and row["state"] == "10"
    assert row["text"] == "Presentar el programa estatal"
    assert row["responsible_institutions"] == ["iem-durango-test", "bienestar-durango-test"]
    assert row["due_date"] == "2026-06-30"


def test_anonymous_callers_see_only_the_published_links(client, coordination):
    row = client.get(f"/api/v1/resolutions/{coordination.overdue.code}").json()
    assert row["plan_items"] == [{"plan": "ped-durango-publicado", "code": "1"}]
    assert row["goals"] == [str(coordination.links.public_goal.code)]
    assert row["indicators"] == [str(coordination.links.public_indicator.code)]


def test_a_token_adds_the_links_its_institution_may_read_and_no_others(
    client, coordination, editor, outsider, bearer
):
    url = f"/api/v1/resolutions/{coordination.overdue.code}"
    mine = client.get(url, headers=bearer(editor)).json()
    assert {item["plan"] for item in mine["plan_items"]} == {
        "ped-durango-publicado",
        "ped-durango-borrador",
    }
    assert set(mine["goals"]) == {
        str(coordination.links.public_goal.code),
        str(coordination.links.draft_goal.code),
    }
    assert set(mine["indicators"]) == {
        str(coordination.links.public_indicator.code),
        str(coordination.links.private_indicator.code),
    }
    theirs = client.get(url, headers=bearer(outsider)).json()
    anonymous = client.get(url).json()
    assert theirs == anonymous


def test_resolutions_filter_by_status_responsible_session_and_state(client, coordination):
    def codes(params: dict) -> set[str]:
        return {row["code"] for row in items(client, "/api/v1/resolutions", params)}

    c = coordination
    assert codes({"status": "overdue"}) == {str(c.overdue.code)}
    assert codes({"status": "in_progress"}) == {str(c.done.code), str(c.zacatecas_resolution.code)}
    assert codes({"status": "fulfilled"}) == {str(c.fulfilled.code)}
    # Owner or co-owner: the partner owns two and shares the overdue one.
    assert codes({"responsible": "bienestar-durango-test"}) == {
        str(c.overdue.code),
        str(c.cancelled.code),
        str(c.done.code),
    }
    assert codes({"state": "32"}) == {str(c.zacatecas_resolution.code)}
    assert codes({"session": str(c.held.code), "status": "cancelled"}) == {str(c.cancelled.code)}
    assert codes({"system": str(c.zacatecas_system.code)}) == {str(c.zacatecas_resolution.code)}


def test_a_bad_status_is_422_and_an_unknown_acuerdo_404(client, coordination):
    response = client.get("/api/v1/resolutions", {"status": "vencido"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["status"]
    assert client.get("/api/v1/resolutions/00000000-0000-4000-8000-000000000000").status_code == 404


@pytest.mark.parametrize("path", ["/systems", "/sessions", "/resolutions"])
def test_no_persons_name_is_published(client, coordination, editor, bearer, path):
    for headers in ({}, bearer(editor)):
        body = client.get(f"/api/v1{path}", {"limit": 200}, headers=headers).content.decode()
        assert PERSON not in body and REPRESENTATIVE not in body
        assert "responsible_person" not in body and "represented_by" not in body


def test_the_openapi_document_lists_the_coordination_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/systems", "/sessions", "/resolutions"):
        assert "get" in paths[f"/api/v1{path}"]
        assert "get" in paths[f"/api/v1{path}/{{code}}"]
        assert "públicos" in paths[f"/api/v1{path}"]["get"]["description"]


# Query counts --------------------------------------------------------------------------------

LISTS = ["/api/v1/systems", "/api/v1/sessions", "/api/v1/resolutions"]


def count_queries(client, headers: dict) -> list[int]:
    counts = []
    for url in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"limit": 200}, headers=headers)
        assert response.status_code == 200, (url, response.content)
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "token"])
def test_list_query_counts_do_not_grow_with_the_data(
    client, coordination, durango, editor, bearer, signed_in
):
    headers = bearer(editor) if signed_in else {}
    client.get("/api/v1/states", headers=headers)  # the token's last use, written once a minute
    coordination_world.grow(durango, 1, "a")
    before = count_queries(client, headers)
    coordination_world.grow(durango, 4, "b")
    after = count_queries(client, headers)
    assert before == after
    # systems: count, page, today's members, their institutions' names;
    # sessions: count, page (every figure a subquery of the page's query);
    # resolutions: count, page, co-owners, plan items, goals, indicators.
    # With a token, + the token lookup, and for the acuerdos' links the memberships.
    token, memberships = (1, 1) if signed_in else (0, 0)
    assert after == [4 + token, 2 + token, 6 + token + memberships]
