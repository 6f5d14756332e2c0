"""Reads for the API, scoped by the caller's tenancy (the same rules as the pages)."""

from __future__ import annotations

from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery

from transversal.accounts.access import Scope, can_read
from transversal.monitoring.models import Measure, ProgressUpdate, ReportingPeriod, UpdateStatus

_NUMBER = DecimalField(max_digits=18, decimal_places=4)
SMALL_COUNT = 5  # public outputs hide counts below this (they could identify someone)


def updates_for(scope: Scope) -> QuerySet[ProgressUpdate]:
    """Approved updates of public indicators for everyone; every update of the person's
    institutions (all for national members)."""
    queryset = ProgressUpdate.objects.select_related("period__indicator__owner__state").prefetch_related("breakdown")
    if scope.is_national:
        return queryset
    visible = Q(status=UpdateStatus.APPROVED, period__indicator__is_public=True)
    if scope.roles:
        visible |= Q(period__indicator__owner_id__in=scope.institution_ids())
    return queryset.filter(visible)


def periods_with_approved(indicator) -> QuerySet[ReportingPeriod]:
    """The calendar with each period's latest approved value, in one query."""
    approved = ProgressUpdate.objects.filter(period=OuterRef("pk"), status=UpdateStatus.APPROVED).order_by("-revision")
    return (
        ReportingPeriod.objects.filter(indicator=indicator)
        .annotate(approved_value=Subquery(approved.values("value")[:1], output_field=_NUMBER),
                  approved_light=Subquery(approved.values("light")[:1]))
        .order_by("start", "pk")
    )


def update_as_seen_by(scope: Scope, update: ProgressUpdate) -> dict:
    """The update's fields, with small counts suppressed for people outside its institution."""
    indicator = update.period.indicator
    member = can_read(scope, indicator.owner)
    suppress = not member and indicator.measure == Measure.COUNT
    breakdown = []
    for row in update.breakdown.all():
        hidden = suppress and 0 < row.value < SMALL_COUNT
        breakdown.append({"dimension": row.dimension, "category": row.category,
                          "value": None if hidden else row.value, "suppressed": hidden})
    return {
        "code": update.code, "indicator": indicator.code, "period": update.period.label,
        "revision": update.revision, "is_current": update.is_current, "status": update.status,
        "value": update.value, "numerator": update.numerator, "denominator": update.denominator,
        "narrative": update.narrative, "disaggregation_note": update.disaggregation_note,
        "light": update.light, "progress": update.progress, "overachieved": update.overachieved,
        "version": update.version, "submitted_at": update.submitted_at, "reviewed_at": update.reviewed_at,
        "updated_at": update.updated_at, "breakdown": breakdown,
    }
