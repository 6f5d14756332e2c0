"""Every list answers in the same number of queries for one row per relation or many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.agreements.models import Agreement, Goal
from transversal.monitoring.tests.factories import approved, draft, indicator_with_calendar
from transversal.planning.models import Plan, PlanItem

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/states",
    "/api/v1/institutions",
    "/api/v1/plans",
    "/api/v1/plans/ped-{n}/items",
    "/api/v1/agreements",
    "/api/v1/agreements/{agreement}/goals",
    "/api/v1/indicators",
    "/api/v1/indicators/{indicator}/periods",
    "/api/v1/updates",
]


def grow(durango, national, editor, reviewer, n: int) -> dict:
    """n more plans (with items), agreements (with goals) and indicators (with an approved and a
    draft update)."""
    from transversal.conftest import make_institution

    made = {}
    for i in range(n):
        make_institution(f"imm-{n}-{i}", "10", f"Instancia municipal {i}")
        plan = Plan.objects.create(
            code=f"ped-{n}-{i}",
            kind="ped",
            title=f"PED {i}",
            institution=durango,
            state=durango.state,
            status="published",
        )
        parent = PlanItem.objects.create(plan=plan, level="axis", code=f"{i}", text="Eje", order=0)
        PlanItem.objects.create(
            plan=plan, parent=parent, level="objective", code=f"{i}.1", text="Objetivo", order=1
        )
        agreement = Agreement.objects.create(
            national_institution=national,
            state=durango.state,
            state_institution=durango,
            title=f"Convenio {i}",
            status="signed",
        )
        Goal.objects.create(agreement=agreement, number=1, description="Meta")
        Goal.objects.create(agreement=agreement, number=2, description="Meta")
        indicator = indicator_with_calendar(
            durango, name=f"Indicador {i}", is_public=True, disaggregations=["sex"]
        )
        approved(indicator, value=Decimal(10), actor=editor, reviewer=reviewer)
        draft(
            indicator,
            "2025-T2",
            Decimal(3),
            actor=editor,
            breakdown={"sex": {"women": Decimal(2), "men": Decimal(1)}},
        )
        made = {"n": f"{n}-{i}", "agreement": agreement.code, "indicator": indicator.code}
    return made


def count_queries(client, urls: list[str], headers: dict) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"limit": 200}, headers=headers)
        assert response.status_code == 200, (url, response.content)
        counts.append(len(queries))
    return counts


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "token"])
def test_list_query_counts_do_not_grow_with_the_data(
    client, durango, national, editor, reviewer, bearer, signed_in
):
    headers = bearer(editor) if signed_in else {}
    client.get(
        "/api/v1/states", headers=headers
    )  # the token's last use is written once a minute, not per request
    small = grow(durango, national, editor, reviewer, 1)
    before = count_queries(client, [url.format(**small) for url in LISTS], headers)
    large = grow(durango, national, editor, reviewer, 4)
    after = count_queries(client, [url.format(**large) for url in LISTS], headers)
    # Per list: count + page (+ one prefetch for names or breakdowns, + the parent lookup for nested
    # lists); with a token, + the token lookup and the memberships.
    assert before == after
    assert max(after) <= (7 if signed_in else 5)
