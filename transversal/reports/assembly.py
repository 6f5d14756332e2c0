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

Which agreements
    The state's convenios in force in the report's year(s) (a quarter's report
    shows the convenios of its whole year): not in draft, with a validity that
    overlaps those years. Each shows its status on the report's last day
    (``agreements.models.status_on``: a signed convenio is concluded once its
    end date passes) and its parties named on the signing date. A state report
    without one names the state's most recent convenio instead.

What a state report details
    For each approved value inside the report: its breakdowns (the sheet's
    dimensions, with Spanish category names; a dimension the sheet lists but the
    value lacks says so), the narrative, the evidence files with their SHA-256,
    the reviewer and the approval date. A person who sees an indicator only
    because it is public (another institution's) gets its table without these
    details.

What the national report shows of each state
    Its convenios in force with their parties, dates and goals; each goal's
    light and its indicators counted by light; its institutional indicators
    counted by light; and its few indicators in "Crítico" with the lowest
    progress (``StateNode.attention``). Every indicator, with its periods and
    details, is in the state's own report: a national report with one row
    per indicator grew with the country (3,200 rows at size M) and took half
    a minute to lay out. The states with neither a convenio in force nor
    indicators with periods in the report are listed once.

Inter-institutional coordination
    The coordination systems (``transversal.coordination``) of the report's
    years, seen on the day the report is made (an acuerdo's status is not
    dated, so "vencido" is as of today). A state report lists the state's
    systems (state and municipal) with their legal basis and their sessions of
    those years (the quorum of each held one with its attendance recorded),
    the acuerdos adopted in them counted as ``coordination.selectors.
    state_coordination`` counts them, and the overdue ones (folio, shortened
    text, responsibles, due date). The national report adds one table of the
    32 states (systems, sessions held and planned, acuerdos, overdue, share
    fulfilled on time); a state without a system says so. Both cost a fixed
    number of queries: two per year for the figures, plus eight for a state's
    lists or one for the national count of systems.

The model's cycle and continuous improvement
    The improvement step (``transversal.improvement``), also seen on the day the
    report is made. A state report shows the cycle of the state's institute
    (plan, execute, verify, improve: ``improvement.selectors.cycle``, one column
    per year of the report; withheld from a person who does not read the
    institute), the state's evaluations, findings and ASM of those years counted
    as ``improvement.selectors.state_improvement`` counts them, the evaluations
    (with their findings counted) and the ASM answering the findings of those
    years (label, shortened text, classification, priority, responsibles, due
    date, status with "vencido", day verified), the lists holding what the
    person may read (``improvement.report_selectors``). The national report adds
    one table of the 32 states (evaluations, findings, ASM open, overdue and
    verified, share verified). A state report costs eight queries a year for the
    cycle and three for the figures, plus nine for the institute and the lists;
    the national one three a year and one for the demo marks, with no query per
    state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope, can_read
from transversal.agreements.models import Agreement, AgreementStatus, Goal, status_on
from transversal.agreements.selectors import visible_agreements
from transversal.coordination.report_selectors import (
    OverdueAcuerdo,
    SessionLine,
    SystemLine,
    overdue_acuerdos,
    state_systems,
    systems_per_state,
)
from transversal.coordination.selectors import StateCoordination, state_coordination
from transversal.core.templatetags.transversal import format_mx
from transversal.improvement.report_selectors import (
    ActionLine,
    EvaluationLine,
    institute_cycles,
    state_actions,
    state_evaluations,
    state_institute,
    synthetic_states,
)
from transversal.improvement.selectors import Cycle, StateImprovement, state_improvement
from transversal.institutions.models import Institution, InstitutionKind, display_name
from transversal.monitoring import periods as calendar
from transversal.monitoring import rules
from transversal.monitoring.models import (
    DISAGGREGATION_ORDER,
    PARTITION_CATEGORIES,
    DisaggregatedValue,
    Disaggregation,
    Evidence,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    UpdateStatus,
)
from transversal.monitoring.selectors import indicators_for
from transversal.territory.models import State

STATE = "state"
NATIONAL = "national"
# Periods before the report's that its charts show for context (the tables show only the report's).
HISTORY_PERIODS = 8
# The national report lists, per state, at most this many indicators in "Crítico".
ATTENTION_LIMIT = 3
# An overdue acuerdo's text in a report: its first characters (the folio leads to the rest).
ACUERDO_TEXT_LIMIT = 160
# An ASM's text in a report: its first characters (its label leads to the rest).
ASM_TEXT_LIMIT = 160


class ReportError(ValueError):
    """A report that cannot be built; the message is Spanish and meant for the person asking."""


@dataclass
class BreakdownGroup:
    """One disaggregation of an approved value: its Spanish name and (category, value) pairs;
    no pairs when the sheet lists the dimension but the value came without it."""

    dimension: str
    items: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class EvidenceItem:
    name: str
    sha256: str
    description: str


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
    # Details of the approved value: filled for the report's own periods of a state report.
    narrative: str = ""
    reviewer: str = ""
    breakdown: list[BreakdownGroup] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)

    @property
    def light_label(self) -> str:
        return str(rules.LABELS[self.light])

    @property
    def approved_on(self) -> dt.date | None:
        return timezone.localtime(self.approved_at).date() if self.approved_at else None


