"""Charts of a report: the Vega-Lite specs of ``monitoring.charts``, rendered on the server.

The same spec the indicator page draws in the browser becomes SVG for the PDF
(vector, sharp at any zoom) and PNG for the DOCX (Word's SVG support is
uneven). vl-convert bundles its own engine: no browser, no network.
"""

from __future__ import annotations

import json
import math
from typing import Any

import vl_convert

from transversal.core import lights
from transversal.monitoring import charts, rules
from transversal.reports.assembly import NATIONAL, IndicatorNode, Report

CHART_WIDTH = 460
FONT = "DejaVu Sans"
LIGHT_COLOURS = lights.FILL
COUNT = "count"  # monitoring.models.Measure.COUNT: whole people, cases, reports
MAX_TICKS = 6


def integer_ticks(highest: float, max_ticks: int = MAX_TICKS) -> list[int]:
    """Whole-number ticks from 0 up to at least ``highest``, at most ``max_ticks`` of them, with
    a step of 1, 2 or 5 times a power of ten.

    Vega's own ticks split a small range into halves (0, 0.5, 1…), and the "d" format then
    rounds them to 0, 1, 1, 2, 2; ``tickMinStep`` does not stop that in vl-convert, so counts
    get their tick values written out."""
    top = max(1, math.ceil(highest))
    power = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            if math.ceil(top / step) + 1 <= max_ticks:
                end = math.ceil(top / step) * step
                return list(range(0, end + 1, step))
        power *= 10


def _integer_axis(encoding: dict[str, Any], highest: float) -> None:
    """Make a quantitative channel show only whole numbers, from zero."""
    ticks = integer_ticks(highest)
    encoding.setdefault("axis", {}).update({"values": ticks, "format": ",d"})
    encoding["scale"] = {**encoding.get("scale", {}), "domain": [0, ticks[-1]], "nice": False}


def indicator_spec(indicator: IndicatorNode) -> dict[str, Any] | None:
    """Approved values against targets for the indicator's periods up to the report's end."""
    points = [
        charts.PeriodPoint(
            label=row.label,
            display=row.display,
            start=row.start.isoformat(),
            target=row.target,
            value=row.value,
        )
        for row in indicator.history
    ]
    if not any(p.value is not None or p.target is not None for p in points):
        return None
    spec = charts.progress_spec(
        points,
        baseline=indicator.baseline,
        unit=indicator.unit,
        title=indicator.name[:90],
        width=CHART_WIDTH,
    )
    spec["height"] = 180
    spec["title"] = {"text": indicator.name[:90], "fontSize": 11, "limit": CHART_WIDTH}
    numbers = [row["valor"] for row in spec["data"]["values"] if row["valor"] is not None]
    if indicator.measure == COUNT and numbers and min(numbers) >= 0:
        _integer_axis(spec["encoding"]["y"], max(numbers))
    return spec


def summary_spec(report: Report) -> dict[str, Any] | None:
    """Indicators per traffic light and state: the stacked bars of ``breakdown_spec``, coloured by
    light."""
    items = []
    for state in report.states:
        for colour, count in state.indicator_counts().items():
            if count:
                items.append((state.name, str(rules.LABELS[colour]), count))
    if not items:
        return None
    order = [state.name for state in report.states]
    spec = charts.breakdown_spec(
        charts.breakdown_rows(items),
        order=order,
        unit="Indicadores",
        title="Indicadores por semáforo",
        width=CHART_WIDTH,
    )
    spec["encoding"]["color"]["scale"] = {
        "domain": [str(rules.LABELS[c]) for c in rules.COLOURS],
        "range": [LIGHT_COLOURS[c] for c in rules.COLOURS],
    }
    spec["width"] = {"step": 48}
    # Few bars make a narrow chart that would cut its title off: the document captions it instead.
    spec.pop("title", None)
    # Whole indicators on the axis: the tallest bar is a state's count of indicators.
    _integer_axis(
        spec["encoding"]["y"], max(sum(s.indicator_counts().values()) for s in report.states)
    )
    spec["encoding"]["color"]["sort"] = [str(rules.LABELS[c]) for c in rules.COLOURS]
    return spec


def _plain(spec: dict[str, Any]) -> dict[str, Any]:
    # Labels may be lazy translations; vl-convert accepts plain JSON only.
    spec = json.loads(json.dumps(spec, default=str))
    # Measure text with the font the PDF draws it with, so labels and legends are not clipped.
    spec.setdefault("config", {})["font"] = FONT
    return spec


def to_svg(spec: dict[str, Any]) -> str:
    # No base URL is allowed: the data is inline and nothing may be fetched.
    return vl_convert.vegalite_to_svg(_plain(spec), allowed_base_urls=[])


def to_png(spec: dict[str, Any]) -> bytes:
    return vl_convert.vegalite_to_png(_plain(spec), scale=2, allowed_base_urls=[])


# A chart takes about a quarter of a second to render; a national report has thousands of
# indicators. National reports chart each state's lights (the summary), state reports chart
# their first CHART_LIMIT indicators with data; every indicator keeps its table either way.
CHART_LIMIT = 40


def charted_indicators(report) -> set:
    """Codes of the indicators that get a chart in this report."""
    if report.kind == NATIONAL:
        return set()
    codes = []
    for state in report.states:
        for indicator in state.indicators():
            if indicator.rows and indicator.code not in codes:
                codes.append(indicator.code)
    return set(codes[:CHART_LIMIT])
