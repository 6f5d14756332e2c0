"""«Mis pendientes» knows the yearly cycle (``workprogrammes.worklist``, registered in
``monitoring.worklist``): the state's editors see the quarterly reports they owe and what was
observed, the national validators what waits for their decision; each row opens its form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from transversal.monitoring.tests.factories import validating
from transversal.workprogrammes import services, worklist
from transversal.workprogrammes.models import WorkProgramme
from transversal.workprogrammes.tests.factories import goal_indicator, validated, world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)  # Q3 of 2026 was due on 15/10/2026


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def report_url(programme, quarter):
    return reverse("workprogrammes:report", args=[programme.code, quarter])


def programme_url(programme):
    return reverse("workprogrammes:programme", args=[programme.code])


def sent(programme, quarter, editor):
    lines = {line.pk: {"justification": "Sin avance aún."} for line in programme.lines.all()}
    report = services.report_save(
        actor=editor, programme=programme, quarter=quarter, narrative="Avance.", lines=lines
    )
    return services.report_send(actor=editor, report=report)


@pytest.fixture
def durango_2026(national, durango, editor):
    """Durango's validated 2026 programme: Q1 and Q2 sent, Q3 still in elaboration."""
    w = world(national, durango, year=2026)
    validated(w.programme)
    sent(w.programme, 1, editor)
    sent(w.programme, 2, editor)
    services.report_save(
        actor=editor, programme=w.programme, quarter=3, narrative="Borrador.", lines={}
    )
    return w


class TestStateEditors:
    def test_the_durango_editor_sees_her_overdue_q3_report_with_a_link_to_its_form(
        self, client_for, editor, durango_2026
    ):
        programme = durango_2026.programme
        home = client_for(editor).get("/").content.decode()
        assert "Programa de trabajo" in home
        assert "Informe del trimestre 3 · programa de trabajo 2026" in home
        assert f'href="{report_url(programme, 3)}"' in home
        assert "fecha límite 15/10/2026" in home
        assert '<span class="status status-vencido">Vencido</span>' in home
        assert "con borrador guardado" in home
        assert report_url(programme, 2) not in home  # sent: nothing to do
        page = client_for(editor).get(reverse("work:list")).content.decode()
        assert f'href="{report_url(programme, 3)}"' in page
        assert 'id="programa-informes-vencidos"' in page  # the tile's rows
        assert f"{reverse('work:list')}#programa-informes-vencidos" in page
        form = client_for(editor).get(report_url(programme, 3))
        assert form.status_code == 200
        assert 'name="intent" value="send"' in form.content.decode()

    def test_the_overdue_tile_counts_reports_apart_from_periods(self, editor, durango_2026):
        from transversal.accounts.access import scope_for

        group = worklist.work(scope_for(editor), TODAY)
        tiles = {tile.key: tile.count for tile in group.tiles}
        assert tiles == {
            worklist.Kind.OVERDUE: 1,
            worklist.Kind.DUE_SOON: 0,
            worklist.Kind.OBSERVED: 0,
        }

    def test_a_report_due_within_30_days_is_listed_and_a_later_one_is_not(
        self, national, durango, editor
    ):
        from transversal.accounts.access import scope_for

        w = world(national, durango, year=2026)
        validated(w.programme)
        # On 01/10/2026: Q2 (due 15/07) is overdue, Q3 (due 15/10) is due soon, Q4 is not yet.
        group = worklist.work(scope_for(editor), dt.date(2026, 10, 1))
        rows = [(row.kind, row.title, row.status.key) for row in group.rows]
        assert rows == [
            (
                worklist.Kind.OVERDUE,
                "Informe del trimestre 1 · programa de trabajo 2026",
                "vencido",
            ),
            (
                worklist.Kind.OVERDUE,
                "Informe del trimestre 2 · programa de trabajo 2026",
                "vencido",
            ),
            (
                worklist.Kind.DUE_SOON,
                "Informe del trimestre 3 · programa de trabajo 2026",
                "sin_reporte",
            ),
        ]

    def test_another_states_editor_does_not_see_it(self, client_for, outsider, durango_2026):
        home = client_for(outsider).get("/").content.decode()
        assert report_url(durango_2026.programme, 3) not in home
        assert "Informes trimestrales vencidos" not in home  # Zacatecas has no programme
        page = client_for(outsider).get(reverse("work:list")).content.decode()
        assert str(durango_2026.programme.code) not in page

    def test_a_viewer_is_not_asked_to_write_the_report(self, client_for, viewer, durango_2026):
        home = client_for(viewer).get("/").content.decode()
        assert report_url(durango_2026.programme, 3) not in home

    def test_an_observed_programme_and_an_observed_report_ask_for_a_correction(
        self, client_for, national, durango, editor, coordinator, durango_2026
    ):
        report = durango_2026.programme.reports.get(quarter=2)
        services.report_observe(actor=coordinator, report=report, text="Falta evidencia.")
        other = world(national, durango, year=2027)
        services.programme_propose(actor=editor, programme=other.programme)
        services.programme_observe(actor=coordinator, programme=other.programme, text="Ajuste.")
        page = client_for(editor).get(reverse("work:list")).content.decode()
        section = page.split('id="programa-observados"')[1]
        assert f'href="{report_url(durango_2026.programme, 2)}"' in section
        assert f'href="{programme_url(other.programme)}#observaciones"' in section
        assert "Programa de trabajo 2027: envíe la corrección" in section
        assert '<span class="status status-devuelto">Observado</span>' in section
        assert '<span class="status status-devuelto">Observada</span>' in section


