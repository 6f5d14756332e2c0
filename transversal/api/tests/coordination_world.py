"""Coordination data for the API and open-data tests: Durango's equality system with members who
came and went, a held session with agenda, attendance and a signed acta, a planned one, and
acuerdos in every status, linked to public and private plan items, goals and indicators; and
a Zacatecas system with one acuerdo, to tell states apart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from transversal.agreements.models import Agreement, Goal
from transversal.coordination import services
from transversal.coordination.models import Resolution, Session, System
from transversal.coordination.tests.factories import make_resolution, make_session, make_system
from transversal.followup.models import FollowUp
from transversal.monitoring.tests.factories import indicator_with_calendar
from transversal.planning.models import Plan, PlanItem

HELD_ON = dt.date(2026, 2, 10)
FUTURE = dt.date(2099, 12, 31)
# Names of people: they must never reach the API or the open data.
PERSON = "María Guadalupe Pérez Ontiveros"
REPRESENTATIVE = "Rosa Elvira Campos Ibarra"


@dataclass
class Links:
    """What an acuerdo may serve, one published and one not of each kind."""

    public_indicator: object
    private_indicator: object
    public_goal: Goal
    draft_goal: Goal
    published_item: PlanItem
    draft_item: PlanItem


def _links(durango, national) -> Links:
    return Links(
        public_indicator=indicator_with_calendar(durango, name="Indicador público", is_public=True),
        private_indicator=indicator_with_calendar(durango, name="Indicador privado"),
        public_goal=_goal(durango, national, "signed", "Convenio firmado"),
        draft_goal=_goal(durango, national, "draft", "Convenio en borrador"),
        published_item=_item(durango, "published", "ped-durango-publicado"),
        draft_item=_item(durango, "draft", "ped-durango-borrador"),
    )


@dataclass
class CoordinationWorld:
    system: System
    held: Session
    planned: Session
    overdue: Resolution  # open past its due date, with a co-owner, a responsible person, links
    fulfilled: Resolution
    cancelled: Resolution
    done: Resolution  # marked done, due ahead: still "in progress" until verified
    zacatecas_system: System
    zacatecas_resolution: Resolution
    links: Links  # of the overdue acuerdo
    partner: object  # the second government member, co-owner of the overdue acuerdo


def _set(resolution: Resolution, **fields) -> None:
    FollowUp.objects.filter(pk=resolution.followup_id).update(**fields)


def build(durango, zacatecas, national, links: Links | None = None) -> CoordinationWorld:
    """``links``: the published and unpublished objects to link the overdue acuerdo to (made
    here when not given)."""
    from transversal.conftest import make_institution

    partner = make_institution("bienestar-durango-test", "10", "Secretaría de Bienestar", "SB")
    system = make_system(durango, members=[partner])
    guest = services.member_add(
        actor=None,
        system=system,
        name="Universidad Juárez del Estado de Durango",
        sector="academia",
        role="guest",
        has_vote=False,
        joined_on=dt.date(2020, 1, 1),
    )
    gone = services.member_add(
        actor=None,
        system=system,
        name="Consejo Consultivo que dejó el sistema",
        sector="council",
        joined_on=dt.date(2020, 1, 1),
    )
    held = make_session(system, HELD_ON)
    services.agenda_add(actor=None, session=held, text="Lista de asistencia")
    services.agenda_add(actor=None, session=held, text="Programa anual")
    services.agenda_add(actor=None, session=held, text="Asuntos generales")
    members = {m.display_name: m for m in services.session_members(held)}
    secretariat = next(m for m in members.values() if m.institution_id == durango.pk)
    civil = next(m for m in members.values() if m.sector == "civil_society")
    services.attendance_record(
        actor=None,
        session=held,
        present={secretariat.pk, civil.pk, guest.pk},
        represented_by={secretariat.pk: REPRESENTATIVE},
    )
    services.session_hold(actor=None, session=held)
    Session.objects.filter(pk=held.pk).update(minutes="actas/prueba/acta.pdf")
    # Left after the session: absent from today's members, still counted on the session's date.
    services.member_end(actor=None, member=gone, left_on=dt.date(2026, 3, 1))
    planned = make_session(system, dt.date(2099, 3, 1))

    overdue = services.resolution_add(
        actor=None,
        session=held,
        text="Presentar el programa estatal",
        owner=durango,
        co_owners=[partner],
        due_date=dt.date(2026, 6, 30),
        responsible_person=PERSON,
    )
    fulfilled = make_resolution(held, durango, text="Instalar la comisión")
    _set(fulfilled, status="verified", done_on=dt.date(2026, 5, 2), closed_on=dt.date(2026, 5, 9))
    cancelled = make_resolution(held, partner, text="Acuerdo que se dejó sin efecto")
    _set(cancelled, status="cancelled", cancel_reason="Se fusionó", closed_on=dt.date(2026, 4, 1))
    done = make_resolution(held, partner, due=FUTURE, text="Publicar el diagnóstico")
    _set(done, status="done", done_on=dt.date(2026, 7, 1))

    links = links or _links(durango, national)
    services.resolution_link(
        actor=None,
        resolution=overdue,
        plan_items=[links.published_item, links.draft_item],
        goals=[links.public_goal, links.draft_goal],
        indicators=[links.public_indicator, links.private_indicator],
    )

    zacatecas_system = make_system(zacatecas, acronym="SEIZ")
    zacatecas_session = make_session(zacatecas_system, dt.date(2026, 3, 5))
    zacatecas_resolution = make_resolution(zacatecas_session, zacatecas, due=FUTURE)
    return CoordinationWorld(
        system=system,
        held=held,
        planned=planned,
        overdue=overdue,
        fulfilled=fulfilled,
        cancelled=cancelled,
        done=done,
        zacatecas_system=zacatecas_system,
        zacatecas_resolution=zacatecas_resolution,
        links=links,
        partner=partner,
    )


def _goal(durango, national, status: str, title: str) -> Goal:
    agreement = Agreement.objects.create(
        national_institution=national,
        state=durango.state,
        state_institution=durango,
        title=title,
        status=status,
    )
    return Goal.objects.create(agreement=agreement, number=1, description="Meta")


def _item(durango, status: str, code: str) -> PlanItem:
    plan = Plan.objects.create(
        code=code,
        kind="ped",
        title=f"PED {status}",
        institution=durango,
        state=durango.state,
        status=status,
    )
    return PlanItem.objects.create(plan=plan, level="axis", code="1", text="Eje", order=0)


def grow(durango, n: int, tag: str) -> None:
    """``n`` more systems, each with members, a held session with attendance and agenda, and two
    acuerdos with a co-owner and links: several rows per relation for the query-count tests."""
    from transversal.conftest import make_institution

    for i in range(n):
        partner = make_institution(f"socio-{tag}-{i}", "10", f"Dependencia {tag} {i}")
        system = make_system(durango, members=[partner], acronym=f"S{tag}{i}")
        session = make_session(system, HELD_ON)
        services.agenda_add(actor=None, session=session, text="Punto")
        members = list(services.session_members(session))
        services.attendance_record(
            actor=None, session=session, present={m.pk for m in members}, represented_by={}
        )
        services.session_hold(actor=None, session=session)
        indicator = indicator_with_calendar(durango, name=f"Ind {tag} {i}", is_public=True)
        item = _item(durango, "published", f"ped-{tag}-{i}")
        for text in ("Uno", "Dos"):
            resolution = services.resolution_add(
                actor=None,
                session=session,
                text=text,
                owner=durango,
                co_owners=[partner],
                due_date=FUTURE,
            )
            services.resolution_link(
                actor=None, resolution=resolution, plan_items=[item], indicators=[indicator]
            )
