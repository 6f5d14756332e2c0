"""Registers of what the institutes do, counted by sex and without personal data.

Four registers share one shape: an entry belongs to an institution (the tenant), is counted
on one date (``counted_on``: when a training ended, when an affirmative action closed, the
cut-off of a mechanism's year, the month of a services count) and carries counts of people
(``PeopleCounts``: by sex, by age group, and "of which" population groups). No register holds
a name, a case record or anything else that identifies a person (``core.pii`` refuses free
text that looks like one). An indicator's sheet may declare a register as its source
(``IndicatorFeed``): each period's value is then computed from the entries counted in it and
proposed as a draft report, and ``FeedProposal`` keeps which entries the figure came from.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transversal.core.models import EvidenceFile


class RegisterKind(models.TextChoices):
    TRAINING = "training", _("Capacitación")
    AFFIRMATIVE = "affirmative", _("Acciones afirmativas")
    PARTICIPATION = "participation", _("Mecanismos de participación")
    SERVICE = "service", _("Servicios a mujeres")


# What the people counted are called in each register (pages, portal, exports).
PEOPLE_WORDS = {
    RegisterKind.TRAINING: _("Participantes"),
    RegisterKind.AFFIRMATIVE: _("Personas beneficiarias"),
    RegisterKind.PARTICIPATION: _("Personas integrantes"),
    RegisterKind.SERVICE: _("Personas atendidas"),
}

# Age groups: the same categories as an indicator's age breakdown (monitoring's
# PARTITION_CATEGORIES), so that a register fills a report's breakdown one to one.
AGE_FIELDS = (
    ("age_0_14", "0-14"),
    ("age_15_29", "15-29"),
    ("age_30_44", "30-44"),
    ("age_45_64", "45-64"),
    ("age_65_plus", "65+"),
    ("age_unspecified", "unspecified"),
)
SEX_FIELDS = (("women", "women"), ("men", "men"), ("sex_unspecified", "unspecified"))
# "Of which" groups, never more than the total: field → the indicator's disaggregation.
GROUP_FIELDS = (
    ("indigenous", "indigenous"),
    ("afro_mexican", "afro_mexican"),
    ("disability", "disability"),
)


SHARE_PLACES = Decimal("0.1")


def women_share(women: int, people: int) -> Decimal | None:
    """The women's percentage of ``people``, with one decimal rounded half up (12.25 reads
    12.3): the one rule of the lists, the portal, the open data and the indicators' feeds.
    None for nobody counted, never a division by zero."""
    if not people:
        return None
    share = Decimal(women) * 100 / Decimal(people)
    return share.quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


def title_key(text: object) -> str:
    """A title as two are compared: without case, accents or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("_", " ").split())


def _count(verbose) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose, default=0)


def _optional_count(verbose) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose, null=True, blank=True)


class PeopleCounts(models.Model):
    """People counted by sex (required), by age group and in population groups (optional:
    blank means "not recorded", never zero)."""

    women = _count(_("mujeres"))
    men = _count(_("hombres"))
    sex_unspecified = _count(_("sexo no especificado"))
    age_0_14 = _optional_count(_("0 a 14 años"))
    age_15_29 = _optional_count(_("15 a 29 años"))
    age_30_44 = _optional_count(_("30 a 44 años"))
    age_45_64 = _optional_count(_("45 a 64 años"))
    age_65_plus = _optional_count(_("65 años o más"))
    age_unspecified = _optional_count(_("edad no especificada"))
    indigenous = _optional_count(_("de ellas y ellos, población indígena"))
    afro_mexican = _optional_count(_("de ellas y ellos, población afromexicana"))
    disability = _optional_count(_("de ellas y ellos, con discapacidad"))

    class Meta:
        abstract = True

    @property
    def total(self) -> int:
        return (self.women or 0) + (self.men or 0) + (self.sex_unspecified or 0)

    @property
    def has_ages(self) -> bool:
        return any(getattr(self, field) is not None for field, _key in AGE_FIELDS)

    def check_counts(self) -> dict[str, str]:
        """The register's own check of a total against its parts: the age groups, when given,
        add up to the people counted by sex, and no population group exceeds them."""
        errors: dict[str, str] = {}
        total = self.total
        if self.has_ages:
            ages = sum(getattr(self, field) or 0 for field, _key in AGE_FIELDS)
            if ages != total:
                errors["age_unspecified"] = _(
                    "Los grupos de edad suman %(ages)s y las personas por sexo %(total)s: "
                    "deben coincidir (use «edad no especificada» para quien no la declaró)."
                ) % {"ages": f"{ages:,}", "total": f"{total:,}"}
        for field, _key in GROUP_FIELDS:
            value = getattr(self, field)
            if value is not None and value > total:
                errors[field] = _("No puede ser mayor que el total de personas (%(total)s).") % {
                    "total": f"{total:,}"
                }
        return errors


