"""Reads of the improvement step and of the model's cycle, with their joins done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from transversal.accounts.access import Scope
from transversal.core.lights import Light
from transversal.followup.models import OPEN_STATUSES, FollowUpStatus, overdue_condition
from transversal.improvement.access import readable_institution_ids
from transversal.improvement.models import (
    Evaluation,
    Finding,
    FindingStatus,
    ImprovementAction,
    ModelComponent,
)
from transversal.institutions.models import Institution
from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod, UpdateStatus
from transversal.monitoring.worklist import with_current_report
from transversal.planning.models import Plan, PlanStatus
from transversal.planning.selectors import active_alignments


def _readable(queryset: QuerySet, scope: Scope, path: str = "institution_id") -> QuerySet:
    ids = readable_institution_ids(scope)
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def evaluation_rows(scope: Scope, year: int | None = None) -> list[Evaluation]:
    """The evaluations the person may read, each with its findings and ASM counted (one query
    plus the institutions' names)."""
    rows = _readable(Evaluation.objects.all(), scope)
    if year:
        rows = rows.filter(year=year)
    return list(
        rows.select_related("institution__state")
        .prefetch_related("institution__names")
        .annotate(
            finding_count=Count("findings", distinct=True),
            action_count=Count("findings__actions", distinct=True),
        )
        .order_by("-year", "institution__state__code", "-started_on", "pk")
    )


def proposed_findings(scope: Scope, limit: int = 50) -> list[Finding]:
    """System proposals waiting for a person's decision, oldest first."""
    return list(
        _readable(Finding.objects.filter(status=FindingStatus.PROPOSED), scope)
        .select_related("institution__state", "indicator", "period")
        .prefetch_related("institution__names")
        .order_by("created_at", "pk")[:limit]
    )


def finding_actions(finding: Finding) -> list[ImprovementAction]:
    return list(
        finding.actions.select_related("followup__owner__state").prefetch_related(
            "followup__owner__names"
        )
    )


def evaluation_findings(evaluation: Evaluation) -> list[Finding]:
    return list(
        evaluation.findings.annotate(action_count=Count("actions")).order_by("number", "pk")
    )


def action_rows(
    scope: Scope,
    today: dt.date,
    *,
    year: int | None = None,
    show: str = "",
    institution: str = "",
) -> QuerySet[ImprovementAction]:
    """ASM the person may read (their institution's, or owed by it), filtered by the year and
    the institution of their finding and by ``show``: "abiertos", "vencidos", "por-verificar",
    "verificados", "cancelados" or all."""
    ids = readable_institution_ids(scope)
    rows = ImprovementAction.objects.all()
    if ids is not None:
        rows = rows.filter(
            Q(finding__institution_id__in=ids)
            | Q(followup__owner_id__in=ids)
            | Q(followup__co_owners__in=ids)
        ).distinct()
    if year:
        rows = rows.filter(finding__year=year)
    if institution:
        rows = rows.filter(finding__institution__slug=institution)
    conditions = {
        "abiertos": Q(followup__status__in=OPEN_STATUSES),
        "vencidos": overdue_condition(today, "followup__"),
        "por-verificar": Q(followup__status=FollowUpStatus.DONE),
        "verificados": Q(followup__status=FollowUpStatus.VERIFIED),
        "cancelados": Q(followup__status=FollowUpStatus.CANCELLED),
    }
    if show in conditions:
        rows = rows.filter(conditions[show])
    return (
        rows.select_related("finding__institution__state", "followup__owner__state")
        .prefetch_related("followup__owner__names", "finding__institution__names")
        .order_by("followup__due_date", "pk")
    )


def plans_in_force(institution: Institution, year: int) -> QuerySet[Plan]:
    own = Q(institution=institution)
    if institution.state_id:
        own |= Q(state_id=institution.state_id)
    return (
        Plan.objects.filter(own)
        .exclude(status=PlanStatus.DRAFT)
        .filter(Q(start_year__isnull=True) | Q(start_year__lte=year))
        .filter(Q(end_year__isnull=True) | Q(end_year__gte=year))
    )


def plan_stage(institution: Institution, year: int) -> list[Plan]:
    """The plans in force in the year (the declared model's first, marked), each with its items
    counted and those without any alignment (one query, plus the declared set)."""
    declared = set(
        ModelComponent.objects.filter(institution=institution, year=year).values_list(
            "plan_id", flat=True
        )
    )
    linked = active_alignments().filter(
        Q(from_item=OuterRef("items__pk")) | Q(to_item=OuterRef("items__pk"))
    )
    plans = list(
        plans_in_force(institution, year)
        .annotate(
            item_count=Count("items", distinct=True),
            aligned_count=Count("items", filter=Q(Exists(linked)), distinct=True),
        )
        .order_by("kind", "-start_year", "title")
    )
    for plan in plans:
        plan.in_model = plan.pk in declared
        plan.gap_count = plan.item_count - plan.aligned_count
    plans.sort(key=lambda p: not p.in_model)
    return plans


def execute_counts(institution: Institution, year: int, today: dt.date) -> dict[str, int]:
    """The year's reporting periods of the institution's indicators by status, in parts that add
    up to the total (one query): approved, in review, returned, overdue without a report sent,
    and still in time."""
    periods = with_current_report(
        ReportingPeriod.objects.filter(indicator__owner=institution, due_date__year=year)
    )
    unsent = Q(current_status__isnull=True) | Q(current_status=UpdateStatus.DRAFT)
    return periods.aggregate(
        total=Count("pk"),
        approved=Count("pk", filter=Q(current_status=UpdateStatus.APPROVED)),
        # In review: waiting for the state's review or for the national validation.
        submitted=Count(
            "pk",
            filter=Q(current_status__in=[UpdateStatus.SUBMITTED, UpdateStatus.VALIDATING]),
        ),
        returned=Count("pk", filter=Q(current_status=UpdateStatus.RETURNED)),
        overdue=Count("pk", filter=unsent & Q(due_date__lt=today)),
        upcoming=Count("pk", filter=unsent & Q(due_date__gte=today)),
    )


def verify_counts(institution: Institution, year: int) -> dict[str, int]:
    """Indicators by light now, the year's evaluations and the year's reviews (three queries)."""
    lights = dict(
        Indicator.objects.filter(owner=institution)
        .values_list("light")
        .annotate(n=Count("pk"))
        .values_list("light", "n")
    )
    reviews = ProgressUpdate.objects.filter(
        period__indicator__owner=institution, reviewed_at__year=year
    ).aggregate(
        approved=Count("pk", filter=Q(status=UpdateStatus.APPROVED)),
        returned=Count("pk", filter=Q(status=UpdateStatus.RETURNED)),
    )
    evaluations = Evaluation.objects.filter(institution=institution, year=year).count()
    return {
        **{colour: lights.get(colour, 0) for colour in Light.values},
        **reviews,
        "evaluations": evaluations,
    }


def improve_counts(institution: Institution, year: int, today: dt.date) -> dict[str, int]:
    """The ASM of the year's findings by status, the overdue ones, and the proposals waiting for
    a decision (two queries)."""
    actions = ImprovementAction.objects.filter(finding__institution=institution, finding__year=year)
    counts = actions.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(followup__status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=overdue_condition(today, "followup__")),
        done=Count("pk", filter=Q(followup__status=FollowUpStatus.DONE)),
        verified=Count("pk", filter=Q(followup__status=FollowUpStatus.VERIFIED)),
        cancelled=Count("pk", filter=Q(followup__status=FollowUpStatus.CANCELLED)),
    )
    findings = Finding.objects.filter(institution=institution, year=year).aggregate(
        findings=Count("pk", filter=~Q(status=FindingStatus.DISMISSED)),
        proposed=Count("pk", filter=Q(status=FindingStatus.PROPOSED)),
    )
    return {**counts, **findings}


