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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The series' names are shown (legend, tooltip, the table beside the chart): in the reader's
# language, read when a spec is built.
SERIES_ACTUAL = gettext_lazy("Valor aprobado")
SERIES_TARGET = gettext_lazy("Meta")
SERIES_BASELINE = gettext_lazy("Línea base")
SERIES = (SERIES_ACTUAL, SERIES_TARGET, SERIES_BASELINE)
# Colour-blind safe pair, and the series are also told apart by dash and point shape.
COLOURS = ("#0b57a4", "#b35900", "#5f6368")  # in the order of SERIES


def describe(description: str | None, title: str) -> dict[str, Any]:
    """What a chart says to assistive technology, in the reader's language: the spec's
    description (Vega puts it on the chart's container instead of «Vega visualization») and no
    ARIA of marks, axes and legends, whose generated descriptions are English (the data table
    beside each chart tells the same)."""
    return {"description": description or title, "config": {"aria": False}}


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
                        "serie": str(series),
                        "valor": _number(number),
                    }
                )
        if baseline is not None:
            rows.append(
                {
                    "periodo": point.display,
                    "inicio": point.start,
                    "serie": str(SERIES_BASELINE),
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
    description: str | None = None,
) -> dict[str, Any]:
    """Approved values against targets and the baseline, period by period. ``description``
    (the title by default) is what assistive technology reads for the chart."""
    rows = progress_rows(points, baseline)
    order = [p.display for p in plotted(points)]
    present = [i for i, s in enumerate(SERIES) if any(r["serie"] == str(s) for r in rows)]
    series = [str(SERIES[i]) for i in present]
    colours = [COLOURS[i] for i in present]
    aria = describe(description, title)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": aria["description"],
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
                "scale": {"domain": series, "range": colours},
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
                {"field": "periodo", "title": _("Periodo")},
                {"field": "serie", "title": _("Serie")},
                {"field": "valor", "title": unit, "format": ",.2~f"},
            ],
        },
        "config": {
            **aria["config"],
            "locale": {
                "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
            },
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
    description: str | None = None,
) -> dict[str, Any]:
    """Approved values split by a disaggregation (e.g. sex), stacked per period."""
    categories = list(dict.fromkeys(row["categoria"] for row in rows))
    aria = describe(description, title)
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "description": aria["description"],
        "config": aria["config"],
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
                {"field": "periodo", "title": _("Periodo")},
                {"field": "categoria", "title": _("Categoría")},
                {"field": "valor", "title": unit, "format": ",.2~f"},
            ],
        },
    }
