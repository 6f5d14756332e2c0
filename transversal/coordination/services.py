"""Writes on coordination systems, their members, commissions, sessions and acuerdos.

Access is checked by the views (``coordination.access``); each service checks the rules of
its object, writes inside one transaction and leaves one audit event. An acuerdo's progress
and closure are ``followup`` services.

A session is fixed (``Session.locked``) once its signed acta is uploaded: the acta is signed
from what was recorded after the session (the draft acta is built from it), so from then on
nothing changes its agenda, attendance or acuerdos, nor the acta, and the acuerdos' follow-up
goes on. A real mistake is corrected after ``session_reopen`` (the secretariat's admins, with
the reason on record); uploading the corrected signed acta fixes it again.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.accounts.access import scope_for
from transversal.audit.services import audit_record
from transversal.coordination.access import can_reopen_session
from transversal.coordination.models import (
    KIND_LETTERS,
    AgendaItem,
    Attendance,
    Commission,
    Resolution,
    Session,
    SessionStatus,
    System,
    SystemLevel,
    SystemMember,
    active_on,
)
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.core.uploads import MB, UploadRejected, inspect_upload
from transversal.followup.services import followup_create

MINUTES_KINDS = frozenset({"pdf", "docx", "odt"})
MINUTES_MAX_MB = 30


def _clean_save(obj) -> None:
    obj.full_clean()
    obj.save()


def _record(actor, verb, target, system: System, changes: dict, note: str = "") -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=target,
        institution=system.secretariat,
        changes=changes,
        note=note,
    )


def folio_for(system: System, *, year: int, kind: str, session: int, number: int) -> str:
    """An acuerdo's number in the system's format."""
    return system.number_format.format(
        sistema=system.acronym, anio=year, tipo=KIND_LETTERS[kind], sesion=session, numero=number
    )


def _check_format(system: System) -> None:
    try:
        folio_for(system, year=2026, kind="ordinary", session=1, number=1)
    except (KeyError, IndexError, ValueError):
        raise ValidationError(
            {
                "number_format": _(
                    "Formato no válido. Use {sistema}, {anio}, {tipo}, {sesion} y {numero} "
                    "(por ejemplo {numero:02d} para dos cifras)."
                )
            }
        ) from None


def system_create(
    *,
    actor: Actor,
    name: str,
    acronym: str,
    topic: str,
    level: str,
    secretariat,
    legal_instrument: str,
    legal_date: dt.date | None = None,
    presidency: str = "",
    municipality=None,
    quorum_percent: int = 50,
    number_format: str = "",
    is_synthetic: bool = False,
) -> System:
    state = None if level == SystemLevel.NATIONAL else secretariat.state
    if level != SystemLevel.NATIONAL and state is None:
        raise ValidationError(
            {
                "level": _(
                    "Un sistema estatal o municipal tiene por secretaría técnica una "
                    "institución de la entidad."
                )
            }
        )
    if level == SystemLevel.MUNICIPAL and municipality is None:
        raise ValidationError({"municipality": _("Indique el municipio del sistema municipal.")})
    if municipality is not None and municipality.state_id != getattr(state, "pk", None):
        raise ValidationError({"municipality": _("El municipio no es de la entidad del sistema.")})
    system = System(
        name=name.strip(),
        acronym=acronym.strip(),
        topic=topic,
        level=level,
        state=state,
        municipality=municipality if level == SystemLevel.MUNICIPAL else None,
        secretariat=secretariat,
        legal_instrument=legal_instrument.strip(),
        legal_date=legal_date,
        presidency=presidency.strip(),
        quorum_percent=quorum_percent,
        is_synthetic=is_synthetic,
    )
    if number_format.strip():
        system.number_format = number_format.strip()
    _check_format(system)
    with transaction.atomic():
        _clean_save(system)
        changes = {
            "name": [None, system.name],
            "acronym": [None, system.acronym],
            "legal_instrument": [None, system.legal_instrument],
        }
        _record(actor, "system.create", system, system, changes)
    return system


SYSTEM_FIELDS = (
    "name",
    "acronym",
    "legal_instrument",
    "legal_date",
    "presidency",
    "quorum_percent",
    "number_format",
)


def system_update(*, actor: Actor, system: System, **values) -> dict:
    """Change a system's data; returns the changes ({} when nothing differed). Acuerdos keep
    the numbers they were given: a new format numbers the next ones."""
    unknown = set(values) - set(SYSTEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown system fields: {sorted(unknown)}")
    with transaction.atomic():
        system = (
            System.objects.select_for_update(of=("self",))
            .select_related("secretariat")
            .get(pk=system.pk)
        )
        changes = {}
        for name, value in values.items():
            value = value.strip() if isinstance(value, str) else value
            if name == "number_format" and not value:
                continue
            if getattr(system, name) != value:
                changes[name] = [getattr(system, name), value]
                setattr(system, name, value)
        if not changes:
            return {}
        _check_format(system)
        _clean_save(system)
        _record(actor, "system.update", system, system, changes)
    return changes


def member_add(
    *,
    actor: Actor,
    system: System,
    sector: str,
    joined_on: dt.date,
    institution=None,
    name: str = "",
    role: str = "member",
    has_vote: bool = True,
) -> SystemMember:
    """A member from the registry, or an organisation, council or academic body by name."""
    if institution is None and not name.strip():
        raise ValidationError(
            {"institution": _("Elija una institución del registro o escriba el nombre.")}
        )
    with transaction.atomic():
        if (
            institution is not None
            and system.members.filter(active_on(joined_on), institution=institution).exists()
        ):
            raise ValidationError(
                {"institution": _("Esa institución ya es integrante del sistema en esa fecha.")}
            )
        member = SystemMember(
            system=system,
            institution=institution,
            name="" if institution is not None else name.strip(),
            sector=sector,
            role=role,
            has_vote=has_vote,
            joined_on=joined_on,
        )
        _clean_save(member)
        changes = {"member": [None, member.display_name], "joined_on": [None, joined_on]}
        _record(actor, "system.member_add", system, system, changes)
    return member


def member_end(
    *, actor: Actor, member: SystemMember, left_on: dt.date, reason: str = ""
) -> SystemMember:
    """A dated departure; the member stays in the records of earlier sessions."""
    with transaction.atomic():
        member = SystemMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
        if member.left_on is not None:
            raise ValidationError(_("Este integrante ya causó baja."))
        if left_on < member.joined_on:
            raise ValidationError(
                {"left_on": _("La baja no puede ser anterior a la fecha de ingreso.")}
            )
        member.left_on = left_on
        member.left_reason = reason.strip()
        _clean_save(member)
        system = member.system
        changes = {"member": [member.display_name, None], "left_on": [None, left_on]}
        _record(actor, "system.member_end", system, system, changes, note=member.left_reason)
    return member


def commission_add(
    *, actor: Actor, system: System, name: str, purpose: str = "", coordinator: str = ""
) -> Commission:
    with transaction.atomic():
        commission = Commission(
            system=system,
            name=name.strip(),
            purpose=purpose.strip(),
            coordinator=coordinator.strip(),
            created_on=timezone.localdate(),
        )
        _clean_save(commission)
        _record(
            actor, "system.commission_add", system, system, {"commission": [None, commission.name]}
        )
    return commission


def session_schedule(
    *,
    actor: Actor,
    system: System,
    kind: str,
    date: dt.date,
    modality: str = "in_person",
    place: str = "",
    number: int | None = None,
) -> Session:
    """A planned session; its number is the next of its kind in its year unless given."""
    with transaction.atomic():
        System.objects.select_for_update(of=("self",)).filter(pk=system.pk).first()
        if number is None:
            last = system.sessions.filter(kind=kind, year=date.year).aggregate(n=Max("number"))
            number = (last["n"] or 0) + 1
        session = Session(
            system=system,
            kind=kind,
            number=number,
            year=date.year,
            date=date,
            modality=modality,
            place=place.strip(),
        )
        try:
            session.full_clean()
        except ValidationError as exc:
            if "__all__" in getattr(exc, "error_dict", {}):
                raise ValidationError(
                    {"number": _("Ya hay una sesión de ese tipo con ese número en ese año.")}
                ) from None
            raise
        session.save()
        changes = {"session": [None, session.label], "date": [None, date], "kind": [None, kind]}
        _record(actor, "session.schedule", session, system, changes)
    return session


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("system__secretariat")
        .get(pk=session.pk)
    )


# The code of the refusal on a fixed session, for callers that tell it apart.
SESSION_LOCKED = "session_locked"


def _refuse_if_fixed(session: Session) -> None:
    """One refusal for every service that would change what the session's acta records."""
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("La sesión está cancelada."))
    if session.locked:
        raise ValidationError(
            _(
                "Sesión celebrada con acta firmada: su orden del día, asistencia y acuerdos ya "
                "no se modifican. Para corregir un error, la administración de la secretaría "
                "técnica puede reabrirla indicando el motivo."
            ),
            code=SESSION_LOCKED,
        )


