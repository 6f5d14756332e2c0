"""Demo coordination systems: each state's two systems and the national one, all invented.

Every state gets a system for equality between women and men and one against violence towards
women, with its institute (from the registry of 32) as technical secretariat; the national
system has the national institution. Their names are generic, their legal basis names the kind
of law without claiming a specific instrument, and everything else (members, sessions,
attendance, agendas, acuerdos, progress) is invented: the systems carry ``is_synthetic`` and the
coordination pages say "dato sintético".

The calendar follows today's date (as the other demo steps do): two or three ordinary sessions
in each of the last two years, the ones whose date has passed held with their attendance and
acuerdos, the others planned, and a next session planned when the year has none left. In the
personas' states and the national system, each session held more than RECENT days ago has its
signed acta (a small generated PDF that says it is synthetic), which fixes it: its page shows a
fixed session, and the secretariat's admins its «reabrir» action; the recent ones are still
being completed, as a secretariat does before the acta is signed. Acuerdos
end in every status people read (en proceso, atendido por verificar, cumplido, cancelado,
vencido): the institute's editor records the progress and marks it done, and someone else (the
institute's admin in Durango, its reviewer elsewhere, the national coordination for the national
system) verifies or cancels it (four eyes). Everything goes through the services, and a seeded
random choice per system keeps two loads alike. Idempotent: a state whose systems exist is
skipped.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from transversal.accounts.demo import PERSONAS
from transversal.accounts.models import Membership, Role, User
from transversal.coordination.models import (
    MemberRole,
    Sector,
    Session,
    SessionKind,
    SessionModality,
    System,
    SystemLevel,
    SystemTopic,
)
from transversal.coordination.services import (
    agenda_add,
    attendance_record,
    commission_add,
    member_add,
    member_end,
    minutes_upload,
    resolution_add,
    session_cancel,
    session_hold,
    session_schedule,
    system_create,
)
from transversal.core.demofiles import demo_pdf
from transversal.followup.models import FollowUp
from transversal.followup.services import (
    followup_cancel,
    followup_mark_done,
    followup_note_add,
    followup_verify,
)
from transversal.institutions.models import Institution, InstitutionKind

SEED = "transversal-demo-coordination"
SYNTHETIC = "dato sintético"


@dataclass(frozen=True)
class Topic:
    topic: str
    name: str  # "{state}" is the state's short name
    acronym: str  # "{abbr}" is the state's ISO 3166-2 suffix
    law: str
    commission: str
    commission_purpose: str
    members: tuple[tuple[str, str], ...]  # (name with "{state}", sector)
    acuerdos: tuple[str, ...]


# Members by name: bodies most states have, named generically (no people), plus organisations
# of civil society and academia. None is a claim about a particular state.
EQUALITY = Topic(
    topic=SystemTopic.EQUALITY,
    name="Sistema Estatal para la Igualdad entre Mujeres y Hombres de {state}",
    acronym="SEIMH-{abbr}",
    law=(
        "Ley para la igualdad entre mujeres y hombres de la entidad "
        f"(referencia genérica, {SYNTHETIC})"
    ),
    commission="Comisión de Planeación y Presupuesto con Perspectiva de Género",
    commission_purpose=(
        "Dar seguimiento a la incorporación de la perspectiva de género en los programas y el "
        "presupuesto de las dependencias."
    ),
    members=(
        ("Secretaría General de Gobierno de {state}", Sector.GOVERNMENT),
        ("Secretaría de Finanzas de {state}", Sector.GOVERNMENT),
        ("Secretaría de Educación de {state}", Sector.GOVERNMENT),
        ("Secretaría de Salud de {state}", Sector.GOVERNMENT),
        ("Secretaría del Trabajo de {state}", Sector.GOVERNMENT),
        ("Comisión de Derechos Humanos de {state}", Sector.GOVERNMENT),
        ("Universidad pública de {state}", Sector.ACADEMIA),
        (
            "Red de organizaciones de la sociedad civil por la igualdad de {state}",
            Sector.CIVIL_SOCIETY,
        ),
        ("Consejo consultivo ciudadano de las mujeres de {state}", Sector.COUNCIL),
    ),
    acuerdos=(
        "Presentar el proyecto de programa estatal para la igualdad alineado al plan estatal "
        "de desarrollo.",
        "Integrar el informe anual de las acciones de las dependencias en materia de igualdad.",
        "Capacitar en presupuestos con perspectiva de género al personal de planeación de las "
        "dependencias.",
        "Homologar los registros administrativos de las dependencias con datos desagregados "
        "por sexo.",
        "Publicar en el sitio del sistema las actas y los acuerdos de sus sesiones.",
        "Proponer los indicadores de igualdad sustantiva para el informe de gobierno.",
        "Elaborar el diagnóstico de brechas salariales en la administración pública estatal.",
        "Acompañar a los municipios en la instalación de sus sistemas municipales para la "
        "igualdad.",
    ),
)
VIOLENCE = Topic(
    topic=SystemTopic.VIOLENCE,
    name=(
        "Sistema Estatal para Prevenir, Atender, Sancionar y Erradicar la Violencia contra las "
        "Mujeres de {state}"
    ),
    acronym="SEPASEV-{abbr}",
    law=(
        "Ley de acceso de las mujeres a una vida libre de violencia de la entidad "
        f"(referencia genérica, {SYNTHETIC})"
    ),
    commission="Comisión de Prevención y Atención",
    commission_purpose=(
        "Coordinar las acciones de prevención y los protocolos de atención a mujeres en "
        "situación de violencia."
    ),
    members=(
        ("Secretaría General de Gobierno de {state}", Sector.GOVERNMENT),
        ("Fiscalía General de {state}", Sector.GOVERNMENT),
        ("Secretaría de Seguridad Pública de {state}", Sector.GOVERNMENT),
        ("Secretaría de Salud de {state}", Sector.GOVERNMENT),
        ("Secretaría de Educación de {state}", Sector.GOVERNMENT),
        ("Poder Judicial de {state}", Sector.GOVERNMENT),
        ("Sistema para el Desarrollo Integral de la Familia de {state}", Sector.GOVERNMENT),
        ("Universidad pública de {state}", Sector.ACADEMIA),
        ("Colectivo por una vida libre de violencia de {state}", Sector.CIVIL_SOCIETY),
    ),
    acuerdos=(
        "Actualizar el protocolo de atención para el otorgamiento de órdenes de protección.",
        "Remitir cada trimestre las cifras del banco estatal de datos sobre violencia contra "
        "las mujeres.",
        "Elaborar la campaña estatal de prevención de la violencia en el noviazgo.",
        "Capacitar al personal de primer contacto en la atención a mujeres en situación de "
        "violencia.",
        "Presentar el diagnóstico de los centros de atención externa de la entidad.",
        "Instalar mesas municipales de seguimiento en los municipios con mayor incidencia.",
        "Integrar el directorio estatal de servicios de atención y refugio.",
        "Revisar con las dependencias el modelo único de atención.",
    ),
)
NATIONAL = Topic(
    topic=SystemTopic.EQUALITY,
    name="Sistema Nacional para la Igualdad entre Mujeres y Hombres",
    acronym="SNIMH",
    law=f"Ley General para la Igualdad entre Mujeres y Hombres ({SYNTHETIC}: fechas y datos)",
    commission="Comisión de Seguimiento a los Sistemas Estatales",
    commission_purpose=(
        "Dar seguimiento a la instalación y el funcionamiento de los sistemas estatales para "
        "la igualdad."
    ),
    members=(
        ("Secretaría de Gobernación", Sector.GOVERNMENT),
        ("Secretaría de Hacienda y Crédito Público", Sector.GOVERNMENT),
        ("Secretaría de Educación Pública", Sector.GOVERNMENT),
        ("Secretaría de Salud", Sector.GOVERNMENT),
        ("Secretaría del Trabajo y Previsión Social", Sector.GOVERNMENT),
        ("Secretaría de Bienestar", Sector.GOVERNMENT),
    ),
    acuerdos=(
        "Informar el avance de la armonización de los programas estatales con el programa "
        "nacional.",
        "Remitir el informe semestral de las acciones de los sistemas estatales para la igualdad.",
        "Compartir los lineamientos para la instalación de los sistemas municipales.",
        "Presentar la propuesta de indicadores comunes para los sistemas estatales.",
    ),
)
# The state institutes that sit on the national system (guests, without a vote).
NATIONAL_GUESTS = ("10", "32", "14", "19")

AGENDA = (
    "Lista de asistencia y declaración de quórum.",
    "Informe de la comisión.",
    "Seguimiento de los acuerdos de la sesión anterior y asuntos generales.",
)
CHARGES = (
    "Titular de la Dirección de Planeación",
    "Titular de la Dirección de Vinculación Institucional",
    "Titular de la Coordinación de Programas",
    "Titular de la Unidad Jurídica",
)
NOTE = "Se enviaron los oficios a las dependencias y se integró un primer avance (ejemplo)."
CANCEL_REASON = "El pleno lo sustituyó por un acuerdo de la sesión siguiente (ejemplo)."
SESSION_CANCEL_REASON = "No se reunió el quórum en la convocatoria (ejemplo)."

# Statuses of the acuerdos of a session held more than RECENT days ago, cycled from a seeded
# offset per system so every status is well represented (a system with enough acuerdos gets all
# five); recent sessions' acuerdos are still in progress.
MATURE = ("verified", "overdue", "done", "verified", "cancelled", "in_progress", "overdue")
RECENT = 45
ORDINARY_MONTHS = ((3, 7, 11), (2, 6, 10), (4, 8, 11))


@dataclass(frozen=True)
class Depth:
    """How much of a story a system gets. The personas' states and the national system get all
    of it; the other 30 states enough for every page and figure (two sessions a year, fewer
    acuerdos), which keeps ``load_demo`` quick: each write is an audited service call."""

    third_session: float  # chance of a third ordinary session in a year
    extraordinary: float  # chance of an extraordinary session last year
    members: tuple[int, int]  # state systems' members at the start, the secretariat included
    agenda: int  # items on each session's agenda
    acuerdos: tuple[int, int]  # per ordinary session held (an extraordinary one takes one)
    signed_actas: bool = False  # sessions held more than RECENT days ago get their signed acta


FULL = Depth(
    third_session=0.6,
    extraordinary=0.5,
    members=(7, 10),
    agenda=3,
    acuerdos=(2, 4),
    signed_actas=True,
)
LIGHT = Depth(third_session=0.0, extraordinary=0.0, members=(6, 7), agenda=1, acuerdos=(1, 1))
NATIONAL_DEPTH = Depth(
    third_session=0.0,
    extraordinary=0.0,
    members=(11, 11),
    agenda=3,
    acuerdos=(2, 3),
    signed_actas=True,
)
PERSONA_STATES = ("10", "32")  # Durango and Zacatecas


def load(log) -> None:
    today = timezone.localdate()
    people = _people()
    # With their names and states: the services name them in each audit event.
    registry = Institution.objects.with_names()
    national = registry.filter(kind=InstitutionKind.NATIONAL).first()
    institutes = list(registry.filter(kind=InstitutionKind.STATE_IMEF).order_by("state__code"))
    done = set(
        System.objects.filter(is_synthetic=True).values_list("secretariat_id", "topic", "level")
    )
    imms: dict[int, list[Institution]] = {}
    for imm in registry.filter(kind=InstitutionKind.MUNICIPAL_IMM).order_by("slug"):
        imms.setdefault(imm.state_id, []).append(imm)
    created = 0
    for institute in institutes:
        editor, verifier = people.get(institute.pk, (None, None))
        for topic in (EQUALITY, VIOLENCE):
            if (institute.pk, topic.topic, SystemLevel.STATE) in done:
                continue
            _state_system(
                institute, topic, imms.get(institute.state_id, []), editor, verifier, today
            )
            created += 1
    if national is not None and (national.pk, NATIONAL.topic, SystemLevel.NATIONAL) not in done:
        _national_system(national, institutes, people, today)
        created += 1
    if created:
        log(f"Sistemas de coordinación ({SYNTHETIC}): {created}.")


def _people() -> dict[int, tuple[User | None, User | None]]:
    """Per institution, who records progress (its editor) and who verifies (its admin, else
    its reviewer): never the same person. The personas win over the invented people."""
    personas = {email for email, *_rest in PERSONAS}
    slots: dict[int, dict[str, User]] = {}
    memberships = Membership.objects.filter(is_active=True, user__is_active=True).select_related(
        "user"
    )
    for membership in memberships.order_by("user__email"):
        slot = slots.setdefault(membership.institution_id, {})
        user, role = membership.user, membership.role
        held = slot.get(role)
        if held is None or (user.email in personas and held.email not in personas):
            slot[role] = user
    people = {}
    for institution_id, slot in slots.items():
        editor = slot.get(Role.EDITOR) or slot.get(Role.ADMIN)
        verifier = next(
            (
                slot[role]
                for role in (Role.ADMIN, Role.REVIEWER)
                if role in slot and slot[role] != editor
            ),
            None,
        )
        people[institution_id] = (editor, verifier)
    return people


def _state_system(institute, topic: Topic, imms, editor, verifier, today) -> None:
    state = institute.state
    rng = random.Random(f"{SEED}-{state.code}-{topic.topic}")
    system = system_create(
        actor=None,
        name=topic.name.format(state=state.short_name),
        acronym=topic.acronym.format(abbr=state.iso_code.split("-")[-1]),
        topic=topic.topic,
        level=SystemLevel.STATE,
        secretariat=institute,
        legal_instrument=topic.law,
        presidency=f"Persona titular del Poder Ejecutivo de la entidad ({SYNTHETIC})",
        is_synthetic=True,
    )
    founded = dt.date(today.year - 3, 1, 15)
    members = [
        member_add(
            actor=None,
            system=system,
            institution=institute,
            sector=Sector.GOVERNMENT,
            role=MemberRole.SECRETARIAT,
            joined_on=founded,
        )
    ]
    for imm in imms[:2]:
        members.append(
            member_add(
                actor=None,
                system=system,
                institution=imm,
                sector=Sector.GOVERNMENT,
                joined_on=founded,
            )
        )
    depth = FULL if state.code in PERSONA_STATES else LIGHT
    count = rng.randint(*depth.members) - len(members)
    for name, sector in rng.sample(topic.members, count):
        members.append(
            member_add(
                actor=None,
                system=system,
                name=name.format(state=state.short_name),
                sector=sector,
                joined_on=founded,
            )
        )
    if len(members) > 6 and rng.random() < 0.3:
        # A dated change: an organisation left last year, so older sessions list it and
        # newer ones do not.
        member_end(
            actor=None,
            member=members[-1],
            left_on=dt.date(today.year - 1, 5, 31),
            reason="Concluyó su periodo de participación (ejemplo).",
        )
    commission_add(
        actor=None,
        system=system,
        name=topic.commission,
        purpose=topic.commission_purpose,
        coordinator=members[-2].display_name,
    )
    owners = [(institute, editor, verifier)]
    _calendar(system, topic, depth, rng, owners, imms[:1], today)


def _national_system(national, institutes, people, today) -> None:
    rng = random.Random(f"{SEED}-national")
    system = system_create(
        actor=None,
        name=NATIONAL.name,
        acronym=NATIONAL.acronym,
        topic=NATIONAL.topic,
        level=SystemLevel.NATIONAL,
        secretariat=national,
        legal_instrument=NATIONAL.law,
        presidency=f"Persona titular de la institución nacional ({SYNTHETIC})",
        is_synthetic=True,
    )
    founded = dt.date(today.year - 3, 1, 15)
    member_add(
        actor=None,
        system=system,
        institution=national,
        sector=Sector.GOVERNMENT,
        role=MemberRole.SECRETARIAT,
        joined_on=founded,
    )
    for name, sector in NATIONAL.members:
        member_add(actor=None, system=system, name=name, sector=sector, joined_on=founded)
    guests = [i for i in institutes if i.state.code in NATIONAL_GUESTS]
    for institute in guests:
        member_add(
            actor=None,
            system=system,
            institution=institute,
            sector=Sector.GOVERNMENT,
            role=MemberRole.GUEST,
            has_vote=False,
            joined_on=founded,
        )
    commission_add(
        actor=None,
        system=system,
        name=NATIONAL.commission,
        purpose=NATIONAL.commission_purpose,
        coordinator=str(national),
    )
    coordinator = people.get(national.pk, (None, None))[0]
    # The national acuerdos fall to the guest institutes (their editors report, the national
    # coordination verifies) and now and then to the national institution itself.
    owners = [(i, people.get(i.pk, (None, None))[0], coordinator) for i in guests]
    owners.append((national, coordinator, None))
    _calendar(system, NATIONAL, NATIONAL_DEPTH, rng, owners, (), today)


def _session_dates(rng: random.Random, today: dt.date, depth: Depth) -> list[tuple[dt.date, str]]:
    """Two or three ordinary sessions in each of the last two years, an extraordinary one now
    and then, and the first session of next year when this one has none left."""
    months = rng.choice(ORDINARY_MONTHS)
    day = rng.randint(5, 26)
    dates = []
    for year in (today.year - 1, today.year):
        chosen = months if rng.random() < depth.third_session else (months[0], months[-1])
        dates += [(dt.date(year, month, day), SessionKind.ORDINARY) for month in chosen]
    if rng.random() < depth.extraordinary:
        dates.append((dt.date(today.year - 1, months[0] + 1, day), SessionKind.EXTRAORDINARY))
    if all(date <= today for date, _kind in dates):
        dates.append((dt.date(today.year + 1, 2, day), SessionKind.ORDINARY))
    return sorted(dates)


def _calendar(system, topic: Topic, depth: Depth, rng, owners, co_owners, today) -> None:
    """The system's sessions, and the acuerdos of those held. ``owners`` lists who may answer
    for an acuerdo: (institution, who reports for it, who verifies it)."""
    texts = list(topic.acuerdos)
    statuses = _status_cycle(rng)
    dates = _session_dates(rng, today, depth)
    past = [date for date, _kind in dates if date <= today]
    # Now and then the latest session whose date has passed was never recorded as held: the
    # pages flag it as overdue.
    unrecorded = past[-1] if past and rng.random() < 0.15 else None
    for n, (date, kind) in enumerate(dates):
        session = _session(system, depth, n, date, kind, rng, today)
        if session is None or date > today or date == unrecorded:
            continue
        _attendance(session, rng)
        session_hold(actor=None, session=session)
        count = rng.randint(*depth.acuerdos) if kind == SessionKind.ORDINARY else 1
        for _ in range(count):
            who, reporter, checker = owners[rng.randrange(len(owners))]
            recent = (today - date).days <= RECENT
            status = rng.choice(("open", "in_progress")) if recent else next(statuses)
            _acuerdo(
                session,
                texts[rng.randrange(len(texts))],
                who,
                co_owners if rng.random() < 0.4 else (),
                status,
                reporter,
                checker,
                rng,
                today,
            )
        if depth.signed_actas and (today - date).days > RECENT:
            _sign(session)


def _sign(session: Session) -> Session:
    """Upload the session's signed acta, once its agenda, attendance and acuerdos are recorded,
    which fixes it (their follow-up goes on). The PDF and its name say it is synthetic."""
    label = f"{session.system.acronym} {session.label} {session.year}"
    text = f"Acta firmada de la sesión {label}: documento de demostración (dato sintético)."
    name = f"acta-firmada-{session.label}-{session.year}-dato-sintetico.pdf"
    return minutes_upload(
        actor=None, session=session, upload=ContentFile(demo_pdf(text), name=name), filename=name
    )


def _session(system, depth: Depth, n: int, date, kind, rng, today) -> Session | None:
    """A planned session with its agenda, or None when it was cancelled (an extraordinary one
    whose date has passed, now and then)."""
    virtual = n % 3 == 2
    session = session_schedule(
        actor=None,
        system=system,
        kind=kind,
        date=date,
        modality=SessionModality.VIRTUAL if virtual else SessionModality.IN_PERSON,
        place="Videoconferencia institucional"
        if virtual
        else "Sala de juntas de la secretaría técnica",
    )
    if kind == SessionKind.EXTRAORDINARY and date <= today and rng.random() < 0.5:
        session_cancel(actor=None, session=session, reason=SESSION_CANCEL_REASON)
        return None
    for text in AGENDA[-depth.agenda :]:
        agenda_add(actor=None, session=session, text=text)
    return session


def _status_cycle(rng: random.Random):
    start = rng.randrange(len(MATURE))
    n = 0
    while True:
        yield MATURE[(start + n) % len(MATURE)]
        n += 1


def _attendance(session: Session, rng: random.Random) -> None:
    """Most voting members present (there is quorum), now and then through a substitute."""
    members = list(session.system.members.filter(joined_on__lte=session.date))
    members = [m for m in members if m.left_on is None or m.left_on >= session.date]
    present = {m.pk for m in members if m.role == MemberRole.SECRETARIAT or rng.random() < 0.85}
    represented = {
        pk: "Suplencia designada por la persona titular" for pk in present if rng.random() < 0.2
    }
    attendance_record(actor=None, session=session, present=present, represented_by=represented)


def _acuerdo(session, text, owner, co_owners, status, reporter, checker, rng, today) -> FollowUp:
    """One acuerdo, taken to ``status`` through the follow-up services: the owner's editor
    reports and marks it done, someone else on the secretariat's side verifies or cancels it.
    Without such people it stays in progress (overdue or not, as its due date says)."""
    age = (today - session.date).days
    if status == "overdue":
        # Due some time after the session and before today.
        due = session.date + dt.timedelta(days=rng.randint(20, max(21, age - 1)))
        due = min(due, today - dt.timedelta(days=1))
    elif status in ("open", "in_progress"):
        due = today + dt.timedelta(days=rng.randint(20, 150))
    else:
        due = session.date + dt.timedelta(days=rng.randint(60, 300))
    resolution = resolution_add(
        actor=None,
        session=session,
        text=text,
        owner=owner,
        co_owners=co_owners,
        due_date=due,
        responsible_person=CHARGES[rng.randrange(len(CHARGES))],
    )
    item = resolution.followup
    if status == "open":
        return item
    if status == "cancelled":
        if checker is not None:
            followup_cancel(actor=checker, item=item, reason=CANCEL_REASON)
        return item
    if status == "overdue" and rng.random() < 0.5:
        return item  # nothing reported yet
    first = min(today, session.date + dt.timedelta(days=rng.randint(7, max(8, age))))
    followup_note_add(actor=reporter, item=item, text=NOTE, on=first)
    if status in ("in_progress", "overdue") or reporter is None:
        return item
    followup_mark_done(actor=reporter, item=item)
    if status == "verified" and checker is not None and checker != reporter:
        followup_verify(actor=checker, item=item, note="Se revisó la evidencia (ejemplo).")
    return item