@dataclass
class IndicatorNode:
    code: str
    name: str
    owner: str
    unit: str
    measure: str
    frequency: str
    direction: str
    baseline: Decimal | None
    thresholds: rules.Thresholds
    is_synthetic: bool
    rows: list[PeriodRow] = field(default_factory=list)  # inside the report's period
    history: list[PeriodRow] = field(default_factory=list)  # up to the report's end, for charts
    light: str = rules.NO_DATA
    # Seen only because it is public: its values, not its breakdowns, narrative or evidence.
    details_withheld: bool = False

    @property
    def light_label(self) -> str:
        return str(rules.LABELS[self.light])

    @property
    def has_data(self) -> bool:
        return any(row.value is not None for row in self.rows)

    @property
    def latest(self) -> PeriodRow | None:
        """The latest period inside the report with an approved value (the one that sets the
        light), else the latest period inside the report."""
        with_value = [row for row in self.rows if row.value is not None]
        if with_value:
            return with_value[-1]
        return self.rows[-1] if self.rows else None


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
    signed_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    national_institution: str  # the parties, named as on the signing date
    state_institution: str
    is_synthetic: bool
    goals: list[GoalNode] = field(default_factory=list)
    rollup: rules.Rollup = field(default_factory=lambda: rules.rollup([]))

    @property
    def goals_all_synthetic(self) -> bool:
        """Every goal is invented: one «dato sintético» mark for the goal table, not one a row
        (a table of ten marks reads as noise and doubles the national report's pages)."""
        return bool(self.goals) and all(goal.is_synthetic for goal in self.goals)


@dataclass
class SessionRow:
    """One session of a system in the report's years, as the report shows it."""

    name: str  # "Ordinaria O-2"
    date: dt.date
    status: str  # "Celebrada", "Programada (vencida)", "Cancelada"
    overdue: bool
    quorum: str  # held: who was present against the quorum; otherwise "—"
    acuerdos: int


@dataclass
class SystemNode:
    name: str
    acronym: str
    scope: str  # "Estatal · Igualdad entre mujeres y hombres"
    legal_basis: str  # the instrument and its date
    is_synthetic: bool = False  # a demo system, with its sessions
    sessions: list[SessionRow] = field(default_factory=list)


@dataclass
class CoordinationNode:
    """A state's coordination in the report's years: its systems with their sessions, the
    acuerdos adopted in them counted, and the overdue ones."""

    systems: list[SystemNode]
    figures: StateCoordination
    overdue: list[OverdueAcuerdo] = field(default_factory=list)

    @property
    def has_overdue_sessions(self) -> bool:
        return any(session.overdue for system in self.systems for session in system.sessions)

    @property
    def has_synthetic(self) -> bool:
        return any(system.is_synthetic for system in self.systems) or any(
            acuerdo.is_synthetic for acuerdo in self.overdue
        )


@dataclass
class CoordinationRow:
    """A state's line in the national report's coordination table; ``figures`` None when the
    state has no system registered."""

    state: str
    systems: int
    figures: StateCoordination | None
    is_synthetic: bool = False  # some of its systems are demo systems


@dataclass
class CycleLine:
    """One figure of the model's cycle, a value per year of the report; ``stage`` only on the
    first line of each stage."""

    stage: str
    label: str
    values: list[int]


@dataclass
class ImprovementNode:
    """A state's model cycle and improvement step in the report's years: its institute's cycle,
    the state's evaluations, findings and ASM counted, the evaluations and the ASM."""

    institute: str  # named with its acronym; "" when the state has none registered
    years: list[int]
    figures: StateImprovement
    cycle: list[CycleLine] = field(default_factory=list)
    cycle_withheld: bool = False  # the person does not read the institute
    evaluations: list[EvaluationLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)
    is_synthetic: bool = False  # the state's records of the years include demo ones

    @property
    def has_records(self) -> bool:
        figures = self.figures
        return bool(
            figures.evaluations
            or figures.findings
            or figures.asm
            or self.evaluations
            or self.actions
        )

    @property
    def has_overdue(self) -> bool:
        return any(action.overdue for action in self.actions)

    @property
    def has_synthetic(self) -> bool:
        return (
            self.is_synthetic
            or any(e.is_synthetic for e in self.evaluations)
            or any(a.is_synthetic for a in self.actions)
        )


