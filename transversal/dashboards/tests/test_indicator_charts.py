"""An indicator's charts: Vega-Lite specs from monitoring.charts, each with its data table."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from transversal.dashboards.tests.data import approved_with_breakdown, known_dataset
from transversal.monitoring.tests.factories import indicator_with_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(national, durango, zacatecas):
    return known_dataset(national, durango, zacatecas)


def spec(html: str, element_id: str) -> dict:
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, element_id
    return json.loads(match.group(1))


def test_it_embeds_the_progress_spec_with_its_data_table(client_for, coordinator, data):
    html = (
        client_for(coordinator)
        .get(f"/tableros/indicador/{data['indicator'].code}/")
        .content.decode()
    )
    progress = spec(html, "spec-progress")
    assert progress["mark"] == {"type": "line", "point": True}
    values = progress["data"]["values"]
    assert {
        "periodo": "1.er trimestre 2025",
        "inicio": "2025-01-01",
        "serie": "Valor aprobado",
        "valor": 95.0,
    } in values
    # The submitted (not approved) value of T2 is not plotted.
    assert [r for r in values if r["serie"] == "Valor aprobado"] == [values[0]]
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "1.er trimestre 2025 Valor aprobado 95" in table
    assert 'data-spec="spec-progress"' in html
    # The page does not load the 900 KB library itself: charts.js (a deferred module) fetches
    # it when a chart comes near the screen; the tables above are in the HTML already.
    assert (
        '<script type="module" src="/static/dashboards/charts.js" '
        'data-library="/static/dashboards/vega.js"></script>'
    ) in html
    assert not re.search(r"<script[^>]*\bsrc=\"[^\"]*vega", html)
    assert html.index("<caption>Datos de la gráfica</caption>") > 0


def test_unreported_quarters_between_two_approved_values_are_a_gap_in_the_chart_and_table(
    client_for, coordinator, durango
):
    from transversal.monitoring.tests.factories import approved, submitted

    indicator = indicator_with_calendar(durango)
    approved(indicator, "2025-T1", Decimal(74))
    submitted(indicator, "2025-T2", Decimal(90))  # sent, not approved: still a gap
    approved(indicator, "2025-T4", Decimal(140))
    html = client_for(coordinator).get(f"/tableros/indicador/{indicator.code}/").content.decode()
    values = spec(html, "spec-progress")["data"]["values"]
    assert [(r["periodo"], r["valor"]) for r in values if r["serie"] == "Valor aprobado"] == [
        ("1.er trimestre 2025", 74.0),
        ("2.º trimestre 2025", None),
        ("3.er trimestre 2025", None),
        ("4.º trimestre 2025", 140.0),
    ]
    table = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2.º trimestre 2025 Valor aprobado Sin dato" in table
    assert "3.er trimestre 2025 Valor aprobado Sin dato" in table


def test_it_adds_a_chart_by_sex_when_approved_values_are_disaggregated(
    client_for, coordinator, durango
):
    indicator = indicator_with_calendar(
        durango, disaggregations=["sex"], baseline_value=Decimal(40)
    )
    approved_with_breakdown(
        indicator,
        "2025-T1",
        Decimal(90),
        {"sex": {"women": Decimal(60), "men": Decimal(25), "unspecified": Decimal(5)}},
    )
    html = client_for(coordinator).get(f"/tableros/indicador/{indicator.code}/").content.decode()
    by_sex = spec(html, "spec-sex")
    assert by_sex["mark"] == "bar"
    assert [(r["categoria"], r["valor"]) for r in by_sex["data"]["values"]] == [
        ("Mujeres", 60.0),
        ("Hombres", 25.0),
        ("No especificado", 5.0),
    ]
    assert "Línea base" in {r["serie"] for r in spec(html, "spec-progress")["data"]["values"]}
    assert "Valores aprobados por sexo" in html


def test_an_indicator_without_targets_or_values_says_so(client_for, coordinator, durango):
    from transversal.monitoring.services import indicator_create

    indicator = indicator_create(
        actor=None,
        owner=durango,
        name="Sin calendario",
        unit="casos",
        measure="count",
        frequency="annual",
        direction="ascending",
    )
    html = client_for(coordinator).get(f"/tableros/indicador/{indicator.code}/").content.decode()
    assert "aún no tiene metas ni valores aprobados" in html
    assert "spec-progress" not in html