@dataclass
class Cycle:
    institution: Institution
    year: int
    plans: list[Plan]
    execute: dict[str, int]
    verify: dict[str, int]
    improve: dict[str, int]

    @property
    def gap_count(self) -> int:
        return sum(plan.gap_count for plan in self.plans)


def cycle(institution: Institution, year: int, today: dt.date) -> Cycle:
    """The four stages of the institution's model in ``year``: a constant number of queries
    whatever the number of plans, indicators, periods or ASM."""
    return Cycle(
        institution=institution,
        year=year,
        plans=plan_stage(institution, year),
        execute=execute_counts(institution, year, today),
        verify=verify_counts(institution, year),
        improve=improve_counts(institution, year, today),
    )


@dataclass(frozen=True)
class StateImprovement:
    """One state's improvement step in a year, over every institution of the state (the national
    institution is no state's): evaluations, findings and the ASM answering them, counted as
    :func:`improve_counts` counts one institution's."""

    evaluations: int = 0
    findings: int = 0  # of the year, dismissed ones aside
    proposed: int = 0  # the system's proposals waiting for a person's decision
    asm: int = 0  # answering the year's findings, in any status
    asm_open: int = 0  # open or in progress (overdue included)
    asm_overdue: int = 0
    asm_done: int = 0  # attended by the owner, waiting for verification
    asm_verified: int = 0
    asm_cancelled: int = 0

    @property
    def verified_percent(self) -> float | None:
        """Share of the year's ASM verified, cancelled ones aside; None when there are none."""
        kept = self.asm - self.asm_cancelled
        return 100 * self.asm_verified / kept if kept else None


