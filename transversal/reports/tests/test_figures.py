"""Charts of counts read in whole numbers: no "0, 1, 1, 2, 2" axis from halves formatted as
integers."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transversal.monitoring.tests.factories import approved, indicator_with_calendar
from transversal.reports import figures
from transversal.reports.assembly import build_report
from transversal.reports.tests.conftest import docx_text
from transversal.territory.models import State


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_integer_ticks_are_whole_evenly_spaced_from_zero_and_reach_the_highest(highest):
    ticks = figures.integer_ticks(highest)

    assert all(isinstance(tick, int) for tick in ticks)
    assert ticks[0] == 0 and ticks[-1] >= highest
    assert 2 <= len(ticks) <= figures.MAX_TICKS
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() >= 1


@pytest.mark.parametrize(
    ("highest", "ticks"),
    [(2, [0, 1, 2]), (5, [0, 1, 2, 3, 4, 5]), (7, [0, 2, 4, 6, 8]), (139, [0, 50, 100, 150])],
)
def test_integer_ticks_for_small_and_large_counts(highest, ticks):
    assert figures.integer_ticks(highest) == ticks


def _axis_labels(svg: str, title: str) -> list[str]:
    """The tick labels of the Y axis titled ``title``, top to bottom as drawn."""
    # The charts carry no ARIA (monitoring.charts.describe): find the axis by its drawn title.
    axes = svg.split('class="mark-group role-axis"')[1:]
    axis = next(
        a for a in axes if re.search(rf"role-axis-title.*?>{re.escape(title)}</text>", a, re.S)
    )
    labels = re.search(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', axis, re.S)
    return re.findall(r">([^<]+)</text>", labels.group(1))


@pytest.mark.django_db
def test_the_summary_chart_counts_indicators_in_whole_numbers(dataset, zacatecas):
    # Two indicators in Zacatecas's only bar: Vega's own ticks would read 0, 1, 1, 2, 2.
    other = indicator_with_calendar(zacatecas, name="Otro indicador de Zacatecas")
    approved(other, "2025-T4", Decimal(40))
    report = build_report(period="2025-T4", state=State.objects.get(code="32"))

    labels = _axis_labels(figures.to_svg(figures.summary_spec(report)), "Indicadores")

    assert labels == ["0", "1", "2"]


@pytest.mark.django_db
def test_a_small_count_indicator_chart_has_whole_number_ticks(durango):
    indicator = indicator_with_calendar(
        durango, name="Informes publicados", unit="informes", targets={"2025-T1": 2, "2025-T2": 3}
    )
    approved(indicator, "2025-T1", Decimal(1))
    approved(indicator, "2025-T2", Decimal(3))
    report = build_report(period="2025", state=State.objects.get(code="10"))
    [node] = report.states[0].other_indicators

    labels = _axis_labels(figures.to_svg(figures.indicator_spec(node)), "informes")

    assert labels == ["0", "1", "2", "3"]


@pytest.mark.django_db
def test_each_docx_chart_is_rendered_once_though_its_indicator_measures_two_goals(
    dataset, tmp_path, monkeypatch
):
    from transversal.reports.docx import render_docx

    dataset["a"].goals.add(dataset["goals"][1])
    rendered = []
    to_png = figures.to_png
    monkeypatch.setattr(figures, "to_png", lambda spec: rendered.append(spec) or to_png(spec))
    output = tmp_path / "durango.docx"

    render_docx(build_report(period="2025-T4", state=State.objects.get(code="10")), output)

    titles = [spec.get("title", {}).get("text", "resumen") for spec in rendered]
    assert sorted(titles) == sorted(set(titles))
    assert docx_text(output).count("Gráfica: Indicador A de capacitación") == 2
