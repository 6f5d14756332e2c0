"""The national board of the convenio's yearly cycle: for one year, where each of the 32 states
stands (its convenio, its programme's stage, each quarterly report, the closure and the
observations it has not answered), the national totals and the list of observations pending.

Every function here issues a fixed number of queries whatever the number of states,
programmes, reports or observations (the dashboards' query-count tests hold them to it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.agreements.models import Agreement, AgreementStatus
from transversal.territory.models import State
from transversal.workprogrammes.models import (
    AWAITING_NATIONAL,
    QUARTERS,
    SENT_STATUSES,
    Observation,
    QuarterlyReport,
    ReportStatus,
    Stage,
    WorkProgramme,
)
from transversal.workprogrammes.selectors import pending_observations

NO_PROGRAMME = "none"  # the stage of a state without a programme of the year
NO_REPORT = "none"  # the status of a quarter without a report
# Stages past the national validation.
VALIDATED_STAGES = (Stage.VALIDATED, Stage.IN_EXECUTION, Stage.CLOSED)
# A report counts as sent from its sending on (an observed one was sent and came back).
# Convenios that may hold a programme: signed at some point (programme_create's rule).
SIGNED_STATUSES = (AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.CONCLUDED)


def stage_label(stage: str) -> str:
    return _("Sin programa") if stage == NO_PROGRAMME else str(Stage(stage).label)


def report_label(status: str) -> str:
    return _("Sin informe") if status == NO_REPORT else str(ReportStatus(status).label)


@dataclass(frozen=True)
class QuarterCell:
    """One quarterly report of a programme as the board shows it."""

    quarter: int
    status: str  # NO_REPORT or a ReportStatus value
    due_date: dt.date
    overdue: bool  # its due date passed without the report sent (and the year is not closed)

    @property
    def label(self) -> str:
        return report_label(self.status)

    @property
    def sent(self) -> bool:
        return self.status in SENT_STATUSES


@dataclass(frozen=True)
class StateProgramme:
    """One state's year: its convenio and, if any, its programme with the quarters."""

    state: State
    agreement: Agreement | None
    programme: WorkProgramme | None
    quarters: tuple[QuarterCell, ...] = ()
    pending_observations: int = 0

    @property
    def stage(self) -> str:
        return self.programme.stage if self.programme else NO_PROGRAMME

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)

    @property
    def validated(self) -> bool:
        return self.stage in VALIDATED_STAGES

    @property
    def closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def awaiting_national(self) -> bool:
        return self.stage in AWAITING_NATIONAL

    @property
    def reports_overdue(self) -> int:
        return sum(cell.overdue for cell in self.quarters)


@dataclass(frozen=True)
class BoardTotals:
    """The national sums (no query of their own)."""

    states: int = 0
    with_programme: int = 0
    by_stage: dict[str, int] = field(default_factory=dict)
    validated: int = 0
    awaiting_national: int = 0
    closed: int = 0
    sent: dict[int, int] = field(default_factory=dict)  # reports sent, per quarter
    received: dict[int, int] = field(default_factory=dict)  # reports received, per quarter
    reports_overdue: int = 0
    pending_observations: int = 0


@dataclass(frozen=True)
class Board:
    year: int
    today: dt.date
    rows: list[StateProgramme]
    totals: BoardTotals
    has_synthetic: bool

    def of(self, state_id: int) -> StateProgramme | None:
        return next((row for row in self.rows if row.state.pk == state_id), None)


def quarters_of(
    programme: WorkProgramme, statuses: dict[int, str], today: dt.date
) -> tuple[QuarterCell, ...]:
    """The four quarters of ``programme`` from its reports' statuses (no query)."""
    cells = []
    for quarter in QUARTERS:
        status = statuses.get(quarter, NO_REPORT)
        due = programme.report_due_date(quarter)
        sent = status not in (NO_REPORT, ReportStatus.DRAFT)
        overdue = programme.report_overdue(quarter, sent=sent, today=today)
        cells.append(QuarterCell(quarter, status, due, overdue))
    return tuple(cells)


# Within a state, the programme of its newest convenio first (one without a start date last, on
# every database).
NEWEST_CONVENIO_FIRST = (
    "agreement__state_id",
    F("agreement__valid_from").desc(nulls_last=True),
    "pk",
)


def agreements_of_year(year: int, state_ids: list[int] | None = None) -> QuerySet[Agreement]:
    """Signed convenios whose validity overlaps ``year``, newest first within each state."""
    rows = Agreement.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__year__lte=year),
        Q(valid_to__isnull=True) | Q(valid_to__year__gte=year),
        status__in=SIGNED_STATUSES,
    )
    if state_ids is not None:
        rows = rows.filter(state_id__in=state_ids)
    return rows.only(
        "code", "state_id", "state_institution_id", "title", "status", "valid_from", "valid_to"
    ).order_by("state_id", F("valid_from").desc(nulls_last=True), "pk")


def programmes_of_year(year: int, state_ids: list[int] | None = None) -> QuerySet[WorkProgramme]:
    """The year's programmes with their convenio and their count of observations not answered
    (``pending``)."""
    rows = WorkProgramme.objects.filter(year=year).select_related("agreement")
    if state_ids is not None:
        rows = rows.filter(agreement__state_id__in=state_ids)
    return rows.annotate(
        pending=Count("observations", filter=Q(observations__answered_at__isnull=True))
    ).order_by(*NEWEST_CONVENIO_FIRST)


def _report_statuses(year: int) -> dict[int, dict[int, str]]:
    rows = QuarterlyReport.objects.filter(programme__year=year)
    statuses: dict[int, dict[int, str]] = {}
    for programme_id, quarter, status in rows.values_list("programme_id", "quarter", "status"):
        statuses.setdefault(programme_id, {})[quarter] = status
    return statuses