def state_improvement(
    year: int, today: dt.date, state_ids: list[int] | None = None
) -> dict[int, StateImprovement]:
    """Each state's :class:`StateImprovement` for ``year`` (states with nothing recorded that
    year are absent): three grouped queries (evaluations, findings and ASM by state) whatever the
    number of institutions, evaluations, findings or ASM."""
    evaluations = Evaluation.objects.filter(year=year, institution__state__isnull=False)
    findings = Finding.objects.filter(year=year, institution__state__isnull=False)
    actions = ImprovementAction.objects.filter(
        finding__year=year, finding__institution__state__isnull=False
    )
    if state_ids is not None:
        evaluations = evaluations.filter(institution__state_id__in=state_ids)
        findings = findings.filter(institution__state_id__in=state_ids)
        actions = actions.filter(finding__institution__state_id__in=state_ids)
    by_state = "institution__state_id"
    evaluation_counts = dict(
        evaluations.order_by().values(by_state).annotate(n=Count("pk")).values_list(by_state, "n")
    )
    finding_counts = {
        row[by_state]: row
        for row in findings.order_by()
        .values(by_state)
        .annotate(
            kept=Count("pk", filter=~Q(status=FindingStatus.DISMISSED)),
            proposed=Count("pk", filter=Q(status=FindingStatus.PROPOSED)),
        )
    }
    action_state = "finding__institution__state_id"
    action_counts = {
        row[action_state]: row
        for row in actions.order_by()
        .values(action_state)
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(followup__status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_condition(today, "followup__")),
            done=Count("pk", filter=Q(followup__status=FollowUpStatus.DONE)),
            verified=Count("pk", filter=Q(followup__status=FollowUpStatus.VERIFIED)),
            cancelled=Count("pk", filter=Q(followup__status=FollowUpStatus.CANCELLED)),
        )
    }
    result = {}
    for state_id in evaluation_counts.keys() | finding_counts.keys() | action_counts.keys():
        f = finding_counts.get(state_id, {})
        a = action_counts.get(state_id, {})
        result[state_id] = StateImprovement(
            evaluations=evaluation_counts.get(state_id, 0),
            findings=f.get("kept", 0),
            proposed=f.get("proposed", 0),
            asm=a.get("total", 0),
            asm_open=a.get("open", 0),
            asm_overdue=a.get("overdue", 0),
            asm_done=a.get("done", 0),
            asm_verified=a.get("verified", 0),
            asm_cancelled=a.get("cancelled", 0),
        )
    return result
