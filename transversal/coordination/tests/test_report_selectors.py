from __future__ import annotations

import datetime as dt

import pytest

from transversal.accounts.access import scope_for
from transversal.coordination import services
from transversal.coordination.models import System
from transversal.coordination.report_selectors import (
    SystemCount,
    overdue_acuerdos,
    state_systems,
    systems_per_state,
)
from transversal.coordination.selectors import Quorum
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.models import FollowUp

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 12, 1)


def _set(resolution, **fields):
    FollowUp.objects.filter(pk=resolution.followup_id).update(**fields)


def _attend(session, *institutions_or_names):
    """Record as present the members whose institution or name is given."""
    members = services.session_members(session)
    present = {
        m.pk
        for m in members
        if m.institution in institutions_or_names or m.name in institutions_or_names
    }
    services.attendance_record(actor=None, session=session, present=present, represented_by={})


def _durango_2025(durango, zacatecas):
    """SEI with four voting members (the IEM, Zacatecas's institute, a civil society network):
    O-1 held with the IEM and Zacatecas present, O-2 held without attendance, O-3 planned and
    its date passed, O-4 in 2026."""
    system = make_system(durango, members=[zacatecas])
    first = make_session(system, dt.date(2025, 2, 10))
    _attend(first, durango, zacatecas)
    services.session_hold(actor=None, session=first)
    second = make_session(system, dt.date(2025, 6, 10))
    services.session_hold(actor=None, session=second)
    make_session(system, dt.date(2025, 10, 10))
    make_session(system, dt.date(2026, 2, 10))
    return system, first, second


def test_a_states_systems_come_with_their_sessions_of_the_years_and_held_ones_quorum(
    durango, zacatecas, national
):
    _durango_2025(durango, zacatecas)
    make_system(zacatecas, acronym="SEIZ")  # another state's
    national_system = services.system_create(
        actor=None,
        name="Sistema Nacional para la Igualdad entre Mujeres y Hombres",
        acronym="SNIMH",
        topic="equality",
        level="national",
        secretariat=national,
        legal_instrument="Ley General para la Igualdad entre Mujeres y Hombres",
    )
    make_session(national_system, dt.date(2025, 3, 1))

    [system] = state_systems(durango.state_id, [2025], TODAY)

    assert (system.acronym, system.legal_instrument, system.legal_date) == (
        "SEI",
        "Ley de Igualdad del Estado",
        dt.date(2010, 3, 1),
    )
    assert system.level == "Estatal"
    assert [(s.label, s.date, s.status, s.overdue) for s in system.sessions] == [
        ("O-1", dt.date(2025, 2, 10), "Celebrada", False),
        ("O-2", dt.date(2025, 6, 10), "Celebrada", False),
        ("O-3", dt.date(2025, 10, 10), "Programada", True),
    ]
    first, second, third = system.sessions
    # Three with a vote (the IEM, Zacatecas, the network): more than 50 % is 2.
    assert first.quorum == Quorum(voting=3, present=2, required=2) and first.quorum.met
    assert second.held and second.quorum is None  # no attendance recorded
    assert not third.held and third.quorum is None
    assert [s.label for s in state_systems(durango.state_id, [2025, 2026], TODAY)[0].sessions][
        -1
    ] == "O-1"  # 2026's first ordinary session


def test_a_member_who_left_before_a_session_does_not_count_for_its_quorum(durango, zacatecas):
    system = make_system(durango, members=[zacatecas])
    member = system.members.get(institution=zacatecas)
    services.member_end(actor=None, member=member, left_on=dt.date(2025, 1, 31), reason="Baja")
    session = make_session(system, dt.date(2025, 2, 10))
    _attend(session, durango)
    services.session_hold(actor=None, session=session)

    [line] = state_systems(durango.state_id, [2025], TODAY)[0].sessions

    assert line.quorum == Quorum(voting=2, present=1, required=2) and not line.quorum.met


def test_a_state_without_systems_has_none(durango, zacatecas):
    _durango_2025(durango, zacatecas)
    assert state_systems(zacatecas.state_id, [2025], TODAY) == []


