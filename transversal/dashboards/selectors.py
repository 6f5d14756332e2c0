"""Reads for the dashboards: every figure is an aggregate query grouped by state.

The national dashboard issues a fixed number of queries whatever the number of
states, agreements, goals, indicators, periods or updates (see the query-count
tests). Stored traffic lights (``Goal.light``, ``StateSummary``) are read, never
recomputed from updates here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import cached_property
from itertools import chain, repeat
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope
from transversal.agreements.models import Agreement, AgreementStatus, Goal, in_force_on
from transversal.agreements.selectors import visible_agreements
from transversal.coordination.models import System
from transversal.coordination.selectors import (
    StateCoordination,
    state_coordination,
    states_with_systems,
)
from transversal.improvement.models import Evaluation, Finding, ImprovementAction
from transversal.improvement.selectors import StateImprovement, state_improvement
from transversal.monitoring import charts, periods, rules
from transversal.monitoring import selectors as monitoring_selectors
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    DisaggregatedValue,
    Disaggregation,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    StateSummary,
    UpdateStatus,
)
from transversal.monitoring.selectors import indicators_for
from transversal.monitoring.services import workload_refresh
from transversal.territory.models import State
from transversal.workprogrammes.board import NO_PROGRAMME
from transversal.workprogrammes.models import Stage, WorkProgramme

# Map measures (the ``medida`` query parameter).
MEASURE_GREEN = "metas_verdes"
MEASURE_PENDING = "pendientes"
MEASURE_OVERDUE = "vencidos"
MEASURE_ON_TIME = "acuerdos_a_tiempo"
MEASURE_ASM_OVERDUE = "asm_vencidos"
MEASURE_STAGE = "etapa_programa"
DEFAULT_MEASURE = MEASURE_GREEN


# Bins for the count measures (pending reviews, overdue updates, overdue ASM): (upper bound, css
# level).
COUNT_BINS: tuple[tuple[int | None, str], ...] = (
    (0, "level-0"),
    (5, "level-1"),
    (20, "level-2"),
    (None, "level-3"),
)


@dataclass(frozen=True)
class Filters:
    measure: str = DEFAULT_MEASURE
    year: int | None = None
    area: str = ""
    round: str = ""  # noqa: A003 - the domain's word

    @property
    def narrows_goals(self) -> bool:
        return bool(self.area or self.round)


@dataclass
class StateRow:
    """One state's figures on the national dashboard (built in Python from grouped rows)."""

    state: State
    agreements_in_force: int = 0
    goals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(rules.COLOURS, 0))
    pending: int = 0
    overdue: int = 0

    @property
    def code(self) -> str:
        return self.state.code

    @cached_property
    def rollup(self) -> rules.Rollup:
        """Computed once per row (the page reads it for the tile, the table and the light)."""
        return goal_rollup(self.goals)

    @property
    def goals_total(self) -> int:
        return sum(self.goals.values())


def goal_rollup(counts: dict[str, int]) -> rules.Rollup:
    """The roll-up rule of monitoring.rules applied to colour counts (no per-goal rows needed)."""
    return rules.rollup(
        chain.from_iterable(repeat(colour, counts.get(colour, 0)) for colour in rules.COLOURS)
    )


# Bins for the share of a year's acuerdos fulfilled on time: (lower bound in %, css level), the
# same single-hue scale as the counts; a state without acuerdos that year is ``level-0``.
ON_TIME_BINS: tuple[tuple[int, str], ...] = ((80, "level-3"), (50, "level-2"), (0, "level-1"))


def on_time_level(percent: float | None) -> str:
    if percent is None:
        return "level-0"
    for bound, level in ON_TIME_BINS:
        if percent >= bound:
            return level
    return ON_TIME_BINS[-1][1]  # pragma: no cover - the last bin starts at 0


# The stage of a state's work programme of the year on the same single-hue scale: none, on its
# way to the national validation, validated (in execution), closed.
STAGE_LEVELS: dict[str, str] = {
    NO_PROGRAMME: "level-0",
    Stage.DRAFT: "level-1",
    Stage.PROPOSED: "level-1",
    Stage.OBSERVED: "level-1",
    Stage.CORRECTED: "level-1",
    Stage.VALIDATED: "level-2",
    Stage.IN_EXECUTION: "level-2",
    Stage.CLOSED: "level-3",
}


