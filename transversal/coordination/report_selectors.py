"""Reads of coordination for the state and national reports (``transversal.reports``).

A state report lists the state's systems with their sessions of the report's years (the quorum
of each held one, from the members on its date and the attendance recorded) and the acuerdos of
those sessions that are overdue; the national report says how many systems each state has.
Each function costs a fixed number of queries, whatever the number of systems, sessions,
members or acuerdos. ``scope`` None reads everything (the ``build_report`` command).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from transversal.accounts.access import Scope
from transversal.coordination.access import readable_systems
from transversal.coordination.models import (
    Attendance,
    Resolution,
    Session,
    SessionStatus,
    System,
    SystemMember,
    quorum_required,
)
from transversal.coordination.selectors import Quorum
from transversal.followup.models import overdue_condition
from transversal.institutions.models import Institution, display_name


@dataclass(frozen=True)
class SessionLine:
    label: str  # "O-2"
    kind: str  # "Ordinaria"
    date: dt.date
    status: str  # "Celebrada", "Programada", "Cancelada"
    overdue: bool  # planned, its date passed, not recorded as held
    resolution_count: int
    # Held sessions with their attendance recorded; None otherwise.
    quorum: Quorum | None = None
    held: bool = False


@dataclass(frozen=True)
class SystemLine:
    acronym: str
    name: str
    topic: str
    level: str
    legal_instrument: str
    legal_date: dt.date | None
    is_synthetic: bool = False  # a demo system: it and everything under it are invented
    sessions: list[SessionLine] = field(default_factory=list)


@dataclass(frozen=True)
class OverdueAcuerdo:
    folio: str
    system: str  # the system's acronym
    text: str
    responsible: str  # the owner institution, co-owners and the person named, if any
    due_date: dt.date
    is_synthetic: bool = False  # adopted by a demo system


def _systems(scope: Scope | None) -> QuerySet[System]:
    return readable_systems(scope) if scope is not None else System.objects.all()


def state_systems(
    state_id: int, years: Iterable[int], today: dt.date, scope: Scope | None = None
) -> list[SystemLine]:
    """The state's systems (state and municipal; the national one is nobody's) with their
    sessions in ``years``, by date: four queries (systems, sessions with their acuerdos
    counted, the voting members of the systems with held sessions, the attendance of those
    sessions)."""
    systems = list(
        _systems(scope)
        .filter(state_id=state_id)
        .order_by("level", "name", "pk")
        .only(
            "pk",
            "acronym",
            "name",
            "topic",
            "level",
            "legal_instrument",
            "legal_date",
            "quorum_percent",
            "is_synthetic",
        )
    )
    sessions = list(
        Session.objects.filter(system__in=[s.pk for s in systems], year__in=list(years))
        .annotate(resolution_count=Count("resolutions"))
        .order_by("date", "pk")
        .only("pk", "system_id", "kind", "number", "year", "date", "status")
    )
    held = [s for s in sessions if s.status == SessionStatus.HELD]
    # An empty list of keys runs no query: a state without held sessions costs two.
    members: dict[int, list[SystemMember]] = {}
    for member in SystemMember.objects.filter(
        system__in={s.system_id for s in held}, has_vote=True
    ).only("pk", "system_id", "joined_on", "left_on"):
        members.setdefault(member.system_id, []).append(member)
    present: dict[int, set[int]] = {}  # held sessions with attendance recorded
    for session_id, member_id, is_present in Attendance.objects.filter(
        session__in=[s.pk for s in held]
    ).values_list("session_id", "member_id", "present"):
        marks = present.setdefault(session_id, set())
        if is_present:
            marks.add(member_id)
    by_system: dict[int, list[SessionLine]] = {}
    quorum_percent = {s.pk: s.quorum_percent for s in systems}
    for session in sessions:
        quorum = None
        if session.pk in present:
            voting = [m for m in members.get(session.system_id, []) if m.active_on(session.date)]
            quorum = Quorum(
                voting=len(voting),
                present=sum(1 for m in voting if m.pk in present[session.pk]),
                required=quorum_required(len(voting), quorum_percent[session.system_id]),
            )
        by_system.setdefault(session.system_id, []).append(
            SessionLine(
                label=session.label,
                kind=session.get_kind_display(),
                date=session.date,
                status=session.get_status_display(),
                overdue=session.is_overdue(today),
                resolution_count=session.resolution_count,
                quorum=quorum,
                held=session.status == SessionStatus.HELD,
            )
        )
    return [
        SystemLine(
            acronym=system.acronym,
            name=system.name,
            topic=system.get_topic_display(),
            level=system.get_level_display(),
            legal_instrument=system.legal_instrument,
            legal_date=system.legal_date,
            is_synthetic=system.is_synthetic,
            sessions=by_system.get(system.pk, []),
        )
        for system in systems
    ]


def overdue_acuerdos(
    state_id: int, years: Iterable[int], today: dt.date, scope: Scope | None = None
) -> list[OverdueAcuerdo]:
    """The acuerdos adopted in the state's sessions of ``years`` that are overdue (open past
    their due date), the oldest due first: four queries (acuerdos with their follow-up, owner
    and system; the owners' names; the co-owners; their names)."""
    resolutions = (
        Resolution.objects.filter(
            session__system__in=_systems(scope).filter(state_id=state_id),
            session__year__in=list(years),
        )
        .filter(overdue_condition(today, "followup__"))
        .select_related("session__system", "followup__owner__state")
        .prefetch_related(
            "followup__owner__names",
            Prefetch(
                "followup__co_owners",
                queryset=Institution.objects.select_related("state").prefetch_related("names"),
            ),
        )
        .order_by("followup__due_date", "session__date", "number")
    )
    return [
        OverdueAcuerdo(
            folio=resolution.folio,
            system=resolution.session.system.acronym,
            text=resolution.followup.text,
            responsible=_responsible(resolution.followup),
            due_date=resolution.followup.due_date,
            is_synthetic=resolution.session.system.is_synthetic,
        )
        for resolution in resolutions
    ]


def _responsible(followup) -> str:
    names = [display_name(followup.owner, acronym=True)]
    names += [display_name(i, acronym=True) for i in followup.co_owners.all()]
    text = "; ".join(names)
    return f"{text} ({followup.responsible_person})" if followup.responsible_person else text


@dataclass(frozen=True)
class SystemCount:
    total: int
    synthetic: int  # of them, demo systems


def systems_per_state(scope: Scope | None = None) -> dict[int, SystemCount]:
    """How many systems each state has, and how many of them are demo systems (states without
    one are absent): one query."""
    rows = (
        _systems(scope)
        .filter(state__isnull=False)
        .values("state_id")
        .annotate(n=Count("pk"), synthetic=Count("pk", filter=Q(is_synthetic=True)))
        .values_list("state_id", "n", "synthetic")
        .order_by()
    )
    return {state_id: SystemCount(n, synthetic) for state_id, n, synthetic in rows}
