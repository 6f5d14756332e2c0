"""A state's systems with their year's figures (the state dashboard's panel lists them), and the
states that have a system at all (the national view tells "no system" from "nothing this year")."""

from __future__ import annotations

import datetime as dt

import pytest

from transversal.accounts.access import scope_for
from transversal.coordination import services
from transversal.coordination.selectors import (
    state_coordination,
    state_systems_year,
    states_with_systems,
)
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.coordination.tests.test_selectors import TODAY, _durango_year

pytestmark = pytest.mark.django_db

FIGURES = (
    "sessions_planned",
    "sessions_held",
    "sessions_overdue",
    "acuerdos",
    "acuerdos_overdue",
    "acuerdos_fulfilled",
)


def figures(system) -> dict[str, int]:
    return {name: getattr(system, name) for name in FIGURES}


def test_each_system_counts_its_year_as_the_state_summary_does(durango, coordinator):
    equality = _durango_year(durango)
    violence = make_system(durango, acronym="SEPASEV")
    (system_a, system_b) = state_systems_year(scope_for(coordinator), durango.state_id, 2026, TODAY)
    assert {system_a.pk, system_b.pk} == {equality.pk, violence.pk}
    rows = {s.pk: figures(s) for s in (system_a, system_b)}
    assert rows[equality.pk] == {
        "sessions_planned": 3,
        "sessions_held": 1,
        "sessions_overdue": 1,
        "acuerdos": 4,
        "acuerdos_overdue": 1,
        "acuerdos_fulfilled": 2,
    }
    assert rows[violence.pk] == dict.fromkeys(FIGURES, 0)
    summary = state_coordination(2026, TODAY)[durango.state_id]
    assert {name: getattr(summary, name) for name in FIGURES} == rows[equality.pk]


def test_acuerdos_of_several_sessions_are_counted_once_each(durango, coordinator):
    system = make_system(durango)
    for month in (2, 3):
        session = make_session(system, dt.date(2025, month, 10))
        services.session_hold(actor=None, session=session)
        for n in range(3):
            make_resolution(session, durango, due=dt.date(2025, 6, 30), text=f"{month}-{n}")
    (row,) = state_systems_year(scope_for(coordinator), durango.state_id, 2025, TODAY)
    assert (row.sessions_planned, row.sessions_held, row.acuerdos, row.acuerdos_overdue) == (
        2,
        2,
        6,
        6,
    )


def test_it_keeps_to_the_state_and_to_what_the_person_reads(durango, zacatecas, outsider, editor):
    _durango_year(durango)
    make_system(zacatecas, acronym="SEIZ")
    assert [s.acronym for s in state_systems_year(scope_for(editor), durango.state_id, 2026, TODAY)]
    assert state_systems_year(scope_for(outsider), durango.state_id, 2026, TODAY) == []
    assert [
        s.acronym for s in state_systems_year(scope_for(outsider), zacatecas.state_id, 2026, TODAY)
    ] == ["SEIZ"]


def test_the_rows_cost_one_query_whatever_their_number(
    durango, coordinator, django_assert_num_queries
):
    _durango_year(durango)
    scope = scope_for(coordinator)
    scope.institution_ids()  # the scope is the caller's, computed before
    with django_assert_num_queries(1):
        state_systems_year(scope, durango.state_id, 2026, TODAY)
    _durango_year(durango)
    with django_assert_num_queries(1):
        assert len(state_systems_year(scope, durango.state_id, 2026, TODAY)) == 2


def test_it_knows_which_states_have_a_system(durango, zacatecas):
    assert states_with_systems() == set()
    make_system(durango)
    make_system(durango, acronym="SEPASEV")
    assert states_with_systems() == {durango.state_id}
