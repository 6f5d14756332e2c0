"""A Vega-Lite spec for a state's series by sex, in the same shape as the indicator charts
(rendered in the browser by the dashboards' charts.js; the page carries the same data as a
table)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

# Colour-blind safe pair (women, men); the series are also told apart by dash and point shape.
COLOURS = ("#7b3294", "#008837")


def _series() -> tuple[str, str]:
    """The series' names in the page's language."""
    return _("Mujeres"), _("Hombres")


def sex_series_rows(points) -> list[dict[str, Any]]:
    women, men = _series()
    rows = []
    for point in points:
        for series, number in ((women, point.women), (men, point.men)):
            if number is not None:
                rows.append({"anio": str(point.year), "serie": series, "valor": float(number)})
    return rows


def sex_series_spec(points, *, unit: str, title: str) -> dict[str, Any]:
    rows = sex_series_rows(points)
    colours = dict(zip(_series(), COLOURS, strict=True))
    series = [s for s in _series() if any(r["serie"] == s for r in rows)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": "container",
        "height": 240,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "anio", "type": "ordinal", "title": None},
            "y": {"field": "valor", "type": "quantitative", "title": unit},
            "color": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [colours[s] for s in series]},
            },
            "strokeDash": {
                "field": "serie",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [[1, 0], [6, 4]][: len(series)]},
            },
            "shape": {"field": "serie", "type": "nominal", "title": None},
            "tooltip": [
                {"field": "anio", "title": _("Año")},
                {"field": "serie", "title": _("Sexo")},
                {"field": "valor", "title": unit, "format": ",.2~f"},
            ],
        },
        "config": {
            "locale": {
                "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}
            }
        },
    }
