"""The national dashboard: figures, measures, filters and its query budget."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from transversal.dashboards import selectors
from transversal.dashboards.tests.data import TODAY, grow, known_dataset
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

# Queries base.html's context processors add to every signed-in page (not ours to budget).
LAYOUT_QUERIES = 3


@pytest.fixture
def data(national, durango, zacatecas):
    return known_dataset(national, durango, zacatecas)


def rows_by_code(filters: selectors.Filters | None = None):
    return {
        row.code: row
        for row in selectors.national_rows(filters or selectors.Filters(), today=TODAY)
    }


def tile(html: str, code: str) -> str:
    match = re.search(rf'<li class="tile s{code} ([^"]+)">(.*?)</li>', html, re.S)
    assert match, code
    return (
        match.group(1) + " " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(2))).strip()
    )


# Figures on the known dataset --------------------------------------------------


def test_it_counts_goals_by_colour_and_the_share_green(data):
    durango, zacatecas = rows_by_code()["10"], rows_by_code()["32"]
    assert durango.goals == {"green": 2, "yellow": 0, "red": 1, "no_data": 1}
    assert durango.rollup.share_green == Decimal("66.7")
    assert durango.rollup.colour == "red"
    assert zacatecas.rollup.share_green == 100
    assert rows_by_code()["01"].rollup.share_green is None


def test_it_counts_pending_reviews_and_overdue_periods(data):
    rows = rows_by_code()
    assert (rows["10"].pending, rows["10"].overdue) == (2, 5)
    assert (rows["32"].pending, rows["32"].overdue) == (1, 3)
    assert (rows["01"].pending, rows["01"].overdue) == (0, 0)


def test_a_period_is_not_overdue_before_its_due_date(data):
    import datetime as dt

    rows = {
        r.code: r for r in selectors.national_rows(selectors.Filters(), today=dt.date(2025, 4, 1))
    }
    # Only 2025-T1 (due 15 April) exists by then, and every T1 has a report sent.
    assert rows["10"].overdue == 0


def test_headline_counters_add_up_the_states(data):
    headline = selectors.headline(selectors.national_rows(selectors.Filters(), today=TODAY))
    assert headline.states_in_force == 1  # Zacatecas' agreement is signed, not in force
    assert headline.goals == {"green": 3, "yellow": 0, "red": 1, "no_data": 1}
    assert (headline.pending, headline.overdue) == (3, 8)


def test_the_round_filter_keeps_its_goals_and_the_indicators_that_measure_them(data):
    rows = rows_by_code(selectors.Filters(round="IP-321"))
    assert rows["10"].goals == {"green": 2, "yellow": 0, "red": 1, "no_data": 1}
    assert (rows["10"].pending, rows["10"].overdue) == (1, 2)  # indicator A only
    assert (rows["32"].goals_total, rows["32"].pending, rows["32"].overdue) == (0, 0, 0)


def test_the_area_filter_keeps_goals_of_that_area(data):
    rows = rows_by_code(selectors.Filters(area="economic_empowerment"))
    assert rows["10"].goals == {"green": 2, "yellow": 0, "red": 0, "no_data": 0}
    assert rows["10"].rollup.share_green == 100
    assert rows["32"].goals_total == 0


def test_the_year_filter_keeps_periods_starting_that_year_and_agreements_in_force_then(data):
    rows = rows_by_code(selectors.Filters(year=2024))
    assert (
        rows["10"].goals_total,
        rows["10"].pending,
        rows["10"].overdue,
        rows["10"].agreements_in_force,
    ) == (0, 0, 0, 0)
    rows = rows_by_code(selectors.Filters(year=2025))
    assert (
        rows["10"].goals_total,
        rows["10"].pending,
        rows["10"].overdue,
        rows["10"].agreements_in_force,
    ) == (4, 2, 5, 1)


# The page -------------------------------------------------------------------


def test_the_map_shows_the_share_green_with_a_text_label(client_for, coordinator, data):
    html = client_for(coordinator).get("/tableros/").content.decode()
    assert tile(html, "10") == "light-red Dgo. Durango: 66.7 % Crítico"
    assert tile(html, "32") == "light-green Zac. Zacatecas: 100.0 % Aceptable"
    assert tile(html, "01") == "light-no_data Ags. Aguascalientes: — Sin dato"
    assert html.count('class="tile s') == 32
    assert 'href="/tableros/entidad/10/"' in html
    assert (
        "Al menos 90 % de los elementos con dato están en verde." in html
    )  # the legend explains the rule


@pytest.mark.parametrize(
    ("measure", "expected_10", "expected_32"),
    [
        (
            "pendientes",
            "level-1 Dgo. Durango: 2 por revisar",
            "level-1 Zac. Zacatecas: 1 por revisar",
        ),
        ("vencidos", "level-1 Dgo. Durango: 5 vencidos", "level-1 Zac. Zacatecas: 3 vencidos"),
    ],
)
def test_the_map_can_show_pending_reviews_or_overdue_updates(
    client_for, coordinator, data, measure, expected_10, expected_32
):
    html = client_for(coordinator).get(f"/tableros/?medida={measure}").content.decode()
    assert tile(html, "10") == expected_10
    assert tile(html, "32") == expected_32
    assert "level-0" in tile(html, "01")


def test_the_table_has_the_same_figures(client_for, coordinator, data):
    html = client_for(coordinator).get("/tableros/").content.decode()
    row = re.search(
        r'<tr>\s*<th scope="row"><a href="/tableros/entidad/10/">Durango</a></th>(.*?)</tr>',
        html,
        re.S,
    )
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    ]
    assert cells == ["1", "4", "2", "0", "1", "1", "66.7 %", "Semáforo: Crítico", "2", "5"]


def test_the_headline_counters_are_shown(client_for, coordinator, data):
    html = re.sub(r"\s+", " ", client_for(coordinator).get("/tableros/").content.decode())
    assert (
        '<span class="counter-figure">1</span> '
        '<span class="counter-label">entidad con convenio vigente (de 32)' in html
    )
    assert "1 entidades" not in re.sub(r"<[^>]+>", "", html)
    assert '<span class="light green">Aceptable: 3</span>' in html
    assert (
        '<span class="counter-figure">3</span> <span class="counter-label">reportes enviados'
        in html
    )
    assert (
        '<span class="counter-figure">8</span> <span class="counter-label">periodos vencidos'
        in html
    )


def test_filters_narrow_the_page(client_for, coordinator, data):
    html = (
        client_for(coordinator)
        .get("/tableros/?medida=pendientes&ronda=IP-321&area=&anio=2025")
        .content.decode()
    )
    assert tile(html, "10") == "level-1 Dgo. Durango: 1 por revisar"
    assert tile(html, "32") == "level-0 Zac. Zacatecas: 0 por revisar"


@pytest.mark.parametrize(
    "query",
    [
        "medida=inventada",
        "anio=dos-mil",
        "anio=1850",
        "area=salud",
        "ronda=IP-999",
        "medida=%00",
        "anio=99999999999999999999",
        "anio=2025&anio=x",
    ],
)
def test_a_bad_filter_value_gives_a_spanish_message_and_the_default(
    client_for, coordinator, data, query
):
    response = client_for(coordinator).get(f"/tableros/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Se ignoraron filtros con un valor no válido" in html
    assert html.count('class="tile s') == 32


def test_a_bad_measure_falls_back_to_the_share_green(client_for, coordinator, data):
    html = client_for(coordinator).get("/tableros/?medida=inventada&ronda=IP-321").content.decode()
    assert "Mapa: Metas en verde (%)" in html
    assert tile(html, "32").startswith("light-no_data")  # the valid round filter still applies


# Query budget -----------------------------------------------------------------


def national_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tableros/?medida=vencidos").status_code == 200
    return len(queries)


def test_the_national_dashboard_runs_a_constant_number_of_queries(
    client_for, coordinator, national, data
):
    from transversal.conftest import make_institution

    client = client_for(coordinator)
    national_queries(client)  # the first request of the day may refresh the stored counts
    small = national_queries(client)
    for code in ("01", "05", "19"):
        state = State.objects.get(code=code)
        grow(
            national,
            make_institution(f"inst-{code}", code, f"Instituto {state.short_name}"),
            copies=3,
        )
    big = national_queries(client)
    # session, user, memberships (scope), first and last year of periods, agreement rounds, states,
    # goals by state and colour, stored pending and overdue by state, agreements in force by state,
    # whether synthetic data is counted, the coordination section's sessions and acuerdos by state
    # and states with a system (test_coordination grows those), the model cycle section's
    # evaluations, findings and ASM by state (test_improvement grows those), then base.html's
    # context processors (LAYOUT_QUERIES: review badge count, memberships, institution names)
    assert small == big == 17 + LAYOUT_QUERIES


def _live(today):
    return selectors.pending_by_state(selectors.Filters()), selectors.overdue_by_state(
        selectors.Filters(), today
    )


def test_the_stored_workload_follows_every_review_step(data, coordinator):
    from transversal.monitoring.models import ProgressUpdate, UpdateStatus
    from transversal.monitoring.services import update_approve, update_correct, update_return

    # The services move the stored counts by each step's difference as of the real today (the day
    # they write on), so the dashboard is read on that day too.
    today = timezone.localdate()

    def stored():
        rows = selectors.national_rows(selectors.Filters(), today=today)
        return {r.state.pk: r.pending for r in rows if r.pending}, {
            r.state.pk: r.overdue for r in rows if r.overdue
        }

    assert stored() == _live(today)
    submitted = list(ProgressUpdate.objects.filter(status=UpdateStatus.SUBMITTED, is_current=True))
    update_return(actor=coordinator, update=submitted[0], comment="Falta el soporte.")
    assert stored() == _live(today)
    approved = update_approve(actor=coordinator, update=submitted[1])
    assert stored() == _live(today)
    update_correct(actor=coordinator, update=approved, reason="Cifra preliminar.")
    assert stored() == _live(today)
    assert stored() != ({}, {})


def test_stale_stored_counts_are_recomputed_before_they_are_shown(data):
    import datetime as dt

    from transversal.monitoring.models import StateSummary

    StateSummary.objects.update(pending=999, overdue=999, counts_on=TODAY - dt.timedelta(days=1))
    rows = selectors.national_rows(selectors.Filters(), today=TODAY)
    pending, overdue = _live(TODAY)
    assert {r.state.pk: r.pending for r in rows if r.pending} == pending
    assert {r.state.pk: r.overdue for r in rows if r.overdue} == overdue
    assert set(StateSummary.objects.values_list("counts_on", flat=True)) == {TODAY}


def test_the_daily_job_refreshes_the_stored_counts(data):
    from django.core.management import call_command
    from django.utils import timezone

    from transversal.monitoring.models import StateSummary

    StateSummary.objects.update(pending=999, counts_on=None)
    call_command("send_reminders")
    assert set(StateSummary.objects.values_list("counts_on", flat=True)) == {timezone.localdate()}
    assert 999 not in StateSummary.objects.values_list("pending", flat=True)


def test_synthetic_figures_are_announced_on_the_dashboards(client_for, coordinator, national, data):
    from transversal.agreements.models import Goal

    client = client_for(coordinator)
    notice = "Estas cifras incluyen datos inventados"
    Goal.objects.update(is_synthetic=False)
    from transversal.monitoring.models import Indicator

    Indicator.objects.update(is_synthetic=False)
    assert notice not in client.get("/tableros/").content.decode()
    Goal.objects.filter(pk=Goal.objects.first().pk).update(is_synthetic=True)
    assert notice in client.get("/tableros/").content.decode()
