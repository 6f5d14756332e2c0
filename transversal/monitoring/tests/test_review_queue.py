"""The review queue (/indicadores/revision/): who sees what, filters, in-place approve and
return on the report page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from transversal.accounts.models import Role
from transversal.agreements.models import EmphasisArea
from transversal.agreements.services import agreement_create, goal_add
from transversal.conftest import make_member
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.tests.factories import draft, indicator_with_calendar, submitted

pytestmark = pytest.mark.django_db

QUEUE = reverse("monitoring:review_queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


def submitted_days_ago(update, days: int):
    """Move the submission back in time (the service stamps "now")."""
    ProgressUpdate.objects.filter(pk=update.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=days, hours=1)
    )
    update.refresh_from_db()
    return update


def codes(response) -> list[str]:
    return [str(row.code) for row in response.context["rows"]]


@pytest.fixture
def zacatecas_reviewer(zacatecas):
    return make_member("revision.zac@prueba.test", zacatecas, Role.REVIEWER)


@pytest.fixture
def durango_indicator(durango, editor):
    return indicator_with_calendar(durango, name="Mujeres capacitadas en Durango")


@pytest.fixture
def zacatecas_indicator(zacatecas):
    return indicator_with_calendar(zacatecas, name="Refugios operando en Zacatecas")


@pytest.fixture
def pending(durango_indicator, zacatecas_indicator, editor):
    """Three submitted updates: Durango T1 (10 days waiting), Zacatecas T1 (4 days), Durango T2
    (today)."""
    old = submitted_days_ago(submitted(durango_indicator, "2025-T1", actor=editor), 10)
    middle = submitted_days_ago(submitted(zacatecas_indicator, "2025-T1"), 4)
    new = submitted(durango_indicator, "2025-T2", actor=editor)
    draft(durango_indicator, "2025-T3", actor=editor)  # drafts never reach the queue
    return old, middle, new


class TestWhoSeesTheQueue:
    def test_editors_and_viewers_get_403_and_anonymous_goes_to_login(
        self, client_for, editor, viewer, outsider
    ):
        assert client_for(editor).get(QUEUE).status_code == 403
        assert client_for(viewer).get(QUEUE).status_code == 403
        assert client_for(outsider).get(QUEUE).status_code == 403
        response = client_for(None).get(QUEUE)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))

    def test_the_national_coordinator_sees_both_states_oldest_first(
        self, client_for, coordinator, pending
    ):
        old, middle, new = pending
        response = client_for(coordinator).get(QUEUE)
        assert response.status_code == 200
        assert codes(response) == [str(old.code), str(middle.code), str(new.code)]
        page = response.content.decode()
        assert "Durango" in page and "Zacatecas" in page

    def test_a_durango_reviewer_sees_only_durango(self, client_for, reviewer, pending):
        old, _middle, new = pending
        assert codes(client_for(reviewer).get(QUEUE)) == [str(old.code), str(new.code)]

    def test_a_state_admin_reviews_their_own_institution(self, client_for, state_admin, pending):
        old, _middle, new = pending
        assert codes(client_for(state_admin).get(QUEUE)) == [str(old.code), str(new.code)]

    def test_a_zacatecas_reviewer_sees_only_zacatecas(
        self, client_for, zacatecas_reviewer, pending
    ):
        _old, middle, _new = pending
        response = client_for(zacatecas_reviewer).get(QUEUE)
        assert codes(response) == [str(middle.code)]
        assert "Mujeres capacitadas en Durango" not in response.content.decode()

    def test_a_row_shows_what_the_reviewer_needs(self, client_for, reviewer, editor, pending):
        old, _middle, _new = pending
        page = client_for(reviewer).get(QUEUE).content.decode()
        period_url = reverse("monitoring:period", args=[old.period.indicator.code, "2025-T1"])
        assert f'href="{period_url}"' in page
        assert "IEM" in page  # institution
        assert "10 días" in page  # days waiting
        assert editor.full_name in page  # who submitted
        assert "Revisar" in page

    def test_the_navigation_shows_the_pending_count_to_reviewers_only(
        self, client_for, reviewer, editor, pending
    ):
        page = client_for(reviewer).get(reverse("monitoring:list")).content.decode()
        assert 'id="nav-review-count"' in page
        assert (
            '<span aria-hidden="true">2</span><span class="visually-hidden">(2 pendientes)</span>'
            in page
        )
        page = client_for(editor).get(reverse("monitoring:list")).content.decode()
        assert 'id="nav-review-count"' not in page and QUEUE not in page


class TestFilters:
    def test_by_state(self, client_for, coordinator, pending):
        _old, middle, _new = pending
        response = client_for(coordinator).get(QUEUE, {"entidad": "32"})
        assert codes(response) == [str(middle.code)]
        assert "coincide con los filtros" in response.content.decode()

    def test_by_indicator(self, client_for, coordinator, pending, durango_indicator):
        old, _middle, new = pending
        response = client_for(coordinator).get(QUEUE, {"indicador": str(durango_indicator.code)})
        assert codes(response) == [str(old.code), str(new.code)]

    def test_national_reviewers_choose_a_state_before_an_indicator(
        self, client_for, coordinator, reviewer, pending, durango_indicator, zacatecas_indicator
    ):
        def options(response) -> set[str]:
            select = re.search(
                r'<select name="indicador".*?</select>', response.content.decode(), re.S
            ).group(0)
            return set(re.findall(r'<option value="([^"]+)"', select))

        everywhere = client_for(coordinator).get(QUEUE)
        assert (
            options(everywhere) == set()
            and "filtre primero por entidad" in everywhere.content.decode()
        )
        assert options(client_for(coordinator).get(QUEUE, {"entidad": "32"})) == {
            str(zacatecas_indicator.code)
        }
        # A state reviewer's list is short: every indicator waiting in their institution, at once.
        assert options(client_for(reviewer).get(QUEUE)) == {str(durango_indicator.code)}

    def test_by_days_waiting(self, client_for, coordinator, pending):
        old, middle, _new = pending
        assert codes(client_for(coordinator).get(QUEUE, {"dias": "3"})) == [
            str(old.code),
            str(middle.code),
        ]
        assert codes(client_for(coordinator).get(QUEUE, {"dias": "9"})) == [str(old.code)]
        assert codes(client_for(coordinator).get(QUEUE, {"dias": "10"})) == []

    def test_by_emphasis_area_listing_each_update_once(
        self, client_for, coordinator, national, zacatecas, pending, zacatecas_indicator
    ):
        _old, middle, _new = pending
        agreement = agreement_create(
            actor=None,
            national_institution=national,
            state_institution=zacatecas,
            title="Convenio Zacatecas",
            round="IP-321",
            valid_from=dt.date(2015, 3, 1),
            valid_to=dt.date(2018, 11, 30),
            purpose="Coordinar.",
            emphasis_areas=[EmphasisArea.VIOLENCE_PREVENTION],
        )
        goals = [
            goal_add(
                actor=None,
                agreement=agreement,
                number=n,
                description=f"Meta {n}",
                area=EmphasisArea.VIOLENCE_PREVENTION,
            )
            for n in (1, 2)
        ]
        zacatecas_indicator.goals.set(goals)  # two goals in the same area: still one row
        response = client_for(coordinator).get(QUEUE, {"area": EmphasisArea.VIOLENCE_PREVENTION})
        assert codes(response) == [str(middle.code)]
        assert (
            codes(client_for(coordinator).get(QUEUE, {"area": EmphasisArea.ECONOMIC_EMPOWERMENT}))
            == []
        )

    @pytest.mark.parametrize(
        "params, field",
        [
            ({"dias": "muchos"}, "Esperando más de (días)"),
            ({"dias": "-1"}, "Esperando más de (días)"),
            ({"entidad": "99"}, "Entidad"),
            ({"area": "deportes"}, "Área de énfasis"),
            ({"indicador": "no-es-una-clave"}, "Indicador"),
        ],
    )
    def test_a_bad_value_is_reported_and_only_that_filter_ignored(
        self, client_for, coordinator, pending, params, field
    ):
        response = client_for(coordinator).get(
            QUEUE, {**params, "entidad": params.get("entidad", "10")}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert f"{field}:" in page and "No se aplicó este filtro." in page
        durango_only = [str(pending[0].code), str(pending[2].code)]
        everything = [str(u.code) for u in pending]
        # the valid state filter still applies; a bad state shows every state, saying so
        assert codes(response) == (everything if field == "Entidad" else durango_only)

    def test_a_durango_reviewer_cannot_filter_by_another_state(self, client_for, reviewer, pending):
        response = client_for(reviewer).get(QUEUE, {"entidad": "32"})
        assert "no está en su ámbito de revisión" in response.content.decode()
        assert codes(response) == [str(pending[0].code), str(pending[2].code)]

    def test_an_htmx_request_gets_only_the_results_fragment(self, client_for, coordinator, pending):
        response = client_for(coordinator).get(QUEUE, {"entidad": "32"}, **HTMX)
        page = response.content.decode()
        assert page.lstrip().startswith('<div id="queue-results">')
        assert "<html" not in page and str(pending[1].code) in page


class TestTheQueueSendsReviewersToTheReport:
    """Approving or returning happens on the report's page, after reading it (issue 12, item 6):
    the queue lists and filters, each row a link to the report."""

    def test_each_row_links_to_its_report_and_offers_no_approve_or_return_form(
        self, client_for, reviewer, pending
    ):
        old = pending[0]
        page = client_for(reviewer).get(QUEUE).content.decode()
        period_url = reverse(
            "monitoring:period", args=[old.period.indicator.code, old.period.label]
        )
        assert f'class="button" href="{period_url}">Revisar' in page
        assert reverse("monitoring:update_approve", args=[old.code]) not in page
        assert reverse("monitoring:update_return", args=[old.code]) not in page
        assert '<form method="post"' not in page.split('id="queue-results"')[1]

    def test_the_old_in_place_endpoints_are_gone(self, client_for, reviewer, pending):
        old = pending[0]
        for action in ("aprobar", "devolver"):
            response = client_for(reviewer).post(f"{QUEUE}{old.code}/{action}/", **HTMX)
            assert response.status_code == 404
        old.refresh_from_db()
        assert old.status == UpdateStatus.SUBMITTED

    def test_the_report_page_carries_the_approve_and_return_forms(
        self, client_for, reviewer, pending
    ):
        old = pending[0]
        client = client_for(reviewer)
        period_url = reverse(
            "monitoring:period", args=[old.period.indicator.code, old.period.label]
        )
        page = client.get(period_url).content.decode()
        assert reverse("monitoring:update_approve", args=[old.code]) in page
        assert reverse("monitoring:update_return", args=[old.code]) in page
        client.post(reverse("monitoring:update_approve", args=[old.code]))
        old.refresh_from_db()
        assert old.status == UpdateStatus.APPROVED and old.reviewed_by == reviewer


class TestQueryBudget:
    @staticmethod
    def _add(owners, indicators_per_owner: int, periods: tuple[str, ...], editor, tag: str) -> None:
        for owner in owners:
            for n in range(indicators_per_owner):
                indicator = indicator_with_calendar(owner, name=f"Indicador {tag} {owner.slug} {n}")
                for label in periods:
                    submitted(indicator, label, actor=editor)

    @staticmethod
    def _queries(client, expected_rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUEUE)
        assert response.status_code == 200
        assert len(response.context["rows"]) == expected_rows
        return len(captured)

    def test_the_page_takes_the_same_queries_for_2_and_8_updates(
        self, client_for, coordinator, durango, zacatecas, editor
    ):
        client = client_for(coordinator)
        self._add((durango, zacatecas), 1, ("2025-T1",), editor, "a")  # 2 updates, one per state
        few = self._queries(client, 2)
        # 6 more: a second indicator per state, and several periods per indicator
        self._add((durango, zacatecas), 1, ("2025-T1", "2025-T2", "2025-T3"), editor, "b")
        many = self._queries(client, 8)
        # 1 session, 2 user, 3 memberships (scope), 4 state choices (a national reviewer's
        # indicator choices wait for a state), 5 the page's COUNT, 6 the queue page (updates joined
        # to period, indicator, owner, state, creator and submitter), 7 the owners' names, 8 the
        # indicators' goals, 9 the header's institutions, 10 their names, 11 the navigation's
        # pending COUNT.
        assert few == many == 11
