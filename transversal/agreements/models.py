"""Collaboration agreements (convenios) between the national institution and a state.

An agreement belongs to its state institution (the IMEF): that is its tenant.
The national institution signs it and is the only party that writes it; the
state reads it and records the technical assistance it receives.

The traffic-light fields (``light``, ``light_updated_at``) are stored roll-ups:
the monitoring app writes them when an indicator update is approved
(``Indicator.goals = ManyToManyField("agreements.Goal", related_name="indicators")``),
so pages never compute them per request.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transversal.core.lights import Light
from transversal.core.text import shorten
from transversal.institutions.models import Institution, InstitutionKind, display_name
from transversal.territory.models import State


class EmphasisArea(models.TextChoices):
    """The five areas named by the national convenio framework."""

    DISCRIMINATION_VIOLENCE = (
        "discrimination_violence",
        _("Eliminación de la discriminación y la violencia contra las mujeres"),
    )
    ECONOMIC_EMPOWERMENT = "economic_empowerment", _("Empoderamiento económico")
    HUMAN_DEVELOPMENT = "human_development", _("Desarrollo humano y bienestar social")
    POLITICAL_PARTICIPATION = (
        "political_participation",
        _("Participación política y toma de decisiones"),
    )
    VIOLENCE_PREVENTION = (
        "violence_prevention",
        _("Prevención, atención, sanción y erradicación de la violencia"),
    )


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SIGNED = "signed", _("Firmado")
    IN_FORCE = "in_force", _("Vigente")
    CONCLUDED = "concluded", _("Concluido")
    TERMINATED = "terminated", _("Terminado anticipadamente")


# Statuses anyone may see, including anonymous visitors and the public portal.
PUBLIC_STATUSES = frozenset(
    {AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.CONCLUDED}
)


def status_on(
    stage: str, valid_from: dt.date | None, valid_to: dt.date | None, day: dt.date
) -> str:
    """The agreement's status on ``day``, from its recorded stage and its dates.

    A draft stays a draft and a terminated agreement stays terminated whatever the dates say. A
    signed agreement is in force from ``valid_from`` to ``valid_to`` and concluded after it:
    nobody has to remember to record either (Durango's 2015–2018 convenio is not "Vigente" in
    2026). Recorded "in force" or "concluded" stages are read the same way; an agreement recorded
    in force without a start date stays in force until its end date passes."""
    if stage in (AgreementStatus.DRAFT, AgreementStatus.TERMINATED, AgreementStatus.CONCLUDED):
        return stage
    if valid_to is not None and day > valid_to:
        return AgreementStatus.CONCLUDED
    if valid_from is not None:
        return AgreementStatus.IN_FORCE if day >= valid_from else AgreementStatus.SIGNED
    return stage


def in_force_on(day: dt.date, prefix: str = "") -> models.Q:
    """The same rule as :func:`status_on`, as a query condition: agreements in force on ``day``
    (``prefix`` reaches them through a relation, e.g. ``"agreement__"``)."""

    def q(**lookups) -> models.Q:
        return models.Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    open_end = q(valid_to__isnull=True) | q(valid_to__gte=day)
    signed = q(status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE])
    started = q(valid_from__lte=day) | (
        q(valid_from__isnull=True) & q(status=AgreementStatus.IN_FORCE)
    )
    return signed & started & open_end


def status_condition(status: str, day: dt.date, prefix: str = "") -> models.Q:
    """Agreements whose :func:`status_on` is ``status`` on ``day``, as a query condition."""

    def q(**lookups) -> models.Q:
        return models.Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    signed_stage = q(status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE])
    ended = q(valid_to__lt=day)
    if status in (AgreementStatus.DRAFT, AgreementStatus.TERMINATED):
        return q(status=status)
    if status == AgreementStatus.CONCLUDED:
        return q(status=AgreementStatus.CONCLUDED) | (signed_stage & ended)
    if status == AgreementStatus.IN_FORCE:
        return in_force_on(day, prefix)
    if status == AgreementStatus.SIGNED:
        return signed_stage & ~ended & ~in_force_on(day, prefix)
    return q(pk__in=[])


# from -> allowed targets. Termination needs a note (checked by the service).
TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.SIGNED}),
    AgreementStatus.SIGNED: frozenset({AgreementStatus.IN_FORCE, AgreementStatus.TERMINATED}),
    AgreementStatus.IN_FORCE: frozenset({AgreementStatus.CONCLUDED, AgreementStatus.TERMINATED}),
    AgreementStatus.CONCLUDED: frozenset(),
    AgreementStatus.TERMINATED: frozenset(),
}


class Party(models.TextChoices):
    NATIONAL = "national", _("Institución nacional")
    STATE = "state", _("Entidad federativa")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    VIRTUAL = "virtual", _("Virtual")
    MIXED = "mixed", _("Mixta")


def validate_emphasis_areas(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Las áreas de énfasis deben ser una lista."), code="invalid")
    unknown = [item for item in value if item not in EmphasisArea.values]
    if unknown:
        raise ValidationError(
            _("Área de énfasis desconocida: %(areas)s."),
            code="invalid",
            params={"areas": ", ".join(map(str, unknown))},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Un área de énfasis aparece más de una vez."), code="invalid")


def private_document_path(instance, filename: str) -> str:
    """A random name under a private folder: files are served only by views that check access."""
    extension = os.path.splitext(filename)[1].lower()
    return f"private/agreements/{uuid.uuid4().hex}{extension}"


class AgreementQuerySet(models.QuerySet):
    def with_parties(self) -> AgreementQuerySet:
        return self.select_related(
            "state", "state_institution__state", "national_institution"
        ).prefetch_related("state_institution__names", "national_institution__names")


class Agreement(models.Model):
    """A convenio de colaboración between the national institution and one state."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    national_institution = models.ForeignKey(
        Institution,
        verbose_name=_("institución nacional"),
        on_delete=models.PROTECT,
        related_name="national_agreements",
        limit_choices_to={"kind": InstitutionKind.NATIONAL},
    )
    state = models.ForeignKey(
        State,
        verbose_name=_("entidad federativa"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    state_institution = models.ForeignKey(
        Institution,
        verbose_name=_("instancia de las mujeres en la entidad"),
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind": InstitutionKind.STATE_IMEF},
    )
    round = models.CharField(
        _("ronda"),
        max_length=40,
        blank=True,
        help_text=_(
            "Instrucción o generación de convenios, por ejemplo: IP-321 (instrucción del "
            "10/10/2014; los convenios comenzaron en 2015)."
        ),
    )
    title = models.CharField(_("título"), max_length=300)
    signed_on = models.DateField(_("fecha de firma"), null=True, blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    purpose = models.TextField(_("objeto del convenio"), blank=True)
    emphasis_areas = models.JSONField(
        _("áreas de énfasis"), default=list, blank=True, validators=[validate_emphasis_areas]
    )
    signed_document = models.FileField(
        _("convenio firmado"), upload_to=private_document_path, max_length=200, blank=True
    )
    signed_document_name = models.CharField(_("nombre del archivo"), max_length=200, blank=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    light = models.CharField(
        _("semáforo"), max_length=10, choices=Light.choices, default=Light.NO_DATA
    )
    light_updated_at = models.DateTimeField(_("semáforo actualizado"), null=True, blank=True)
    is_synthetic = models.BooleanField(
        _("dato sintético"),
        default=False,
        help_text=_("Registro inventado para demostración; la pantalla lo señala como tal."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["state__code", "-valid_from", "title"]
        verbose_name = _("convenio de colaboración")
        verbose_name_plural = _("convenios de colaboración")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agreement_dates_ordered",
                violation_error_message=_(
                    "La fecha final de vigencia no puede ser anterior a la inicial."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def institution(self) -> Institution:
        """The tenant: the state institution."""
        return self.state_institution

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def emphasis_area_labels(self) -> list[str]:
        labels = dict(EmphasisArea.choices)
        return [labels.get(value, value) for value in self.emphasis_areas]

    @property
    def reference_date(self) -> dt.date | None:
        """The day its parties are named on: signed, else in force from; None for a draft
        without dates (then today's names)."""
        return self.signed_on or self.valid_from

    @property
    def counterparty(self) -> str:
        """The state party of a convenio is its government; the institute executes it."""
        if self.state.code == "09":
            return str(_("Gobierno de la Ciudad de México"))
        return str(_("Gobierno del Estado de %(state)s")) % {"state": self.state.short_name}

    @property
    def national_party(self) -> str:
        return display_name(self.national_institution, self.reference_date, acronym=True)

    @property
    def state_party(self) -> str:
        return display_name(self.state_institution, self.reference_date, acronym=True)

    def status_on(self, day: dt.date) -> str:
        return status_on(self.status, self.valid_from, self.valid_to, day)

    @property
    def current_status(self) -> str:
        """Its status today (see :func:`status_on`): what every page shows."""
        return self.status_on(timezone.localdate())

    @property
    def current_status_label(self) -> str:
        return str(AgreementStatus(self.current_status).label)

    def allowed_transitions(self) -> list[tuple[str, str]]:
        labels = dict(AgreementStatus.choices)
        targets = TRANSITIONS.get(self.status, frozenset())
        return [(value, labels[value]) for value in AgreementStatus.values if value in targets]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.national_institution_id
            and self.national_institution.kind != InstitutionKind.NATIONAL
        ):
            errors["national_institution"] = _("Debe ser la institución nacional.")
        if self.state_institution_id:
            if self.state_institution.kind != InstitutionKind.STATE_IMEF:
                errors["state_institution"] = _(
                    "Debe ser la instancia de las mujeres de una entidad federativa."
                )
            elif self.state_id and self.state_institution.state_id != self.state_id:
                errors["state_institution"] = _(
                    "La instancia no pertenece a la entidad federativa indicada."
                )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("La fecha final de vigencia no puede ser anterior a la inicial.")
        if errors:
            raise ValidationError(errors)


class AgreementStatusChange(models.Model):
    """One dated step in an agreement's life: who moved it, when it took effect, why."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("estado anterior"), max_length=20, choices=AgreementStatus.choices
    )
    to_status = models.CharField(_("estado nuevo"), max_length=20, choices=AgreementStatus.choices)
    on = models.DateField(_("fecha"))
    note = models.TextField(_("nota"), blank=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("registró"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "on", "id"]
        verbose_name = _("cambio de estado del convenio")
        verbose_name_plural = _("cambios de estado del convenio")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class AgreementAmendment(models.Model):
    """A convenio modificatorio."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("número"), validators=[MinValueValidator(1)])
    signed_on = models.DateField(_("fecha de firma"))
    summary = models.TextField(_("resumen de las modificaciones"))
    document = models.FileField(
        _("documento"), upload_to=private_document_path, max_length=200, blank=True
    )
    document_name = models.CharField(_("nombre del archivo"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("convenio modificatorio")
        verbose_name_plural = _("convenios modificatorios")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="agreement_amendment_number_unique",
                violation_error_message=_("Ya existe un convenio modificatorio con ese número."),
            ),
        ]

    def __str__(self) -> str:
        return _("Convenio modificatorio %(number)s") % {"number": self.number}


class SignatorySide(models.TextChoices):
    NATIONAL = "national", _("Por la institución nacional")
    STATE_GOVERNMENT = "state_government", _("Por el Gobierno del Estado")
    STATE_INSTITUTE = "state_institute", _("Por la instancia ejecutora en la entidad")
    WITNESS = "witness", _("Testigo de honor")


class AgreementSignatory(models.Model):
    """Who signs a convenio, by charge: the counterparty is the state government (its governor and
    secretaries), the state institute signs as the executing body, and witnesses may sign too. The
    name is optional (the charge is what the convenio binds)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    side = models.CharField(_("firma"), max_length=20, choices=SignatorySide.choices)
    charge = models.CharField(_("cargo"), max_length=200)
    name = models.CharField(_("nombre"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "order", "id"]
        verbose_name = _("firmante")
        verbose_name_plural = _("firmantes")

    def __str__(self) -> str:
        return f"{self.charge} ({self.name})" if self.name else self.charge


class Commitment(models.Model):
    """A numbered compromiso of one party."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    party = models.CharField(_("parte"), max_length=10, choices=Party.choices)
    number = models.PositiveSmallIntegerField(_("número"), validators=[MinValueValidator(1)])
    text = models.TextField(_("compromiso"))
    area = models.CharField(
        _("área de énfasis"), max_length=30, choices=EmphasisArea.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "party", "number"]
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "number"],
                name="commitment_party_number_unique",
                violation_error_message=_("Esa parte ya tiene un compromiso con ese número."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {shorten(self.text)}"


class Goal(models.Model):
    """A meta of an agreement.

    Indicators measure goals: the monitoring app adds
    ``Indicator.goals = ManyToManyField("agreements.Goal", related_name="indicators")``.
    Keep these fields stable: that relation points here.
    """

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    number = models.PositiveSmallIntegerField(_("número"), validators=[MinValueValidator(1)])
    description = models.TextField(_("descripción"))
    due_date = models.DateField(_("fecha de cumplimiento"), null=True, blank=True)
    area = models.CharField(
        _("área de énfasis"), max_length=30, choices=EmphasisArea.choices, blank=True
    )
    light = models.CharField(
        _("semáforo"), max_length=10, choices=Light.choices, default=Light.NO_DATA
    )
    light_updated_at = models.DateTimeField(_("semáforo actualizado"), null=True, blank=True)
    evidence_required = models.BooleanField(
        _("medio de verificación obligatorio"),
        default=False,
        help_text=_(
            "Los avances de los indicadores de la meta no pueden enviarse a revisión sin evidencia."
        ),
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="goal_number_unique",
                violation_error_message=_("Ya existe una meta con ese número en este convenio."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Meta')} {self.number}: {shorten(self.description)}"


class TechnicalAssistance(models.Model):
    """Asistencia técnica received by an institution, under an agreement or not.

    Only aggregated participant counts: never personal data of the people attended.
    """

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("convenio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance",
    )
    recipient = models.ForeignKey(
        Institution,
        verbose_name=_("institución que la recibe"),
        on_delete=models.PROTECT,
        related_name="assistance_received",
    )
    provider_institution = models.ForeignKey(
        Institution,
        verbose_name=_("institución que la brinda"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assistance_given",
    )
    provider_name = models.CharField(
        _("quién la brinda"),
        max_length=250,
        blank=True,
        help_text=_("Si no es una institución registrada: persona, organización o consultoría."),
    )
    topic = models.CharField(_("tema"), max_length=300)
    area = models.CharField(
        _("área de énfasis"), max_length=30, choices=EmphasisArea.choices, blank=True
    )
    modality = models.CharField(_("modalidad"), max_length=10, choices=Modality.choices)
    date = models.DateField(_("fecha"))
    hours = models.DecimalField(
        _("horas"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    participants_women = models.PositiveIntegerField(_("participantes mujeres"), default=0)
    participants_men = models.PositiveIntegerField(_("participantes hombres"), default=0)
    participants_other = models.PositiveIntegerField(
        _("participantes de otra identidad o que no la declararon"), default=0
    )
    outcome = models.TextField(_("resultado"), blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("metas a las que sirve"), related_name="assistance", blank=True
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("compromisos a los que sirve"),
        related_name="assistance",
        blank=True,
    )
    evidence = models.FileField(
        _("evidencia"), upload_to=private_document_path, max_length=200, blank=True
    )
    evidence_name = models.CharField(_("nombre del archivo"), max_length=200, blank=True)
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "id"]
        verbose_name = _("asistencia técnica")
        verbose_name_plural = _("asistencias técnicas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0),
                name="assistance_hours_not_negative",
                violation_error_message=_("Las horas no pueden ser negativas."),
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def institution(self) -> Institution:
        return self.recipient

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other

    @property
    def provider_label(self) -> str:
        return (
            display_name(self.provider_institution, self.date)
            if self.provider_institution_id
            else self.provider_name
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.provider_institution_id and not self.provider_name.strip():
            errors["provider_name"] = _("Indique quién brindó la asistencia técnica.")
        if (
            self.agreement_id
            and self.recipient_id
            and self.agreement.state_id != self.recipient.state_id
        ):
            errors["agreement"] = _(
                "El convenio no corresponde a la entidad de la institución que la recibe."
            )
        if errors:
            raise ValidationError(errors)
