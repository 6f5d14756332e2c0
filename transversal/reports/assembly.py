"""The data of a state or national report, gathered once, as a tree the renderers walk.

``build_report`` reads everything a report shows in a fixed number of queries
(states, agreements and their parties' names, goals, indicators with their
goals and owners' names, reporting periods, approved updates, the national
institution) and returns a :class:`Report`:
report → states → agreements → goals → indicators → period rows, plus, per
state, the institutional indicators that measure no goal of the report. The
DOCX and PDF renderers take that tree and never touch the database.

Which periods a report includes
    A report is asked for one period label of the reporting calendar
    (``monitoring.periods``): ``2025-M03`` (month), ``2025-T4`` (quarter),
    ``2025-S2`` (semester), ``2025`` (year) or ``2024-2025`` (biennium). For
    each indicator, the report includes the periods of the indicator's own
    frequency that fall entirely inside it (start and end within the requested
    dates): a ``2025`` report shows the four quarters of a quarterly
    indicator, a ``2025-T4`` report shows its fourth quarter and, for a
    monthly one, October to December. An indicator whose periods are longer
    than the requested one (an annual indicator in a quarterly report) has no
    row and says so.

What counts
    The value of a period is its latest approved revision; drafts, submitted
    and returned reports count as "Sin dato". An indicator's light in the
    report is the light of its latest period inside the report that has an
    approved value. Goals roll up their indicators, agreements their goals, a
    state its goals plus its institutional indicators that measure no goal,
    the nation its states (``monitoring.rules.rollup``). Agreements included
    are those of the state, not in draft, whose validity overlaps the period.
    The data cut-off date is the latest approval time among the values shown.
    A report with no approved value at all is refused (``ReportError``):
    an empty file helps nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from transversal.accounts.access import Scope
from transversal.agreements.models import Agreement, AgreementStatus, Goal
from transversal.agreements.selectors import visible_agreements
from transversal.institutions.models import Institution, InstitutionKind
from transversal.monitoring import periods as calendar
from transversal.monitoring import rules
from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod, UpdateStatus
from transversal.monitoring.selectors import indicators_for
from transversal.territory.models import State

STATE = "state"
NATIONAL = "national"
# Periods before the report's that its charts show for context (the tables show only the report's).
HISTORY_PERIODS = 8


class ReportError(ValueError):
    """A report that cannot be built; the message is Spanish and meant for the person asking."""


@dataclass
class PeriodRow:
    label: str
    display: str
    start: dt.date
    end: dt.date
    target: Decimal | None
    value: Decimal | None
    progress: Decimal | None
    light: str
    overachieved: bool
    below_baseline: bool
    approved_at: dt.datetime | None
    is_synthetic: bool
    in_report: bool

    @property
    def light_label(self) -> str:
        return str(rules.LABELS[self.light])


@dataclass
class IndicatorNode:
    code: str
    name: str
    owner: str
    unit: str
    frequency: str
    direction: str
    baseline: Decimal | None
    thresholds: rules.Thresholds
    is_synthetic: bool
    rows: list[PeriodRow] = field(default_factory=list)  # inside the report's period
    history: list[PeriodRow] = field(default_factory=list)  # up to the report's end, for charts
    light: str = rules.NO_DATA

    @property
    def light_label(self) -> str:
        return str(rules.LABELS[self.light])

    @property
    def has_data(self) -> bool:
        return any(row.value is not None for row in self.rows)


@dataclass
class GoalNode:
    number: int
    description: str
    due_date: dt.date | None
    is_synthetic: bool
    indicators: list[IndicatorNode] = field(default_factory=list)
    rollup: rules.Rollup = field(default_factory=lambda: rules.rollup([]))

    def indicator_counts(self) -> dict[str, int]:
        return light_counts(self.indicators)


@dataclass
class AgreementNode:
    title: str
    round: str
    status: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    state_institution: str
    is_synthetic: bool
    goals: list[GoalNode] = field(default_factory=list)
    rollup: rules.Rollup = field(default_factory=lambda: rules.rollup([]))


@dataclass
class StateNode:
    code: str
    name: str
    institutions: list[str]
    agreements: list[AgreementNode] = field(default_factory=list)
    other_indicators: list[IndicatorNode] = field(default_factory=list)
    rollup: rules.Rollup = field(default_factory=lambda: rules.rollup([]))

    def indicators(self) -> list[IndicatorNode]:
        """Every indicator of the state once (an indicator may measure several goals)."""
        seen: dict[str, IndicatorNode] = {}
        for agreement in self.agreements:
            for goal in agreement.goals:
                for indicator in goal.indicators:
                    seen.setdefault(indicator.code, indicator)
        for indicator in self.other_indicators:
            seen.setdefault(indicator.code, indicator)
        return list(seen.values())

    def indicator_counts(self) -> dict[str, int]:
        return light_counts(self.indicators())

    def other_counts(self) -> dict[str, int]:
        return light_counts(self.other_indicators)


def light_counts(indicators: list[IndicatorNode]) -> dict[str, int]:
    """How many indicators have each light."""
    counts = dict.fromkeys(rules.COLOURS, 0)
    for indicator in indicators:
        counts[indicator.light] += 1
    return counts


@dataclass
class Report:
    kind: str  # STATE or NATIONAL
    title: str
    scope_label: str  # the state's name or "Nacional"
    period_label: str
    period_display: str
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    cutoff: dt.datetime | None
    national_institution: str
    states: list[StateNode]
    rollup: rules.Rollup
    has_synthetic: bool
    legend: list[tuple[str, str, str]] = field(default_factory=lambda: list(rules.LEGEND))
    rollup_legend: list[tuple[str, str, str]] = field(
        default_factory=lambda: list(rules.ROLLUP_LEGEND)
    )

    @property
    def per_indicator(self) -> bool:
        """State reports detail every indicator; the national one stops at goals (counts by
        light)."""
        return self.kind == STATE

    @property
    def filename_stem(self) -> str:
        scope = "nacional" if self.kind == NATIONAL else f"entidad-{self.states[0].code}"
        return f"reporte-{scope}-{self.period_label}"


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def parse_period(label: str) -> tuple[str, dt.date, dt.date]:
    """(frequency, start, end) of a period label, or ReportError with the accepted shapes."""
    try:
        return calendar.parse_period_label((label or "").strip().upper())
    except ValueError as exc:
        raise ReportError(str(exc)) from None


def find_state(code: str) -> State:
    code = (code or "").strip()
    if code.isdigit() and len(code) == 1:
        code = f"0{code}"
    state = State.objects.filter(code=code).first()
    if state is None:
        raise ReportError(
            f"Entidad federativa desconocida: «{code[:10]}». Use la clave INEGI de 01 a 32."
        )
    return state


def build_report(*, period: str, state: State | None = None, scope: Scope | None = None) -> Report:
    """The report of ``state`` (or the national one when None) for the period label ``period``.

    ``scope`` limits what is read to what that person may see (the web page
    passes the requester's); None reads everything (the management command,
    run by whoever administers the server).
    """
    _frequency, start, end = parse_period(period)
    label = calendar.period_label(_frequency, start)
    states = [state] if state is not None else list(State.objects.order_by("code"))
    state_ids = [s.pk for s in states]

    agreements = _agreements(state_ids, start, end, scope)
    goal_ids = [goal.pk for agreement in agreements for goal in agreement.report_goals]
    indicators = _indicators(state_ids, goal_ids, scope)
    # Only state reports chart indicators over time; the national one needs the report's periods.
    rows = _period_rows(indicators, start, end, history=state is not None)
    if not any(
        row.value is not None for ind_rows in rows.values() for row in ind_rows if row.in_report
    ):
        where = state.short_name if state is not None else "ninguna entidad"
        raise ReportError(
            f"No hay datos para {calendar.period_display(label)} en {where}: ningún indicador "
            "tiene un avance aprobado en ese periodo. Elija otro periodo."
        )
    nodes = {ind.pk: _indicator_node(ind, rows.get(ind.pk, []), end) for ind in indicators}
    by_goal: dict[int, list[IndicatorNode]] = {}
    by_state: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        for goal in indicator.goals.all():
            by_goal.setdefault(goal.pk, []).append(nodes[indicator.pk])
        by_state.setdefault(indicator.owner.state_id, []).append(indicator)
    state_nodes = [
        _state_node(s, agreements, by_state.get(s.pk, []), by_goal, nodes, end) for s in states
    ]
    if state is None:
        state_nodes = [s for s in state_nodes if s.agreements or s.other_indicators]
    included = [row for node in nodes.values() for row in node.rows if row.value is not None]
    national = Institution.objects.with_names().filter(kind=InstitutionKind.NATIONAL).first()
    scope_label = state.name if state is not None else "Nacional"
    return Report(
        kind=STATE if state is not None else NATIONAL,
        title=f"Reporte estatal de avance: {state.name}"
        if state is not None
        else "Reporte nacional de avance",
        scope_label=scope_label,
        period_label=label,
        period_display=calendar.period_display(label),
        start=start,
        end=end,
        generated_at=timezone.localtime(),
        cutoff=max((row.approved_at for row in included if row.approved_at), default=None),
        national_institution=_name_on(national, end) if national else "",
        states=state_nodes,
        rollup=_national_rollup(state_nodes) if state is None else state_nodes[0].rollup,
        has_synthetic=_has_synthetic(state_nodes),
    )


# ---------------------------------------------------------------------------
# Queries (each function one or two queries, whatever the number of rows)
# ---------------------------------------------------------------------------


def _agreements(
    state_ids: list[int], start: dt.date, end: dt.date, scope: Scope | None
) -> list[Agreement]:
    """Agreements, their parties' names and their goals: four queries."""
    from django.db.models import Prefetch

    queryset = visible_agreements(scope) if scope is not None else Agreement.objects.all()
    agreements = list(
        queryset.filter(state_id__in=state_ids)
        .exclude(status=AgreementStatus.DRAFT)
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=start),
        )
        .select_related("state", "state_institution")
        .prefetch_related(
            "state_institution__names",
            Prefetch("goals", queryset=Goal.objects.order_by("number"), to_attr="report_goals"),
        )
        .order_by("state__code", "valid_from", "title")
    )
    return agreements


