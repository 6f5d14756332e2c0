from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from transversal.improvement.tests.report_world import add_improvement, grow_improvement
from transversal.monitoring import rules
from transversal.monitoring.models import ProgressUpdate
from transversal.reports.assembly import NATIONAL, STATE, ReportError, build_report, find_state
from transversal.reports.tests.conftest import add_coordination, grow_coordination, make_dataset
from transversal.territory.models import State

pytestmark = pytest.mark.django_db


def _durango():
    return State.objects.get(code="10")


def _indicators(report):
    return {node.name: node for state in report.states for node in state.indicators()}


def test_it_builds_the_state_tree_with_the_right_figures(dataset):
    report = build_report(period="2025-T4", state=_durango())

    assert report.kind == STATE
    assert report.scope_label == "Durango"
    assert report.period_display == "4.º trimestre 2025"
    [state] = report.states
    [agreement] = state.agreements
    goal1, goal2 = agreement.goals
    [a] = goal1.indicators
    [row] = a.rows
    assert (row.label, row.target, row.value, row.progress) == (
        "2025-T4",
        Decimal(100),
        Decimal(80),
        Decimal("80.0"),
    )
    assert row.light == rules.YELLOW and row.light_label == "Con riesgo"
    assert a.light == rules.YELLOW
    assert [h.label for h in a.history] == ["2025-T1", "2025-T2", "2025-T3", "2025-T4"]
    assert goal1.rollup.colour == rules.YELLOW
    b, d = sorted(goal2.indicators, key=lambda n: n.name)
    assert b.light == rules.RED and [r.value for r in b.rows] == [Decimal(50)]
    assert (
        d.rows == [] and d.light == rules.NO_DATA
    )  # an annual indicator has no period inside a quarter
    assert goal2.rollup.colour == rules.RED
    assert agreement.rollup.colour == rules.RED  # one yellow goal, one red: more than 30 % red
    assert [n.name for n in state.other_indicators] == ["Indicador C institucional"]
    assert state.other_indicators[0].rows[0].progress == Decimal("120.0")
    assert state.rollup.colour == rules.RED
    assert "Indicador Z de Zacatecas" not in _indicators(report)


def test_a_year_includes_every_period_of_each_frequency_inside_it(dataset):
    report = build_report(period="2025", state=_durango())

    nodes = _indicators(report)
    assert [r.label for r in nodes["Indicador A de capacitación"].rows] == [
        "2025-T1",
        "2025-T2",
        "2025-T3",
        "2025-T4",
    ]
    assert [r.value for r in nodes["Indicador A de capacitación"].rows] == [
        None,
        None,
        Decimal(95),
        Decimal(80),
    ]
    assert [(r.label, r.light) for r in nodes["Indicador D anual"].rows] == [("2025", rules.GREEN)]
    assert nodes["Indicador A de capacitación"].light == rules.YELLOW  # its latest approved period


def test_the_cutoff_is_the_latest_approval_included(dataset):
    report = build_report(period="2025-T3", state=_durango())

    t3 = ProgressUpdate.objects.get(period__indicator=dataset["a"], period__label="2025-T3")
    assert report.cutoff == t3.reviewed_at


def test_the_national_report_covers_every_state_with_data(dataset):
    report = build_report(period="2025-T4")

    assert report.kind == NATIONAL and report.scope_label == "Nacional"
    assert [s.name for s in report.states] == ["Durango", "Zacatecas"]
    assert _indicators(report)["Indicador Z de Zacatecas"].rows[0].value == Decimal(99)
    assert report.national_institution.startswith("Secretaría de las Mujeres")  # its name in 2025
    assert report.rollup.colour == rules.RED  # Durango red, Zacatecas green
    assert report.has_synthetic is False


def test_unapproved_values_count_as_no_data(dataset):
    report = build_report(period="2025-T3")

    z = _indicators(report)["Indicador Z de Zacatecas"]
    assert z.rows[0].value is None and z.light == rules.NO_DATA


def test_synthetic_records_are_flagged(dataset):
    dataset["agreement"].__class__.objects.filter(pk=dataset["agreement"].pk).update(
        is_synthetic=True
    )

    assert build_report(period="2025-T4", state=_durango()).has_synthetic is True


