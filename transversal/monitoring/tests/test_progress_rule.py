"""The sheet's progress rule in the stored figures: basis, accumulation, recomputation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from transversal.audit.models import AuditEvent
from transversal.monitoring.models import ProgressUpdate
from transversal.monitoring.services import indicator_update
from transversal.monitoring.tests.factories import approved, indicator_with_calendar

pytestmark = pytest.mark.django_db


def test_by_default_a_value_is_compared_with_its_target_not_with_the_baseline(durango):
    indicator = indicator_with_calendar(
        durango, baseline_value=Decimal(120), targets={"2025-T1": 134}
    )

    update = approved(indicator, value=Decimal(74))

    assert (update.progress, update.light, update.below_baseline) == (Decimal("55.2"), "red", False)


def test_on_the_baseline_basis_a_value_below_it_is_zero_and_said_so(durango):
    indicator = indicator_with_calendar(
        durango,
        baseline_value=Decimal(120),
        targets={"2025-T1": 134},
        progress_basis="baseline",
    )

    update = approved(indicator, value=Decimal(74))

    assert (update.progress, update.light, update.below_baseline) == (Decimal(0), "red", True)


def test_a_cumulative_indicator_adds_the_years_approved_values_to_date(durango):
    indicator = indicator_with_calendar(
        durango, targets={"2025-T1": 10, "2025-T2": 40}, accumulation="cumulative"
    )

    approved(indicator, "2025-T1", value=Decimal(10))
    second = approved(indicator, "2025-T2", value=Decimal(20))

    assert (second.progress, second.light) == (Decimal("75.0"), "yellow")  # (10 + 20) / 40


def test_changing_the_rule_on_the_sheet_recomputes_approved_lights_and_roll_ups(durango):
    indicator = indicator_with_calendar(
        durango, baseline_value=Decimal(120), targets={"2025-T1": 134}
    )
    update = approved(indicator, value=Decimal(130))  # 97.0 % of the target: green
    assert update.light == "green"

    indicator_update(actor=None, indicator=indicator, progress_basis="baseline")

    update.refresh_from_db()
    indicator.refresh_from_db()
    assert (update.progress, update.light) == (Decimal("71.4"), "yellow")  # 10 of 14
    assert indicator.light == "yellow"


def test_saving_an_unchanged_sheet_changes_nothing(durango, client_for, editor):
    indicator = indicator_with_calendar(durango, baseline_value=Decimal(40))
    before = AuditEvent.objects.filter(verb="indicator.update").count()

    changes = indicator_update(
        actor=editor, indicator=indicator, baseline_value=Decimal(40), threshold_green=90
    )

    assert changes == {}
    assert AuditEvent.objects.filter(verb="indicator.update").count() == before


def test_the_period_page_states_the_rule_beside_the_legend(durango, client_for, editor):
    indicator = indicator_with_calendar(durango, progress_basis="baseline")
    url = reverse("monitoring:period", args=[indicator.code, "2025-T1"])

    page = client_for(editor).get(url).content.decode()

    assert "parte lograda del cambio planeado desde la línea base" in page
    assert not ProgressUpdate.objects.exists()
