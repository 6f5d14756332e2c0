"""Reads of one quarterly report as the deliverable document shows it (``transversal.reports``).

:func:`quarterly_report_contents` gathers, for one :class:`QuarterlyReport`, everything its PDF
and DOCX show: the heading (the state institute and the national institution named as on the
quarter's last day, the convenio's title and signing date, the programme's year, the quarter,
the report's status, who sent it and who received or observed it, and when), each goal of the
programme with its scheduled and achieved progress, deviation and justification, the resources
per source, the narrative, the national observations on this report and the evidence files of
the goals' indicators for the periods that end within the quarter.

Progress: once the report has been sent, the figures it was sent with (``ReportLine.planned``
and ``achieved``, recorded by ``services.report_send``); a report never sent shows what
:func:`selectors.goal_progress` says today and is marked provisional.

Resources, per source (federal, state, in kind): approved and in force (modified where
recorded) by the programme; exercised in this quarter by this report; accumulated through this
quarter: the reports of earlier quarters that were sent or received, plus this one.

The cost is a fixed number of queries whatever the number of goals, indicators or files: seven
for a report that was sent, five more (``goal_progress``) for one never sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum, prefetch_related_objects

from transversal.institutions.models import display_name
from transversal.monitoring.models import Indicator, UpdateStatus
from transversal.monitoring.periods import period_display
from transversal.workprogrammes import selectors
from transversal.workprogrammes.models import (
    SENT_STATUSES,
    SOURCES,
    Observation,
    ProgrammeLine,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Source,
    quarter_end,
    quarter_start,
)


@dataclass(frozen=True)
class GoalLine:
    number: int
    description: str
    means_of_verification: str
    responsible_area: str
    planned: Decimal | None  # cumulative % scheduled by the quarter's end
    achieved: Decimal | None  # % achieved (may pass 100); None without a result
    deviates: bool  # off target by more than the programme's threshold
    justification: str
    is_synthetic: bool = False


@dataclass(frozen=True)
class SourceLine:
    source: str
    label: str  # "Federal", "Estatal", "En especie"
    approved: Decimal
    in_force: Decimal  # the modified amount where recorded
    exercised: Decimal  # in this quarter
    accumulated: Decimal  # through this quarter

    @property
    def unspent(self) -> Decimal:
        return self.in_force - self.accumulated


@dataclass(frozen=True)
class EvidenceLine:
    indicator: str
    goals: tuple[int, ...]  # the numbers of the programme's goals the indicator measures
    period_label: str  # "2026-T1"
    period: str  # "1.er trimestre 2026"
    name: str  # the file's name as uploaded
    size: int  # bytes
    sha256: str
    status: str  # the update's status: "Aprobado", "En validación nacional", "Borrador"…
    status_code: str
    is_synthetic: bool = False


@dataclass(frozen=True)
class ObservationLine:
    created_at: dt.datetime
    author: str
    text: str
    answer: str
    answered_at: dt.datetime | None
    answered_by: str


@dataclass(frozen=True)
class ReportContents:
    code: str
    year: int
    quarter: int
    start: dt.date
    end: dt.date
    due_date: dt.date
    status: str  # ReportStatus value
    status_label: str
    provisional: bool  # never sent: progress as it stands today
    state: str  # the state's short name
    institute: str  # the convenio's state institution, named as on the quarter's last day
    national_institution: str  # named the same way
    agreement_title: str
    agreement_signed_on: dt.date | None
    programme_stage: str
    deviation_threshold: Decimal
    sent_at: dt.datetime | None
    sent_by: str
    reviewed_at: dt.datetime | None  # received or observed
    reviewed_by: str
    narrative: str
    is_synthetic: bool  # the programme is a demo one
    goals: list[GoalLine] = field(default_factory=list)
    resources: list[SourceLine] = field(default_factory=list)
    observations: list[ObservationLine] = field(default_factory=list)
    evidence: list[EvidenceLine] = field(default_factory=list)

    @property
    def reviewed(self) -> bool:
        return self.status in (ReportStatus.ACKNOWLEDGED, ReportStatus.OBSERVED)

    @property
    def has_deviations(self) -> bool:
        return any(goal.deviates for goal in self.goals)

    @property
    def resources_total(self) -> SourceLine:
        def total(name: str) -> Decimal:
            return sum((getattr(line, name) for line in self.resources), Decimal(0))

        return SourceLine(
            source="total",
            label="Total",
            approved=total("approved"),
            in_force=total("in_force"),
            exercised=total("exercised"),
            accumulated=total("accumulated"),
        )


def _person(user) -> str:
    return (user.full_name or user.email) if user is not None else ""


def quarterly_report_contents(report: QuarterlyReport) -> ReportContents:
    """Everything the deliverable of ``report`` shows. ``report`` comes from
    ``access.get_report_for_user`` (its programme, convenio, both institutions and the people
    who sent and reviewed it already loaded)."""
    programme = report.programme
    agreement = programme.agreement
    end = quarter_end(programme.year, report.quarter)
    start = quarter_start(programme.year, report.quarter)
    # Both institutions' dated names: one query.
    prefetch_related_objects([agreement.state_institution, agreement.national_institution], "names")
    lines = list(
        ProgrammeLine.objects.filter(programme=programme)
        .select_related("goal")
        .order_by("goal__number", "pk")
    )
    rows = {row.line_id: row for row in ReportLine.objects.filter(report=report)}
    provisional = report.sent_at is None
    progress = selectors.goal_progress(programme, report.quarter) if provisional else {}
    goals = []
    for line in lines:
        row = rows.get(line.pk)
        if provisional or row is None:
            planned, achieved = line.planned(report.quarter), progress.get(line.pk)
        else:
            planned, achieved = row.planned, row.achieved
        goals.append(
            GoalLine(
                number=line.goal.number,
                description=line.goal.description,
                means_of_verification=line.means_of_verification,
                responsible_area=line.responsible_area,
                planned=planned,
                achieved=achieved,
                deviates=selectors.deviates(programme, planned, achieved),
                justification=row.justification if row is not None else "",
                is_synthetic=line.goal.is_synthetic,
            )
        )
    return ReportContents(
        code=str(report.code),
        year=programme.year,
        quarter=report.quarter,
        start=start,
        end=end,
        due_date=report.due_date,
        status=report.status,
        status_label=str(report.get_status_display()),
        provisional=provisional,
        state=agreement.state.short_name,
        institute=display_name(agreement.state_institution, end, acronym=True),
        national_institution=display_name(agreement.national_institution, end, acronym=True),
        agreement_title=agreement.title,
        agreement_signed_on=agreement.signed_on,
        programme_stage=str(programme.get_stage_display()),
        deviation_threshold=programme.deviation_threshold,
        sent_at=report.sent_at,
        sent_by=_person(report.sent_by),
        reviewed_at=report.reviewed_at,
        reviewed_by=_person(report.reviewed_by),
        narrative=report.narrative,
        is_synthetic=programme.is_synthetic,
        goals=goals,
        resources=_resources(report, lines, list(rows.values())),
        observations=_observations(report),
        evidence=_evidence(programme, report.quarter, lines),
    )


def _resources(
    report: QuarterlyReport, lines: list[ProgrammeLine], rows: list[ReportLine]
) -> list[SourceLine]:
    """Per source: the programme's amounts, this report's and the earlier quarters' sent or
    received ones (one query)."""
    earlier = ReportLine.objects.filter(
        report__programme_id=report.programme_id,
        report__quarter__lt=report.quarter,
        report__status__in=SENT_STATUSES,
    ).aggregate(**{source: Sum(f"{source}_exercised") for source in SOURCES})
    result = []
    for source in SOURCES:
        exercised = sum((row.exercised(source) for row in rows), Decimal(0))
        result.append(
            SourceLine(
                source=source,
                label=str(Source(source).label),
                approved=sum((line.approved(source) for line in lines), Decimal(0)),
                in_force=sum((line.in_force(source) for line in lines), Decimal(0)),
                exercised=exercised,
                accumulated=(earlier[source] or Decimal(0)) + exercised,
            )
        )
    return result


def _observations(report: QuarterlyReport) -> list[ObservationLine]:
    """The national observations on this report, the oldest first: one query."""
    return [
        ObservationLine(
            created_at=item.created_at,
            author=_person(item.author),
            text=item.text,
            answer=item.answer,
            answered_at=item.answered_at,
            answered_by=_person(item.answered_by),
        )
        for item in Observation.objects.filter(report=report)
        .select_related("author", "answered_by")
        .order_by("created_at", "pk")
    ]


def _evidence(programme, quarter: int, lines: list[ProgrammeLine]) -> list[EvidenceLine]:
    """Every evidence file of the quarter (``selectors.quarter_evidence``), each with the goals
    its indicator measures: two queries."""
    number = {line.goal_id: line.goal.number for line in lines}
    goals_of: dict[int, list[int]] = {}
    for indicator_id, goal_id in Indicator.goals.through.objects.filter(
        goal_id__in=list(number)
    ).values_list("indicator_id", "goal_id"):
        goals_of.setdefault(indicator_id, []).append(number[goal_id])
    if not goals_of:
        return []
    files = selectors.quarter_evidence(programme, quarter)
    result = []
    for item in files:
        update = item.update
        period = update.period
        result.append(
            EvidenceLine(
                indicator=period.indicator.name,
                goals=tuple(sorted(goals_of[period.indicator_id])),
                period_label=period.label,
                period=period_display(period.label),
                name=item.original_name,
                size=item.size,
                sha256=item.sha256,
                status=str(UpdateStatus(update.status).label),
                status_code=update.status,
                is_synthetic=update.is_synthetic,
            )
        )
    return result
