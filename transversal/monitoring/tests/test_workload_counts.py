"""The stored workload counts (waiting for review, overdue) move by each write's known difference
instead of a recount inside the write (issue 14, item 3), and always equal a full recount."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from transversal.monitoring.models import ProgressUpdate, ReportingPeriod, StateSummary
from transversal.monitoring.selectors import overdue_by_state, pending_by_state
from transversal.monitoring.services import (
    periods_generate,
    update_approve,
    update_correct,
    update_return,
    update_save,
    update_submit,
    workload_refresh,
)
from transversal.monitoring.tests.factories import indicator_with_calendar, second_pair_of_eyes

pytestmark = pytest.mark.django_db


def stored(state_id):
    row = StateSummary.objects.get(state_id=state_id)
    return row.pending, row.overdue


def recounted(state_id, today):
    periods = ReportingPeriod.objects.filter(indicator__owner__state_id=state_id)
    return pending_by_state(periods).get(state_id, 0), overdue_by_state(periods, today).get(
        state_id, 0
    )


@pytest.mark.parametrize("seed", range(6))
def test_random_writes_keep_the_counts_equal_to_a_recount(seed, durango, zacatecas, editor):
    rng = random.Random(seed)
    today = timezone.localdate()  # the day the services write on
    indicators = [indicator_with_calendar(durango, name=f"Indicador {n}") for n in range(2)]
    indicators.append(indicator_with_calendar(zacatecas, name="Zacatecas"))
    workload_refresh()
    reviewer = second_pair_of_eyes()
    for _step in range(40):
        indicator = rng.choice(indicators)
        period = rng.choice(list(indicator.periods.all()))
        current = ProgressUpdate.objects.filter(period=period, is_current=True).first()
        action = rng.choice(["save", "submit", "return", "approve", "correct", "periods"])
        try:
            if action == "save":
                update_save(
                    actor=editor,
                    period=period,
                    expected_version=current.version if current else None,
                    value=Decimal(rng.randint(1, 99)),
                )
            elif action == "submit" and current:
                update_submit(actor=editor, update=current, expected_version=current.version)
            elif action == "return" and current:
                update_return(actor=reviewer, update=current, comment="Revisar")
            elif action == "approve" and current:
                update_approve(actor=reviewer, update=current)
            elif action == "correct" and current:
                update_correct(actor=editor, update=current, reason="Corrección")
            elif action == "periods":
                year = rng.choice([2023, 2024, today.year + 1])
                periods_generate(
                    actor=None,
                    indicator=indicator,
                    start=dt.date(year, 1, 1),
                    end=dt.date(year, 6, 30),
                )
        except ValidationError:
            pass  # a refused write changes nothing, counts included
        for state_id in (durango.state_id, zacatecas.state_id):
            assert stored(state_id) == recounted(state_id, today), (seed, _step, action)


def test_a_submit_does_not_recount_the_states_periods(durango, editor):
    indicator = indicator_with_calendar(durango)
    for year in (2021, 2022, 2023, 2024):
        periods_generate(
            actor=None, indicator=indicator, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
        )
    workload_refresh()
    update = update_save(
        actor=editor, period=indicator.periods.first(), expected_version=None, value=Decimal(5)
    )
    with CaptureQueriesContext(connection) as captured:
        update_submit(actor=editor, update=update, expected_version=update.version)
    recounts = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]
    assert recounts == []
    summary = [q["sql"] for q in captured if "monitoring_statesummary" in q["sql"]]
    assert len(summary) == 1 and summary[0].upper().startswith("UPDATE")


def test_stale_counts_are_left_for_the_next_recount(durango, editor):
    indicator = indicator_with_calendar(durango)
    workload_refresh(today=dt.date(2020, 1, 1))  # counted on another day
    before = stored(durango.state_id)
    update = update_save(
        actor=editor, period=indicator.periods.first(), expected_version=None, value=Decimal(5)
    )
    update_submit(actor=editor, update=update, expected_version=update.version)
    assert stored(durango.state_id) == before
