"""Improvement reads: /evaluations, /findings, /improvement-actions. Public to everyone; a token
only widens an evaluation's scope to the caller's unpublished plans, goals and indicators. The
system's undecided proposals and findings about private indicators stay unpublished, with their
ASM. Never a person's name, a note or a report file."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.api.tests import improvement_world
from transversal.api.tests.improvement_world import DISMISSAL, SECRETS

pytestmark = pytest.mark.django_db

UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def improvement(durango, zacatecas, national):
    return improvement_world.build(durango, zacatecas, national)


def items(client, url: str, params: dict | None = None, headers: dict | None = None) -> list:
    response = client.get(url, {"limit": 200, **(params or {})}, headers=headers or {})
    assert response.status_code == 200, response.content
    return response.json()["items"]


def by_code(rows: list) -> dict:
    return {row["code"]: row for row in rows}


def codes(client, url: str, params: dict) -> set[str]:
    return {row["code"] for row in items(client, url, params)}


# /evaluations --------------------------------------------------------------------------------


def test_an_evaluation_gives_its_facts_published_scope_and_findings_counted(client, improvement):
    w = improvement
    row = client.get(f"/api/v1/evaluations/{w.evaluation.code}").json()
    assert row == {
        "code": str(w.evaluation.code),
        "institution": "iem-durango-test",
        "state": "10",
        "year": 2026,
        "kind": "design",
        "title": "Evaluación de diseño del Programa Estatal",
        "evaluator": "Universidad Juárez del Estado de Durango",
        "started_on": "2026-02-03",
        "ended_on": "2026-05-29",
        "summary": "El programa tiene objetivos claros y metas sin línea base.",
        "plans": ["ped-durango-publicado"],
        "goals": [str(w.links.public_goal.code)],
        "indicators": [str(w.links.public_indicator.code)],
        # H-2026-01 only: H-2026-02 is about a private indicator; the other findings come
        # from a returned report, an acuerdo and the system's proposals, not from it.
        "findings": 1,
        "dismissed_findings": 0,
        "has_report": True,
        "is_synthetic": False,
    }


def test_evaluations_list_every_institutions_and_filter(client, improvement):
    w = improvement
    url = "/api/v1/evaluations"
    durango, zacatecas = str(w.evaluation.code), str(w.zacatecas_evaluation.code)
    assert codes(client, url, {}) == {durango, zacatecas}
    assert codes(client, url, {"state": "32"}) == {zacatecas}
    assert codes(client, url, {"institution": "iem-durango-test"}) == {durango}
    assert codes(client, url, {"year": 2025}) == {zacatecas}
    assert codes(client, url, {"kind": "design"}) == {durango}
    assert codes(client, url, {"kind": "audit"}) == set()
    zac = client.get(f"{url}/{zacatecas}").json()
    assert (zac["ended_on"], zac["has_report"], zac["findings"]) == (None, False, 1)


def test_a_token_adds_the_scope_its_institution_may_read_and_no_others(
    client, improvement, editor, outsider, bearer
):
    w = improvement
    url = f"/api/v1/evaluations/{w.evaluation.code}"
    mine = client.get(url, headers=bearer(editor)).json()
    assert mine["plans"] == sorted(["ped-durango-publicado", "ped-durango-borrador"])
    assert set(mine["goals"]) == {str(w.links.public_goal.code), str(w.links.draft_goal.code)}
    assert set(mine["indicators"]) == {
        str(w.links.public_indicator.code),
        str(w.links.private_indicator.code),
    }
    assert client.get(url, headers=bearer(outsider)).json() == client.get(url).json()


# /findings -----------------------------------------------------------------------------------


def test_only_findings_a_person_decided_on_about_public_things_are_published(client, improvement):
    w = improvement
    published = codes(client, "/api/v1/findings", {})
    assert published == {
        str(w.accepted.code),
        str(w.from_resolution.code),
        str(w.dismissed.code),
        str(w.zacatecas_finding.code),
    }
    for hidden in (w.proposed, w.private, w.private_period):
        assert client.get(f"/api/v1/findings/{hidden.code}").status_code == 404


def test_an_accepted_finding_gives_its_label_source_and_asm_count(client, improvement):
    w = improvement
    row = client.get(f"/api/v1/findings/{w.accepted.code}").json()
    assert row == {
        "code": str(w.accepted.code),
        "label": "H-2026-01",
        "number": 1,
        "institution": "iem-durango-test",
        "state": "10",
        "year": 2026,
        "source": "evaluation",
        "evaluation": str(w.evaluation.code),
        "indicator": None,
        "period": None,
        "resolution": None,
        "text": "Las metas del programa no tienen línea base.",
        "status": "accepted",
        "dismissal_reason": "",
        "decided_on": w.accepted.decided_on.isoformat(),
        "improvement_actions": 4,
        "is_synthetic": False,
    }
    acuerdo = client.get(f"/api/v1/findings/{w.from_resolution.code}").json()
    assert (acuerdo["label"], acuerdo["source"]) == ("H-2026-04", "resolution")
    assert acuerdo["resolution"] == str(w.resolution.code) and acuerdo["evaluation"] is None


def test_a_dismissed_proposal_gives_its_indicator_period_and_reason_not_who(client, improvement):
    w = improvement
    row = client.get(f"/api/v1/findings/{w.dismissed.code}").json()
    assert (row["label"], row["source"], row["status"]) == ("H-2025-01", "red_light", "dismissed")
    assert row["indicator"] == str(w.links.public_indicator.code)
    assert row["period"] == "2025-T2"
    assert row["dismissal_reason"] == DISMISSAL
    assert "decided_by" not in row


def test_findings_filter_by_status_source_evaluation_year_and_state(client, improvement):
    w = improvement
    url = "/api/v1/findings"
    assert codes(client, url, {"status": "dismissed"}) == {str(w.dismissed.code)}
    assert codes(client, url, {"source": "resolution"}) == {str(w.from_resolution.code)}
    assert codes(client, url, {"evaluation": str(w.evaluation.code)}) == {str(w.accepted.code)}
    assert codes(client, url, {"year": 2025, "state": "10"}) == {str(w.dismissed.code)}
    assert codes(client, url, {"institution": "semujer-zacatecas-test"}) == {
        str(w.zacatecas_finding.code)
    }


def test_asking_for_proposed_findings_is_422_and_an_unknown_one_404(client, improvement):
    response = client.get("/api/v1/findings", {"status": "proposed"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["status"]
    assert client.get(f"/api/v1/findings/{UNKNOWN}").json()["code"] == "not_found"


# /improvement-actions ------------------------------------------------------------------------


def test_an_asm_gives_its_finding_responsibles_dates_and_overdue(client, improvement):
    w = improvement
    row = client.get(f"/api/v1/improvement-actions/{w.overdue.code}").json()
    assert row == {
        "code": str(w.overdue.code),
        "label": "ASM H-2026-01.1",
        "number": 1,
        "finding": str(w.accepted.code),
        "evaluation": str(w.evaluation.code),
        "institution": "iem-durango-test",
        "state": "10",
        "year": 2026,
        "text": "Fijar la línea base de cada meta",
        "classification": "specific",
        "priority": "high",
        "responsible_institutions": ["iem-durango-test", "bienestar-mejora-test"],
        "verifier": "iem-durango-test",
        "due_date": "2026-06-30",
        "status": "open",
        "overdue": True,
        "done_on": None,
        "closed_on": None,
        "is_synthetic": False,
    }


def test_each_asm_reads_its_status_and_only_open_ones_fall_overdue(client, improvement):
    w = improvement
    rows = by_code(items(client, "/api/v1/improvement-actions"))
    found = {
        name: (
            rows[str(getattr(w, name).code)]["status"],
            rows[str(getattr(w, name).code)]["overdue"],
        )
        for name in ("overdue", "verified", "cancelled", "done", "zacatecas_action")
    }
    assert found == {
        "overdue": ("open", True),
        "verified": ("verified", False),
        "cancelled": ("cancelled", False),
        "done": ("done", False),
        "zacatecas_action": ("in_progress", False),
    }
    verified = rows[str(w.verified.code)]
    assert (verified["done_on"], verified["closed_on"]) == ("2026-08-10", "2026-08-15")
    assert str(w.private_action.code) not in rows
    assert client.get(f"/api/v1/improvement-actions/{w.private_action.code}").status_code == 404


def test_asm_filter_by_status_overdue_responsible_finding_and_classification(client, improvement):
    w = improvement
    url = "/api/v1/improvement-actions"
    assert codes(client, url, {"overdue": "true"}) == {str(w.overdue.code)}
    assert codes(client, url, {"status": "done"}) == {str(w.done.code)}
    # Owner or co-owner: Durango's institute shares Zacatecas's ASM.
    assert str(w.zacatecas_action.code) in codes(client, url, {"responsible": "iem-durango-test"})
    assert codes(client, url, {"responsible": "bienestar-mejora-test"}) == {
        str(w.overdue.code),
        str(w.cancelled.code),
    }
    assert codes(client, url, {"finding": str(w.zacatecas_finding.code)}) == {
        str(w.zacatecas_action.code)
    }
    assert codes(client, url, {"classification": "interinstitutional"}) == {str(w.done.code)}
    assert codes(client, url, {"priority": "low", "state": "10"}) == {str(w.cancelled.code)}
    assert codes(client, url, {"institution": "semujer-zacatecas-test", "year": 2025}) == {
        str(w.zacatecas_action.code)
    }
    assert client.get(url, {"status": "vencido"}).status_code == 422


@pytest.mark.parametrize("path", ["/evaluations", "/findings", "/improvement-actions"])
def test_no_persons_name_note_or_report_is_published(client, improvement, editor, bearer, path):
    for headers in ({}, bearer(editor)):
        body = client.get(f"/api/v1{path}", {"limit": 200}, headers=headers).content.decode()
        for secret in SECRETS:
            assert secret not in body, secret
        for field in ("responsible_person", "decided_by", "closed_by", "notes", "evidence"):
            assert f'"{field}"' not in body


def test_the_openapi_document_lists_the_improvement_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/evaluations", "/findings", "/improvement-actions"):
        assert "get" in paths[f"/api/v1{path}"]
        assert "get" in paths[f"/api/v1{path}/{{code}}"]
        assert "públicos" in paths[f"/api/v1{path}"]["get"]["description"]
        assert "propuso" in paths[f"/api/v1{path}/{{code}}"]["get"]["description"]


# Query counts --------------------------------------------------------------------------------

LISTS = ["/api/v1/evaluations", "/api/v1/findings", "/api/v1/improvement-actions"]


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
    client, improvement, durango, editor, bearer, signed_in
):
    headers = bearer(editor) if signed_in else {}
    client.get("/api/v1/states", headers=headers)  # the token's last use, written once a minute
    improvement_world.grow(durango, 1, "a")
    before = count_queries(client, headers)
    improvement_world.grow(durango, 4, "b")
    after = count_queries(client, headers)
    assert before == after
    # evaluations: count, page (findings counted and the report's flag by subqueries), plans,
    # goals, indicators; findings: count, page; ASM: count, page, co-owners.
    # With a token, + the token lookup, and for the evaluations' scope the memberships.
    token, memberships = (1, 1) if signed_in else (0, 0)
    assert after == [5 + token + memberships, 2 + token, 3 + token]
