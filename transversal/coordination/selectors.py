"""Reads of coordination systems, sessions and acuerdos, with their joins done."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

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
from transversal.followup.models import OPEN_STATUSES, FollowUpStatus, overdue_condition
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


@dataclass(frozen=True)
class StateCoordination:
    """One state's coordination in a year: its systems' sessions and the acuerdos adopted in
    them (state and municipal systems of the state; the national system is not a state's)."""

    sessions_planned: int = 0  # every session of the year not cancelled (held or still planned)
    sessions_held: int = 0
    sessions_overdue: int = 0  # planned, date passed, neither held nor cancelled
    acuerdos: int = 0  # adopted in the year's sessions, cancelled ones aside
    acuerdos_open: int = 0  # the responsible still has work to do (overdue included)
    acuerdos_overdue: int = 0
    acuerdos_fulfilled: int = 0  # verified by the secretariat
    acuerdos_on_time: int = 0  # verified, and attended on or before the due date

    @property
    def on_time_percent(self) -> float | None:
        """Share of the year's acuerdos fulfilled on time; None when there are none."""
        if not self.acuerdos:
            return None
        return 100 * self.acuerdos_on_time / self.acuerdos


def state_coordination(
    year: int, today: dt.date, state_ids: list[int] | None = None
) -> dict[int, StateCoordination]:
    """Each state's ``StateCoordination`` for ``year`` (states without systems are absent), in two
    grouped queries whatever the number of states, systems or sessions."""
    sessions = Session.objects.filter(year=year, system__state__isnull=False)
    resolutions = Resolution.objects.filter(
        session__year=year, session__system__state__isnull=False
    ).exclude(followup__status=FollowUpStatus.CANCELLED)
    if state_ids is not None:
        sessions = sessions.filter(system__state_id__in=state_ids)
        resolutions = resolutions.filter(session__system__state_id__in=state_ids)
    session_counts = {
        row["system__state_id"]: row
        for row in sessions.values("system__state_id").annotate(
            planned=Count("pk", filter=~Q(status=SessionStatus.CANCELLED)),
            held=Count("pk", filter=Q(status=SessionStatus.HELD)),
            overdue=Count("pk", filter=Q(status=SessionStatus.SCHEDULED, date__lt=today)),
        )
    }
    on_time = Q(followup__status=FollowUpStatus.VERIFIED) & (
        Q(followup__due_date__isnull=True) | Q(attended_on__lte=F("followup__due_date"))
    )
    resolution_counts = {
        row["session__system__state_id"]: row
        for row in resolutions.alias(
            # verified without a "done" step: the day it was closed is the day it was met
            attended_on=Coalesce("followup__done_on", "followup__closed_on")
        )
        .values("session__system__state_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(followup__status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=overdue_condition(today, "followup__")),
            fulfilled=Count("pk", filter=Q(followup__status=FollowUpStatus.VERIFIED)),
            on_time=Count("pk", filter=on_time),
        )
    }
    result = {}
    for state_id in session_counts.keys() | resolution_counts.keys():
        s = session_counts.get(state_id, {})
        r = resolution_counts.get(state_id, {})
        result[state_id] = StateCoordination(
            sessions_planned=s.get("planned", 0),
            sessions_held=s.get("held", 0),
            sessions_overdue=s.get("overdue", 0),
            acuerdos=r.get("total", 0),
            acuerdos_open=r.get("open", 0),
            acuerdos_overdue=r.get("overdue", 0),
            acuerdos_fulfilled=r.get("fulfilled", 0),
            acuerdos_on_time=r.get("on_time", 0),
        )
    return result


def state_systems_year(scope: Scope, state_id: int, year: int, today: dt.date) -> list[System]:
    """The state's systems this person reads, each with its ``year``'s figures counted as
    :func:`state_coordination` counts them (``sessions_planned``, ``sessions_held``,
    ``sessions_overdue``, ``acuerdos``, ``acuerdos_overdue``, ``acuerdos_fulfilled``): one
    query whatever the number of systems, sessions or acuerdos."""
    # Positive conditions: a negated one over these outer joins would read as true on the
    # missing rows of a system without sessions or a session without acuerdos.
    in_year = Q(sessions__year=year)
    planned = in_year & Q(sessions__status__in=[SessionStatus.SCHEDULED, SessionStatus.HELD])
    followup = "sessions__resolutions__followup__"
    kept = [s for s in FollowUpStatus.values if s != FollowUpStatus.CANCELLED]
    acuerdo = in_year & Q(**{f"{followup}status__in": kept})
    return list(
        readable_systems(scope)
        .filter(state_id=state_id)
        .annotate(
            sessions_planned=Count("sessions", filter=planned, distinct=True),
            sessions_held=Count(
                "sessions", filter=in_year & Q(sessions__status=SessionStatus.HELD), distinct=True
            ),
            sessions_overdue=Count(
                "sessions",
                filter=in_year
                & Q(sessions__status=SessionStatus.SCHEDULED, sessions__date__lt=today),
                distinct=True,
            ),
            acuerdos=Count("sessions__resolutions", filter=acuerdo, distinct=True),
            acuerdos_overdue=Count(
                "sessions__resolutions",
                filter=acuerdo & overdue_condition(today, followup),
                distinct=True,
            ),
            acuerdos_fulfilled=Count(
                "sessions__resolutions",
                filter=acuerdo & Q(**{f"{followup}status": FollowUpStatus.VERIFIED}),
                distinct=True,
            ),
        )
        .order_by("level", "topic", "name", "pk")
    )


def states_with_systems() -> set[int]:
    """Ids of the states with at least one system registered (one query)."""
    return set(
        System.objects.filter(state__isnull=False)
        .order_by()
        .values_list("state_id", flat=True)
        .distinct()
    )
