"""Reads for the public outputs of coordination (the REST API and the open data).

Systems, sessions and acuerdos are public facts of public bodies: these querysets carry no
tenancy filter, and what they expose is what a list shows, computed in the query (counts by
correlated subqueries, the acuerdo's status by a ``CASE``), so a page of any length costs the
same number of queries. Nothing here reads a person's name: the acuerdo's responsible person,
the attendance's representatives, notes, evidence and the acta's file stay on the pages.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from transversal.coordination.models import (
    AgendaItem,
    Attendance,
    Resolution,
    Session,
    System,
    SystemMember,
    active_on,
)
from transversal.followup.models import FollowUpStatus, overdue_condition


class PublicStatus(models.TextChoices):
    """An acuerdo's status as people read it (``ResolutionStatus``), as a code."""

    IN_PROGRESS = "in_progress", _("En proceso")
    FULFILLED = "fulfilled", _("Cumplido")
    CANCELLED = "cancelled", _("Cancelado")
    OVERDUE = "overdue", _("Vencido")


def public_status(status: str, due_date: dt.date | None, today: dt.date) -> str:
    """The code of ``ResolutionStatus.label``: overdue when open past its due date, fulfilled once
    verified, cancelled, and in progress otherwise (open, in progress, done but not verified)."""
    if status in (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS):
        if due_date is not None and due_date < today:
            return PublicStatus.OVERDUE
        return PublicStatus.IN_PROGRESS
    if status == FollowUpStatus.VERIFIED:
        return PublicStatus.FULFILLED
    if status == FollowUpStatus.CANCELLED:
        return PublicStatus.CANCELLED
    return PublicStatus.IN_PROGRESS


def status_condition(code: str, today: dt.date, prefix: str = "followup__") -> Q:
    """Acuerdos whose :func:`public_status` is ``code``, as a query condition."""
    overdue = overdue_condition(today, prefix)
    if code == PublicStatus.OVERDUE:
        return overdue
    if code == PublicStatus.FULFILLED:
        return Q(**{f"{prefix}status": FollowUpStatus.VERIFIED})
    if code == PublicStatus.CANCELLED:
        return Q(**{f"{prefix}status": FollowUpStatus.CANCELLED})
    closed = (FollowUpStatus.VERIFIED, FollowUpStatus.CANCELLED)
    return ~Q(**{f"{prefix}status__in": closed}) & ~overdue


def status_expression(today: dt.date, prefix: str = "followup__") -> Case:
    return Case(
        *(
            When(status_condition(code, today, prefix), then=Value(code.value))
            for code in (PublicStatus.OVERDUE, PublicStatus.FULFILLED, PublicStatus.CANCELLED)
        ),
        default=Value(PublicStatus.IN_PROGRESS.value),
        output_field=models.CharField(),
    )


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """The rows of a correlated ``queryset``, counted in the outer query (0 when none)."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def members_on(day: dt.date, to_attr: str = "members_today") -> Prefetch:
    """The system's members on ``day``, with their institutions' names (two queries)."""
    return Prefetch(
        "members",
        queryset=SystemMember.objects.filter(active_on(day))
        .select_related("institution__state")
        .prefetch_related("institution__names")
        .order_by("joined_on", "pk"),
        to_attr=to_attr,
    )


def public_systems() -> QuerySet[System]:
    return System.objects.select_related("state", "municipality", "secretariat").order_by(
        "level", "state__code", "acronym", "pk"
    )


def _on_the_session_date(prefix: str = "") -> Q:
    return Q(**{f"{prefix}joined_on__lte": OuterRef("date")}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": OuterRef("date")})
    )


def public_sessions() -> QuerySet[Session]:
    """Sessions with the figures of ``selectors.attendance_rows`` (members on the session's date
    with a vote, of them present, everyone present) and the agenda's length, in one query."""
    present = Attendance.objects.filter(
        _on_the_session_date("member__"), session=OuterRef("pk"), present=True
    )
    voting = SystemMember.objects.filter(
        _on_the_session_date(), system=OuterRef("system_id"), has_vote=True
    )
    return (
        Session.objects.select_related("system__state")
        .annotate(
            agenda_count=_count(AgendaItem.objects.filter(session=OuterRef("pk")), "session"),
            members_present=_count(present, "session"),
            voting_present=_count(present.filter(member__has_vote=True), "session"),
            voting_members=_count(voting, "system"),
            has_minutes=ExpressionWrapper(~Q(minutes=""), output_field=BooleanField()),
        )
        .order_by("system__level", "system__state__code", "system__acronym", "date", "pk")
    )


def public_resolutions(today: dt.date) -> QuerySet[Resolution]:
    """Acuerdos with their session, system, follow-up and owner, and ``public_status``."""
    return (
        Resolution.objects.select_related("session__system__state", "followup__owner")
        .annotate(public_status=status_expression(today))
        .order_by(
            "session__system__level",
            "session__system__state__code",
            "session__system__acronym",
            "session__date",
            "session_id",
            "number",
        )
    )