def stage_level(stage: str) -> str:
    return STAGE_LEVELS.get(stage, "level-0")


def count_level(number: int) -> str:
    for bound, level in COUNT_BINS:
        if bound is None or number <= bound:
            return level
    return COUNT_BINS[-1][1]  # pragma: no cover - the last bin is open


# ---------------------------------------------------------------------------
# Filtered base querysets
# ---------------------------------------------------------------------------


def filtered_agreements(filters: Filters) -> QuerySet[Agreement]:
    """Agreements of the chosen round, emphasis area and in force at some point of the year."""
    queryset = Agreement.objects.all()
    if filters.round:
        queryset = queryset.filter(round=filters.round)
    if filters.area:
        # JSON list membership, portable across SQLite and PostgreSQL (as agreements.selectors
        # does).
        queryset = queryset.filter(emphasis_areas__icontains=f'"{filters.area}"')
    if filters.year:
        queryset = queryset.filter(
            Q(valid_from__year__lte=filters.year) | Q(valid_from__isnull=True),
            Q(valid_to__year__gte=filters.year) | Q(valid_to__isnull=True),
        )
    return queryset


def filtered_goals(filters: Filters) -> QuerySet[Goal]:
    """Goals of the filtered agreements; the area filter applies to the goal's own area."""
    queryset = Goal.objects.all()
    if filters.round:
        queryset = queryset.filter(agreement__round=filters.round)
    if filters.area:
        queryset = queryset.filter(area=filters.area)
    if filters.year:
        queryset = queryset.filter(
            Q(agreement__valid_from__year__lte=filters.year)
            | Q(agreement__valid_from__isnull=True),
            Q(agreement__valid_to__year__gte=filters.year) | Q(agreement__valid_to__isnull=True),
        )
    return queryset


def filtered_periods(filters: Filters) -> QuerySet[ReportingPeriod]:
    """Periods of indicators owned by state institutions; with an area or round, only the
    indicators that measure a goal of that area or round."""
    queryset = ReportingPeriod.objects.filter(indicator__owner__state__isnull=False)
    if filters.year:
        queryset = queryset.filter(start__year=filters.year)
    if filters.narrows_goals:
        queryset = queryset.filter(
            indicator_id__in=Indicator.objects.filter(goals__in=filtered_goals(filters)).values(
                "pk"
            )
        )
    return queryset


# ---------------------------------------------------------------------------
# Grouped figures: one query each
# ---------------------------------------------------------------------------


def goal_counts_by_state(filters: Filters) -> dict[int, dict[str, int]]:
    rows = (
        filtered_goals(filters)
        .values("agreement__state_id")
        .annotate(**{colour: Count("pk", filter=Q(light=colour)) for colour in rules.COLOURS})
        .order_by()
    )
    return {row["agreement__state_id"]: {c: row[c] for c in rules.COLOURS} for row in rows}


def pending_by_state(filters: Filters) -> dict[int, int]:
    return monitoring_selectors.pending_by_state(filtered_periods(filters))


def overdue_by_state(filters: Filters, today: dt.date | None = None) -> dict[int, int]:
    return monitoring_selectors.overdue_by_state(
        filtered_periods(filters), today or timezone.localdate()
    )


def stored_workload(
    states: list[State], today: dt.date | None = None
) -> tuple[dict[int, int], dict[int, int]]:
    """(pending, overdue) by state from ``StateSummary``: one query, or a refresh of the stored
    counts first when they are not of today (the daily job has not run yet)."""
    today = today or timezone.localdate()
    rows = list(StateSummary.objects.values_list("state_id", "pending", "overdue", "counts_on"))
    if len(rows) < len(states) or any(counts_on != today for *_, counts_on in rows):
        workload_refresh(today=today)
        rows = list(StateSummary.objects.values_list("state_id", "pending", "overdue", "counts_on"))
    return {r[0]: r[1] for r in rows}, {r[0]: r[2] for r in rows}


