"""Vega-Lite specifications for indicator charts: one spec, three outputs.

The same dictionaries are embedded in pages (rendered in the browser with the
bundle vl-convert-python ships), and converted to SVG/PNG on the server with
vl-convert for PDF and DOCX reports. Each builder also returns the rows it
plots, so every chart can have its data table beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SERIES_ACTUAL = "Valor aprobado"
SERIES_TARGET = "Meta"
SERIES_BASELINE = "Línea base"
# Colour-blind safe pair, and the series are also told apart by dash and point shape.
COLOURS = {SERIES_ACTUAL: "#0b57a4", SERIES_TARGET: "#b35900", SERIES_BASELINE: "#5f6368"}


@dataclass(frozen=True)
class PeriodPoint:
    label: str  # "2025-T4"
    display: str  # "4.º trimestre 2025"
    start: str  # ISO date
    target: Decimal | None
    value: Decimal | None  # approved value, or None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plotted(points: Sequence[PeriodPoint]) -> list[PeriodPoint]:
    """The periods from the first to the last one with a target or an approved value: the empty
    ones at either end are left out, those in between are kept so a gap shows as a gap."""
    filled = [i for i, p in enumerate(points) if p.value is not None or p.target is not None]
    return list(points[filled[0] : filled[-1] + 1]) if filled else []


def _span(numbers: Sequence[Decimal | None]) -> range:
    """Indexes from a series' first figure to its last: a missing one inside is a gap."""
    present = [i for i, n in enumerate(numbers) if n is not None]
    return range(present[0], present[-1] + 1) if present else range(0)


def progress_rows(points: Sequence[PeriodPoint], baseline: Decimal | None) -> list[dict[str, Any]]:
    """One row per period and series. A period without a figure between two that have one gets a
    row whose value is None (null in the spec): the line mark does not join over nulls, so three
    unreported quarters break the line instead of drawing a trend nobody reported."""
    points = plotted(points)
    spans = {
        SERIES_ACTUAL: _span([p.value for p in points]),
        SERIES_TARGET: _span([p.target for p in points]),
    }
    rows: list[dict[str, Any]] = []
    for index, point in enumerate(points):
        for series, number in ((SERIES_ACTUAL, point.value), (SERIES_TARGET, point.target)):
            if number is not None or index in spans[series]:
                rows.append(
                    {
                        "periodo": point.display,
                        "inicio": point.start,
                        "serie": series,
                        "valor": _number(number),
                    }
                )
        if baseline is not None:
            rows.append(
                {
                    "periodo": point.display,
                    "inicio": point.start,
                    "serie": SERIES_BASELINE,
                    "valor": _number(baseline),
                }
            )
    return rows


def progress_spec(
    points: Sequence[PeriodPoint],
    *,
    baseline: Decimal | None,
    unit: str,
    title: str,
    width: int | str = "container",
) -> dict[str, Any]:
    """Approved values against targets and the baseline, period by period."""
    rows = progress_rows(points, baseline)
    order = [p.display for p in plotted(points)]
    series = [
        s
        for s in (SERIES_ACTUAL, SERIES_TARGET, SERIES_BASELINE)
        if any(r["serie"] == s for r in rows)
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": width,
        "height": 260,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "periodo",
                "type": "ordinal",
                "sort": order,
                "title": None,
                "axis": {"labelAngle": -30},
            },
            "y": {"field": "valor", "type": "quantitative", "title": unit},
            "color": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [COLOURS[s] for s in series]},
            },
            "strokeDash": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [[1, 0], [6, 4], [2, 2]][: len(series)]},
            },
            "shape": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series},
            },
            "tooltip": [
                {"field": "periodo", "title": "Periodo"},
                {"field": "serie", "title": "Serie"},
                {"field": "valor", "title": unit, "format": ",.2~f"},
            ],
        },
        "config": {
            "locale": {
                "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
            }
        },
    }


def breakdown_rows(items: Iterable[tuple[str, str, Decimal]]) -> list[dict[str, Any]]:
    """(period display, category label, value) → rows."""
    return [{"periodo": p, "categoria": c, "valor": _number(v)} for p, c, v in items]


def breakdown_spec(
    rows: list[dict[str, Any]],
    *,
    order: Sequence[str],
    unit: str,
    title: str,
    width: int | str = "container",
) -> dict[str, Any]:
    """Approved values split by a disaggregation (e.g. sex), stacked per period."""
    categories = list(dict.fromkeys(row["categoria"] for row in rows))
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": width,
        "height": 220,
        "data": {"values": rows},
        "mark": "bar",
        "encoding": {
            "x": {
                "field": "periodo",
                "type": "ordinal",
                "sort": list(order),
                "title": None,
                "axis": {"labelAngle": -30},
            },
            "y": {"field": "valor", "type": "quantitative", "title": unit, "stack": "zero"},
            "color": {
                "field": "categoria",
                "type": "nominal",
                "title": None,
                "sort": categories,
                "scale": {"scheme": "tableau10", "domain": categories},
            },
            "tooltip": [
                {"field": "periodo"},
                {"field": "categoria"},
                {"field": "valor", "format": ",.2~f"},
            ],
        },
    }
