"""The public statistics pages: anyone reads them, they cite the source, the map never speaks by
colour alone, and their query counts do not grow with the data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from transversal.genderstats.tests.factories import make_indicator, put
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def fill(indicator, codes, years, *, national=False):
    for year in years:
        for n, code in enumerate(codes):
            put(indicator, year, code, "mujeres", 40 + n, cv=Decimal("10"))
            put(indicator, year, code, "hombres", 30 + n, cv=Decimal("20") + n)
            put(indicator, year, code, "total", 35 + n)
        if national:
            put(indicator, year, "", "mujeres", 41)
            put(indicator, year, "", "hombres", 31)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def violence(db):
    return make_indicator("violencia-pareja", is_synthetic=True)


def test_the_indicator_page_shows_gaps_by_state_with_text_labels_and_the_source(client, violence):
    put(violence, 2021, "10", "mujeres", "40.5", cv=Decimal("8"))
    put(violence, 2021, "10", "hombres", "30.25", cv=Decimal("31"))
    put(violence, 2021, "32", "mujeres", "20", cv=Decimal("8"))
    put(violence, 2021, "32", "hombres", "19", cv=Decimal("8"))
    html = client.get(reverse("portal:statistic", args=["violencia-pareja"])).content.decode()
    assert "10.25" in html  # Durango's gap: 40.5 − 30.25
    assert "precisión baja" in html  # the men's CV of 31 %
    assert "brecha mayor" in html and "brecha menor" in html and "sin dato" in html
    assert "ENDIREH" in html and "Cuadro 1.1" in html
    assert "dato sintético" in html
    assert "sin cifra nacional" in html


def test_the_map_levels_follow_the_visitors_language(client, violence):
    fill(violence, ["10", "32"], [2021])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("portal:statistic", args=["violencia-pareja"])).content.decode()
    tiles = html[html.index('<ol class="tile-map"') :]
    tiles = tiles[: tiles.index("</ol>")]
    assert "smaller gap" in tiles and "larger gap" in tiles
    assert "brecha menor" not in tiles and "brecha mayor" not in tiles


def test_the_map_legend_says_how_the_32_states_split_into_levels(client, violence):
    codes = [f"{n:02d}" for n in range(1, 33)]
    fill(violence, codes, [2021])
    html = client.get(reverse("portal:statistic", args=["violencia-pareja"])).content.decode()
    legend = html[html.index('id="gap-legend"') :]
    legend = legend[: legend.index("</div>")]
    assert "la cuarta parte" in legend and "la mitad central" in legend
    assert "brecha mayor: 8 entidades" in legend
    assert "brecha intermedia: 16 entidades" in legend
    assert "brecha menor: 8 entidades" in legend
    assert "sin dato: 0 entidades" in legend


def test_the_series_of_a_chosen_state_has_its_table_and_chart(client, violence):
    fill(violence, ["10"], [2016, 2021])
    url = reverse("portal:statistic", args=["violencia-pareja"]) + "?entidad=durango"
    response = client.get(url)
    html = response.content.decode()
    assert "Serie por año: Durango" in html
    assert response.context["spec"]["data"]["values"][0] == {
        "anio": "2016",
        "serie": "Mujeres",
        "valor": 40.0,
    }
    assert [p.year for p in response.context["points"]] == [2016, 2021]


def test_an_unknown_indicator_is_404(client):
    assert client.get(reverse("portal:statistic", args=["no-existe"])).status_code == 404


def test_the_indicator_page_takes_the_same_queries_for_2_or_32_states(client, violence):
    fill(violence, ["10", "32"], [2021])
    url = reverse("portal:statistic", args=["violencia-pareja"]) + "?entidad=durango"
    small = count(client, url)
    fill(
        violence,
        [s for s in State.objects.values_list("code", flat=True) if s not in ("10", "32")],
        [2021],
    )
    fill(violence, list(State.objects.values_list("code", flat=True)), [2016], national=True)
    # years and age groups, states (slugs), states (table), the year's values, the series: 5,
    # plus the session and the navigation's lookups of an anonymous visitor.
    assert count(client, url) == small
    assert small <= 8


def test_the_index_lists_indicators_with_values_in_constant_queries(client, violence):
    fill(violence, ["10"], [2021])
    small = count(client, reverse("portal:statistics"))
    other = make_indicator("ocupacion", measure="conteo", unit="Personas")
    fill(other, ["10", "32", "01"], [2020, 2022])
    html = client.get(reverse("portal:statistics")).content.decode()
    assert "Indicador ocupacion" in html
    assert count(client, reverse("portal:statistics")) == small


@pytest.fixture
def linked(durango, national, violence):
    """A published plan of Durango whose item cites the indicator, and a public convenio
    indicator of Durango's institute that cites it too."""
    from transversal.monitoring.models import Indicator
    from transversal.planning.models import Plan, PlanItem

    plan = Plan.objects.create(
        code="ped-durango",
        title="Plan Estatal de Desarrollo de Durango",
        kind="ped",
        status="published",
        institution=durango,
        state=durango.state,
    )
    item = PlanItem.objects.create(
        plan=plan,
        level="objective",
        code="2.1",
        text="Reducir la violencia",
        baseline_source=violence,
    )
    indicator = Indicator.objects.create(
        owner=durango,
        name="Mujeres atendidas por violencia",
        unit="Porcentaje",
        direction="ascending",
        is_public=True,
        baseline_source=violence,
    )
    return item, indicator


def test_the_state_page_shows_its_gaps_beside_the_plan_targets_and_convenio_indicators(
    client, violence, linked
):
    fill(violence, ["10", "32"], [2021])
    html = client.get(reverse("portal:state_statistics", args=["durango"])).content.decode()
    assert "Indicador violencia-pareja" in html
    assert "Reducir la violencia" in html
    assert "Mujeres atendidas por violencia" in html
    assert "1 de 2" in html  # both gaps are 10 (40 − 30, 41 − 31): tied, both first
    assert "dato sintético" in html


def test_the_state_page_takes_the_same_queries_for_one_or_three_indicators(
    client, violence, linked
):
    fill(violence, ["10", "32"], [2021])
    url = reverse("portal:state_statistics", args=["durango"])
    small = count(client, url)
    for slug in ("a", "b"):
        other = make_indicator(slug)
        fill(other, [s for s in State.objects.values_list("code", flat=True)], [2020, 2022])
    assert count(client, url) == small


def test_a_state_without_statistics_says_so_and_an_unknown_state_is_404(client):
    html = client.get(reverse("portal:state_statistics", args=["durango"])).content.decode()
    assert "Aún no hay estadísticas de género publicadas" in html
    assert client.get(reverse("portal:state_statistics", args=["narnia"])).status_code == 404


def test_the_portal_links_the_statistics_from_its_menu_and_each_state(client):
    html = client.get(reverse("portal:state", args=["durango"])).content.decode()
    assert reverse("portal:state_statistics", args=["durango"]) in html
    assert reverse("portal:statistics") in html
