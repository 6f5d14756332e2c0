"""Reads of agreements, shaped so each page takes a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from transversal.accounts.access import Scope
from transversal.agreements.models import (
    PUBLIC_STATUSES,
    Agreement,
    AgreementStatusChange,
    Commitment,
    Goal,
    TechnicalAssistance,
    status_condition,
)
from transversal.territory.models import State


def visible_agreements(scope: Scope) -> QuerySet[Agreement]:
    """What this person may list: everything (national), their own plus published ones
    (state members), or published ones only (anonymous and the public portal)."""
    queryset = Agreement.objects.all()
    if scope.is_national:
        return queryset
    public = Q(status__in=PUBLIC_STATUSES)
    if scope.roles:
        return queryset.filter(public | Q(state_institution_id__in=scope.institution_ids()))
    return queryset.filter(public)


def agreement_list(
    scope: Scope,
    *,
    state: str = "",
    round: str = "",  # noqa: A002 - the domain's word
    status: str = "",
    area: str = "",
    year: int | None = None,
) -> QuerySet[Agreement]:
    """Filtered list with parties and counts: two queries (agreements, institution names)."""
    queryset = visible_agreements(scope)
    if state:
        queryset = queryset.filter(state__code=state)
    if round:
        queryset = queryset.filter(round__iexact=round)
    if status:
        queryset = queryset.filter(status_condition(status, timezone.localdate()))
    if area:
        # JSON list membership, portable across SQLite and PostgreSQL.
        queryset = queryset.filter(emphasis_areas__icontains=f'"{area}"')
    if year:
        queryset = queryset.filter(
            Q(valid_from__year__lte=year) | Q(valid_from__isnull=True),
            Q(valid_to__year__gte=year) | Q(valid_to__isnull=True),
        )
    return (
        queryset.select_related("state", "state_institution__state")
        .prefetch_related("state_institution__names")
        .annotate(
            goal_count=Count("goals", distinct=True),
            commitment_count=Count("commitments", distinct=True),
        )
        .order_by("state__code", "-valid_from", "title")
    )


def agreement_rounds(scope: Scope) -> list[str]:
    """The rounds of the agreements this person may list: a filter choice must not reveal a
    draft."""
    return list(
        visible_agreements(scope)
        .exclude(round="")
        .order_by("round")
        .values_list("round", flat=True)
        .distinct()
    )


def assistance_queryset() -> QuerySet[TechnicalAssistance]:
    return TechnicalAssistance.objects.select_related(
        "recipient__state", "provider_institution__state", "agreement"
    ).prefetch_related("recipient__names", "provider_institution__names")


def agreement_page() -> QuerySet[Agreement]:
    """One agreement with everything its page shows, in a fixed number of queries:
    agreement (+ state, institutions), names of both institutions, status changes
    (+ actor), amendments, signatories, commitments, goals, technical assistance (+ institutions)
    and the names of those institutions."""
    return Agreement.objects.with_parties().prefetch_related(
        Prefetch("status_changes", queryset=AgreementStatusChange.objects.select_related("actor")),
        "amendments",
        "signatories",
        Prefetch("commitments", queryset=Commitment.objects.order_by("party", "number")),
        Prefetch("goals", queryset=Goal.objects.order_by("number")),
        Prefetch("assistance", queryset=assistance_queryset()),
    )


def state_assistance(state: State) -> QuerySet[TechnicalAssistance]:
    return assistance_queryset().filter(recipient__state=state)