class RegisterEntry(PeopleCounts):
    """What every register entry records besides its own fields."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institución que registra"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    counted_on = models.DateField(_("fecha en que se contabiliza"), db_index=True)
    notes = models.TextField(
        _("observaciones"),
        blank=True,
        help_text=_("Sin nombres, CURP, teléfonos, correos ni domicilios de ninguna persona."),
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Set by each register: its kind, and the fields that make up its counted date.
    kind: str = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        counted = self.count_date()
        if counted is not None:
            self.counted_on = counted
        super().save(*args, **kwargs)

    def count_date(self) -> dt.date | None:
        raise NotImplementedError

    def clean(self) -> None:
        errors = self.check_counts()
        if errors:
            raise ValidationError(errors)


class Audience(models.TextChoices):
    PUBLIC_SERVANTS = "public_servants", _("Personas servidoras públicas")
    GENERAL = "general", _("Población general")
    # The re-education services for aggressors that the general law on women's access to a
    # life free of violence (LGAMVLV) provides for.
    REEDUCATION = "reeducation", _("Personas agresoras en servicios reeducativos")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("Presencial")
    ONLINE = "online", _("En línea")
    MIXED = "mixed", _("Mixta")


def _period_error(start: dt.date | None, end: dt.date | None) -> str | None:
    """The message for a period that ends before it starts (its CheckConstraint refuses it)."""
    if start and end and end < start:
        return _("El término no puede ser anterior al inicio.")
    return None


class TrainingEvent(RegisterEntry):
    """A course, workshop or talk: participants are counted, never listed by name."""

    kind = RegisterKind.TRAINING
    name = models.CharField(_("nombre del evento"), max_length=250)
    topic = models.CharField(_("tema"), max_length=200)
    audience = models.CharField(
        _("población a la que se dirige"), max_length=16, choices=Audience.choices
    )
    modality = models.CharField(_("modalidad"), max_length=10, choices=Modality.choices)
    hours = models.DecimalField(
        _("horas"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(2000))],
    )
    start = models.DateField(_("inicio"))
    end = models.DateField(_("término"))
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organiser = models.CharField(_("institución que organiza"), max_length=250)
    certificates = _count(_("constancias entregadas"))

    class Meta:
        ordering = ["-counted_on", "name"]
        verbose_name = _("evento de capacitación")
        verbose_name_plural = _("eventos de capacitación")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="training_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["institution", "counted_on"], name="training_inst_idx")]

    def __str__(self) -> str:
        return self.name

    def count_date(self) -> dt.date | None:
        return self.end  # counted when it ends: that is when participants are known

    def clean(self) -> None:
        errors = self.check_counts()
        if message := _period_error(self.start, self.end):
            errors["end"] = message
        elif self.end and self.end > timezone.localdate():
            errors["end"] = _(
                "El evento aún no termina: regístrelo cuando concluya, con las personas que "
                "participaron."
            )
        if not self.total and "women" not in errors:
            errors["women"] = _(
                "Un evento sin participantes no se registra: anote cuántas personas "
                "participaron, por sexo."
            )
        if self.certificates and self.certificates > self.total:
            errors["certificates"] = _(
                "No puede haber más constancias que participantes (%(total)s)."
            ) % {"total": f"{self.total:,}"}
        if errors:
            raise ValidationError(errors)


class AffirmativeAction(RegisterEntry):
    """A temporary measure that favours a group to close a gap, with its legal basis."""

    kind = RegisterKind.AFFIRMATIVE
    name = models.CharField(_("nombre de la acción"), max_length=250)
    legal_basis = models.CharField(_("fundamento jurídico"), max_length=400)
    target_group = models.CharField(_("grupo al que se dirige"), max_length=200)
    start = models.DateField(_("inicio"))
    end = models.DateField(_("término"))
    municipalities = models.ManyToManyField(
        "territory.Municipality", verbose_name=_("municipios"), blank=True, related_name="+"
    )
    resources = models.DecimalField(
        _("recursos ejercidos (pesos)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["-counted_on", "name"]
        verbose_name = _("acción afirmativa")
        verbose_name_plural = _("acciones afirmativas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="affirmative_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["institution", "counted_on"], name="affirmative_inst_idx")]

    def __str__(self) -> str:
        return self.name

    def count_date(self) -> dt.date | None:
        return self.end  # beneficiaries are counted when the action closes

    def clean(self) -> None:
        errors = self.check_counts()
        if message := _period_error(self.start, self.end):
            errors["end"] = message
        if errors:
            raise ValidationError(errors)


class MechanismKind(models.TextChoices):
    COUNCIL = "council", _("Consejo")
    OBSERVATORY = "observatory", _("Observatorio")
    NETWORK = "network", _("Red")
    COMMITTEE = "committee", _("Comité")
    OTHER = "other", _("Otro")


class ParticipationMechanism(RegisterEntry):
    """A mechanism of citizen participation, one entry per year: its members (counted by sex
    and by sector), the sessions it held and the agreements it reached that year."""

    kind = RegisterKind.PARTICIPATION
    name = models.CharField(_("nombre del mecanismo"), max_length=250)
    mechanism_kind = models.CharField(_("tipo"), max_length=12, choices=MechanismKind.choices)
    year = models.PositiveSmallIntegerField(
        _("año"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    installed_on = models.DateField(_("fecha de instalación"), null=True, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    system = models.ForeignKey(
        "coordination.System",
        verbose_name=_("sistema de coordinación al que se vincula"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    members_government = _count(_("integrantes del sector público"))
    members_civil_society = _count(_("integrantes de la sociedad civil"))
    members_academia = _count(_("integrantes de la academia"))
    members_private = _count(_("integrantes del sector privado"))
    members_other = _count(_("integrantes de otros sectores"))
    sessions_held = _count(_("sesiones celebradas en el año"))
    agreements_reached = _count(_("acuerdos tomados en el año"))

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("mecanismo de participación")
        verbose_name_plural = _("mecanismos de participación")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name", "year"],
                name="participation_one_per_year",
                violation_error_message=_(
                    "Este mecanismo ya está registrado en ese año: corrija el registro existente."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "counted_on"], name="participation_inst_idx")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    SECTOR_FIELDS = (
        "members_government",
        "members_civil_society",
        "members_academia",
        "members_private",
        "members_other",
    )

    @property
    def members_by_sector(self) -> int:
        return sum(getattr(self, field) or 0 for field in self.SECTOR_FIELDS)

    def count_date(self) -> dt.date | None:
        return dt.date(self.year, 12, 31) if self.year else None  # the year's cut-off

    def clean(self) -> None:
        errors = self.check_counts()
        if self.members_by_sector != self.total:
            errors["members_other"] = _(
                "Las personas integrantes por sector suman %(sectors)s y por sexo %(total)s: "
                "deben coincidir."
            ) % {"sectors": f"{self.members_by_sector:,}", "total": f"{self.total:,}"}
        if self.installed_on and self.year and self.installed_on.year > self.year:
            errors["installed_on"] = _("El mecanismo no puede instalarse después de su año.")
        if errors:
            raise ValidationError(errors)


class ServiceType(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("Atención psicológica")
    LEGAL = "legal", _("Asesoría jurídica")
    MEDICAL = "medical", _("Atención médica")
    SOCIAL_WORK = "social_work", _("Trabajo social")
    SHELTER = "shelter", _("Refugio")
    PHONE_LINE = "phone_line", _("Línea telefónica")
    EMPOWERMENT = "empowerment", _("Empoderamiento económico")
    OTHER = "other", _("Otro servicio")


class ServiceCount(RegisterEntry):
    """A month's aggregate of one service in one municipality: people attended (by sex and
    age group) and the attentions given. Nothing that identifies a person."""

    kind = RegisterKind.SERVICE
    month = models.DateField(_("mes"))  # always the first day of the month
    service_type = models.CharField(_("servicio"), max_length=14, choices=ServiceType.choices)
    violence_related = models.BooleanField(_("atención por violencia"), default=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        verbose_name=_("municipio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attentions = _count(_("atenciones brindadas"))

    class Meta:
        ordering = ["-month", "service_type"]
        verbose_name = _("conteo mensual de servicios")
        verbose_name_plural = _("conteos mensuales de servicios")
        constraints = [
            # One count per month, service and municipality (or statewide, without one).
            models.UniqueConstraint(
                fields=["institution", "month", "service_type", "violence_related", "municipality"],
                condition=models.Q(municipality__isnull=False),
                name="service_count_unique",
                violation_error_message=_(
                    "Ya hay un conteo de este servicio en ese mes y municipio: corrija el "
                    "registro existente."
                ),
            ),
            models.UniqueConstraint(
                fields=["institution", "month", "service_type", "violence_related"],
                condition=models.Q(municipality__isnull=True),
                name="service_count_unique_statewide",
                violation_error_message=_(
                    "Ya hay un conteo de este servicio en ese mes para toda la entidad: corrija "
                    "el registro existente."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="service_month_first_day"
            ),
        ]
        indexes = [models.Index(fields=["institution", "counted_on"], name="service_inst_idx")]

    def __str__(self) -> str:
        return f"{self.get_service_type_display()} · {self.month:%m/%Y}"

    def count_date(self) -> dt.date | None:
        return self.month

    def clean(self) -> None:
        errors = self.check_counts()
        if self.month and self.month.day != 1:
            self.month = self.month.replace(day=1)
        if self.month and self.month > timezone.localdate():
            errors["month"] = _(
                "El mes aún no empieza: registre los servicios de un mes en curso o ya concluido."
            )
        if self.attentions < self.total:
            errors["attentions"] = _(
                "Cada persona atendida recibió al menos una atención: las atenciones (%(a)s) "
                "no pueden ser menos que las personas (%(total)s)."
            ) % {"a": f"{self.attentions:,}", "total": f"{self.total:,}"}
        if errors:
            raise ValidationError(errors)


REGISTER_MODELS: dict[str, type[RegisterEntry]] = {
    RegisterKind.TRAINING: TrainingEvent,
    RegisterKind.AFFIRMATIVE: AffirmativeAction,
    RegisterKind.PARTICIPATION: ParticipationMechanism,
    RegisterKind.SERVICE: ServiceCount,
}


def entry_evidence_path(instance: EntryEvidence, filename: str) -> str:
    # Never the uploaded name: a server-chosen path the person cannot influence.
    extension = instance.extension.lstrip(".")
    return f"registros/{instance.institution.slug}/{uuid.uuid4().hex}.{extension}"


class EntryEvidence(EvidenceFile):
    """A file behind an entry (a training's attendance list, an action's rules of operation).
    Attendance lists carry names: they are kept for audit and never published."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    register = models.CharField(_("registro"), max_length=14, choices=RegisterKind.choices)
    entry_code = models.UUIDField(_("registro al que pertenece"), db_index=True)
    file = models.FileField(upload_to=entry_evidence_path, max_length=200)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidencia de un registro")
        verbose_name_plural = _("evidencias de registros")
        constraints = [
            models.UniqueConstraint(fields=["entry_code", "sha256"], name="entry_evidence_unique"),
        ]


