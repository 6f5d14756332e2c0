from __future__ import annotations

from django.db.models import Q, QuerySet

from transversal.accounts.access import Scope
from transversal.monitoring.models import Indicator


def indicators_for(scope: Scope) -> QuerySet[Indicator]:
    """Indicators a person may see: all for national coordinators, their institutions' and public ones otherwise."""
    queryset = Indicator.objects.select_related("owner__state").prefetch_related("owner__names")
    if scope.is_national:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(owner_id__in=scope.institution_ids()))


def indicator_page(indicator: Indicator) -> dict:
    """Everything the indicator page shows beyond the indicator: two queries."""
    return {
        "periods": list(indicator.periods.order_by("start")),
        "goals": list(indicator.goals.select_related("agreement__state").order_by("agreement__state__code", "number")),
    }


def period_reports(period) -> list:
    """Every revision of a period's report, newest first, with what the page shows (four queries)."""
    from transversal.monitoring.models import ProgressUpdate

    return list(
        ProgressUpdate.objects.filter(period=period)
        .select_related("created_by", "reviewed_by")
        .prefetch_related("breakdown", "evidence", "comments__author")
        .order_by("-revision")
    )
