"""``Indicator.latest_approved``: the current approved report of the latest period that has one,
kept with the light by every approval and correction, so pages need no subquery per row."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transversal.monitoring.models import Indicator
from transversal.monitoring.services import update_correct
from transversal.monitoring.tests.factories import approved, indicator_with_calendar

pytestmark = pytest.mark.django_db


def _latest(indicator) -> tuple:
    row = Indicator.objects.select_related("latest_approved__period").get(pk=indicator.pk)
    latest = row.latest_approved
    return (latest.period.label, latest.value, row.light) if latest else (None, None, row.light)


def test_each_approval_moves_it_to_the_latest_period_not_the_latest_approved(durango):
    indicator = indicator_with_calendar(durango)
    assert _latest(indicator) == (None, None, "no_data")
    approved(indicator, "2025-T2", Decimal(10))
    assert _latest(indicator) == ("2025-T2", Decimal(10), "red")
    approved(indicator, "2025-T1", Decimal(95))  # an earlier period approved later
    assert _latest(indicator) == ("2025-T2", Decimal(10), "red")


def test_a_correction_in_progress_falls_back_to_the_period_before(durango):
    indicator = indicator_with_calendar(durango)
    approved(indicator, "2025-T1", Decimal(95))
    second = approved(indicator, "2025-T2", Decimal(10))
    update_correct(actor=None, update=second, reason="Se duplicaron registros")
    assert _latest(indicator) == ("2025-T1", Decimal(95), "green")