@dataclass
class ImprovementRow:
    """A state's line in the national report's improvement table; ``figures`` None when the
    state recorded nothing in the report's years."""

    state: str
    figures: StateImprovement | None
    is_synthetic: bool = False


@dataclass
class StateNode:
    code: str
    name: str
    short_name: str
    institutions: list[str]
    agreements: list[AgreementNode] = field(default_factory=list)
    other_indicators: list[IndicatorNode] = field(default_factory=list)
    rollup: rules.Rollup = field(default_factory=lambda: rules.rollup([]))
    # State reports without a convenio in force: the latest one, as a sentence.
    latest_agreement: str = ""
    # State reports: its coordination systems, sessions and acuerdos.
    coordination: CoordinationNode | None = None
    # State reports: its institute's model cycle, evaluations and ASM.
    improvement: ImprovementNode | None = None

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

    def attention(self, limit: int = ATTENTION_LIMIT) -> list[IndicatorNode]:
        """Its indicators in "Crítico", the lowest progress first (then by name): the few the
        national report names."""
        red = [node for node in self.indicators() if node.light == rules.RED]

        def progress(node: IndicatorNode) -> tuple:
            row = node.latest
            value = row.progress if row is not None else None
            return (value is None, value if value is not None else 0, node.name)

        return sorted(red, key=progress)[:limit]

    def attention_count(self) -> int:
        return self.indicator_counts()[rules.RED]


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
    # National report: states with neither a convenio in force nor indicators in the period.
    states_without_data: list[str] = field(default_factory=list)
    # The day the coordination figures are read (acuerdos fall overdue as days pass).
    coordination_on: dt.date | None = None
    # National report: every state's coordination, then the national total.
    coordination_rows: list[CoordinationRow] = field(default_factory=list)
    coordination_total: StateCoordination | None = None
    # National report: every state's evaluations, findings and ASM, then the national total.
    improvement_rows: list[ImprovementRow] = field(default_factory=list)
    improvement_total: StateImprovement | None = None
    legend: list[tuple[str, str, str]] = field(default_factory=lambda: list(rules.LEGEND))
    rollup_legend: list[tuple[str, str, str]] = field(
        default_factory=lambda: list(rules.ROLLUP_LEGEND)
    )

    @property
    def coordination_systems(self) -> int:
        """National report: the systems of every state."""
        return sum(row.systems for row in self.coordination_rows)

    @property
    def per_indicator(self) -> bool:
        """State reports detail every indicator; the national one stops at goals (counts by
        light)."""
        return self.kind == STATE

    @property
    def years_display(self) -> str:
        """The years whose convenios the report shows: "2025" or "2024–2025"."""
        first, last = self.start.year, self.end.year
        return str(first) if first == last else f"{first}–{last}"

    @property
    def filename_stem(self) -> str:
        return report_stem(
            None if self.kind == NATIONAL else self.states[0].short_name, self.period_label
        )


def report_stem(state_short_name: str | None, period_label: str) -> str:
    """``reporte-durango-2025-T3``, ``reporte-nacional-2025``: the state's short name as an ASCII
    slug, then the period label the report was asked for (a year, or one period of it)."""
    scope = "nacional" if state_short_name is None else slugify(state_short_name) or "entidad"
    return f"reporte-{scope}-{period_label}"