def _indicators(state_ids: list[int], goal_ids: list[int], scope: Scope | None) -> list[Indicator]:
    """Indicators of the states' institutions or of the goals, with goals and owners' names: three
    queries."""
    queryset = (
        indicators_for(scope)
        if scope is not None
        else Indicator.objects.select_related("owner__state").prefetch_related("owner__names")
    )
    return list(
        queryset.filter(Q(owner__state_id__in=state_ids) | Q(goals__in=goal_ids))
        .distinct()
        .prefetch_related("goals")
        .order_by("owner__state__code", "name")
    )


def _period_rows(
    indicators: list[Indicator], start: dt.date, end: dt.date, *, history: bool = True
) -> dict[int, list[PeriodRow]]:
    """Periods up to the report's end (the report's own and, with ``history``, a few before for
    the charts) with their latest approved value: two queries."""
    history_from = dt.date(start.year - 3, 1, 1) if history else start
    periods = list(
        ReportingPeriod.objects.filter(
            indicator__in=[i.pk for i in indicators], start__gte=history_from, end__lte=end
        ).order_by("indicator_id", "start")
    )
    approved: dict[int, ProgressUpdate] = {}
    for update in (
        ProgressUpdate.objects.filter(
            period__in=[p.pk for p in periods], status=UpdateStatus.APPROVED
        )
        .only(
            "period_id",
            "revision",
            "value",
            "progress",
            "light",
            "overachieved",
            "below_baseline",
            "reviewed_at",
            "is_synthetic",
        )
        .order_by("period_id", "revision")
    ):
        approved[update.period_id] = update  # the latest approved revision wins
    rows: dict[int, list[PeriodRow]] = {}
    for period in periods:
        update = approved.get(period.pk)
        rows.setdefault(period.indicator_id, []).append(
            PeriodRow(
                label=period.label,
                display=period.display,
                start=period.start,
                end=period.end,
                target=period.target,
                value=update.value if update else None,
                progress=update.progress if update else None,
                light=update.light if update else rules.NO_DATA,
                overachieved=bool(update and update.overachieved),
                below_baseline=bool(update and update.below_baseline),
                approved_at=update.reviewed_at if update else None,
                is_synthetic=bool(update and update.is_synthetic),
                in_report=period.start >= start,
            )
        )
    return rows