def agenda_add(*, actor: Actor, session: Session, text: str) -> AgendaItem:
    with transaction.atomic():
        session = _lock_session(session)
        _refuse_if_fixed(session)
        position = (session.agenda.aggregate(n=Max("position"))["n"] or 0) + 1
        item = AgendaItem(session=session, position=position, text=text.strip())
        _clean_save(item)
        changes = {"agenda": [None, str(item)]}
        _record(actor, "session.agenda_add", session, session.system, changes)
    return item


def session_members(session: Session):
    """The system's members on the session's date."""
    return session.system.members.filter(active_on(session.date)).select_related("institution")


def attendance_record(
    *, actor: Actor, session: Session, present: set[int], represented_by: dict[int, str]
) -> list[Attendance]:
    """Who attended (member ids in ``present``): one row per member on the session's date."""
    with transaction.atomic():
        session = _lock_session(session)
        _refuse_if_fixed(session)
        members = list(session_members(session))
        known = {m.pk for m in members}
        if present - known:
            raise ValidationError(
                _("Alguien marcado como presente no integra el sistema en esa fecha.")
            )
        for text in represented_by.values():
            if "\x00" in text or len(text.strip()) > 200:
                raise ValidationError(
                    _("«Representada por» admite hasta 200 caracteres de texto simple.")
                )
        existing = {row.member_id: row for row in session.attendance.all()}
        rows, before = [], sorted(k for k, r in existing.items() if r.present)
        for member in members:
            row = existing.get(member.pk) or Attendance(session=session, member=member)
            row.present = member.pk in present
            row.represented_by = represented_by.get(member.pk, "").strip()
            row.save()
            rows.append(row)
        after = sorted(present)
        _record(
            actor,
            "session.attendance",
            session,
            session.system,
            {"present": [len(before), len(after)]},
        )
    return rows