def report_filename(state: State | None, period_label: str, fmt: str) -> str:
    return f"{report_stem(state.short_name if state else None, period_label)}.{fmt}"


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
    # Only state reports chart indicators over time and detail each value; the national one
    # needs the report's periods.
    withheld = (
        set() if scope is None else {i.pk for i in indicators if not can_read(scope, i.owner)}
    )
    rows = _period_rows(indicators, start, end, details=state is not None, withheld=withheld)
    if not any(
        row.value is not None for ind_rows in rows.values() for row in ind_rows if row.in_report
    ):
        where = state.short_name if state is not None else "ninguna entidad"
        raise ReportError(
            f"No hay datos para {calendar.period_display(label)} en {where}: ningún indicador "
            "tiene un avance aprobado en ese periodo. Elija otro periodo."
        )
    owners: dict[int, str] = {}  # an institution's name on the end date, once per institution
    for ind in indicators:
        if ind.owner_id not in owners:
            owners[ind.owner_id] = display_name(ind.owner, end, acronym=True)
    nodes = {
        ind.pk: _indicator_node(ind, rows.get(ind.pk, []), end, owners[ind.owner_id])
        for ind in indicators
    }
    for pk in withheld if state is not None else ():
        nodes[pk].details_withheld = True
    goals_of = _goals_of(indicators)
    by_goal: dict[int, list[IndicatorNode]] = {}
    by_state: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        for goal_id in goals_of.get(indicator.pk, ()):
            by_goal.setdefault(goal_id, []).append(nodes[indicator.pk])
        by_state.setdefault(indicator.owner.state_id, []).append(indicator)
    state_nodes = [
        _state_node(s, agreements, by_state.get(s.pk, []), by_goal, nodes, end, goals_of)
        for s in states
    ]
    if state is not None and not state_nodes[0].agreements:
        state_nodes[0].latest_agreement = _latest_agreement(state, end, scope)
    today = timezone.localdate()
    coordination_rows, coordination_total = [], None
    improvement_rows, improvement_total = [], None
    if state is not None:
        state_nodes[0].coordination = _coordination(state, start, end, today, scope)
        state_nodes[0].improvement = _improvement(state, start, end, today, scope)
    else:
        coordination_rows, coordination_total = _coordination_table(
            states, start, end, today, scope
        )
        improvement_rows, improvement_total = _improvement_table(states, start, end, today)
    without_data = []
    if state is None:
        without_data = [s.name for s in state_nodes if not (s.agreements or s.other_indicators)]
        state_nodes = [s for s in state_nodes if s.agreements or s.other_indicators]
    included = [row for node in nodes.values() for row in node.rows if row.value is not None]
    national = Institution.objects.with_names().filter(kind=InstitutionKind.NATIONAL).first()
    scope_label = state.short_name if state is not None else "Nacional"
    return Report(
        kind=STATE if state is not None else NATIONAL,
        title=f"Reporte estatal de avance: {state.short_name}"
        if state is not None
        else "Reporte nacional de avance",
        scope_label=scope_label,
        period_label=label,
        period_display=calendar.period_display(label),
        start=start,
        end=end,
        generated_at=timezone.localtime(),
        cutoff=max((row.approved_at for row in included if row.approved_at), default=None),
        national_institution=display_name(national, end, acronym=True),
        states=state_nodes,
        rollup=_national_rollup(state_nodes) if state is None else state_nodes[0].rollup,
        has_synthetic=_has_synthetic(state_nodes)
        or any(row.is_synthetic for row in coordination_rows)
        or any(row.is_synthetic for row in improvement_rows),
        states_without_data=without_data,
        coordination_on=today,
        coordination_rows=coordination_rows,
        coordination_total=coordination_total,
        improvement_rows=improvement_rows,
        improvement_total=improvement_total,
    )


# ---------------------------------------------------------------------------
# Queries (each function one or two queries, whatever the number of rows)
# ---------------------------------------------------------------------------


def _agreements(
    state_ids: list[int], start: dt.date, end: dt.date, scope: Scope | None
) -> list[Agreement]:
    """Agreements in force in the report's years, both parties' names and their goals: four
    queries."""
    from django.db.models import Prefetch

    first_day, last_day = dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    queryset = visible_agreements(scope) if scope is not None else Agreement.objects.all()
    agreements = list(
        queryset.filter(state_id__in=state_ids)
        .exclude(status=AgreementStatus.DRAFT)
        .filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=last_day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=first_day),
        )
        .select_related("state", "state_institution__state", "national_institution")
        .prefetch_related(
            "state_institution__names",
            "national_institution__names",
            Prefetch("goals", queryset=Goal.objects.order_by("number"), to_attr="report_goals"),
        )
        .order_by("state__code", "valid_from", "title")
    )
    return agreements


def _indicators(state_ids: list[int], goal_ids: list[int], scope: Scope | None) -> list[Indicator]:
    """Indicators of the states' institutions or of the goals, with their owners' names: two
    queries (their goals come from ``_goals_of``)."""
    queryset = (
        indicators_for(scope)
        if scope is not None
        else Indicator.objects.select_related("owner__state").prefetch_related("owner__names")
    )
    return list(
        queryset.filter(Q(owner__state_id__in=state_ids) | Q(goals__in=goal_ids))
        .distinct()
        .order_by("owner__state__code", "name")
    )


