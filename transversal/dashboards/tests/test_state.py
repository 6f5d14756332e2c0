"""A state's dashboard: its light with the rule, agreements with goal lights, indicators against
targets."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.dashboards.tests.data import approved_with_breakdown, grow, known_dataset
from transversal.dashboards.tests.test_national import LAYOUT_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(national, durango, zacatecas):
    return known_dataset(national, durango, zacatecas)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_it_shows_the_state_light_with_its_rule(client_for, coordinator, data):
    html = client_for(coordinator).get("/tableros/entidad/10/").content.decode()
    assert (
        '<span class="light red"><span class="visually-hidden">Semáforo: </span>Crítico</span>'
        in html
    )
    page = text(html)
    assert "2 de 3 con dato en verde (66.7 %), 0 en amarillo y 1 en rojo. 1 sin dato." in page
    assert "Más de 30 % de los elementos con dato están en rojo." in page  # ROLLUP_LEGEND
    assert "Avance menor a 70 % de la meta." in page  # the indicator legend


def test_it_lists_agreements_with_goal_lights_and_links_down_to_indicators(
    client_for, coordinator, data
):
    html = client_for(coordinator).get("/tableros/entidad/10/").content.decode()
    assert f'href="/convenios/{data["agreement"].code}/"' in html
    assert f'href="/indicadores/{data["indicator"].code}/"' in html
    goal_row = re.search(r"<tr>\s*<th scope=\"row\">1\. Capacitar.*?</tr>", html, re.S).group(0)
    assert "Aceptable" in goal_row and "Personas capacitadas en igualdad sustantiva" in goal_row
    assert "Zacatecas" not in text(html).split("Tablero de Durango", 2)[-1]


def test_it_shows_each_indicators_latest_approved_value_against_its_target(
    client_for, coordinator, data
):
    html = client_for(coordinator).get("/tableros/entidad/10/").content.decode()
    code = data["indicator"].code
    row = re.search(
        rf'<tr>\s*<th scope="row"><a href="/indicadores/{code}/">.*?</tr>', html, re.S
    ).group(0)
    assert (
        f'href="/indicadores/{code}/periodos/2025-T1/"' in row
    )  # drill-down to the period (and its evidence)
    assert f'href="/tableros/indicador/{code}/"' in row
    cells = [text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[1:5] == ["95", "100", "95.0", "Semáforo: Aceptable"]
    other = re.search(
        rf'<tr>\s*<th scope="row"><a href="/indicadores/{data["other"].code}/">.*?</tr>', html, re.S
    )
    assert "Ninguno aún" in other.group(0) and "Sin dato" in other.group(0)


def test_it_counts_the_states_pending_and_overdue_reports(client_for, coordinator, data):
    page = text(client_for(coordinator).get("/tableros/entidad/10/").content.decode())
    assert "2 reportes enviados en espera de revisión" in page
    assert "5 periodos vencidos sin reporte enviado" in page


def test_counts_of_one_are_singular(client_for, coordinator, data):
    page = text(client_for(coordinator).get("/tableros/entidad/10/").content.decode())
    assert "1 meta con semáforo «Crítico»" in page and "1 meta con semáforo «Sin dato»" in page
    assert "2 metas con semáforo «Aceptable»" in page and "0 metas con semáforo" in page
    assert "1 metas" not in page


def test_a_state_without_agreements_says_so(client_for, coordinator):
    page = text(client_for(coordinator).get("/tableros/entidad/01/").content.decode())
    assert "La entidad no tiene convenios registrados." in page
    assert "Sin dato" in page


def test_state_members_do_not_see_draft_agreements_of_other_institutions(
    client_for, national, durango, editor, data
):
    from transversal.conftest import make_institution
    from transversal.dashboards.tests.data import agreement

    other = make_institution("otra-durango", "10", "Otra institución")
    agreement(national, other, status="draft", title="Convenio en borrador ajeno")
    assert (
        "Convenio en borrador ajeno"
        not in client_for(editor).get("/tableros/entidad/10/").content.decode()
    )


def state_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tableros/entidad/10/").status_code == 200
    return len(queries)


def test_the_state_dashboard_runs_a_constant_number_of_queries(
    client_for, coordinator, national, durango, data
):
    client = client_for(coordinator)
    state_queries(client)  # the first request of the day may refresh the stored counts
    small = state_queries(client)
    grow(national, durango, copies=3)
    big = state_queries(client)
    # session, user, memberships (scope), state with its summary, stored pending and overdue,
    # the number of indicators (for the pager),
    # agreements, their goals, the goals' indicators, indicators with latest approved values,
    # owners' names, whether synthetic data is counted, the coordination panel's sessions and
    # acuerdos of the state and its systems (test_coordination grows those), the cycle panel's
    # state institute and its names and the institute's cycle (eight: test_improvement grows it),
    # the work programme of the year (test_programmes grows it), then base.html's context
    # processors
    assert small == big == 26 + LAYOUT_QUERIES


def test_the_indicator_page_runs_a_constant_number_of_queries(
    client_for, coordinator, national, durango, data
):
    client = client_for(coordinator)
    grow(national, durango, copies=1)
    from transversal.monitoring.models import Indicator

    indicator = Indicator.objects.get(name="Indicador adicional 0")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/tableros/indicador/{indicator.code}/").status_code == 200
        return len(queries)

    small = count()
    approved_with_breakdown(
        indicator, "2025-T3", Decimal(70), {"sex": {"women": Decimal(40), "men": Decimal(30)}}
    )
    # session, user, indicator with owner and state, owner names, memberships (scope),
    # periods with approved values, approved breakdown values, then base.html's context processors
    assert small == count() == 7 + LAYOUT_QUERIES


def test_the_indicator_table_shows_fifty_a_page(client_for, coordinator, durango, data):
    from transversal.monitoring.models import Indicator

    existing = Indicator.objects.filter(owner__state__code="10").count()
    Indicator.objects.bulk_create(
        Indicator(
            owner=durango,
            name=f"Indicador masivo {n:03d}",
            unit="personas",
            measure="count",
            frequency="quarterly",
            direction="ascending",
        )
        for n in range(60)
    )
    total = existing + 60
    client = client_for(coordinator)
    first = client.get("/tableros/entidad/10/").content.decode()
    assert first.count('aria-label="Ver gráficas de ') == 50
    assert f"Página 1 de 2 ({total} en total)" in first
    second = client.get("/tableros/entidad/10/", {"pagina": 2}).content.decode()
    assert second.count('aria-label="Ver gráficas de ') == total - 50
