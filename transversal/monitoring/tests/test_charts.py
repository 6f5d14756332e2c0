"""Indicator chart specs (monitoring.charts): periods without an approved value break the line."""

from __future__ import annotations

import re
from decimal import Decimal

from transversal.monitoring import charts

QUARTERS = ["2024-T3", "2024-T4", "2025-T1", "2025-T2", "2025-T3", "2025-T4"]


def points(values: dict[str, int | None], targets: dict[str, int | None] | None = None):
    targets = targets or {}
    return [
        charts.PeriodPoint(
            label=label,
            display=label,
            start=f"{label[:4]}-{(int(label[-1]) - 1) * 3 + 1:02d}-01",
            target=None if targets.get(label) is None else Decimal(targets[label]),
            value=None if values.get(label) is None else Decimal(values[label]),
        )
        for label in QUARTERS
    ]


def approved(spec: dict) -> list[tuple[str, float | None]]:
    return [
        (row["periodo"], row["valor"])
        for row in spec["data"]["values"]
        if row["serie"] == charts.SERIES_ACTUAL
    ]


def test_three_unreported_quarters_between_two_values_are_plotted_as_nulls():
    spec = charts.progress_spec(
        points({"2024-T3": 74, "2025-T3": 140}), baseline=None, unit="personas", title="Prueba"
    )
    assert approved(spec) == [
        ("2024-T3", 74.0),
        ("2024-T4", None),
        ("2025-T1", None),
        ("2025-T2", None),
        ("2025-T3", 140.0),
    ]
    assert spec["encoding"]["x"]["sort"] == QUARTERS[:5]


def test_the_drawn_line_stops_at_the_gap_and_starts_again_after_it():
    import vl_convert

    spec = charts.progress_spec(
        points({"2024-T3": 74, "2024-T4": 80, "2025-T3": 140, "2025-T4": 150}),
        baseline=None,
        unit="personas",
        title="Prueba",
        width=400,
    )
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])
    lines = re.findall(r'<g class="mark-line [^>]*><path d="([^"]+)"', svg)
    assert len(lines) == 1  # one series: approved values
    # Two pieces (74 → 80, then 140 → 150), not one path joining 80 to 140.
    assert len(re.findall(r"M", lines[0])) == 2, lines[0]


def test_periods_before_the_first_and_after_the_last_figure_are_left_out():
    spec = charts.progress_spec(
        points({"2025-T1": 10, "2025-T2": 12}), baseline=Decimal(5), unit="casos", title="Prueba"
    )
    assert approved(spec) == [("2025-T1", 10.0), ("2025-T2", 12.0)]
    assert spec["encoding"]["x"]["sort"] == ["2025-T1", "2025-T2"]
    assert {row["periodo"] for row in spec["data"]["values"]} == {"2025-T1", "2025-T2"}


def test_an_approved_series_that_ends_before_the_targets_do_is_not_padded_with_nulls():
    spec = charts.progress_spec(
        points({"2024-T3": 74}, targets=dict.fromkeys(QUARTERS, 100)),
        baseline=None,
        unit="personas",
        title="Prueba",
    )
    assert approved(spec) == [("2024-T3", 74.0)]
    assert spec["encoding"]["x"]["sort"] == QUARTERS


def test_a_missing_target_between_two_targets_breaks_the_target_line_too():
    spec = charts.progress_spec(
        points({}, targets={"2024-T3": 100, "2025-T1": 120}),
        baseline=None,
        unit="personas",
        title="Prueba",
    )
    targets = [
        (row["periodo"], row["valor"])
        for row in spec["data"]["values"]
        if row["serie"] == charts.SERIES_TARGET
    ]
    assert targets == [("2024-T3", 100.0), ("2024-T4", None), ("2025-T1", 120.0)]


def test_nothing_to_plot_gives_no_rows():
    assert charts.progress_rows(points({}), baseline=Decimal(3)) == []


def test_a_spec_describes_itself_in_the_readers_language_without_the_librarys_aria():
    from django.utils import translation

    with translation.override("en"):
        spec = charts.progress_spec(
            points({"2024-T3": 74}, {"2024-T3": 100}),
            baseline=Decimal(50),
            unit="people",
            title="Trained people",
            description="Approved values against the target",
        )
    assert spec["description"] == "Approved values against the target"
    assert spec["config"]["aria"] is False
    assert {row["serie"] for row in spec["data"]["values"]} == {
        "Approved value",
        "Target",
        "Baseline",
    }
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Approved value", "Target", "Baseline"]
    assert [t["title"] for t in spec["encoding"]["tooltip"]] == ["Period", "Series", "people"]


def test_a_breakdown_spec_is_described_by_its_title_by_default():
    spec = charts.breakdown_spec(
        charts.breakdown_rows([("2025-T1", "Mujeres", Decimal(4))]),
        order=["2025-T1"],
        unit="personas",
        title="Personas · Sexo",
    )
    assert spec["description"] == "Personas · Sexo"
    assert spec["config"] == {"aria": False}
    assert [t["title"] for t in spec["encoding"]["tooltip"]] == ["Periodo", "Categoría", "personas"]