def _goals_of(indicators: list[Indicator]) -> dict[int, list[int]]:
    """Each indicator's goal keys: one query on the link table (prefetching the goals built a
    queryset per indicator, most of a national report's assembly time)."""
    found: dict[int, list[int]] = {}
    links = Indicator.goals.through.objects.filter(
        indicator_id__in=[indicator.pk for indicator in indicators]
    ).values_list("indicator_id", "goal_id")
    for indicator_id, goal_id in links:
        found.setdefault(indicator_id, []).append(goal_id)
    return found


def _period_rows(
    indicators: list[Indicator],
    start: dt.date,
    end: dt.date,
    *,
    details: bool = True,
    withheld: set[int] = frozenset(),
) -> dict[int, list[PeriodRow]]:
    """Periods up to the report's end (the report's own and, with ``details``, a few before for
    the charts) with their latest approved value and reviewer: two queries; with ``details``,
    two more for the breakdowns and evidence of the report's own values, except for the
    indicators in ``withheld``."""
    history_from = dt.date(start.year - 3, 1, 1) if details else start
    indicator_ids = [i.pk for i in indicators]
    # Plain tuples, not model instances: a national report reads tens of thousands of rows.
    periods = list(
        ReportingPeriod.objects.filter(
            indicator__in=indicator_ids, start__gte=history_from, end__lte=end
        )
        .order_by("indicator_id", "start")
        .values_list("pk", "indicator_id", "label", "start", "end", "target", named=True)
    )
    approved: dict[int, tuple] = {}
    for update in (
        ProgressUpdate.objects.filter(
            # The same periods by a join rather than a list of thousands of keys.
            period__indicator__in=indicator_ids,
            period__start__gte=history_from,
            period__end__lte=end,
            status=UpdateStatus.APPROVED,
        )
        .order_by("period_id", "revision")
        .values_list(
            "pk",
            "period_id",
            "value",
            "progress",
            "light",
            "overachieved",
            "below_baseline",
            "reviewed_at",
            "is_synthetic",
            # The reviewer and narrative only where values are detailed (state reports).
            *(("narrative", "reviewed_by__full_name", "reviewed_by__email") if details else ()),
            named=True,
        )
    ):
        approved[update.period_id] = update  # the latest approved revision wins
    breakdowns: dict[int, list[DisaggregatedValue]] = {}
    evidence: dict[int, list[EvidenceItem]] = {}
    shown = {
        approved[p.pk].pk
        for p in periods
        if details and p.start >= start and p.pk in approved and p.indicator_id not in withheld
    }
    if shown:
        breakdowns, evidence = _details(sorted(shown))
    listed = {indicator.pk: indicator.all_disaggregations for indicator in indicators}
    displays: dict[str, str] = {}
    rows: dict[int, list[PeriodRow]] = {}
    for period in periods:
        update = approved.get(period.pk)
        display = displays.get(period.label)
        if display is None:
            display = displays[period.label] = calendar.period_display(period.label)
        row = PeriodRow(
            label=period.label,
            display=display,
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
        if update is not None and update.pk in shown:
            row.narrative = update.narrative
            row.reviewer = update.reviewed_by__full_name or update.reviewed_by__email or ""
            row.breakdown = _breakdown_groups(
                listed[period.indicator_id], breakdowns.get(update.pk, [])
            )
            row.evidence = evidence.get(update.pk, [])
        rows.setdefault(period.indicator_id, []).append(row)
    return rows


def _details(
    update_ids: list[int],
) -> tuple[dict[int, list[DisaggregatedValue]], dict[int, list[EvidenceItem]]]:
    """Breakdowns and evidence files of these updates: two queries."""
    breakdowns: dict[int, list[DisaggregatedValue]] = {}
    for value in DisaggregatedValue.objects.filter(update_id__in=update_ids).only(
        "update_id", "dimension", "category", "value"
    ):
        breakdowns.setdefault(value.update_id, []).append(value)
    evidence: dict[int, list[EvidenceItem]] = {}
    for item in (
        Evidence.objects.filter(update_id__in=update_ids)
        .only("update_id", "original_name", "sha256", "description")
        .order_by("update_id", "created_at", "id")
    ):
        evidence.setdefault(item.update_id, []).append(
            EvidenceItem(name=item.original_name, sha256=item.sha256, description=item.description)
        )
    return breakdowns, evidence


def _breakdown_groups(listed: list[str], values: list[DisaggregatedValue]) -> list[BreakdownGroup]:
    """The sheet's dimensions and any other the value carries, in the sheet's order, with their
    categories in the form's order (Mujeres, Hombres, No especificado; age groups by age)."""
    by_dimension: dict[str, list[DisaggregatedValue]] = {}
    for value in values:
        by_dimension.setdefault(value.dimension, []).append(value)
    dimensions = [d for d in DISAGGREGATION_ORDER if d in listed or d in by_dimension]
    dimensions += [d for d in by_dimension if d not in dimensions]
    groups = []
    for dimension in dimensions:
        order = [code for code, _label in PARTITION_CATEGORIES.get(dimension, ())]
        found = sorted(
            by_dimension.get(dimension, []),
            key=lambda v: (
                order.index(v.category) if v.category in order else len(order),
                v.category,
            ),
        )
        label = Disaggregation(dimension).label if dimension in Disaggregation.values else dimension
        groups.append(
            BreakdownGroup(dimension=str(label), items=[(v.category_label, v.value) for v in found])
        )
    return groups


# ---------------------------------------------------------------------------
# Tree
# ---------------------------------------------------------------------------


def _indicator_node(
    indicator: Indicator, rows: list[PeriodRow], end: dt.date, owner: str
) -> IndicatorNode:
    inside = [row for row in rows if row.in_report]
    with_value = [row for row in inside if row.value is not None]
    return IndicatorNode(
        code=str(indicator.code),
        name=indicator.name,
        owner=owner,
        unit=indicator.unit,
        measure=indicator.measure,
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
    goals_of: dict[int, list[int]],
) -> StateNode:
    """``own_indicators``: those owned by the state's institutions; ``by_goal``: every goal's
    indicators; ``goals_of``: every indicator's goal keys."""
    agreement_nodes = []
    institutions: dict[int, str] = {}
    for agreement in (a for a in agreements if a.state_id == state.pk):
        institutions[agreement.state_institution_id] = display_name(
            agreement.state_institution, end, acronym=True
        )
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
                status=_status_label(agreement, end),
                signed_on=agreement.signed_on,
                valid_from=agreement.valid_from,
                valid_to=agreement.valid_to,
                national_institution=agreement.national_party,
                state_institution=agreement.state_party,
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
        if not goals_of.get(indicator.pk) and node.rows:
            others.append(nodes[indicator.pk])
            institutions.setdefault(
                indicator.owner_id, display_name(indicator.owner, end, acronym=True)
            )
    colours = [goal.rollup.colour for a in agreement_nodes for goal in a.goals] + [
        node.light for node in others
    ]
    return StateNode(
        code=state.code,
        name=state.short_name,
        short_name=state.short_name,
        institutions=sorted(set(institutions.values())),
        agreements=agreement_nodes,
        other_indicators=others,
        rollup=rules.rollup(colours),
    )


def _status_label(agreement: Agreement, end: dt.date) -> str:
    """Its status on the report's last day (today for a period not over yet)."""
    day = min(end, timezone.localdate())
    return str(
        AgreementStatus(
            status_on(agreement.status, agreement.valid_from, agreement.valid_to, day)
        ).label
    )


def _latest_agreement(state: State, end: dt.date, scope: Scope | None) -> str:
    """A sentence naming the state's most recent convenio started by ``end``: one query."""
    queryset = visible_agreements(scope) if scope is not None else Agreement.objects.all()
    agreement = (
        queryset.filter(state=state)
        .exclude(status=AgreementStatus.DRAFT)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )
    if agreement is None:
        return ""
    return _(
        "Su convenio más reciente es «%(title)s» (vigencia %(start)s – %(end)s; %(status)s)."
    ) % {
        "title": agreement.title,
        "start": f"{agreement.valid_from:%d/%m/%Y}" if agreement.valid_from else "—",
        "end": f"{agreement.valid_to:%d/%m/%Y}" if agreement.valid_to else "—",
        "status": _status_label(agreement, end).lower(),
    }


# ---------------------------------------------------------------------------
# Inter-institutional coordination
# ---------------------------------------------------------------------------


def _coordination_figures(
    start: dt.date, end: dt.date, today: dt.date, state_ids: list[int] | None
) -> dict[int, StateCoordination]:
    """``state_coordination`` over the report's years, added up: two queries a year."""
    totals: dict[int, StateCoordination] = {}
    for year in range(start.year, end.year + 1):
        for state_id, figures in state_coordination(year, today, state_ids).items():
            totals[state_id] = _add(totals.get(state_id, StateCoordination()), figures)
    return totals


def _add(a: StateCoordination, b: StateCoordination) -> StateCoordination:
    return StateCoordination(
        **{f.name: getattr(a, f.name) + getattr(b, f.name) for f in fields(StateCoordination)}
    )


def _coordination(
    state: State, start: dt.date, end: dt.date, today: dt.date, scope: Scope | None
) -> CoordinationNode:
    """A state's systems, sessions and acuerdos in the report's years: two queries a year for
    the figures, four for the systems and sessions, four for the overdue acuerdos."""
    years = range(start.year, end.year + 1)
    figures = _coordination_figures(start, end, today, [state.pk])
    overdue = [
        replace(item, text=Truncator(item.text).chars(ACUERDO_TEXT_LIMIT))
        for item in overdue_acuerdos(state.pk, years, today, scope)
    ]
    return CoordinationNode(
        systems=[_system_node(line) for line in state_systems(state.pk, years, today, scope)],
        figures=figures.get(state.pk, StateCoordination()),
        overdue=overdue,
    )


def _system_node(line: SystemLine) -> SystemNode:
    basis = line.legal_instrument
    if line.legal_date:
        basis = f"{basis} ({line.legal_date:%d/%m/%Y})"
    return SystemNode(
        name=line.name,
        acronym=line.acronym,
        scope=f"{line.level} · {line.topic}",
        legal_basis=basis,
        is_synthetic=line.is_synthetic,
        sessions=[_session_row(session) for session in line.sessions],
    )


def _session_row(line: SessionLine) -> SessionRow:
    status = line.status
    if line.overdue:
        status = _("%(status)s (vencida)") % {"status": status}
    if line.quorum is not None:
        verdict = _("Hay quórum") if line.quorum.met else _("No hay quórum")
        quorum = _(
            "%(verdict)s: %(present)s de %(voting)s integrantes con voto (se requieren "
            "%(required)s)"
        ) % {
            "verdict": verdict,
            "present": format_mx(line.quorum.present),
            "voting": format_mx(line.quorum.voting),
            "required": format_mx(line.quorum.required),
        }
    elif line.held:
        quorum = _("Sin lista de asistencia registrada")
    else:
        quorum = "—"
    return SessionRow(
        name=f"{line.kind} {line.label}",
        date=line.date,
        status=status,
        overdue=line.overdue,
        quorum=quorum,
        acuerdos=line.resolution_count,
    )


def _coordination_table(
    states: list[State], start: dt.date, end: dt.date, today: dt.date, scope: Scope | None
) -> tuple[list[CoordinationRow], StateCoordination]:
    """Every state's line and the national total: two queries a year and one for the count of
    systems, whatever the number of states (no query per state)."""
    figures = _coordination_figures(start, end, today, None)
    systems = systems_per_state(scope)
    rows, total = [], StateCoordination()
    for state in states:
        count = systems.get(state.pk)
        found = figures.get(state.pk, StateCoordination()) if count else None
        rows.append(
            CoordinationRow(
                state=state.short_name,
                systems=count.total if count else 0,
                figures=found,
                is_synthetic=bool(count and count.synthetic),
            )
        )
        if found is not None:
            total = _add(total, found)
    return rows, total


# ---------------------------------------------------------------------------
# The model's cycle and continuous improvement
# ---------------------------------------------------------------------------


def _improvement_figures(
    years: list[int], today: dt.date, state_ids: list[int] | None
) -> dict[int, StateImprovement]:
    """``state_improvement`` over the report's years, added up: three queries a year."""
    totals: dict[int, StateImprovement] = {}
    for year in years:
        for state_id, figures in state_improvement(year, today, state_ids).items():
            totals[state_id] = _add_improvement(totals.get(state_id, StateImprovement()), figures)
    return totals


def _add_improvement(a: StateImprovement, b: StateImprovement) -> StateImprovement:
    return StateImprovement(
        **{f.name: getattr(a, f.name) + getattr(b, f.name) for f in fields(StateImprovement)}
    )


def _improvement(
    state: State, start: dt.date, end: dt.date, today: dt.date, scope: Scope | None
) -> ImprovementNode:
    """The state's institute's cycle and the state's evaluations and ASM in the report's years:
    two queries for the institute, eight a year for its cycle and three for the figures, two
    for the evaluations, four for the ASM and one for the demo mark."""
    years = list(range(start.year, end.year + 1))
    institute = state_institute(state.pk)
    withheld = institute is not None and scope is not None and not can_read(scope, institute)
    cycles = institute_cycles(institute, years, today) if institute and not withheld else []
    actions = [
        replace(
            item,
            text=Truncator(item.text).chars(ASM_TEXT_LIMIT),
            status=_("%(status)s (vencido)") % {"status": item.status}
            if item.overdue
            else item.status,
        )
        for item in state_actions(state.pk, years, today, scope)
    ]
    return ImprovementNode(
        # Named as today, like the lists and the rest of the section ("situación al …").
        institute=display_name(institute, acronym=True) if institute else "",
        years=years,
        figures=_improvement_figures(years, today, [state.pk]).get(state.pk, StateImprovement()),
        cycle=_cycle_lines(cycles),
        cycle_withheld=withheld,
        evaluations=state_evaluations(state.pk, years, scope),
        actions=actions,
        is_synthetic=state.pk in synthetic_states(years, [state.pk]),
    )


def _cycle_lines(cycles: list[Cycle]) -> list[CycleLine]:
    """The four stages' figures, one value per year (the lights are today's, the same in every
    year's column)."""
    if not cycles:
        return []
    plan, execute, verify, improve = _("Planear"), _("Ejecutar"), _("Verificar"), _("Mejorar")
    getters = [
        (plan, _("Planes y programas vigentes"), lambda c: len(c.plans)),
        (None, _("De ellos, integran el modelo"), lambda c: sum(p.in_model for p in c.plans)),
        (None, _("Elementos sin alineación"), lambda c: c.gap_count),
        (execute, _("Periodos de reporte que vencen en el año"), lambda c: c.execute["total"]),
        (None, _("Aprobados"), lambda c: c.execute["approved"]),
        (None, _("En revisión"), lambda c: c.execute["submitted"]),
        (None, _("Devueltos con observaciones"), lambda c: c.execute["returned"]),
        (None, _("Vencidos sin reporte enviado"), lambda c: c.execute["overdue"]),
        (None, _("Por reportar, aún en plazo"), lambda c: c.execute["upcoming"]),
        (verify, _("Reportes aprobados en el año"), lambda c: c.verify["approved"]),
        (None, _("Reportes devueltos, aún sin reenviar"), lambda c: c.verify["returned"]),
        (None, _("Evaluaciones del año"), lambda c: c.verify["evaluations"]),
        *(
            (None, _("Indicadores en «%(light)s» hoy") % {"light": label}, _light_getter(colour))
            for colour, label in (
                (rules.RED, rules.LABELS[rules.RED]),
                (rules.YELLOW, rules.LABELS[rules.YELLOW]),
                (rules.GREEN, rules.LABELS[rules.GREEN]),
                (rules.NO_DATA, rules.LABELS[rules.NO_DATA]),
            )
        ),
        (improve, _("Hallazgos del año"), lambda c: c.improve["findings"]),
        (None, _("Propuestos por decidir"), lambda c: c.improve["proposed"]),
        (None, _("ASM abiertos o en proceso"), lambda c: c.improve["open"]),
        (None, _("ASM vencidos"), lambda c: c.improve["overdue"]),
        (None, _("ASM atendidos, por verificar"), lambda c: c.improve["done"]),
        (None, _("ASM verificados"), lambda c: c.improve["verified"]),
        (None, _("ASM cancelados"), lambda c: c.improve["cancelled"]),
    ]
    return [
        CycleLine(stage=stage or "", label=label, values=[get(c) for c in cycles])
        for stage, label, get in getters
    ]


def _light_getter(colour: str):
    return lambda c: c.verify[colour]


def _improvement_table(
    states: list[State], start: dt.date, end: dt.date, today: dt.date
) -> tuple[list[ImprovementRow], StateImprovement]:
    """Every state's line and the national total: three queries a year and one for the demo
    marks, whatever the number of states (no query per state)."""
    years = list(range(start.year, end.year + 1))
    figures = _improvement_figures(years, today, None)
    synthetic = synthetic_states(years)
    rows, total = [], StateImprovement()
    for state in states:
        found = figures.get(state.pk)
        rows.append(
            ImprovementRow(
                state=state.short_name, figures=found, is_synthetic=state.pk in synthetic
            )
        )
        if found is not None:
            total = _add_improvement(total, found)
    return rows, total


def _national_rollup(states: list[StateNode]) -> rules.Rollup:
    return rules.rollup(state.rollup.colour for state in states)


def _has_synthetic(states: list[StateNode]) -> bool:
    for state in states:
        if state.coordination is not None and state.coordination.has_synthetic:
            return True
        if state.improvement is not None and state.improvement.has_synthetic:
            return True
        if any(a.is_synthetic or any(g.is_synthetic for g in a.goals) for a in state.agreements):
            return True
        for indicator in state.indicators():
            if indicator.is_synthetic or any(row.is_synthetic for row in indicator.rows):
                return True
    return False