def test_overdue_acuerdos_are_the_years_open_ones_past_their_due_date_oldest_due_first(
    durango, zacatecas
):
    system, first, second = _durango_2025(durango, zacatecas)
    later = make_resolution(second, durango, due=dt.date(2025, 9, 30), text="Publicar el informe")
    earlier = services.resolution_add(
        actor=None,
        session=first,
        text="Instalar la comisión de presupuesto con perspectiva de género",
        owner=durango,
        co_owners=[zacatecas],
        responsible_person="Ana Torres",
        due_date=dt.date(2025, 4, 30),
    )
    verified = make_resolution(first, durango, due=dt.date(2025, 3, 31), text="Aprobar")
    _set(verified, status="verified", closed_on=dt.date(2025, 3, 1))
    make_resolution(first, durango, due=dt.date(2026, 3, 31), text="Aún a tiempo")
    old = make_resolution(
        make_session(system, dt.date(2024, 5, 5)), durango, due=dt.date(2024, 6, 1), text="Viejo"
    )

    found = overdue_acuerdos(durango.state_id, [2025], TODAY)

    assert [a.folio for a in found] == [earlier.folio, later.folio]
    assert old.folio not in [a.folio for a in found]  # adopted in 2024
    item = found[0]
    assert item.folio == "SEI/2025/O-1/01" and item.system == "SEI"
    assert item.text == "Instalar la comisión de presupuesto con perspectiva de género"
    assert item.due_date == dt.date(2025, 4, 30)
    assert item.responsible == (
        "Instituto Estatal de las Mujeres (IEM; Durango); "
        "Secretaría de las Mujeres (SEMUJER; Zacatecas) (Ana Torres)"
    )


def test_people_of_another_state_read_none_of_its_systems_or_acuerdos(durango, zacatecas, outsider):
    _system, first, _second = _durango_2025(durango, zacatecas)
    make_resolution(first, durango, due=dt.date(2025, 4, 30))
    scope = scope_for(outsider)  # Zacatecas's institute, which sits on Durango's SEI

    assert [s.acronym for s in state_systems(durango.state_id, [2025], TODAY, scope)] == ["SEI"]
    services.member_end(
        actor=None,
        member=first.system.members.get(institution=zacatecas),
        left_on=dt.date(2025, 11, 1),
        reason="Baja",
    )
    scope = scope_for(outsider)
    assert state_systems(durango.state_id, [2025], TODAY, scope) == []
    assert overdue_acuerdos(durango.state_id, [2025], TODAY, scope) == []
    assert systems_per_state(scope) == {}


def test_systems_per_state_counts_state_and_municipal_systems(durango, zacatecas):
    make_system(durango)
    make_system(durango, acronym="SEPASEV")
    make_system(zacatecas, acronym="SEIZ")

    System.objects.filter(acronym="SEPASEV").update(is_synthetic=True)

    assert systems_per_state() == {
        durango.state_id: SystemCount(total=2, synthetic=1),
        zacatecas.state_id: SystemCount(total=1, synthetic=0),
    }


def test_demo_systems_and_their_acuerdos_are_marked(durango, zacatecas):
    system, first, _second = _durango_2025(durango, zacatecas)
    make_resolution(first, durango, due=dt.date(2025, 4, 30))
    assert not state_systems(durango.state_id, [2025], TODAY)[0].is_synthetic
    System.objects.filter(pk=system.pk).update(is_synthetic=True)

    assert state_systems(durango.state_id, [2025], TODAY)[0].is_synthetic
    assert overdue_acuerdos(durango.state_id, [2025], TODAY)[0].is_synthetic


def test_the_reads_take_a_constant_number_of_queries(durango, zacatecas, django_assert_num_queries):
    system, first, second = _durango_2025(durango, zacatecas)
    services.resolution_add(
        actor=None,
        session=first,
        text="Uno",
        owner=durango,
        co_owners=[zacatecas],
        due_date=dt.date(2025, 4, 30),
    )

    def count():
        # systems, sessions with their acuerdos counted, voting members, attendance: 4
        with django_assert_num_queries(4):
            lines = state_systems(durango.state_id, [2025], TODAY)
        # acuerdos with their follow-up, owner and system; owners' names; co-owners; names: 4
        with django_assert_num_queries(4):
            overdue = overdue_acuerdos(durango.state_id, [2025], TODAY)
        with django_assert_num_queries(1):
            systems_per_state()
        return lines, overdue

    count()
    other = make_system(durango, acronym="SEPASEV", members=[zacatecas])
    for day in (dt.date(2025, 3, 3), dt.date(2025, 4, 4)):
        session = make_session(other, day)
        _attend(session, durango)
        services.session_hold(actor=None, session=session)
        services.resolution_add(
            actor=None,
            session=session,
            text="Otro",
            owner=zacatecas,
            co_owners=[durango],
            due_date=dt.date(2025, 5, 1),
        )
    make_resolution(second, zacatecas, due=dt.date(2025, 7, 1))
    lines, overdue = count()
    assert len(lines) == 2 and len(overdue) == 4
