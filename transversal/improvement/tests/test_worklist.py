"""«Mis pendientes» lists the findings the system proposed (``improvement.worklist``,
registered in ``monitoring.worklist``) to the people who may accept or dismiss them, each a
link to the finding's decision; read-only members and other states see nothing of them, and a
decided proposal leaves the list. Overdue ASM come through the follow-up core, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.accounts.access import scope_for
from transversal.improvement import services, worklist
from transversal.improvement.models import FindingStatus
from transversal.monitoring.tests.factories import indicator_with_calendar

pytestmark = pytest.mark.django_db

GROUP_TITLE = "Mejora continua"
TILE = "Hallazgos propuestos por decidir"


def propose(institution, name="Mujeres capacitadas en igualdad sustantiva"):
    indicator = indicator_with_calendar(institution, name=name)
    periods = {p.label: p for p in indicator.periods.all()}
    return services.finding_propose(earlier=periods["2025-T1"], later=periods["2025-T2"])


@pytest.fixture
def proposal(durango):
    return propose(durango)


def finding_url(finding):
    return reverse("improvement:finding", args=[finding.code])


def pages(client):
    return client.get("/").content.decode(), client.get(reverse("work:list")).content.decode()


class TestWhoSeesIt:
    @pytest.mark.parametrize("person", ["reviewer", "editor", "state_admin", "coordinator"])
    def test_a_person_who_may_decide_sees_the_proposal_and_follows_its_link(
        self, request, client_for, proposal, person
    ):
        client = client_for(request.getfixturevalue(person))
        link = f'href="{finding_url(proposal)}#decidir"'
        for page in pages(client):
            assert GROUP_TITLE in page and TILE in page
            assert link in page
            assert f"{proposal.label}: acepte o descarte el hallazgo propuesto" in page
        work = client.get(reverse("work:list")).content.decode()
        assert f'id="mejora-{worklist.Kind.TO_DECIDE}"' in work  # the tile's rows
        detail = client.get(finding_url(proposal))
        assert detail.status_code == 200
        assert 'id="decidir"' in detail.content.decode()
        assert reverse("improvement:finding_accept", args=[proposal.code]) in (
            detail.content.decode()
        )

    def test_the_tile_counts_the_proposals_of_the_persons_institutions(
        self, reviewer, durango, zacatecas
    ):
        propose(durango)
        propose(durango, name="Casos atendidos")
        propose(zacatecas)
        group = worklist.work(scope_for(reviewer), dt.date(2026, 12, 7))
        assert [(tile.key, tile.count) for tile in group.tiles] == [(worklist.Kind.TO_DECIDE, 2)]
        assert [row.state for row in group.rows] == ["Durango", "Durango"]

    @pytest.mark.parametrize("person", ["viewer", "outsider"])
    def test_a_read_only_member_and_another_states_editor_do_not_see_it(
        self, request, client_for, proposal, person
    ):
        client = client_for(request.getfixturevalue(person))
        for page in pages(client):
            assert finding_url(proposal) not in page
            assert TILE not in page

    def test_past_the_listed_rows_the_tile_still_counts_them_all_and_says_so(
        self, monkeypatch, client_for, reviewer, durango
    ):
        monkeypatch.setattr(worklist, "ROWS", 2)
        first = propose(durango, name="Indicador uno")
        second = propose(durango, name="Indicador dos")
        third = propose(durango, name="Indicador tres")
        group = worklist.work(scope_for(reviewer), dt.date(2026, 12, 7))
        assert group.tiles[0].count == 3
        assert [row.url.split("#")[0] for row in group.rows] == [
            finding_url(first),
            finding_url(second),
        ]
        page = client_for(reviewer).get(reverse("work:list")).content.decode()
        assert "Se listan los 2 hallazgos propuestos más antiguos de 3" in page
        assert finding_url(third) not in page

    def test_the_home_page_links_to_all_the_proposals_not_only_the_rows_listed(
        self, monkeypatch, client_for, reviewer, durango
    ):
        monkeypatch.setattr(worklist, "ROWS", 5)
        for n in range(9):
            propose(durango, name=f"Indicador {n}")
        home = client_for(reviewer).get("/").content.decode()
        assert "Ver los 9 pendientes" in home
        assert "Ver los 5 pendientes" not in home

    def test_nobody_who_decides_nothing_gets_an_empty_group(self, reviewer, durango):
        assert worklist.work(scope_for(reviewer), dt.date(2026, 12, 7)) is None


class TestAfterTheDecision:
    @pytest.mark.parametrize(
        "route, reason",
        [("improvement:finding_accept", ""), ("improvement:finding_dismiss", "Causa externa")],
    )
    def test_a_decided_proposal_leaves_the_list(
        self, client_for, reviewer, proposal, route, reason
    ):
        client = client_for(reviewer)
        assert finding_url(proposal) in client.get(reverse("work:list")).content.decode()
        client.post(reverse(route, args=[proposal.code]), {"reason": reason})
        proposal.refresh_from_db()
        assert proposal.status != FindingStatus.PROPOSED
        for page in pages(client):
            assert finding_url(proposal) not in page
            assert TILE not in page

    def test_an_overdue_asm_is_listed_once_through_the_follow_up_core(
        self, client_for, reviewer, editor, durango, proposal
    ):
        services.finding_accept(actor=reviewer, finding=proposal)
        action = services.action_add(
            actor=reviewer,
            finding=proposal,
            text="Reforzar la capacitación en los municipios.",
            kind="institutional",
            priority="high",
            owner=durango,
            due_date=dt.date(2025, 8, 1),
        )
        page = client_for(editor).get(reverse("work:list")).content.decode()
        assert page.count(reverse("improvement:action", args=[action.code])) == 1
        assert "Acuerdos y compromisos vencidos" in page
        assert GROUP_TITLE not in page


class TestQueries:
    def test_home_and_work_list_take_the_same_queries_for_one_and_many_proposals(
        self, client_for, durango, zacatecas, reviewer, coordinator
    ):
        def measure(user):
            client = client_for(user)
            client.get("/")  # warm the session and caches
            with CaptureQueriesContext(connection) as home:
                client.get("/")
            with CaptureQueriesContext(connection) as work:
                client.get(reverse("work:list"))
            return len(home), len(work)

        propose(durango)
        few = measure(reviewer), measure(coordinator)
        for n in range(4):
            propose(durango, name=f"Indicador {n}")
            propose(zacatecas, name=f"Indicador {n}")
        many = measure(reviewer), measure(coordinator)
        # The proposals (with their institutions and states) are one query on each page,
        # however many there are and in however many states.
        assert many == few
        page = client_for(coordinator).get(reverse("work:list")).content.decode()
        assert page.count("acepte o descarte el hallazgo propuesto") == 9
