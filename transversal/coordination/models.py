"""Coordination systems (for equality, for a life free of violence), their members, sessions,
attendance and acuerdos.

A system's tenant is its technical secretariat (usually the state institute; the national
institution for a national system): its editors keep the system, its sessions and acuerdos.
Membership changes are dated (``joined_on``/``left_on``), so the members on a session's date
are known. An acuerdo's follow-up (responsible, due date, notes, evidence, closure) is a
``followup.FollowUp``; its status as people read it comes from there.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SystemTopic(models.TextChoices):
    EQUALITY = "equality", _("Igualdad entre mujeres y hombres")
    VIOLENCE = "violence", _("Prevención, atención, sanción y erradicación de la violencia")
    OTHER = "other", _("Otro")


class SystemLevel(models.TextChoices):
    NATIONAL = "national", _("Nacional")
    STATE = "state", _("Estatal")
    MUNICIPAL = "municipal", _("Municipal")


DEFAULT_NUMBER_FORMAT = "{sistema}/{anio}/{tipo}-{sesion}/{numero:02d}"


class System(models.Model):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nombre"), max_length=300)
    acronym = models.CharField(_("siglas"), max_length=30)
    topic = models.CharField(_("materia"), max_length=12, choices=SystemTopic.choices)
    level = models.CharField(_("ámbito"), max_length=12, choices=SystemLevel.choices)
    state = models.ForeignKey(
        "territory.State",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entidad"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipio"),
    )
    legal_instrument = models.CharField(_("instrumento jurídico"), max_length=400)
    legal_date = models.DateField(_("fecha del instrumento"), null=True, blank=True)
    presidency = models.CharField(_("presidencia"), max_length=300, blank=True)
    secretariat = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="coordination_systems",
        verbose_name=_("secretaría técnica"),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quórum: más del … % de integrantes con voto"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    number_format = models.CharField(
        _("formato del número de acuerdo"), max_length=80, default=DEFAULT_NUMBER_FORMAT
    )
    # Set by the demo and the benchmark generator for a system and everything under it (members,
    # sessions, acuerdos): the pages say "dato sintético" wherever they show it.
    is_synthetic = models.BooleanField(
        _("dato sintético"),
        default=False,
        help_text=_("Registro inventado para demostración; la pantalla lo señala como tal."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "state__code", "name"]
        verbose_name = _("sistema")
        verbose_name_plural = _("sistemas")

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"


def quorum_required(voting_members: int, percent: int) -> int:
    """Present voting members needed: more than ``percent``% of those with a vote."""
    return voting_members * percent // 100 + 1 if voting_members else 0


class Sector(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno")
    CIVIL_SOCIETY = "civil_society", _("Organización de la sociedad civil")
    ACADEMIA = "academia", _("Academia")
    COUNCIL = "council", _("Consejo")
    OTHER = "other", _("Otro")


class MemberRole(models.TextChoices):
    PRESIDENCY = "presidency", _("Presidencia")
    SECRETARIAT = "secretariat", _("Secretaría técnica")
    MEMBER = "member", _("Integrante")
    GUEST = "guest", _("Invitada permanente")


class SystemMember(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="members")
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución del registro"),
    )
    name = models.CharField(_("nombre (si no está en el registro)"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    role = models.CharField(
        _("función"), max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    has_vote = models.BooleanField(_("con voto"), default=True)
    joined_on = models.DateField(_("integrante desde"))
    left_on = models.DateField(_("integrante hasta"), null=True, blank=True)
    left_reason = models.CharField(_("motivo de la baja"), max_length=300, blank=True)

    class Meta:
        ordering = ["system", "joined_on", "pk"]
        verbose_name = _("integrante del sistema")
        verbose_name_plural = _("integrantes del sistema")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(name=""),
                name="system_member_has_institution_or_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.institution_id:
            return str(self.institution)
        return self.name

    def active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


def active_on(day: dt.date) -> Q:
    """Members in the system on ``day``, as a query condition."""
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gte=day))


class Commission(models.Model):
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="commissions")
    name = models.CharField(_("nombre"), max_length=300)
    purpose = models.TextField(_("objeto"), blank=True)
    coordinator = models.CharField(_("coordinación"), max_length=300, blank=True)
    created_on = models.DateField(_("creada el"), null=True, blank=True)

    class Meta:
        ordering = ["system", "name"]
        verbose_name = _("comisión o grupo de trabajo")
        verbose_name_plural = _("comisiones y grupos de trabajo")

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    INSTALLATION = "installation", _("Instalación")
    ORDINARY = "ordinary", _("Ordinaria")
    EXTRAORDINARY = "extraordinary", _("Extraordinaria")


KIND_LETTERS = {
    SessionKind.INSTALLATION: "I",
    SessionKind.ORDINARY: "O",
    SessionKind.EXTRAORDINARY: "E",
}


class SessionModality(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Híbrida")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programada")
    HELD = "held", _("Celebrada")
    CANCELLED = "cancelled", _("Cancelada")


def minutes_path(instance: Session, filename: str) -> str:
    # Never the uploaded name: a server-chosen path the person cannot influence.
    slug = instance.system.secretariat.slug
    return f"actas/{slug}/{uuid.uuid4().hex}.{instance.minutes_extension.lstrip('.')}"


class Session(models.Model):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    system = models.ForeignKey(System, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("tipo de sesión"), max_length=16, choices=SessionKind.choices)
    number = models.PositiveSmallIntegerField(_("número"))
    year = models.PositiveSmallIntegerField(_("año"))  # of its date; sessions are numbered per year
    date = models.DateField(_("fecha"))
    modality = models.CharField(
        _("modalidad"),
        max_length=12,
        choices=SessionModality.choices,
        default=SessionModality.IN_PERSON,
    )
    place = models.CharField(_("lugar o enlace"), max_length=300, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.CharField(_("motivo de cancelación"), max_length=300, blank=True)
    minutes = models.FileField(
        _("acta firmada"), upload_to=minutes_path, max_length=200, blank=True
    )
    minutes_name = models.CharField(_("acta firmada"), max_length=200, blank=True)
    minutes_extension = models.CharField(max_length=8, blank=True)
    minutes_mime = models.CharField(max_length=120, blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    # Set when its signed acta is uploaded: from then its agenda, attendance and acuerdos (and
    # the acta itself) change only after an audited reopening (services.session_reopen), until
    # the corrected acta is uploaded. The acuerdos' follow-up goes on regardless.
    locked = models.BooleanField(_("fija por su acta firmada"), default=False)

    class Meta:
        ordering = ["system", "date", "pk"]
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")
        constraints = [
            models.UniqueConstraint(
                fields=["system", "kind", "number", "year"],
                name="session_unique_number_per_kind_and_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system.acronym} {self.label} ({self.date:%d/%m/%Y})"

    @property
    def label(self) -> str:
        return f"{KIND_LETTERS[self.kind]}-{self.number}"

    def is_overdue(self, today: dt.date) -> bool:
        """A planned session whose date has passed without being recorded as held."""
        return self.status == SessionStatus.SCHEDULED and self.date < today


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("número"))
    text = models.CharField(_("punto del orden del día"), max_length=500)

    class Meta:
        ordering = ["session", "position"]
        verbose_name = _("punto del orden del día")
        verbose_name_plural = _("orden del día")
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="agenda_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    member = models.ForeignKey(SystemMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("presente"), default=False)
    represented_by = models.CharField(_("representada por"), max_length=200, blank=True)

    class Meta:
        ordering = ["session", "member__joined_on", "member_id"]
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencia")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {'presente' if self.present else 'ausente'}"


class Resolution(models.Model):
    """An acuerdo of a session: its number, and its follow-up (text, responsibles, due date,
    progress, closure) in a ``FollowUp``."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("número"))
    folio = models.CharField(_("número de acuerdo"), max_length=80)
    followup = models.OneToOneField(
        "followup.FollowUp", on_delete=models.PROTECT, related_name="resolution"
    )
    plan_items = models.ManyToManyField(
        "planning.PlanItem", blank=True, related_name="+", verbose_name=_("elementos de plan")
    )
    goals = models.ManyToManyField(
        "agreements.Goal", blank=True, related_name="+", verbose_name=_("metas de convenio")
    )
    indicators = models.ManyToManyField(
        "monitoring.Indicator", blank=True, related_name="+", verbose_name=_("indicadores")
    )

    class Meta:
        ordering = ["session", "number"]
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="resolution_unique_number"),
        ]

    def __str__(self) -> str:
        return self.folio


class ResolutionStatus:
    """An acuerdo's status as people read it, from its follow-up's."""

    LABELS = {
        "open": _("En proceso"),
        "in_progress": _("En proceso"),
        "done": _("En proceso (atendido, por verificar)"),
        "verified": _("Cumplido"),
        "cancelled": _("Cancelado"),
    }
    OVERDUE = _("Vencido")

    @classmethod
    def label(cls, followup, today: dt.date) -> str:
        if followup.is_overdue(today):
            return str(cls.OVERDUE)
        return str(cls.LABELS[followup.status])