# ---------------------------------------------------------------------------
# Tree
# ---------------------------------------------------------------------------


def _name_on(institution: Institution, day: dt.date) -> str:
    """The name in force on ``day``; the current one when the records cannot tell."""
    name = institution.name_on(day) or institution.current_name
    if name is None:
        return institution.slug
    return f"{name.name} ({name.acronym})" if name.acronym else name.name


def _indicator_node(indicator: Indicator, rows: list[PeriodRow], end: dt.date) -> IndicatorNode:
    inside = [row for row in rows if row.in_report]
    with_value = [row for row in inside if row.value is not None]
    return IndicatorNode(
        code=str(indicator.code),
        name=indicator.name,
        owner=_name_on(indicator.owner, end),
        unit=indicator.unit,
        frequency=str(calendar.FREQUENCY_LABELS.get(indicator.frequency, indicator.frequency)),
        direction=str(rules.DIRECTION_LABELS.get(indicator.direction, indicator.direction)),
        baseline=indicator.baseline_value,
        thresholds=indicator.thresholds,
        is_synthetic=indicator.is_synthetic,
        rows=inside,
        history=rows[-HISTORY_PERIODS:],
        light=with_value[-1].light if with_value else rules.NO_DATA,
    )


def _state_node(
    state: State,
    agreements: list[Agreement],
    own_indicators: list[Indicator],
    by_goal: dict[int, list[IndicatorNode]],
    nodes: dict[int, IndicatorNode],
    end: dt.date,
) -> StateNode:
    """``own_indicators``: those owned by the state's institutions; ``by_goal``: every goal's
    indicators."""
    agreement_nodes = []
    institutions: dict[int, str] = {}
    for agreement in (a for a in agreements if a.state_id == state.pk):
        institutions[agreement.state_institution_id] = _name_on(agreement.state_institution, end)
        goal_nodes = []
        for goal in agreement.report_goals:
            goal_indicators = by_goal.get(goal.pk, [])
            goal_nodes.append(
                GoalNode(
                    number=goal.number,
                    description=goal.description,
                    due_date=goal.due_date,
                    is_synthetic=goal.is_synthetic,
                    indicators=goal_indicators,
                    rollup=rules.rollup(node.light for node in goal_indicators),
                )
            )
        agreement_nodes.append(
            AgreementNode(
                title=agreement.title,
                round=agreement.round,
                status=str(agreement.get_status_display()),
                valid_from=agreement.valid_from,
                valid_to=agreement.valid_to,
                state_institution=institutions[agreement.state_institution_id],
                is_synthetic=agreement.is_synthetic,
                goals=goal_nodes,
                rollup=rules.rollup(goal.rollup.colour for goal in goal_nodes),
            )
        )
    others = []
    for indicator in own_indicators:
        # Indicators of goals outside the report belong to those agreements' reports;
        # an institutional indicator without periods in this one has nothing to say here.
        node = nodes[indicator.pk]
        if not indicator.goals.all() and node.rows:
            others.append(nodes[indicator.pk])
            institutions.setdefault(indicator.owner_id, _name_on(indicator.owner, end))
    colours = [goal.rollup.colour for a in agreement_nodes for goal in a.goals] + [
        node.light for node in others
    ]
    return StateNode(
        code=state.code,
        name=state.name,
        institutions=sorted(set(institutions.values())),
        agreements=agreement_nodes,
        other_indicators=others,
        rollup=rules.rollup(colours),
    )


def _national_rollup(states: list[StateNode]) -> rules.Rollup:
    return rules.rollup(state.rollup.colour for state in states)


def _has_synthetic(states: list[StateNode]) -> bool:
    for state in states:
        if any(a.is_synthetic or any(g.is_synthetic for g in a.goals) for a in state.agreements):
            return True
        for indicator in state.indicators():
            if indicator.is_synthetic or any(row.is_synthetic for row in indicator.rows):
                return True
    return False
