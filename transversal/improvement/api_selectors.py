"""Reads for the public outputs of the improvement step (the REST API and the open data).

Evaluations, the findings people decided on and the ASM answering them are public facts of
public bodies, as coordination's acuerdos are: these querysets carry no tenancy filter, and what
they expose is computed in the query (counts by correlated subqueries, "vencido" by a ``CASE``),
so a page of any length costs the same number of queries.

What stays on the pages: the system's proposals no person has decided on yet (``proposed``), and
any finding about an indicator that is not public (its text may name it), with the ASM answering
it; people's names (the ASM's responsible person, who decided on a finding or verified an ASM),
notes, evidence and the evaluation's report files (only whether there is one).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from transversal.followup.models import overdue_condition
from transversal.improvement.models import (
    Evaluation,
    EvaluationReport,
    Finding,
    FindingStatus,
    ImprovementAction,
)


class PublishedFindingStatus(models.TextChoices):
    """The statuses a published finding may have: a person accepted or dismissed it."""

    ACCEPTED = FindingStatus.ACCEPTED.value, _("Aceptado")
    DISMISSED = FindingStatus.DISMISSED.value, _("Descartado")


def published_finding(prefix: str = "") -> Q:
    """A finding decided by a person (accepted, or dismissed with its reason) whose indicator and
    period, if any, are of a public indicator."""
    p = prefix
    return (
        Q(**{f"{p}status__in": PublishedFindingStatus.values})
        & (Q(**{f"{p}indicator__isnull": True}) | Q(**{f"{p}indicator__is_public": True}))
        & (Q(**{f"{p}period__isnull": True}) | Q(**{f"{p}period__indicator__is_public": True}))
    )


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """The rows of a correlated ``queryset``, counted in the outer query (0 when none)."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def overdue_expression(today: dt.date, prefix: str = "followup__") -> Case:
    """``FollowUp.is_overdue`` as a column: true or false, never NULL."""
    return Case(
        When(overdue_condition(today, prefix), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def public_evaluations() -> QuerySet[Evaluation]:
    """Every evaluation, with its published findings counted (accepted, dismissed) and whether a
    report was uploaded, in one query."""
    published = Finding.objects.filter(published_finding(), evaluation=OuterRef("pk"))
    return (
        Evaluation.objects.select_related("institution__state")
        .annotate(
            accepted_findings=_count(published.filter(status=FindingStatus.ACCEPTED), "evaluation"),
            dismissed_findings=_count(
                published.filter(status=FindingStatus.DISMISSED), "evaluation"
            ),
            has_report=Exists(EvaluationReport.objects.filter(evaluation=OuterRef("pk"))),
        )
        .order_by("-year", "institution__state__code", "institution__slug", "started_on", "pk")
    )


def public_findings() -> QuerySet[Finding]:
    """Published findings with their institution, evaluation, indicator, period and acuerdo,
    and their ASM counted, in one query."""
    return (
        Finding.objects.filter(published_finding())
        .select_related("institution__state", "evaluation", "indicator", "period", "resolution")
        .annotate(
            action_count=_count(ImprovementAction.objects.filter(finding=OuterRef("pk")), "finding")
        )
        .order_by("-year", "institution__state__code", "institution__slug", "number", "pk")
    )


def public_actions(today: dt.date) -> QuerySet[ImprovementAction]:
    """The ASM of published findings, with their finding, follow-up, owner and verifier, and
    whether they are overdue on ``today``."""
    return (
        ImprovementAction.objects.filter(published_finding("finding__"))
        .select_related(
            "finding__institution__state",
            "finding__evaluation",
            "followup__owner",
            "followup__verifier",
        )
        .annotate(overdue=overdue_expression(today))
        .order_by(
            "-finding__year",
            "finding__institution__state__code",
            "finding__institution__slug",
            "finding__number",
            "number",
            "pk",
        )
    )
