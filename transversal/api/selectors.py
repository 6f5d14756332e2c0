"""Reads for the API, scoped by the caller's tenancy (the same rules as the pages)."""

from __future__ import annotations

import datetime as dt

from django.db.models import DecimalField, OuterRef, Prefetch, Q, QuerySet, Subquery

from transversal.accounts.access import Scope, can_read
from transversal.agreements.models import Goal
from transversal.agreements.selectors import visible_agreements
from transversal.coordination.api_selectors import public_resolutions
from transversal.coordination.models import Resolution
from transversal.core.disclosure import protect
from transversal.improvement.api_selectors import public_actions, public_evaluations
from transversal.improvement.models import Evaluation, ImprovementAction
from transversal.institutions.models import Institution
from transversal.monitoring.models import (
    SUBSET_GROUPS,
    ProgressUpdate,
    ReportingPeriod,
    UpdateStatus,
)
from transversal.monitoring.selectors import indicators_for
from transversal.planning.models import Plan, PlanItem
from transversal.planning.selectors import visible_plans

_NUMBER = DecimalField(max_digits=18, decimal_places=4)


def updates_for(scope: Scope) -> QuerySet[ProgressUpdate]:
    """The current approved revision of each period of a public indicator for everyone (as the
    portal: a revision withdrawn by a correction is no longer public); every revision of the
    person's institutions (all for national members)."""
    queryset = ProgressUpdate.objects.select_related(
        "period__indicator__owner__state"
    ).prefetch_related("breakdown")
    if scope.is_national:
        return queryset
    visible = Q(status=UpdateStatus.APPROVED, is_current=True, period__indicator__is_public=True)
    if scope.roles:
        visible |= Q(period__indicator__owner_id__in=scope.institution_ids())
    return queryset.filter(visible)


def periods_with_approved(indicator) -> QuerySet[ReportingPeriod]:
    """The calendar with each period's current approved value, in one query. While a correction
    is open the period has none, as on the portal and the dashboards: the withdrawn revision is
    history, read through ``/updates`` by the institution's members."""
    approved = ProgressUpdate.objects.filter(
        period=OuterRef("pk"), status=UpdateStatus.APPROVED, is_current=True
    )
    return (
        ReportingPeriod.objects.filter(indicator=indicator)
        .annotate(
            approved_value=Subquery(approved.values("value")[:1], output_field=_NUMBER),
            approved_light=Subquery(approved.values("light")[:1]),
        )
        .order_by("start", "pk")
    )


def update_as_seen_by(scope: Scope, update: ProgressUpdate) -> dict:
    """The update's fields; for people outside its institution the breakdown goes through
    :func:`transversal.core.disclosure.protect`, the small-count rule of every public output."""
    indicator = update.period.indicator
    rows = [(row.dimension, row.category, row.value) for row in update.breakdown.all()]
    if can_read(scope, indicator.owner):
        cells = [(dimension, category, value, False) for dimension, category, value in rows]
    else:
        cells = protect(update.value, rows, measure=indicator.measure, subsets=SUBSET_GROUPS)
    breakdown = [
        {"dimension": dimension, "category": category, "value": value, "suppressed": hidden}
        for dimension, category, value, hidden in cells
    ]
    return {
        "code": update.code,
        "indicator": indicator.code,
        "period": update.period.label,
        "revision": update.revision,
        "is_current": update.is_current,
        "status": update.status,
        "value": update.value,
        "numerator": update.numerator,
        "denominator": update.denominator,
        "narrative": update.narrative,
        "disaggregation_note": update.disaggregation_note,
        "light": update.light,
        "progress": update.progress,
        "below_baseline": update.below_baseline,
        "overachieved": update.overachieved,
        "version": update.version,
        "submitted_at": update.submitted_at,
        "reviewed_at": update.reviewed_at,
        "updated_at": update.updated_at,
        "breakdown": breakdown,
    }


def resolutions_for(user, scope: Scope, today: dt.date) -> QuerySet[Resolution]:
    """Every acuerdo (they are public), with its co-responsible institutions and the plan items,
    convenio goals and indicators it is linked to that the caller may see: the published ones
    for everyone, plus their institutions' drafts and private indicators with a token (four
    prefetch queries whatever the page's length)."""
    plans = visible_plans(user).order_by().values("pk")
    return public_resolutions(today).prefetch_related(
        Prefetch(
            "followup__co_owners",
            queryset=Institution.objects.order_by("slug"),
            to_attr="co_owner_list",
        ),
        Prefetch(
            "plan_items",
            queryset=PlanItem.objects.filter(plan__in=plans)
            .select_related("plan")
            .order_by("plan__code", "order", "pk"),
            to_attr="visible_plan_items",
        ),
        Prefetch(
            "goals",
            queryset=Goal.objects.filter(agreement__in=visible_agreements(scope)).order_by("code"),
            to_attr="visible_goals",
        ),
        Prefetch(
            "indicators",
            # Only the codes: not the owners and names the indicator pages need.
            queryset=indicators_for(scope)
            .select_related(None)
            .prefetch_related(None)
            .order_by("code"),
            to_attr="visible_indicators",
        ),
    )


def evaluations_for(user, scope: Scope) -> QuerySet[Evaluation]:
    """Every evaluation (they are public), with the plans, convenio goals and indicators it covers
    that the caller may see: the published ones for everyone, plus their institutions' drafts and
    private indicators with a token (three prefetch queries whatever the page's length)."""
    return public_evaluations().prefetch_related(
        Prefetch(
            "plans",
            queryset=Plan.objects.filter(pk__in=visible_plans(user).order_by().values("pk"))
            .only("pk", "code")
            .order_by("code"),
            to_attr="visible_plans",
        ),
        Prefetch(
            "goals",
            queryset=Goal.objects.filter(agreement__in=visible_agreements(scope))
            .only("pk", "code")
            .order_by("code"),
            to_attr="visible_goals",
        ),
        Prefetch(
            "indicators",
            queryset=indicators_for(scope)
            .select_related(None)
            .prefetch_related(None)
            .only("pk", "code")
            .order_by("code"),
            to_attr="visible_indicators",
        ),
    )


def actions_public(today) -> QuerySet[ImprovementAction]:
    """Every published ASM, with its co-responsible institutions (one prefetch query)."""
    return public_actions(today).prefetch_related(
        Prefetch(
            "followup__co_owners",
            queryset=Institution.objects.only("pk", "slug").order_by("slug"),
            to_attr="co_owner_list",
        )
    )