def in_force_by_state(filters: Filters, today: dt.date | None = None) -> dict[int, int]:
    """Agreements in force by state: today (agreements.models.in_force_on: the stage and the
    dates), or, with a year chosen, at some point of that year (signed and its dates overlap it;
    ``filtered_agreements`` keeps the overlap)."""
    if filters.year:
        in_force = Q(
            status__in=[
                AgreementStatus.SIGNED,
                AgreementStatus.IN_FORCE,
                AgreementStatus.CONCLUDED,
            ]
        ) & (Q(valid_from__isnull=False) | Q(status=AgreementStatus.IN_FORCE))
    else:
        in_force = in_force_on(today or timezone.localdate())
    rows = (
        filtered_agreements(filters)
        .filter(in_force)
        .values("state_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["state_id"]: row["n"] for row in rows}


def national_rows(filters: Filters, today: dt.date | None = None) -> list[StateRow]:
    """The 32 states with every figure: five queries (states, goals, pending, overdue, in force).
    Without filters, pending and overdue come from the stored counts of ``StateSummary``."""
    states = list(State.objects.order_by("code"))
    goals = goal_counts_by_state(filters)
    if filters.year or filters.narrows_goals:
        pending, overdue = pending_by_state(filters), overdue_by_state(filters, today)
    else:
        pending, overdue = stored_workload(states, today)
    in_force = in_force_by_state(filters, today)
    rows = []
    for state in states:
        row = StateRow(
            state,
            in_force.get(state.pk, 0),
            pending=pending.get(state.pk, 0),
            overdue=overdue.get(state.pk, 0),
        )
        row.goals.update(goals.get(state.pk, {}))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Headline:
    states_in_force: int
    goals: dict[str, int]
    pending: int
    overdue: int

    @property
    def goals_total(self) -> int:
        return sum(self.goals.values())


def headline(rows: Iterable[StateRow]) -> Headline:
    """National counters, summed from the state rows (no extra query)."""
    rows = list(rows)
    return Headline(
        states_in_force=sum(1 for row in rows if row.agreements_in_force),
        goals={colour: sum(row.goals[colour] for row in rows) for colour in rules.COLOURS},
        pending=sum(row.pending for row in rows),
        overdue=sum(row.overdue for row in rows),
    )


def filter_years() -> list[int]:
    """Years from the first to the last reporting period, newest first (two queries).

    MIN and MAX each read one end of the index on ``start`` (SQLite does that only for a
    query with a single MIN or MAX); DISTINCT over a truncated date read every period."""
    first = ReportingPeriod.objects.aggregate(value=Min("start"))["value"]
    if first is None:
        return []
    last = ReportingPeriod.objects.aggregate(value=Max("start"))["value"]
    return list(range(last.year, first.year - 1, -1))


# ---------------------------------------------------------------------------
# Interinstitutional coordination (systems, sessions, acuerdos)
# ---------------------------------------------------------------------------


NO_COORDINATION = StateCoordination()


@dataclass(frozen=True)
class CoordinationYear:
    """Every state's coordination figures of one year, and which states have a system."""

    year: int
    by_state: dict[int, StateCoordination]
    with_systems: set[int]

    def of(self, state_id: int) -> StateCoordination:
        return self.by_state.get(state_id, NO_COORDINATION)

    @property
    def total(self) -> StateCoordination:
        """The national sum (no query)."""
        rows = self.by_state.values()
        return StateCoordination(
            **{name: sum(getattr(r, name) for r in rows) for name in COORDINATION_FIGURES}
        )


COORDINATION_FIGURES = (
    "sessions_planned",
    "sessions_held",
    "sessions_overdue",
    "acuerdos",
    "acuerdos_open",
    "acuerdos_overdue",
    "acuerdos_fulfilled",
    "acuerdos_on_time",
)


def coordination_year(year: int, today: dt.date | None = None) -> CoordinationYear:
    """The year's figures of every state: three queries (sessions by state, acuerdos by state,
    the states with a system), whatever the number of systems, sessions or acuerdos."""
    today = today or timezone.localdate()
    return CoordinationYear(year, state_coordination(year, today), states_with_systems())


# ---------------------------------------------------------------------------
# The equality model's cycle: evaluations, findings and improvement actions (ASM)
# ---------------------------------------------------------------------------


NO_IMPROVEMENT = StateImprovement()

IMPROVEMENT_FIGURES = tuple(f.name for f in fields(StateImprovement))


@dataclass(frozen=True)
class ImprovementYear:
    """Every state's evaluations, findings and ASM of one year."""

    year: int
    by_state: dict[int, StateImprovement]

    def of(self, state_id: int) -> StateImprovement:
        return self.by_state.get(state_id, NO_IMPROVEMENT)

    @property
    def total(self) -> StateImprovement:
        """The national sum (no query)."""
        rows = self.by_state.values()
        return StateImprovement(
            **{name: sum(getattr(r, name) for r in rows) for name in IMPROVEMENT_FIGURES}
        )

    @property
    def states_evaluated(self) -> int:
        return sum(1 for row in self.by_state.values() if row.evaluations)


def improvement_year(year: int, today: dt.date | None = None) -> ImprovementYear:
    """The year's figures of every state: three queries (evaluations, findings and ASM by state),
    whatever the number of institutions, evaluations, findings or ASM."""
    return ImprovementYear(year, state_improvement(year, today or timezone.localdate()))


# ---------------------------------------------------------------------------
# State dashboard
# ---------------------------------------------------------------------------


def state_indicators(scope: Scope, state: State) -> QuerySet[Indicator]:
    """The state's indicators this person may see, each with the id of its latest approved
    update (``latest_approved_id``, kept by the services: no subquery per row). Only what the
    table prints is read; :func:`with_latest_approved` fetches the updates."""
    return (
        indicators_for(scope)
        .filter(owner__state=state)
        .select_related(None)
        .prefetch_related(None)
        .only("code", "name", "unit", "latest_approved")
        .order_by("name", "pk")
    )


LATEST_FIELDS = ("value", "light", "progress", "below_baseline")


def with_latest_approved(indicators: Iterable[Indicator]) -> list[Indicator]:
    """Put each indicator's latest approved figures on it (``latest_value``, ``latest_target``,
    ``latest_label``, ``latest_light``, ``latest_progress``, ``latest_below_baseline``; None
    without one): one query for the page, whatever its length."""
    indicators = list(indicators)
    ids = [i.latest_approved_id for i in indicators if i.latest_approved_id is not None]
    updates = {
        u.pk: u
        for u in ProgressUpdate.objects.filter(pk__in=ids)
        .select_related("period")
        .only(*LATEST_FIELDS, "period__label", "period__target")
    }
    for indicator in indicators:
        update = updates.get(indicator.latest_approved_id)
        indicator.latest_label = update.period.label if update else None
        indicator.latest_target = update.period.target if update else None
        for name in LATEST_FIELDS:
            setattr(indicator, f"latest_{name}", getattr(update, name) if update else None)
    return indicators


def state_agreements(scope: Scope, state: State) -> list[Agreement]:
    """The state's agreements this person may see, with goals and the visible indicators of
    each goal: three queries."""
    visible = (
        Indicator.objects.filter(pk__in=indicators_for(scope).values("pk"))
        .only("code", "name", "light")
        .order_by("name")
    )
    goals = Goal.objects.order_by("number").prefetch_related(
        Prefetch("indicators", queryset=visible)
    )
    return list(
        visible_agreements(scope)
        .filter(state=state)
        .prefetch_related(Prefetch("goals", queryset=goals))
        .order_by("-valid_from", "title")
    )


def state_counts(state: State, today: dt.date | None = None) -> tuple[int, int]:
    """(pending reviews, overdue updates) of one state, stored in its ``StateSummary``: one query,
    or a refresh of that state's counts first when they are not of today."""
    today = today or timezone.localdate()
    stored = (
        StateSummary.objects.filter(state=state, counts_on=today)
        .values_list("pending", "overdue")
        .first()
    )
    if stored is None:
        workload_refresh(state_ids=[state.pk], today=today)
        stored = StateSummary.objects.filter(state=state).values_list("pending", "overdue").get()
    return stored


# ---------------------------------------------------------------------------
# Indicator charts
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    label: str
    rows: list[dict[str, Any]]
    spec: dict[str, Any]

    @property
    def spec_id(self) -> str:
        return f"spec-{self.dimension}"


def indicator_points(indicator: Indicator) -> list[charts.PeriodPoint]:
    """Every period with its target and approved value (one query). Periods with neither are
    kept: between two figures they are a gap in the chart (``charts.plotted`` trims the ends)."""
    approved = ProgressUpdate.objects.filter(
        period=OuterRef("pk"), is_current=True, status=UpdateStatus.APPROVED
    )
    rows = (
        ReportingPeriod.objects.filter(indicator=indicator)
        .annotate(approved_value=Subquery(approved.values("value")[:1]))
        .order_by("start")
    )
    return [
        charts.PeriodPoint(
            label=p.label,
            display=p.display,
            start=p.start.isoformat(),
            target=p.target,
            value=p.approved_value,
        )
        for p in rows
    ]


def indicator_breakdowns(indicator: Indicator, *, unit: str, title: str) -> list[Breakdown]:
    """Approved values split by each disaggregation that has data, in period order (one query)."""
    values = (
        DisaggregatedValue.objects.filter(
            update__period__indicator=indicator,
            update__is_current=True,
            update__status=UpdateStatus.APPROVED,
        )
        .select_related("update__period")
        .order_by("update__period__start", "dimension", "id")
    )
    by_dimension: dict[str, list[tuple[str, str, Decimal]]] = {}
    order: list[str] = []
    for value in values:
        display = periods.period_display(value.update.period.label)
        if display not in order:
            order.append(display)
        by_dimension.setdefault(value.dimension, []).append(
            (display, value.category_label, value.value)
        )
    result = []
    for dimension in Disaggregation.values:
        if dimension not in by_dimension:
            continue
        label = str(Disaggregation(dimension).label)
        rows = charts.breakdown_rows(by_dimension[dimension])
        categories = [str(c) for _code, c in PARTITION_CATEGORIES.get(dimension, ())]
        rows.sort(
            key=lambda r: (
                order.index(r["periodo"]),
                categories.index(r["categoria"]) if r["categoria"] in categories else 99,
            )
        )
        spec = charts.breakdown_spec(
            rows,
            order=order,
            unit=unit,
            title=f"{title} · {label}",
            description=_(
                "Gráfica de barras de los valores aprobados por %(label)s; los mismos datos "
                "están en la tabla."
            )
            % {"label": label.lower()},
        )
        result.append(Breakdown(dimension, label, rows, spec))
    return result


def has_synthetic_data(state: State | None = None) -> bool:
    """Whether invented demo or benchmark figures are counted (goals, indicators, coordination
    systems with their sessions and acuerdos, evaluations, findings and ASM, work programmes), so
    the page can say so (one query)."""
    goals = Goal.objects.filter(is_synthetic=True)
    indicators = Indicator.objects.filter(is_synthetic=True)
    systems = System.objects.filter(is_synthetic=True, state__isnull=False)
    evaluations = Evaluation.objects.filter(is_synthetic=True, institution__state__isnull=False)
    findings = Finding.objects.filter(is_synthetic=True, institution__state__isnull=False)
    actions = ImprovementAction.objects.filter(
        is_synthetic=True, finding__institution__state__isnull=False
    )
    programmes = WorkProgramme.objects.filter(is_synthetic=True)
    if state is not None:
        goals = goals.filter(agreement__state=state)
        indicators = indicators.filter(owner__state=state)
        systems = systems.filter(state=state)
        evaluations = evaluations.filter(institution__state=state)
        findings = findings.filter(institution__state=state)
        actions = actions.filter(finding__institution__state=state)
        programmes = programmes.filter(agreement__state=state)
    # One query whatever the data: seven EXISTS in a single SELECT.
    flags = {
        "goals": goals,
        "indicators": indicators,
        "systems": systems,
        "evaluations": evaluations,
        "findings": findings,
        "actions": actions,
        "programmes": programmes,
    }
    row = (
        State.objects.annotate(**{name: Exists(rows.order_by()) for name, rows in flags.items()})
        .values_list(*flags)
        .order_by()[:1]
    )
    return any(any(flags) for flags in row)