class Aggregation(models.TextChoices):
    PEOPLE = "people", _("Suma de personas (participantes, beneficiarias, integrantes o atendidas)")
    WOMEN = "women", _("Suma de mujeres")
    WOMEN_SHARE = "women_share", _("Porcentaje de mujeres")
    ENTRIES = "entries", _("Número de registros (eventos, acciones o mecanismos)")
    HOURS = "hours", _("Suma de horas de capacitación")
    CERTIFICATES = "certificates", _("Suma de constancias entregadas")
    SESSIONS = "sessions", _("Suma de sesiones celebradas")
    AGREEMENTS = "agreements", _("Suma de acuerdos tomados")
    ATTENTIONS = "attentions", _("Suma de atenciones brindadas")
    RESOURCES = "resources", _("Suma de recursos ejercidos")


# Which aggregations each register can compute.
AGGREGATIONS_BY_REGISTER: dict[str, tuple[str, ...]] = {
    RegisterKind.TRAINING: ("people", "women", "women_share", "entries", "hours", "certificates"),
    RegisterKind.AFFIRMATIVE: ("people", "women", "women_share", "entries", "resources"),
    RegisterKind.PARTICIPATION: (
        "people",
        "women",
        "women_share",
        "entries",
        "sessions",
        "agreements",
    ),
    RegisterKind.SERVICE: ("people", "women", "women_share", "attentions"),
}