def session_hold(*, actor: Actor, session: Session) -> Session:
    """Record the session as held (on or after its date)."""
    with transaction.atomic():
        session = _lock_session(session)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError(_("Solo una sesión programada se registra como celebrada."))
        if session.date > timezone.localdate():
            raise ValidationError(_("La sesión aún no llega a su fecha."))
        session.status = SessionStatus.HELD
        session.save(update_fields=["status"])
        changes = {"status": [SessionStatus.SCHEDULED, SessionStatus.HELD]}
        _record(actor, "session.hold", session, session.system, changes)
    return session


def session_cancel(*, actor: Actor, session: Session, reason: str) -> Session:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Escriba el motivo.")})
    with transaction.atomic():
        session = _lock_session(session)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError(_("Solo se cancela una sesión programada."))
        if session.resolutions.exists():
            raise ValidationError(_("Una sesión con acuerdos registrados no se cancela."))
        session.status = SessionStatus.CANCELLED
        session.cancel_reason = reason[:300]
        session.save(update_fields=["status", "cancel_reason"])
        changes = {"status": [SessionStatus.SCHEDULED, SessionStatus.CANCELLED]}
        _record(actor, "session.cancel", session, session.system, changes, note=reason)
    return session


def minutes_upload(*, actor: Actor, session: Session, upload, filename: str) -> Session:
    """The signed acta (PDF, DOCX or ODT checked by content) of a held session, which fixes
    the session; a fixed session's acta is replaced only after ``session_reopen``."""
    try:
        info = inspect_upload(
            upload, filename, allowed=MINUTES_KINDS, max_bytes=MINUTES_MAX_MB * MB
        )
    except UploadRejected as exc:
        raise ValidationError({"file": exc.message}) from None
    with transaction.atomic():
        session = _lock_session(session)
        if session.status != SessionStatus.HELD:
            raise ValidationError(_("El acta firmada se sube cuando la sesión está celebrada."))
        if session.locked:
            raise ValidationError(
                _(
                    "La sesión ya tiene su acta firmada y quedó fija. Para reemplazar el acta, "
                    "la administración de la secretaría técnica debe reabrir la sesión "
                    "indicando el motivo."
                ),
                code=SESSION_LOCKED,
            )
        old = session.minutes_name or None
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read() if hasattr(upload, "read") else upload
        session.minutes_extension = info.extension
        session.minutes_name = info.filename
        session.minutes_mime = info.mime_type
        session.minutes_sha256 = info.sha256
        session.minutes.save("acta", ContentFile(content), save=False)
        session.locked = True
        try:
            session.save()
            changes = {
                "minutes": [old, f"{info.filename} ({info.sha256[:12]})"],
                "locked": [False, True],
            }
            _record(actor, "session.minutes_upload", session, session.system, changes)
        except Exception:
            session.minutes.delete(save=False)
            raise
    return session