@pytest.mark.parametrize("period", ["2025-Q4", "2025-T5", "", "25"])
def test_a_bad_period_is_a_spanish_error(dataset, period):
    with pytest.raises(ReportError, match="Periodo no válido"):
        build_report(period=period, state=_durango())


def test_a_period_without_approved_values_is_refused(dataset):
    with pytest.raises(ReportError, match="No hay datos para 1.er trimestre 2024"):
        build_report(period="2024-T1", state=_durango())


def test_an_unknown_state_is_a_spanish_error(db):
    with pytest.raises(ReportError, match="Entidad federativa desconocida"):
        find_state("99")
    assert find_state("7").code == "07"


def test_the_number_of_queries_does_not_grow_with_the_data(national, durango, zacatecas):
    dataset = make_dataset(national, durango, zacatecas)
    add_coordination(durango, zacatecas)
    add_improvement(durango, zacatecas)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            build_report(period="2025")
        return len(queries)

    before = count()
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    more = indicator_with_calendar(durango, name="Otro indicador", goals=list(dataset["goals"]))
    approved(more, "2025-T2", Decimal(91))
    again = indicator_with_calendar(zacatecas, name="Otro de Zacatecas")
    approved(again, "2025-T1", Decimal(10))
    grow_coordination(durango, zacatecas)
    grow_improvement(durango, zacatecas)
    # states, agreements, the names of both parties, goals, indicators, their owners' names,
    # their goals, periods, approved updates with their reviewers, the national institution and
    # its names: 12; coordination: sessions and acuerdos counted by state, systems per state: 3;
    # improvement: evaluations, findings and ASM counted by state, states with demo records: 4.
    assert count() == before == 19


def test_the_state_report_details_take_a_constant_number_of_queries(national, durango, zacatecas):
    from transversal.reports.tests.conftest import add_detailed_indicator

    dataset = make_dataset(national, durango, zacatecas)
    add_detailed_indicator(dataset, durango)
    add_coordination(durango, zacatecas)
    add_improvement(durango, zacatecas)

    durango_state = _durango()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            report = build_report(period="2025", state=durango_state)
        assert any(row.evidence for node in _indicators(report).values() for row in node.rows)
        return len(queries)

    before = count()
    from transversal.monitoring.tests.factories import approved, indicator_with_calendar

    more = indicator_with_calendar(durango, name="Otro indicador", goals=list(dataset["goals"]))
    approved(more, "2025-T2", Decimal(91))
    approved(more, "2025-T3", Decimal(92))
    grow_coordination(durango, zacatecas)
    grow_improvement(durango, zacatecas)
    # agreements, the names of both parties, goals, indicators, their owners' names, their goals,
    # periods, approved updates with their reviewers, breakdowns, evidence, the national
    # institution and its names: 13 (the state is given); coordination: sessions and acuerdos
    # counted (2), systems, sessions, voting members, attendance (4), overdue acuerdos with their
    # follow-up, owners' names, co-owners and their names (4): 10; improvement: the institute
    # and its names (2), its cycle (8: declared plans, plans, periods by status, lights,
    # reviews, evaluations, ASM, findings), evaluations, findings and ASM counted (3), the
    # evaluations and their institutions' names (2), the ASM with their follow-up, owners'
    # names, co-owners and their names (4), demo records (1): 20.
    assert count() == before == 43


def test_the_national_report_names_a_states_critical_indicators_lowest_progress_first(dataset):
    import copy

    report = build_report(period="2025")
    durango = next(state for state in report.states if state.name == "Durango")
    [b] = durango.attention()  # B: 50 % against its target, the only one in "Crítico"
    assert b.name == "Indicador B de publicación" and b.light == rules.RED

    # More critical indicators than the limit: the lowest progress first, and no more.
    others = []
    for number, percent in enumerate((30, 10, 20, 40)):
        node = copy.deepcopy(b)
        node.code, node.name = f"x{number}", f"Otro {number}"
        node.rows[-1].progress = Decimal(percent)
        others.append(node)
    durango.other_indicators.extend(others)
    assert [node.name for node in durango.attention(limit=3)] == ["Otro 1", "Otro 2", "Otro 0"]
    assert durango.attention_count() == 5