class IndicatorFeed(models.Model):
    """An indicator's declaration that its value comes from a register: which register, how
    it is aggregated, and which entries count (filters by the register's own categories)."""

    indicator = models.OneToOneField(
        "monitoring.Indicator",
        verbose_name=_("indicador"),
        on_delete=models.CASCADE,
        related_name="register_feed",
    )
    register = models.CharField(_("registro fuente"), max_length=14, choices=RegisterKind.choices)
    aggregation = models.CharField(_("cálculo"), max_length=14, choices=Aggregation.choices)
    # Optional filters, each a register field and the values that count:
    # {"audience": ["public_servants"], "service_type": ["legal"], "modality": [...]}.
    filters = models.JSONField(_("filtros"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fuente de registro de un indicador")
        verbose_name_plural = _("fuentes de registro de indicadores")

    def __str__(self) -> str:
        return f"{self.indicator} ← {self.get_register_display()}"


class FeedProposal(models.Model):
    """A draft value computed from a register for one report: the figure, its breakdown and
    the entries it came from, as they were when it was computed."""

    update = models.ForeignKey(
        "monitoring.ProgressUpdate", on_delete=models.CASCADE, related_name="feed_proposals"
    )
    register = models.CharField(_("registro fuente"), max_length=14, choices=RegisterKind.choices)
    aggregation = models.CharField(_("cálculo"), max_length=14, choices=Aggregation.choices)
    value = models.DecimalField(_("valor calculado"), max_digits=18, decimal_places=4)
    breakdown = models.JSONField(_("desagregación calculada"), default=dict)
    entry_codes = models.JSONField(_("registros contados"), default=list)
    computed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("valor propuesto desde un registro")
        verbose_name_plural = _("valores propuestos desde registros")

    def __str__(self) -> str:
        return f"{self.update} ← {self.get_register_display()}: {self.value}"
