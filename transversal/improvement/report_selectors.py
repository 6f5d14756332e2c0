"""Reads of the improvement step for the state and national reports (``transversal.reports``).

A state report shows the model's cycle of the state's institute (the four stages of
:func:`selectors.cycle`, one per year of the report), the evaluations of the state's institutions
in those years with their findings counted, and the ASM answering the findings of those years
(label, text, classification, priority, responsibles, due date, status with "vencido" computed,
day verified). The figures per state are :func:`selectors.state_improvement`'s; here only whether
a state's records of the years include demo ones, for every state at once. Each function costs a
fixed number of queries, whatever the number of institutions, evaluations, findings or ASM.
``scope`` None reads everything (the ``build_report`` command); otherwise the lists hold what
the person may read (their institutions', or ASM their institutions answer for).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from transversal.accounts.access import Scope
from transversal.followup.models import FollowUp, FollowUpStatus
from transversal.improvement.access import readable_institution_ids
from transversal.improvement.models import (
    Evaluation,
    Finding,
    FindingStatus,
    ImprovementAction,
)
from transversal.improvement.selectors import Cycle, cycle
from transversal.institutions.models import Institution, InstitutionKind, display_name


def state_institute(state_id: int) -> Institution | None:
    """The state's institute for women (its IMEF; the first recorded if there were several),
    with its names: two queries."""
    return (
        Institution.objects.with_names()
        .filter(state_id=state_id, kind=InstitutionKind.STATE_IMEF)
        .order_by("pk")
        .first()
    )


def institute_cycles(institute: Institution, years: Iterable[int], today: dt.date) -> list[Cycle]:
    """The institute's cycle in each year, as its cycle page shows it: the same fixed number of
    queries per year (:func:`selectors.cycle`)."""
    return [cycle(institute, year, today) for year in years]


@dataclass(frozen=True)
class EvaluationLine:
    year: int
    title: str
    institution: str  # the evaluated institution, with its acronym
    kind: str  # "Externa", "De diseño"…
    evaluator: str
    started_on: dt.date
    ended_on: dt.date | None
    findings: int  # dismissed ones aside
    is_synthetic: bool = False


def _readable(queryset: QuerySet, scope: Scope | None, path: str) -> QuerySet:
    ids = None if scope is None else readable_institution_ids(scope)
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def state_evaluations(
    state_id: int, years: Iterable[int], scope: Scope | None = None
) -> list[EvaluationLine]:
    """The evaluations of the state's institutions in ``years``, the earliest started first,
    with their findings counted: two queries (evaluations, their institutions' names)."""
    evaluations = (
        _readable(
            Evaluation.objects.filter(institution__state_id=state_id, year__in=list(years)),
            scope,
            "institution_id",
        )
        .select_related("institution__state")
        .prefetch_related("institution__names")
        .annotate(
            finding_count=Count(
                "findings", filter=~Q(findings__status=FindingStatus.DISMISSED), distinct=True
            )
        )
        .order_by("year", "started_on", "title", "pk")
    )
    return [
        EvaluationLine(
            year=evaluation.year,
            title=evaluation.title,
            institution=display_name(evaluation.institution, acronym=True),
            kind=evaluation.get_kind_display(),
            evaluator=evaluation.evaluator,
            started_on=evaluation.started_on,
            ended_on=evaluation.ended_on,
            findings=evaluation.finding_count,
            is_synthetic=evaluation.is_synthetic,
        )
        for evaluation in evaluations
    ]


@dataclass(frozen=True)
class ActionLine:
    label: str  # "ASM H-2025-03.1"
    text: str
    kind: str  # "Institucional"…
    priority: str  # "Alta", "Media", "Baja"
    responsible: str  # the owner institution, co-owners and the person named, if any
    due_date: dt.date | None
    status: str  # "Abierto", "En proceso", "Atendido", "Verificado", "Cancelado"
    overdue: bool  # open or in progress past its due date
    verified_on: dt.date | None  # the day the verifier closed it
    is_synthetic: bool = False


def _actions_readable(queryset: QuerySet, scope: Scope | None) -> QuerySet:
    """ASM of the person's institutions' findings, or which their institutions answer for."""
    ids = None if scope is None else readable_institution_ids(scope)
    if ids is None:
        return queryset
    shared = FollowUp.co_owners.through.objects.filter(institution_id__in=ids)
    return queryset.filter(
        Q(finding__institution_id__in=ids)
        | Q(followup__owner_id__in=ids)
        | Q(followup_id__in=shared.values("followup_id"))
    )


def state_actions(
    state_id: int, years: Iterable[int], today: dt.date, scope: Scope | None = None
) -> list[ActionLine]:
    """The ASM answering the findings of the state's institutions in ``years``, by finding and
    number: four queries (ASM with their finding and follow-up, the owners' names, the
    co-owners, their names)."""
    actions = (
        _actions_readable(
            ImprovementAction.objects.filter(
                finding__institution__state_id=state_id, finding__year__in=list(years)
            ),
            scope,
        )
        .select_related("finding", "followup__owner__state")
        .prefetch_related(
            "followup__owner__names",
            Prefetch(
                "followup__co_owners",
                queryset=Institution.objects.select_related("state").prefetch_related("names"),
            ),
        )
        .order_by("finding__year", "finding__institution_id", "finding__number", "number")
    )
    lines = []
    for action in actions:
        followup = action.followup
        lines.append(
            ActionLine(
                label=action.label,
                text=followup.text,
                kind=action.get_kind_display(),
                priority=action.get_priority_display(),
                responsible=_responsible(followup),
                due_date=followup.due_date,
                status=followup.get_status_display(),
                overdue=followup.is_overdue(today),
                verified_on=followup.closed_on
                if followup.status == FollowUpStatus.VERIFIED
                else None,
                is_synthetic=action.is_synthetic or action.finding.is_synthetic,
            )
        )
    return lines


def _responsible(followup: FollowUp) -> str:
    names = [display_name(followup.owner, acronym=True)]
    names += [display_name(i, acronym=True) for i in followup.co_owners.all()]
    text = "; ".join(names)
    return f"{text} ({followup.responsible_person})" if followup.responsible_person else text


def synthetic_states(years: Iterable[int], state_ids: list[int] | None = None) -> set[int]:
    """The states whose evaluations, findings or ASM of ``years`` include demo ones: one query
    (a union of the evaluations' and the findings' states)."""
    years = list(years)
    if state_ids is not None and not state_ids:
        return set()
    evaluations = Evaluation.objects.filter(
        year__in=years, is_synthetic=True, institution__state__isnull=False
    )
    findings = Finding.objects.filter(
        Q(is_synthetic=True) | Q(actions__is_synthetic=True),
        year__in=years,
        institution__state__isnull=False,
    )
    if state_ids is not None:
        evaluations = evaluations.filter(institution__state_id__in=state_ids)
        findings = findings.filter(institution__state_id__in=state_ids)
    by_state = "institution__state_id"
    rows = (
        evaluations.order_by()
        .values_list(by_state, flat=True)
        .union(findings.order_by().values_list(by_state, flat=True))
    )
    return set(rows)