class TestNationalValidators:
    def test_the_validator_sees_the_waiting_proposal_and_the_sent_reports(
        self, client_for, national, durango, zacatecas, editor, coordinator, durango_2026
    ):
        proposal = world(national, zacatecas, year=2026)
        services.programme_propose(actor=None, programme=proposal.programme)
        home = client_for(coordinator).get("/").content.decode()
        assert f'href="{programme_url(proposal.programme)}#observaciones"' in home
        assert f'href="{report_url(durango_2026.programme, 1)}"' in home
        assert f'href="{report_url(durango_2026.programme, 2)}"' in home
        assert report_url(durango_2026.programme, 3) not in home  # a draft is the state's
        page = client_for(coordinator).get(reverse("work:list")).content.decode()
        decide = page.split('id="programa-por-validar"')[1].split('id="programa-por-recibir"')
        assert "Zacatecas" in decide[0] and "Propuesta" in decide[0]
        assert decide[1].count("Informe del trimestre") == 2
        assert "Informes trimestrales vencidos" not in page  # the national institute owes none

    def test_a_report_sent_on_a_mexican_evening_is_dated_that_day_not_the_utc_one(
        self, client_for, coordinator, durango_2026
    ):
        evening = dt.datetime(2026, 12, 8, 1, 30, tzinfo=dt.UTC)  # 07/12/2026 19:30 in CDMX
        durango_2026.programme.reports.filter(quarter=2).update(sent_at=evening)
        page = client_for(coordinator).get(reverse("work:list")).content.decode()
        received = page.split('id="programa-por-recibir"')[1]
        assert "07/12/2026" in received and "08/12/2026" not in received

    def test_goal_figures_waiting_for_the_national_validation_link_to_the_queue_tab(
        self, client_for, national, durango, editor, reviewer, coordinator
    ):
        w = world(national, durango, year=2026)
        validating(w.indicators[0], "2026-T1", Decimal(10), actor=editor, reviewer=reviewer)
        page = client_for(coordinator).get("/").content.decode()
        queue_link = f"{reverse('monitoring:review_queue')}?etapa=validar"
        tile = page.split(f'href="{queue_link}"')[1].split("</a>")[0]
        assert '<span class="counter-figure">1</span>' in tile
        assert "Cifras de metas por validar (nacional)" in tile
        assert client_for(coordinator).get(queue_link).status_code == 200


class TestQueries:
    def test_the_work_list_takes_the_same_queries_for_few_and_many_programmes(
        self, client_for, national, durango, zacatecas, editor, coordinator, outsider
    ):
        def measure(user):
            client = client_for(user)
            client.get("/")  # warm the session and caches
            with CaptureQueriesContext(connection) as home:
                client.get("/")
            with CaptureQueriesContext(connection) as work:
                client.get(reverse("work:list"))
            return len(home), len(work)

        first = world(national, durango, year=2026)
        validated(first.programme)
        sent(first.programme, 1, editor)
        few_editor, few_validator = measure(editor), measure(coordinator)
        # More programmes, states, reports of every kind and figures in validation.
        second = world(national, durango, year=2027)
        services.programme_propose(actor=editor, programme=second.programme)
        services.programme_observe(actor=coordinator, programme=second.programme, text="Ajuste.")
        sent(first.programme, 2, editor)
        services.report_observe(
            actor=coordinator, report=first.programme.reports.get(quarter=1), text="Revise."
        )
        services.report_save(
            actor=editor, programme=first.programme, quarter=3, narrative="", lines={}
        )
        third = world(national, zacatecas, year=2026, goals=3)
        validated(third.programme)
        sent(third.programme, 1, outsider)
        sent(third.programme, 2, outsider)
        fourth = world(national, zacatecas, year=2027)
        services.programme_propose(actor=outsider, programme=fourth.programme)
        indicator = goal_indicator(first.goals[0], 2027)
        assert WorkProgramme.objects.count() == 4 and indicator.periods.exists()
        many_editor, many_validator = measure(editor), measure(coordinator)
        # Home and work list each: the periods' queries as before, plus for an editor the
        # programmes not closed and their reports; for a validator the programmes waiting,
        # the reports sent and the count of figures in national validation.
        assert many_editor == few_editor
        assert many_validator == few_validator
        page = client_for(coordinator).get(reverse("work:list")).content.decode()
        assert page.count("Informe del trimestre") == 3  # Durango's Q2, Zacatecas' Q1 and Q2