def session_reopen(*, actor: Actor, session: Session, reason: str) -> Session:
    """Open a session fixed by its signed acta again, so that a real mistake in its agenda,
    attendance or acuerdos can be corrected: only the technical secretariat's admins, always
    with the reason on record. Uploading the corrected signed acta fixes it again."""
    reason = clean_text(reason, field="reason", required=_("Explique por qué se reabre la sesión."))
    with transaction.atomic():
        session = _lock_session(session)
        if actor is None or not can_reopen_session(scope_for(actor), session.system):
            raise ValidationError(
                _(
                    "Solo una persona con rol de administración en la secretaría técnica del "
                    "sistema puede reabrir una sesión con acta firmada."
                )
            )
        if not session.locked:
            raise ValidationError(
                _("La sesión %(label)s no está fija: puede corregirse sin reabrirla.")
                % {"label": session.label}
            )
        session.locked = False
        session.save(update_fields=["locked"])
        changes = {"locked": [True, False]}
        _record(actor, "session.reopen", session, session.system, changes, note=reason)
    return session


def resolution_add(
    *,
    actor: Actor,
    session: Session,
    text: str,
    owner,
    due_date: dt.date | None = None,
    co_owners=(),
    responsible_person: str = "",
) -> Resolution:
    """An acuerdo, numbered next in its session, with its follow-up (verified by the system's
    technical secretariat)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Escriba el texto del acuerdo.")})
    if due_date is not None and due_date < session.date:
        raise ValidationError(
            {
                "due_date": _("La fecha compromiso no puede ser anterior a la sesión (%(date)s).")
                % {"date": session.date.strftime("%d/%m/%Y")}
            }
        )
    with transaction.atomic():
        session = _lock_session(session)
        _refuse_if_fixed(session)
        system = session.system
        number = (session.resolutions.aggregate(n=Max("number"))["n"] or 0) + 1
        folio = folio_for(
            system, year=session.year, kind=session.kind, session=session.number, number=number
        )
        followup = followup_create(
            kind="acuerdo",
            title=f"{folio}: {text}"[:300],
            text=text,
            owner=owner,
            co_owners=co_owners,
            verifier=system.secretariat,
            responsible_person=responsible_person,
            due_date=due_date,
        )
        resolution = Resolution(session=session, number=number, folio=folio, followup=followup)
        try:
            _clean_save(resolution)
        except IntegrityError:
            raise ValidationError(_("Otro acuerdo tomó ese número; intente de nuevo.")) from None
        changes = {
            "folio": [None, folio],
            "text": [None, text[:200]],
            "owner": [None, str(owner)],
            "due_date": [None, due_date],
        }
        audit_record(
            actor=actor,
            verb="resolution.add",
            target=resolution,
            institution=system.secretariat,
            changes=changes,
        )
    return resolution


def resolution_link(
    *, actor: Actor, resolution: Resolution, plan_items=(), goals=(), indicators=()
) -> Resolution | None:
    """What the acuerdo serves: plan items, convenio goals and indicators (replacing the set)."""
    with transaction.atomic():
        before = {
            "plan_items": sorted(str(x) for x in resolution.plan_items.all()),
            "goals": sorted(str(x) for x in resolution.goals.all()),
            "indicators": sorted(str(x) for x in resolution.indicators.all()),
        }
        resolution.plan_items.set(plan_items)
        resolution.goals.set(goals)
        resolution.indicators.set(indicators)
        after = {
            "plan_items": sorted(str(x) for x in plan_items),
            "goals": sorted(str(x) for x in goals),
            "indicators": sorted(str(x) for x in indicators),
        }
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        if not changes:
            return None
        audit_record(
            actor=actor,
            verb="resolution.link",
            target=resolution,
            institution=resolution.session.system.secretariat,
            changes=changes,
        )
    return resolution
