from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope
from transversal.agreements.models import Goal
from transversal.agreements.selectors import visible_agreements
from transversal.audit.models import AuditEvent
from transversal.core.templatetags.transversal import format_mx
from transversal.institutions.models import InstitutionKind
from transversal.monitoring import rules
from transversal.monitoring.models import (
    DisaggregatedValue,
    Disaggregation,
    Indicator,
    ProgressUpdate,
    ReportingPeriod,
    UpdateStatus,
)
from transversal.monitoring.worklist import SENT, annotate_status, with_current_report

# The report's own fields in the order a reader compares them.
UPDATE_FIELD_ORDER = (
    "value",
    "numerator",
    "denominator",
    "narrative",
    "disaggregation_note",
)

# A period counts as reported (not overdue) once its update has been sent, whatever the review says.
REPORTED_STATUSES = SENT


def requires_national_validation(indicator: Indicator) -> bool:
    """Whether an update of this indicator, approved by its state, still waits for the national
    institution's validation before it counts: when its sheet asks for it or it measures a
    convenio goal (one query), never when the national institution owns it (its own review is
    the national one). ``indicator.owner`` must be loaded."""
    if indicator.owner.kind == InstitutionKind.NATIONAL:
        return False
    return indicator.national_validation or indicator.goals.exists()


def indicators_for(scope: Scope) -> QuerySet[Indicator]:
    """Indicators a person may see: all for national coordinators, their institutions' and public
    ones otherwise."""
    queryset = Indicator.objects.select_related("owner__state").prefetch_related("owner__names")
    if scope.is_national:
        return queryset
    return queryset.filter(Q(is_public=True) | Q(owner_id__in=scope.institution_ids()))


def plan_item_indicators(scope: Scope, item) -> list[Indicator]:
    """Indicators the person may see that measure a plan item, each with the goals it
    measures in ``visible_goals`` (only goals of agreements the person may see).
    Three queries: indicators, their owners' names, goals with agreement and state."""
    goals = (
        Goal.objects.filter(agreement__in=visible_agreements(scope))
        .select_related("agreement__state")
        .order_by("agreement__state__code", "agreement__title", "number")
    )
    return list(
        indicators_for(scope)
        .filter(plan_items=item)
        .prefetch_related(Prefetch("goals", queryset=goals, to_attr="visible_goals"))
        .order_by("name")
    )


def indicator_page(indicator: Indicator, today: dt.date) -> dict:
    """Everything the indicator page shows beyond the indicator: two queries. Each calendar row
    carries its current report's status, value and evidence count (``worklist``)."""
    return {
        "periods": annotate_status(with_current_report(indicator.periods.order_by("start")), today),
        "goals": list(
            indicator.goals.select_related("agreement__state").order_by(
                "agreement__state__code", "number"
            )
        ),
    }


def period_reports(period) -> list:
    """Every revision of a period's report, newest first, with what the page shows (four
    queries)."""

    return list(
        ProgressUpdate.objects.filter(period=period)
        .select_related("created_by", "reviewed_by", "validated_by")
        .prefetch_related("breakdown", "evidence", "comments__author")
        .order_by("-revision")
    )


def has_report() -> Exists:
    return Exists(
        ProgressUpdate.objects.filter(
            period=OuterRef("pk"), is_current=True, status__in=REPORTED_STATUSES
        )
    )


def pending_by_state(periods: QuerySet[ReportingPeriod]) -> dict[int, int]:
    """Updates waiting for review among ``periods``, by the owner's state: one query."""
    rows = (
        ProgressUpdate.objects.filter(
            is_current=True, status=UpdateStatus.SUBMITTED, period__in=periods
        )
        .values("period__indicator__owner__state_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["period__indicator__owner__state_id"]: row["n"] for row in rows}


def overdue_by_state(periods: QuerySet[ReportingPeriod], today: dt.date) -> dict[int, int]:
    """Periods among ``periods`` past their due date without a sent report, by state: one query."""
    rows = (
        periods.filter(due_date__lt=today)
        .exclude(has_report())
        .values("indicator__owner__state_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["indicator__owner__state_id"]: row["n"] for row in rows}


def light_of(update: ProgressUpdate) -> rules.Light:
    """The update's traffic light by its indicator's sheet: how the value is compared
    (basis), which value is compared (accumulation: for ``cumulative``, the current approved
    values of the same year's earlier periods are added, one query) and the thresholds."""
    period = update.period
    indicator = period.indicator
    values = [update.value]
    if indicator.accumulation == rules.ACCUMULATION_CUMULATIVE and update.value is not None:
        earlier = ProgressUpdate.objects.filter(
            period__indicator=indicator,
            period__start__year=period.start.year,
            period__start__lt=period.start,
            is_current=True,
            status=UpdateStatus.APPROVED,
        ).values_list("value", flat=True)
        values = [*earlier, update.value]
    return rules.traffic_light(
        indicator.direction,
        indicator.baseline_value,
        period.target,
        rules.compared_value(indicator.accumulation, values),
        indicator.thresholds,
        basis=indicator.progress_basis,
    )


@dataclass(frozen=True)
class Change:
    """One figure or text that differs between two moments of a report, ready to show."""

    label: str
    before: str
    after: str


def _shown(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        try:
            Decimal(value)
        except (InvalidOperation, ValueError):
            return value
    return format_mx(value)


def _breakdown_label(key: str) -> str:
    dimension, _sep, category = key.partition(":")
    row = DisaggregatedValue(dimension=dimension, category=category)
    name = dict(Disaggregation.choices).get(dimension, dimension)
    return f"{name} · {row.category_label}"


def changes_since_return(update: ProgressUpdate) -> tuple[AuditEvent | None, list[Change]]:
    """What changed in the report since a reviewer last returned it: the return event and, per
    figure, text or breakdown category, its value at the return and its value now (from the
    audit trail's saves after the return, two queries; evidence attached since, one more).
    ``(None, [])`` when the report was never returned."""
    events = AuditEvent.objects.filter(
        target_type__app_label="monitoring",
        target_type__model="progressupdate",
        target_id=str(update.pk),
    )
    returned = events.filter(verb="update.return").order_by("-created_at", "-pk").first()
    if returned is None:
        return None, []
    first: dict[str, object] = {}
    last: dict[str, object] = {}
    saves = events.filter(verb="update.save", pk__gt=returned.pk).order_by("pk")
    for event in saves.values_list("changes", flat=True):
        for field, (before, after) in event.items():
            if field == "status":
                continue
            if field == "breakdown":
                before, after = before or {}, after or {}
                for key in set(before) | set(after):
                    first.setdefault(f"breakdown:{key}", before.get(key))
                    last[f"breakdown:{key}"] = after.get(key)
                continue
            first.setdefault(field, before)
            last[field] = after
    changes = []
    for field in [f for f in UPDATE_FIELD_ORDER if f in first] + sorted(
        f for f in first if f.startswith("breakdown:")
    ):
        before, after = _shown(first[field]), _shown(last[field])
        if before == after:
            continue
        if field.startswith("breakdown:"):
            label = _breakdown_label(field.removeprefix("breakdown:"))
        else:
            label = str(ProgressUpdate._meta.get_field(field).verbose_name).capitalize()
        changes.append(Change(label, before, after))
    for evidence in update.evidence.filter(created_at__gt=returned.created_at).order_by("pk"):
        changes.append(Change(str(_("Evidencia agregada")), "—", evidence.original_name))
    return returned, changes
