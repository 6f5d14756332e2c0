"""Reads of the yearly cycle: the periods a programme covers, each goal's progress at a quarter's
end, resources by source and the closure checklist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from transversal.agreements.models import Goal
from transversal.audit.registry import events_for
from transversal.core.lights import format_number
from transversal.monitoring import rules
from transversal.monitoring.models import (
    Evidence,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    UpdateStatus,
)
from transversal.workprogrammes.models import (
    QUARTERS,
    SENT_STATUSES,
    SOURCES,
    Observation,
    QuarterlyReport,
    ReportLine,
    ReportStatus,
    Source,
    WorkProgramme,
    quarter_end,
    quarter_start,
)

# What the state counts as its result of a quarter: approved by its reviewer (and, for a goal,
# waiting for or having passed the national validation). The national figures count only
# APPROVED (validated) ones; the quarterly report says which are still being validated.
STATE_APPROVED = (UpdateStatus.APPROVED, UpdateStatus.VALIDATING)


def programme_periods(programme: WorkProgramme) -> QuerySet[ReportingPeriod]:
    """The reporting periods of the year of every indicator that measures a programme goal."""
    return ReportingPeriod.objects.filter(
        indicator__goals__programme_lines__programme=programme,
        start__year=programme.year,
    ).distinct()


def goal_progress(
    programme: WorkProgramme, quarter: int, statuses=STATE_APPROVED
) -> dict[int, Decimal | None]:
    """Each programme line's physical progress at the quarter's end, keyed by line pk: the mean,
    over its goal's indicators, of the value reached by then (as each sheet accumulates it)
    against the year's target (the target of the indicator's last period of the year), so a
    cumulative schedule (25, 50, 75, 100 %) reads against it while each period keeps its own
    target and light. Counted: the year's current reports in ``statuses`` (approved by the
    state by default; only validated ones with ``(UpdateStatus.APPROVED,)``); None for a goal
    without any. Four queries, whatever the number of goals."""
    end = quarter_end(programme.year, quarter)
    lines = list(programme.lines.all())
    goals_of: dict[int, set[int]] = {}
    through = Indicator.goals.through.objects.filter(goal_id__in=[line.goal_id for line in lines])
    for indicator_id, goal_id in through.values_list("indicator_id", "goal_id"):
        goals_of.setdefault(indicator_id, set()).add(goal_id)
    values: dict[int, list[Decimal | None]] = {}
    for indicator_id, value in (
        ProgressUpdate.objects.filter(
            is_current=True,
            status__in=statuses,
            period__indicator_id__in=list(goals_of),
            period__start__year=programme.year,
            period__end__lte=end,
        )
        .order_by("period__indicator_id", "period__start")
        .values_list("period__indicator_id", "value")
    ):
        values.setdefault(indicator_id, []).append(value)
    year_target: dict[int, Decimal | None] = {}
    for indicator_id, target in (
        ReportingPeriod.objects.filter(indicator_id__in=list(values), start__year=programme.year)
        .order_by("indicator_id", "-start")
        .values_list("indicator_id", "target")
    ):
        year_target.setdefault(indicator_id, target)
    by_goal: dict[int, list[Decimal]] = {}
    for indicator in Indicator.objects.filter(pk__in=list(values)).only(
        "direction", "baseline_value", "accumulation", "progress_basis"
    ):
        reached = rules.compared_value(indicator.accumulation, values[indicator.pk])
        progress = rules.progress(
            indicator.direction,
            indicator.baseline_value,
            year_target.get(indicator.pk),
            reached,
            basis=indicator.progress_basis,
        )
        if progress is None:
            continue
        for goal_id in goals_of[indicator.pk]:
            by_goal.setdefault(goal_id, []).append(progress)
    return {
        line.pk: (
            (sum(found) / len(found)).quantize(Decimal("0.1"))
            if (found := by_goal.get(line.goal_id))
            else None
        )
        for line in lines
    }


def deviates(programme: WorkProgramme, planned: Decimal | None, achieved: Decimal | None) -> bool:
    """Off target by more than the programme's threshold (no result counts as 0 % when progress
    was scheduled)."""
    if planned is None:
        return False
    return abs((achieved or Decimal(0)) - planned) > programme.deviation_threshold


@dataclass(frozen=True)
class SourceTotals:
    source: str
    label: str
    approved: Decimal
    in_force: Decimal
    exercised: Decimal

    @property
    def unspent(self) -> Decimal:
        return self.in_force - self.exercised


def resource_totals(programme: WorkProgramme) -> list[SourceTotals]:
    """Per source: approved, in force (modified where recorded) and exercised in the reports
    sent so far (drafts do not count)."""
    lines = list(programme.lines.all())
    sums = programme.reports.filter(status__in=SENT_STATUSES).aggregate(
        **{s: Sum(f"lines__{s}_exercised") for s in SOURCES}
    )
    return [
        SourceTotals(
            source=source,
            label=str(Source(source).label),
            approved=sum((line.approved(source) for line in lines), Decimal(0)),
            in_force=sum((line.in_force(source) for line in lines), Decimal(0)),
            exercised=sums[source] or Decimal(0),
        )
        for source in SOURCES
    ]


def overspending(report: QuarterlyReport) -> list[str]:
    """One sentence per goal and source whose exercised amount accumulated over the year (this
    report's figures plus those of the other reports that count, ``SENT_STATUSES``, as
    ``resource_totals`` adds them) exceeds the amount authorized (the modified one where
    recorded, else the approved one). Two queries."""
    rows = list(report.lines.select_related("line__goal").order_by("line__goal__number"))
    earlier = {
        row["line_id"]: row
        for row in ReportLine.objects.filter(
            report__programme_id=report.programme_id, report__status__in=SENT_STATUSES
        )
        .exclude(report_id=report.pk)
        .values("line_id")
        .annotate(**{s: Sum(f"{s}_exercised") for s in SOURCES})
    }
    sentences = []
    for row in rows:
        for source in SOURCES:
            before = earlier.get(row.line_id, {}).get(source) or Decimal(0)
            accumulated = before + row.exercised(source)
            authorized = row.line.in_force(source)
            if accumulated <= authorized:
                continue
            modified = getattr(row.line, f"{source}_modified") is not None
            sentences.append(
                _(
                    "Meta %(n)s, recurso %(source)s: lo ejercido en el año con este trimestre "
                    "($%(accumulated)s) supera el monto %(kind)s ($%(authorized)s)."
                )
                % {
                    "n": row.line.goal.number,
                    "source": str(Source(source).label).lower(),
                    "accumulated": format_number(accumulated, 2),
                    "kind": _("modificado") if modified else _("aprobado"),
                    "authorized": format_number(authorized, 2),
                }
            )
    return sentences


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class YearMeasures:
    """The year's periods of the indicators that measure the programme's goals: how many, how
    many without a validated report, and the goals whose final result is not measured and
    validated (each named with why)."""

    total: int
    missing: int
    unmeasured: list[str]


def year_measures(programme: WorkProgramme) -> YearMeasures:
    """Counting only the periods that exist would let a goal without any indicator pass, so
    each goal is checked too: it needs an indicator with periods in the year, and each of its
    indicators a current validated value and a target (the year's, which the final progress is
    read against) in its last period of the year. Two queries, whatever the number of goals."""
    goals = dict(
        Goal.objects.filter(programme_lines__programme=programme)
        .order_by("number")
        .values_list("pk", "number")
    )
    current = ProgressUpdate.objects.filter(
        period=OuterRef("indicator__periods"), is_current=True, status=UpdateStatus.APPROVED
    )
    rows = (
        Indicator.goals.through.objects.filter(
            goal_id__in=list(goals), indicator__periods__start__year=programme.year
        )
        .annotate(
            validated=Exists(current),
            measured=Exists(current.filter(value__isnull=False)),
        )
        .values_list(
            "goal_id",
            "indicator_id",
            "indicator__periods",
            "indicator__periods__end",
            "indicator__periods__target",
            "validated",
            "measured",
        )
        .order_by("goal_id", "indicator_id", "indicator__periods__end")
    )
    periods: dict[int, bool] = {}
    last: dict[tuple[int, int], bool] = {}
    for goal_id, indicator_id, period_id, _end, target, validated, measured in rows:
        periods[period_id] = validated
        # Ordered by end: the last row of an indicator is its last period of the year.
        last[goal_id, indicator_id] = measured and target is not None
    unmeasured = []
    for goal_id, number in goals.items():
        finals = [ok for (goal, _indicator), ok in last.items() if goal == goal_id]
        goal = _("meta %(n)s") % {"n": number}
        if not finals:
            unmeasured.append(_("%(goal)s (sin indicador con periodos en el año)") % {"goal": goal})
        elif not all(finals):
            unmeasured.append(
                _("%(goal)s (sin valor validado en el último periodo del año)") % {"goal": goal}
            )
    return YearMeasures(
        total=len(periods),
        missing=sum(1 for ok in periods.values() if not ok),
        unmeasured=unmeasured,
    )


def closure_checklist(programme: WorkProgramme) -> list[CheckItem]:
    """What the closure needs, each with whether it holds and why not."""
    measures = year_measures(programme)
    total, missing, unmeasured = measures.total, measures.missing, measures.unmeasured
    received = programme.reports.filter(status=ReportStatus.ACKNOWLEDGED).count()
    final = programme.reports.filter(quarter=4, status=ReportStatus.ACKNOWLEDGED).exists()
    federal = next(t for t in resource_totals(programme) if t.source == Source.FEDERAL)
    overspent = [t for t in resource_totals(programme) if t.unspent < 0]
    refund = programme.refund_amount
    if overspent:
        reconciled, why = (
            False,
            _("El ejercido de %(s)s supera el recurso vigente.")
            % {"s": ", ".join(t.label.lower() for t in overspent)},
        )
    elif federal.unspent > 0 and not (
        refund == federal.unspent and programme.refund_reference and programme.refund_date
    ):
        reconciled, why = (
            False,
            _(
                "Quedan $%(amount)s de recurso federal sin ejercer: registre su reintegro con "
                "importe, referencia y fecha."
            )
            % {"amount": format_number(federal.unspent, 2)},
        )
    elif federal.unspent == 0 and refund:
        reconciled, why = False, _("Hay un reintegro registrado pero no hay recurso sin ejercer.")
    else:
        reconciled, why = True, ""
    documents = programme.closing_documents.count()
    why_periods = []
    if missing or not total:
        why_periods.append(
            _("%(missing)s de %(total)s periodos sin avance validado.")
            % {"missing": missing, "total": total}
        )
    if unmeasured:
        why_periods.append(
            _("Sin resultado final medido y validado: %(goals)s.")
            % {"goals": "; ".join(unmeasured)}
        )
    return [
        # One item (its key kept for the API): a goal with no periods would pass a count of the
        # periods that exist, so every goal's final result is checked too.
        CheckItem(
            "periods",
            _(
                "Todas las metas con su resultado final medido y validado, y todos los periodos "
                "del año reportados y validados"
            ),
            total > 0 and missing == 0 and not unmeasured,
            " ".join(why_periods),
        ),
        CheckItem(
            "reports",
            _("Informes trimestrales recibidos, el del 4.º trimestre como informe final"),
            received == len(QUARTERS) and final,
            ""
            if received == len(QUARTERS)
            else _("%(n)s de 4 informes recibidos.") % {"n": received},
        ),
        CheckItem("resources", _("Recursos conciliados y reintegro registrado"), reconciled, why),
        CheckItem(
            "minutes",
            _("Acta de cierre firmada"),
            documents > 0,
            "" if documents else _("Suba el acta de cierre firmada."),
        ),
    ]


def pending_observations(programme_ids=None) -> QuerySet[Observation]:
    rows = Observation.objects.filter(answered_at__isnull=True).select_related(
        "programme__agreement__state", "report", "author"
    )
    if programme_ids is not None:
        rows = rows.filter(programme_id__in=programme_ids)
    return rows.order_by("created_at", "pk")


@dataclass(frozen=True)
class StageChange:
    stage: str
    previous: str
    on: dt.datetime


def stage_history(programme: WorkProgramme) -> list[StageChange]:
    """Every change of the programme's stage, oldest first, from its audit trail (one query):
    when it was proposed, observed, corrected, validated, put in execution and closed."""
    changes = []
    for recorded, at in (
        events_for(programme).order_by("created_at", "pk").values_list("changes", "created_at")
    ):
        stage = (recorded or {}).get("stage")
        if isinstance(stage, list) and len(stage) == 2:
            changes.append(StageChange(stage=stage[1], previous=stage[0], on=at))
    return changes


def quarter_evidence(programme: WorkProgramme, quarter: int) -> list[Evidence]:
    """The evidence files of the current reports of the goals' indicators whose period ends
    within the quarter (one query)."""
    return list(
        Evidence.objects.filter(
            update__is_current=True,
            update__period__indicator__goals__programme_lines__programme=programme,
            update__period__end__gte=quarter_start(programme.year, quarter),
            update__period__end__lte=quarter_end(programme.year, quarter),
        )
        .select_related("update__period__indicator")
        .distinct()
        .order_by(
            "update__period__indicator__name",
            "update__period__indicator_id",
            "update__period__start",
            "created_at",
            "pk",
        )
    )


def quarter_periods(programme: WorkProgramme, quarter: int) -> list[ReportingPeriod]:
    """The periods of the goals' indicators that end within the quarter, each with its current
    report (two queries): where the state reports the progress the quarterly report gathers."""
    current = Prefetch(
        "updates", queryset=ProgressUpdate.objects.filter(is_current=True), to_attr="current"
    )
    return list(
        ReportingPeriod.objects.filter(
            indicator__goals__programme_lines__programme=programme,
            end__gte=quarter_start(programme.year, quarter),
            end__lte=quarter_end(programme.year, quarter),
        )
        .select_related("indicator")
        .prefetch_related(current)
        .distinct()
        .order_by("indicator__name", "indicator_id", "start")
    )
