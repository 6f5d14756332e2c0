"""report_selectors: what the reports read of the improvement step (the world of
``report_world``), each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.accounts.access import scope_for
from transversal.accounts.models import Role
from transversal.conftest import make_member
from transversal.improvement.models import Evaluation, ImprovementAction
from transversal.improvement.report_selectors import (
    ActionLine,
    EvaluationLine,
    institute_cycles,
    state_actions,
    state_evaluations,
    state_institute,
    synthetic_states,
)
from transversal.improvement.selectors import state_improvement
from transversal.improvement.tests.report_world import (
    AUDIT,
    DESIGN,
    FAR_AHEAD,
    KNOWN,
    LONG_ASM,
    action,
    add_improvement,
    evaluation,
    finding,
    grow_improvement,
)
from transversal.institutions.models import InstitutionKind
from transversal.institutions.services import institution_create
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 15)


@pytest.fixture
def world(durango, zacatecas):
    return add_improvement(durango, zacatecas)


def _unit():
    return institution_create(
        actor=None,
        slug="unidad-genero-salud-dgo",
        kind=InstitutionKind.GENDER_UNIT,
        state=State.objects.get(code="10"),
        name="Unidad de Igualdad de Género",
        acronym="UIG",
        agency_name="Secretaría de Salud",
    )


def test_the_world_is_the_one_its_docstring_counts(world, durango):
    assert state_improvement(2025, TODAY, [durango.state_id])[durango.state_id] == KNOWN


def test_a_states_institute_is_its_imef_with_its_names(world, durango, zacatecas):
    _unit()  # another institution of the state
    assert state_institute(durango.state_id) == durango
    assert state_institute(State.objects.get(code="01").pk) is None


def test_the_institutes_cycle_comes_once_a_year(world, durango):
    cycles = institute_cycles(durango, [2024, 2025], TODAY)

    assert [c.year for c in cycles] == [2024, 2025]
    earlier, later = cycles
    assert (earlier.verify["evaluations"], earlier.improve["total"]) == (1, 1)
    assert later.verify["evaluations"] == 2
    assert {key: later.improve[key] for key in ("total", "open", "overdue", "verified")} == {
        "total": 5,
        "open": 2,
        "overdue": 1,
        "verified": 1,
    }


def test_the_years_evaluations_come_with_their_findings_counted(world, durango):
    assert state_evaluations(durango.state_id, [2025]) == [
        EvaluationLine(
            year=2025,
            title=DESIGN,
            institution="Instituto Estatal de las Mujeres (IEM; Durango)",
            kind="De diseño",
            evaluator="Universidad Juárez del Estado de Durango",
            started_on=dt.date(2025, 2, 3),
            ended_on=dt.date(2025, 5, 30),
            findings=3,  # the dismissed one aside
        ),
        EvaluationLine(
            year=2025,
            title=AUDIT,
            institution="Instituto Estatal de las Mujeres (IEM; Durango)",
            kind="Auditoría",
            evaluator="Órgano Interno de Control",
            started_on=dt.date(2025, 9, 1),
            ended_on=None,
            findings=0,
        ),
    ]
    assert [e.title for e in state_evaluations(durango.state_id, [2024, 2025])][0] == (
        "Evaluación de procesos 2024"
    )
    assert state_evaluations(durango.state_id, [2026]) == []


def test_the_years_asm_come_with_responsibles_status_and_verification(world, durango):
    lines = state_actions(durango.state_id, [2025], TODAY)

    assert [line.label for line in lines] == [
        "ASM H-2025-01.1",
        "ASM H-2025-01.2",
        "ASM H-2025-02.1",
        "ASM H-2025-02.2",
        "ASM H-2025-02.3",
    ]
    assert lines[0] == ActionLine(
        label="ASM H-2025-01.1",
        text=LONG_ASM,
        kind="Específico",
        priority="Alta",
        responsible=(
            "Instituto Estatal de las Mujeres (IEM; Durango); "
            "Secretaría de las Mujeres (SEMUJER; Zacatecas) (Ana Torres)"
        ),
        due_date=dt.date(2025, 6, 30),
        status="Abierto",
        overdue=True,
        verified_on=None,
    )
    assert [(line.status, line.overdue, line.verified_on) for line in lines[1:]] == [
        ("En proceso", False, None),
        ("Verificado", False, dt.date(2025, 8, 15)),
        ("Cancelado", False, None),
        ("Atendido", False, None),
    ]
    assert [(line.kind, line.priority) for line in lines[1:4]] == [
        ("Institucional", "Media"),
        ("Interinstitucional", "Baja"),
        ("Intergubernamental", "Alta"),
    ]
    assert not state_actions(durango.state_id, [2025], dt.date(2025, 6, 30))[0].overdue


def test_another_states_asm_and_years_stay_out(world, durango, zacatecas):
    assert state_actions(zacatecas.state_id, [2025], TODAY) == []  # co-owning is not owning
    assert [line.label for line in state_actions(durango.state_id, [2024], TODAY)] == [
        "ASM H-2024-01.1"
    ]


def test_a_member_of_another_institution_of_the_state_reads_only_what_concerns_it(world, durango):
    unit = _unit()
    own = evaluation(unit, "Evaluación de la unidad de género", "internal", dt.date(2025, 3, 3))
    action(finding(unit, own), unit, kind="specific", priority="low", due=FAR_AHEAD)
    action(world["finding"], unit, kind="interinstitutional", priority="low", due=FAR_AHEAD)
    scope = scope_for(make_member("unidad@prueba.test", unit, Role.VIEWER))

    assert [e.title for e in state_evaluations(durango.state_id, [2025], scope)] == [
        "Evaluación de la unidad de género"
    ]
    assert [line.label for line in state_actions(durango.state_id, [2025], TODAY, scope)] == [
        "ASM H-2025-01.3",  # the institute's finding, the unit answers for it
        "ASM H-2025-01.1",  # the unit's own finding
    ]
    everyone = state_actions(durango.state_id, [2025], TODAY)
    assert len(everyone) == 7


def test_demo_records_mark_their_state(world, durango, zacatecas):
    assert synthetic_states([2025]) == set()
    Evaluation.objects.filter(pk=world["audit"].pk).update(is_synthetic=True)
    assert synthetic_states([2025]) == {durango.state_id}
    assert synthetic_states([2025], [zacatecas.state_id]) == set()
    assert synthetic_states([2025], []) == set()
    Evaluation.objects.update(is_synthetic=False)
    ImprovementAction.objects.filter(pk=world["verified"].pk).update(is_synthetic=True)
    assert synthetic_states([2025]) == {durango.state_id}
    assert synthetic_states([2024]) == set()
    lines = state_actions(durango.state_id, [2025], TODAY)
    assert [line.label for line in lines if line.is_synthetic] == ["ASM H-2025-02.1"]


def test_each_read_takes_a_fixed_number_of_queries(world, durango, zacatecas):
    state_id = durango.state_id

    def counts() -> list[int]:
        found = []
        for read in (
            lambda: state_institute(state_id),
            lambda: institute_cycles(durango, [2024, 2025], TODAY),
            lambda: state_evaluations(state_id, [2025]),
            lambda: state_actions(state_id, [2025], TODAY),
            lambda: synthetic_states([2025]),
        ):
            with CaptureQueriesContext(connection) as queries:
                read()
            found.append(len(queries))
        return found

    small = counts()
    grow_improvement(durango, zacatecas)
    assert len(state_actions(state_id, [2025], TODAY)) == 11
    # institute and its names (2); the cycle, eight a year (declared plans, plans with their
    # items counted, periods by status, lights, reviews, evaluations, ASM, findings);
    # evaluations and their institutions' names (2); ASM with finding and follow-up, owners'
    # names, co-owners and their names (4); demo states (1).
    assert counts() == small == [2, 2 * 8, 2, 4, 1]
