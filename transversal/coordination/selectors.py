"""Reads of coordination systems, sessions and acuerdos, with their joins done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q, QuerySet

from transversal.accounts.access import Scope
from transversal.coordination.access import readable_systems
from transversal.coordination.models import (
    Resolution,
    Session,
    SessionStatus,
    System,
    SystemMember,
    active_on,
    quorum_required,
)
from transversal.institutions.models import Institution


def system_rows(scope: Scope, today: dt.date) -> QuerySet[System]:
    """The list: each system with its members today, its next session and its overdue planned
    sessions (one query, plus the secretariats' names)."""
    return (
        readable_systems(scope)
        .select_related("state", "secretariat__state")
        .prefetch_related("secretariat__names")
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__joined_on__lte=today)
                & (Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)),
                distinct=True,
            ),
            next_session=Min(
                "sessions__date",
                filter=Q(sessions__status=SessionStatus.SCHEDULED, sessions__date__gte=today),
            ),
            overdue_sessions=Count(
                "sessions",
                filter=Q(sessions__status=SessionStatus.SCHEDULED, sessions__date__lt=today),
                distinct=True,
            ),
        )
    )


def system_members(system: System) -> list[SystemMember]:
    return list(
        system.members.select_related("institution__state").prefetch_related("institution__names")
    )


def calendar(system: System, year: int) -> list[Session]:
    """The year's sessions, planned and held, each with its number of acuerdos."""
    return list(
        system.sessions.filter(year=year)
        .annotate(resolution_count=Count("resolutions"))
        .order_by("date", "pk")
    )


@dataclass(frozen=True)
class Quorum:
    voting: int  # members with a vote on the session's date
    present: int  # of them, present
    required: int

    @property
    def met(self) -> bool:
        return self.voting > 0 and self.present >= self.required


def attendance_rows(session: Session) -> tuple[list[SystemMember], Quorum]:
    """The members on the session's date, each with ``present`` and ``represented_by``, and the
    quorum computed from the system's rule (two queries plus the institutions' names)."""
    members = list(
        session.system.members.filter(active_on(session.date))
        .select_related("institution__state")
        .prefetch_related("institution__names")
    )
    marks = {row.member_id: row for row in session.attendance.all()}
    for member in members:
        row = marks.get(member.pk)
        member.present = bool(row and row.present)
        member.represented_by = row.represented_by if row else ""
    voting = [m for m in members if m.has_vote]
    quorum = Quorum(
        voting=len(voting),
        present=sum(1 for m in voting if m.present),
        required=quorum_required(len(voting), session.system.quorum_percent),
    )
    return members, quorum


def session_resolutions(session: Session) -> list[Resolution]:
    return list(
        session.resolutions.select_related("followup__owner__state")
        .prefetch_related(
            "followup__owner__names",
            Prefetch(
                "followup__co_owners",
                queryset=Institution.objects.select_related("state").prefetch_related("names"),
            ),
        )
        .order_by("number")
    )
