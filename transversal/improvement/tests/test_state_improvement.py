"""state_improvement: each state's evaluations, findings and ASM of a year, for the dashboards.

The known world (``improvement_year``), in 2025, for one institution: two evaluations (and one of
2024); findings H-2025-01 and -02 accepted, -03 proposed by the system and waiting, -04 dismissed;
ASM of H-2025-01: one open and due far ahead, one open and one in progress past their due date,
one attended and waiting for verification, one verified, one cancelled; one verified ASM of
H-2025-02; and a 2024 finding with its ASM, of another year.
→ 2 evaluations, 3 findings (1 proposed), 7 ASM: 3 open (2 overdue), 1 done, 2 verified,
  1 cancelled; 2 of the 6 kept verified: 33.3 %.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.followup.models import FollowUp
from transversal.improvement import services
from transversal.improvement.models import Finding
from transversal.improvement.selectors import StateImprovement, state_improvement
from transversal.institutions.models import InstitutionKind
from transversal.institutions.services import institution_create
from transversal.territory.models import State

pytestmark = pytest.mark.django_db

YEAR = 2025
TODAY = dt.date(2026, 1, 15)
FAR_AHEAD = dt.date(2099, 12, 31)  # never overdue, whatever day the tests run
_titles = itertools.count(1)


def evaluation(institution, year: int = YEAR):
    return services.evaluation_create(
        actor=None,
        institution=institution,
        year=year,
        kind="external",
        title=f"Evaluación externa {next(_titles)}",
        evaluator="Universidad Autónoma",
        started_on=dt.date(year, 2, 1),
    )


def finding(institution, source_evaluation, status: str = "accepted"):
    found = services.finding_add(
        actor=None,
        institution=institution,
        evaluation=source_evaluation,
        text="El diagnóstico no desagrega por sexo.",
    )
    if status != "accepted":
        reason = "No corresponde a la institución." if status == "dismissed" else ""
        Finding.objects.filter(pk=found.pk).update(status=status, decision_reason=reason)
    return found


def action(found, owner, *, status: str = "open", due: dt.date = FAR_AHEAD):
    asm = services.action_add(
        actor=None,
        finding=found,
        text="Actualizar los lineamientos",
        kind="institutional",
        priority="high",
        owner=owner,
        due_date=due,
    )
    fields = {"status": status}
    if status == "cancelled":
        fields["cancel_reason"] = "Se atendió con otro aspecto."
    FollowUp.objects.filter(pk=asm.followup_id).update(**fields)
    return asm


def improvement_year(institution, *, year: int = YEAR) -> dict:
    """The known world of the module docstring, for ``institution`` in ``year``."""
    first = evaluation(institution, year)
    evaluation(institution, year)
    earlier = evaluation(institution, year - 1)
    answered = finding(institution, first)
    other = finding(institution, first)
    proposed = finding(institution, first, "proposed")
    finding(institution, first, "dismissed")
    past_due = dt.date(year, 6, 30)
    actions = {
        "open": action(answered, institution),
        "overdue": action(answered, institution, due=past_due),
        "in_progress": action(answered, institution, status="in_progress", due=past_due),
        "done": action(answered, institution, status="done", due=past_due),
        "verified": action(answered, institution, status="verified", due=past_due),
        "cancelled": action(answered, institution, status="cancelled", due=past_due),
    }
    action(other, institution, status="verified", due=past_due)
    action(finding(institution, earlier), institution, due=dt.date(year - 1, 6, 30))
    return {"evaluation": first, "finding": answered, "proposed": proposed, **actions}


KNOWN = StateImprovement(
    evaluations=2,
    findings=3,
    proposed=1,
    asm=7,
    asm_open=3,
    asm_overdue=2,
    asm_done=1,
    asm_verified=2,
    asm_cancelled=1,
)


def gender_unit(state_code: str = "10", slug: str = "unidad-genero-salud-dgo"):
    return institution_create(
        actor=None,
        slug=slug,
        kind=InstitutionKind.GENDER_UNIT,
        state=State.objects.get(code=state_code),
        name="Unidad de Igualdad de Género",
        agency_name="Secretaría de Salud",
    )


@pytest.fixture
def world(national, durango, zacatecas):
    improvement_year(durango)
    evaluation(zacatecas)
    improvement_year(national)  # the national institution is no state's
    return {"durango": durango, "zacatecas": zacatecas}


def test_it_counts_a_states_evaluations_findings_and_asm_of_the_year(world):
    by_state = state_improvement(YEAR, TODAY)
    assert by_state[world["durango"].state_id] == KNOWN
    assert by_state[world["zacatecas"].state_id] == StateImprovement(evaluations=1)
    assert set(by_state) == {world["durango"].state_id, world["zacatecas"].state_id}


def test_it_adds_up_every_institution_of_the_state(world):
    unit = gender_unit()
    action(finding(unit, evaluation(unit)), unit, status="verified")
    durango = state_improvement(YEAR, TODAY)[world["durango"].state_id]
    assert (durango.evaluations, durango.findings, durango.asm, durango.asm_verified) == (
        3,
        4,
        8,
        3,
    )


def test_the_previous_year_is_counted_apart(world):
    durango = state_improvement(YEAR - 1, TODAY)[world["durango"].state_id]
    assert durango == StateImprovement(evaluations=1, findings=1, asm=1, asm_open=1, asm_overdue=1)


def test_an_asm_is_overdue_only_after_its_due_date(world):
    before = state_improvement(YEAR, dt.date(YEAR, 6, 30))[world["durango"].state_id]
    assert (before.asm_open, before.asm_overdue) == (3, 0)


def test_it_reads_only_the_states_asked(world):
    assert set(state_improvement(YEAR, TODAY, [world["zacatecas"].state_id])) == {
        world["zacatecas"].state_id
    }
    assert state_improvement(YEAR, TODAY, []) == {}


def test_the_share_verified_leaves_cancelled_asm_aside():
    assert KNOWN.verified_percent == pytest.approx(100 * 2 / 6)
    assert StateImprovement(asm=1, asm_cancelled=1).verified_percent is None
    assert StateImprovement().verified_percent is None


def grow(durango, zacatecas) -> None:
    """More institutions, evaluations, findings and ASM, in more states and years."""
    improvement_year(zacatecas)
    improvement_year(durango, year=YEAR - 1)
    unit = gender_unit("32", "unidad-genero-zac")
    improvement_year(unit)


def test_it_runs_three_queries_whatever_the_data(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            state_improvement(YEAR, TODAY)
        return len(queries)

    small = count()
    grow(world["durango"], world["zacatecas"])
    # evaluations by state, findings by state, ASM by state
    assert small == count() == 3
    assert state_improvement(YEAR, TODAY)[world["zacatecas"].state_id].asm == 2 * KNOWN.asm
