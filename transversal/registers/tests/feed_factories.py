"""An indicator fed by a register, for the feeds' tests."""

from __future__ import annotations

import datetime as dt

from transversal.monitoring.services import indicator_create, periods_generate
from transversal.registers.models import IndicatorFeed

NAME = "Personas del servicio público capacitadas"


def fed_indicator(
    owner,
    *,
    register="training",
    aggregation="people",
    filters=None,
    measure="count",
    disaggregations=(),
    **sheet,
):
    """A quarterly 2026 indicator of ``owner`` whose value comes from ``register`` (the feed is
    stored directly: ``feed_save`` has its own tests)."""
    indicator = indicator_create(
        actor=None,
        owner=owner,
        name=sheet.pop("name", NAME),
        unit=sheet.pop("unit", "personas"),
        measure=measure,
        frequency="quarterly",
        direction="ascending",
        disaggregations=list(disaggregations),
        **sheet,
    )
    periods_generate(
        actor=None, indicator=indicator, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    if register:
        IndicatorFeed.objects.create(
            indicator=indicator, register=register, aggregation=aggregation, filters=filters or {}
        )
    return indicator


def quarter(indicator, number: int = 1):
    period = indicator.periods.select_related("indicator__owner").get(label=f"2026-T{number}")
    return period
