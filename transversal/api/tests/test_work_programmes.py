"""Work programmes: /work-programmes and /work-programmes/{code}. Tenant data, read with a token:
the state's members read their convenio's programmes (drafts too), the national institution
every one; a token of another state never sees one (absent from the list, 404 on the detail, as
for a code that does not exist). Never a person's name, a file or an unsent figure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.api.tests import programmes_world
from transversal.api.tests.programmes_world import (
    ANSWER,
    DRAFT_NARRATIVE,
    MINUTES,
    MINUTES_SHA,
    OBSERVATION,
    PERSONS,
    REPORT_OBSERVATION,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/work-programmes"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def programmes(durango, zacatecas, national):
    return programmes_world.build(durango, zacatecas, national)


def items(client, headers: dict, params: dict | None = None) -> list:
    response = client.get(URL, {"limit": 200, **(params or {})}, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def codes(client, headers: dict, params: dict | None = None) -> set[str]:
    return {row["code"] for row in items(client, headers, params)}


def resources(*amounts: tuple[str, str, str]) -> list[dict]:
    """Federal, state and in kind: (approved, in force, exercised) each."""
    keys = ("approved", "in_force", "exercised")
    return [
        {"source": source, **dict(zip(keys, figures, strict=True))}
        for source, figures in zip(("federal", "state", "in_kind"), amounts, strict=True)
    ]


# /work-programmes ----------------------------------------------------------------------------


def test_a_states_token_lists_its_programmes_with_their_figures(client, programmes, editor, bearer):
    w = programmes
    rows = {row["code"]: row for row in items(client, bearer(editor))}
    assert set(rows) == {str(w.executing.code), str(w.draft.code)}
    assert rows[str(w.executing.code)] == {
        "code": str(w.executing.code),
        "agreement": str(w.agreement.code),
        "state": "10",
        "state_institution": "iem-durango-test",
        "year": 2025,
        "stage": "in_execution",
        "stage_changed_at": rows[str(w.executing.code)]["stage_changed_at"],
        "goals": 2,
        # Q1 received, Q2 observed: both sent; the Q3 draft is not.
        "reports_sent": 2,
        "reports_received": 1,
        # The programme's observation was answered by the correction; the report's is open.
        "open_observations": 1,
        # Goal 1's federal amount was modified to 90,000; the Q3 draft's 99,999 never counts.
        "resources": resources(
            ("150000.00", "140000.00", "40000.00"),
            ("20000.00", "20000.00", "5000.00"),
            ("5000.00", "5000.00", "1000.00"),
        ),
        "closed_on": None,
        "is_synthetic": False,
        "updated_at": rows[str(w.executing.code)]["updated_at"],
    }
    changed = dt.datetime.fromisoformat(rows[str(w.executing.code)]["stage_changed_at"])
    # JSON gives milliseconds.
    assert changed == w.executing.stage_changed_at.replace(
        microsecond=w.executing.stage_changed_at.microsecond // 1000 * 1000
    )
    draft = rows[str(w.draft.code)]
    assert (draft["stage"], draft["stage_changed_at"], draft["reports_sent"]) == ("draft", None, 0)


def test_another_states_token_never_sees_a_programme(client, programmes, outsider, bearer):
    w = programmes
    headers = bearer(outsider)
    assert codes(client, headers) == {str(w.closed.code)}
    assert codes(client, headers, {"state": "10"}) == set()
    for programme in (w.executing, w.draft):
        response = client.get(f"{URL}/{programme.code}", headers=headers)
        assert response.status_code == 404
        assert response.json() == client.get(f"{URL}/{UNKNOWN}", headers=headers).json()
        assert response.json()["code"] == "not_found"


def test_the_national_institution_reads_every_states_programmes(
    client, programmes, coordinator, bearer
):
    w = programmes
    headers = bearer(coordinator)
    assert codes(client, headers) == {str(w.executing.code), str(w.draft.code), str(w.closed.code)}
    assert client.get(f"{URL}/{w.executing.code}", headers=headers).status_code == 200


def test_without_a_token_programmes_are_not_read(client, programmes):
    for url in (URL, f"{URL}/{programmes.executing.code}"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert "requiere un token" in response.json()["detail"]


def test_programmes_filter_by_year_state_and_stage(client, programmes, coordinator, bearer):
    w = programmes
    headers = bearer(coordinator)
    assert codes(client, headers, {"year": 2026}) == {str(w.draft.code)}
    assert codes(client, headers, {"state": "32"}) == {str(w.closed.code)}
    assert codes(client, headers, {"stage": "closed"}) == {str(w.closed.code)}
    assert codes(client, headers, {"stage": "in_execution", "state": "10"}) == {
        str(w.executing.code)
    }
    assert codes(client, headers, {"stage": "validated"}) == set()
    for bad in ({"stage": "cerrada"}, {"state": "99"}, {"year": 1999}, {"year": "dos mil"}):
        response = client.get(URL, bad, headers=headers)
        assert response.status_code == 422, bad
        assert [e["field"] for e in response.json()["errors"]] == list(bad)


# /work-programmes/{code} ---------------------------------------------------------------------


def test_the_detail_gives_every_stage_change_with_its_date(client, programmes, viewer, bearer):
    body = client.get(f"{URL}/{programmes.executing.code}", headers=bearer(viewer)).json()
    assert [(c["previous"], c["stage"]) for c in body["stages"]] == [
        ("draft", "proposed"),
        ("proposed", "observed"),
        ("observed", "corrected"),
        ("corrected", "validated"),
        ("validated", "in_execution"),
    ]
    assert all(c["on"] for c in body["stages"])
    assert set(body["stages"][0]) == {"stage", "previous", "on"}  # nobody's name


def test_the_detail_gives_lines_reports_observations_and_closure(
    client, programmes, viewer, bearer
):
    w = programmes
    body = client.get(f"{URL}/{w.executing.code}", headers=bearer(viewer)).json()
    assert (body["deviation_threshold"], body["report_due_days"]) == ("10.0", 15)
    goal_1, goal_2 = body["lines"]
    assert goal_1 == {
        "goal": str(w.goals[0].code),
        "goal_number": 1,
        "goal_description": "Meta 1 del convenio de Durango",
        "means_of_verification": "Listas de asistencia de la meta 1",
        "responsible_area": "Dirección de Planeación",
        "planned_q1": "25.0",
        "planned_q2": "50.0",
        "planned_q3": "75.0",
        "planned_q4": "100.0",
        # Recorded when each report was sent: the approved 2025-T1 figure of its indicator.
        "achieved_q1": "95.0",
        "achieved_q2": "95.0",
        "achieved_q3": None,  # a draft
        "achieved_q4": None,
        # Recorded when the national institution received the report (Q2 was observed).
        "validated_q1": "95.0",
        "validated_q2": None,
        "validated_q3": None,
        "validated_q4": None,
        "resources": [
            {
                "source": "federal",
                "approved": "100000.00",
                "modified": "90000.00",
                "in_force": "90000.00",
                "exercised": "30000.00",
            },
            {
                "source": "state",
                "approved": "20000.00",
                "modified": None,
                "in_force": "20000.00",
                "exercised": "5000.00",
            },
            {
                "source": "in_kind",
                "approved": "0.00",
                "modified": None,
                "in_force": "0.00",
                "exercised": "0.00",
            },
        ],
    }
    assert (goal_2["planned_q1"], goal_2["planned_q2"], goal_2["achieved_q1"]) == (
        None,
        "40.0",
        None,  # no indicator measures goal 2
    )
    assert [(r["quarter"], r["status"], r["due_date"]) for r in body["reports"]] == [
        (1, "acknowledged", "2025-04-15"),
        (2, "observed", "2025-07-15"),
        (3, "draft", "2025-10-15"),
    ]
    q1, _q2, q3 = body["reports"]
    assert q1["code"] == str(w.q1.code) and q1["sent_at"] and q1["reviewed_at"]
    assert (q3["sent_at"], q3["reviewed_at"], q3["narrative"]) == (None, None, DRAFT_NARRATIVE)
    observations = [
        (o["goal_number"], o["quarter"], o["text"], o["answered"], o["answer"])
        for o in body["observations"]
    ]
    assert observations == [
        (1, None, OBSERVATION, True, ANSWER),
        (None, 2, REPORT_OBSERVATION, False, ""),
    ]
    assert body["observations"][0]["answered_at"] and body["observations"][0]["created_at"]
    closure = body["closure"]
    assert closure["closed_on"] is None and closure["documents"] == []
    assert closure["refund"] == {"amount": None, "reference": "", "date": None}
    checks = {item["key"]: item for item in closure["checklist"]}
    assert list(checks) == ["periods", "reports", "resources", "minutes"]
    assert checks["reports"] == {
        "key": "reports",
        "label": "Informes trimestrales recibidos, el del 4.º trimestre como informe final",
        "ok": False,
        "detail": "1 de 4 informes recibidos.",
    }
    assert not checks["minutes"]["ok"] and checks["minutes"]["detail"]


def test_a_closed_programme_gives_its_refund_and_closing_documents(
    client, programmes, outsider, bearer
):
    body = client.get(f"{URL}/{programmes.closed.code}", headers=bearer(outsider)).json()
    assert body["stage"] == "closed" and body["closed_on"] == "2026-01-15"
    closure = body["closure"]
    assert closure["closed_on"] == "2026-01-15"
    assert closure["refund"] == {
        "amount": "1234.50",
        "reference": "LC-2026-0001",
        "date": "2026-01-14",
    }
    assert [(d["name"], d["sha256"]) for d in closure["documents"]] == [(MINUTES, MINUTES_SHA)]
    assert {item["key"]: item["ok"] for item in closure["checklist"]}["minutes"] is True


def test_no_persons_name_or_file_reaches_the_programme_answers(
    client, programmes, coordinator, bearer
):
    headers = bearer(coordinator)
    texts = [client.get(URL, {"limit": 200}, headers=headers).content.decode()]
    for programme in (programmes.executing, programmes.draft, programmes.closed):
        texts.append(client.get(f"{URL}/{programme.code}", headers=headers).content.decode())
    for text in texts:
        for person in PERSONS:
            assert person not in text, person
        for field in ("author", "sent_by", "reviewed_by", "answered_by", "closed_by", "file"):
            assert f'"{field}"' not in text, field
        assert "programmes/" not in text  # the stored file's path


def test_the_openapi_document_lists_the_programme_operations_as_token_only(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (URL, f"{URL}/{{code}}"):
        operation = paths[path]["get"]
        assert operation["security"] == [{"TokenAuth": []}]
        assert "requieren un" in operation["description"]
        assert "401" in operation["responses"]
    parameters = {p["name"] for p in paths[URL]["get"]["parameters"]}
    assert {"state", "year", "stage", "limit", "offset"} <= parameters


# Query counts --------------------------------------------------------------------------------


def count_queries(client, url: str, headers: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"limit": 200}, headers=headers)
    assert response.status_code == 200, (url, response.content)
    return len(queries)


def test_list_and_detail_query_counts_do_not_grow_with_the_data(
    client, programmes, durango, national, editor, bearer
):
    headers = bearer(editor)
    client.get("/api/v1/states", headers=headers)  # the token's last use, written once a minute
    detail = f"{URL}/{programmes.executing.code}"
    programmes_world.grow(national, durango, 1, "a")
    before = [count_queries(client, URL, headers), count_queries(client, detail, headers)]
    programmes_world.grow(national, durango, 4, "b")
    programmes_world.grow(national, durango, 1, "c")
    after = [count_queries(client, URL, headers), count_queries(client, detail, headers)]
    assert before == after
    assert len(items(client, headers)) == 2 + 6
    # token and memberships, then the list: count, page (every figure by subqueries); the
    # detail: the programme with its figures, lines, reports, observations, closing documents
    # (whose count the checklist reads from the prefetch), and the checklist's periods (2),
    # received reports (2) and exercised amounts (2), and its stage changes (1).
    assert after == [2 + 2, 2 + 5 + 6 + 1]