def state_rows(year: int, today: dt.date, states: list[State]) -> list[StateProgramme]:
    """One row per state of ``states``: three queries (convenios, programmes, reports).

    A state with convenios of several rounds in force that year shows the programme of its
    newest convenio that has one, or else its newest convenio."""
    agreements: dict[int, Agreement] = {}
    for agreement in agreements_of_year(year):
        agreements.setdefault(agreement.state_id, agreement)
    programmes: dict[int, WorkProgramme] = {}
    for programme in programmes_of_year(year):
        programmes.setdefault(programme.agreement.state_id, programme)
    statuses = _report_statuses(year)
    rows = []
    for state in states:
        programme = programmes.get(state.pk)
        if programme is None:
            rows.append(StateProgramme(state, agreements.get(state.pk), None))
            continue
        rows.append(
            StateProgramme(
                state,
                programme.agreement,
                programme,
                quarters_of(programme, statuses.get(programme.pk, {}), today),
                programme.pending,
            )
        )
    return rows


def totals(rows: list[StateProgramme]) -> BoardTotals:
    stages = Counter(row.stage for row in rows)
    return BoardTotals(
        states=len(rows),
        with_programme=sum(1 for row in rows if row.programme),
        by_stage={stage: stages.get(stage, 0) for stage in (NO_PROGRAMME, *Stage.values)},
        validated=sum(1 for row in rows if row.validated),
        awaiting_national=sum(1 for row in rows if row.awaiting_national),
        closed=sum(1 for row in rows if row.closed),
        sent={
            q: sum(1 for r in rows for c in r.quarters if c.quarter == q and c.sent)
            for q in QUARTERS
        },
        received={
            q: sum(
                1
                for r in rows
                for c in r.quarters
                if c.quarter == q and c.status == ReportStatus.ACKNOWLEDGED
            )
            for q in QUARTERS
        },
        reports_overdue=sum(row.reports_overdue for row in rows),
        pending_observations=sum(row.pending_observations for row in rows),
    )


def national_board(year: int, today: dt.date | None = None) -> Board:
    """The 32 states' year: four queries (states, convenios, programmes with their pending
    observations, reports)."""
    today = today or timezone.localdate()
    rows = state_rows(year, today, list(State.objects.order_by("code")))
    synthetic = any(row.programme.is_synthetic for row in rows if row.programme)
    return Board(year, today, rows, totals(rows), synthetic)


def stage_by_state(year: int) -> dict[int, str]:
    """Each state's stage of ``year`` (states without a programme are absent): one query. The
    national dashboard's map measure reads this."""
    stages: dict[int, str] = {}
    rows = (
        WorkProgramme.objects.filter(year=year)
        .order_by(*NEWEST_CONVENIO_FIRST)
        .values_list("agreement__state_id", "stage")
    )
    for state_id, stage in rows:
        stages.setdefault(state_id, stage)
    return stages


@dataclass(frozen=True)
class PendingObservation:
    """One observation of the national institution the state has not answered yet."""

    observation: Observation
    state: State
    programme: WorkProgramme
    subject: str  # "Programa", "Meta 3" or "Informe del 2.º trimestre"
    days_waiting: int


def observation_subject(observation: Observation) -> str:
    if observation.report_id:
        return _("Informe del trimestre %(q)s") % {"q": observation.report.quarter}
    if observation.goal_label:
        return observation.goal_label
    return _("Programa")


def pending_of_year(year: int) -> QuerySet[Observation]:
    """The year's observations not answered, oldest first (page it, then :func:`pending_rows`)."""
    return pending_observations(WorkProgramme.objects.filter(year=year).values("pk"))


def pending_rows(rows: Iterable[Observation], today: dt.date) -> list[PendingObservation]:
    """Each observation with its state, what it is about and how many days it has waited."""
    return [
        PendingObservation(
            observation=row,
            state=row.programme.agreement.state,
            programme=row.programme,
            subject=observation_subject(row),
            days_waiting=max((today - timezone.localdate(row.created_at)).days, 0),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class StatePanel:
    """A state's programme of the year for its dashboard: the row and its pending
    observations."""

    year: int
    row: StateProgramme
    observations: list[PendingObservation]


def signed_in_year(agreement: Agreement, year: int) -> bool:
    """:func:`agreements_of_year`'s rule for one convenio already read (no query)."""
    starts, ends = agreement.valid_from, agreement.valid_to
    return (
        agreement.status in SIGNED_STATUSES
        and (starts is None or starts.year <= year)
        and (ends is None or ends.year >= year)
    )


def state_programme(
    state: State,
    year: int,
    today: dt.date | None = None,
    agreements: Iterable[Agreement] | None = None,
) -> StatePanel:
    """The state's convenio and programme of ``year`` with its quarters and its observations
    pending. One query (the programme) and, with a programme, one for its reports and one for
    its pending observations if it has any; without one, the convenio in force that year is
    taken from ``agreements`` (the state's, newest first) or read (one query)."""
    today = today or timezone.localdate()
    programme = programmes_of_year(year, [state.pk]).first()
    if programme is None:
        if agreements is None:
            agreement = agreements_of_year(year, [state.pk]).first()
        else:
            agreement = next((a for a in agreements if signed_in_year(a, year)), None)
        return StatePanel(year, StateProgramme(state, agreement, None), [])
    statuses = dict(programme.reports.values_list("quarter", "status"))
    row = StateProgramme(
        state,
        programme.agreement,
        programme,
        quarters_of(programme, statuses, today),
        programme.pending,
    )
    observations = (
        pending_rows(pending_observations([programme.pk]), today) if programme.pending else []
    )
    return StatePanel(year, row, observations)
