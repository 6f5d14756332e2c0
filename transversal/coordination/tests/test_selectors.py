from __future__ import annotations

import datetime as dt

import pytest

from transversal.coordination import services
from transversal.coordination.selectors import StateCoordination, state_coordination
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.models import FollowUp

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)


def _set(resolution, **fields):
    FollowUp.objects.filter(pk=resolution.followup_id).update(**fields)


def _durango_year(durango):
    system = make_system(durango)
    held = make_session(system, dt.date(2026, 2, 10))
    services.session_hold(actor=None, session=held)
    make_session(system, dt.date(2026, 6, 10))  # planned, date passed: overdue
    make_session(system, dt.date(2026, 11, 10))  # planned, still ahead
    cancelled = make_session(system, dt.date(2026, 4, 10))
    services.session_cancel(actor=None, session=cancelled, reason="Sin quórum")
    make_session(system, dt.date(2025, 11, 10))  # another year
    on_time, late, overdue, ahead, dropped = (
        make_resolution(held, durango, due=dt.date(2026, 6, 30), text=str(n)) for n in range(5)
    )
    _set(on_time, status="verified", done_on=dt.date(2026, 6, 1), closed_on=dt.date(2026, 6, 5))
    _set(late, status="verified", done_on=None, closed_on=dt.date(2026, 7, 15))
    _set(ahead, due_date=dt.date(2026, 12, 31), status="in_progress")
    _set(dropped, status="cancelled", cancel_reason="Se fusionó con otro")
    return system


def test_a_states_year_counts_sessions_and_acuerdos_by_what_happened(durango):
    _durango_year(durango)
    summary = state_coordination(2026, TODAY)[durango.state_id]
    assert summary == StateCoordination(
        sessions_planned=3,
        sessions_held=1,
        sessions_overdue=1,
        acuerdos=4,
        acuerdos_open=2,
        acuerdos_overdue=1,
        acuerdos_fulfilled=2,
        acuerdos_on_time=1,
    )
    assert summary.on_time_percent == 25


def test_states_without_systems_are_absent_and_a_filter_keeps_to_the_states_asked(
    durango, zacatecas
):
    _durango_year(durango)
    assert state_coordination(2026, TODAY, [zacatecas.state_id]) == {}
    assert state_coordination(2024, TODAY) == {}
    assert StateCoordination().on_time_percent is None


def test_the_summary_costs_two_queries_whatever_the_number_of_states(
    durango, zacatecas, django_assert_num_queries
):
    _durango_year(durango)
    with django_assert_num_queries(2):
        state_coordination(2026, TODAY)
    make_system(zacatecas, acronym="SEIZ")
    _durango_year(zacatecas)
    with django_assert_num_queries(2):
        assert len(state_coordination(2026, TODAY)) == 2
