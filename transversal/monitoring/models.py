"""Indicators with their technical sheet (ficha técnica) and reporting calendar."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.core.lights import Light
from transversal.core.models import EvidenceFile
from transversal.institutions.models import Institution
from transversal.monitoring import periods, rules


class Frequency(models.TextChoices):
    MONTHLY = periods.MONTHLY, _("Mensual")
    QUARTERLY = periods.QUARTERLY, _("Trimestral")
    SEMIANNUAL = periods.SEMIANNUAL, _("Semestral")
    ANNUAL = periods.ANNUAL, _("Anual")
    BIENNIAL = periods.BIENNIAL, _("Bienal")


class Direction(models.TextChoices):
    ASCENDING = rules.ASCENDING, _("Ascendente (más es mejor)")
    DESCENDING = rules.DESCENDING, _("Descendente (menos es mejor)")


class ProgressBasis(models.TextChoices):
    """How a value is compared with its target (monitoring.rules)."""

    TARGET = rules.BASIS_TARGET, _("Valor entre meta")
    BASELINE = rules.BASIS_BASELINE, _("Cambio desde la línea base hasta la meta")


class Accumulation(models.TextChoices):
    """Which value a period's target is compared with (monitoring.rules.compared_value)."""

    PERIOD = rules.ACCUMULATION_PERIOD, _("Valor de cada periodo")
    CUMULATIVE = rules.ACCUMULATION_CUMULATIVE, _("Acumulado del año hasta el periodo")
    LATEST = rules.ACCUMULATION_LATEST, _("Último valor (nivel alcanzado)")


class Measure(models.TextChoices):
    """What kind of number the indicator is: decides which values are valid."""

    COUNT = "count", _("Número absoluto")
    PERCENTAGE = "percentage", _("Porcentaje (0 a 100)")
    RATE = "rate", _("Tasa")
    INDEX = "index", _("Índice")
    AMOUNT = "amount", _("Monto (pesos)")


class MirLevel(models.TextChoices):
    FIN = "fin", _("Fin")
    PROPOSITO = "proposito", _("Propósito")
    COMPONENTE = "componente", _("Componente")
    ACTIVIDAD = "actividad", _("Actividad")


class IndicatorKind(models.TextChoices):
    STRATEGIC = "strategic", _("Estratégico")
    MANAGEMENT = "management", _("De gestión")


class Dimension(models.TextChoices):
    EFFICACY = "efficacy", _("Eficacia")
    EFFICIENCY = "efficiency", _("Eficiencia")
    QUALITY = "quality", _("Calidad")
    ECONOMY = "economy", _("Economía")


class Disaggregation(models.TextChoices):
    """The breakdowns a sheet may list (sex unless the indicator counts no people)."""

    SEX = "sex", _("Sexo")
    AGE = "age", _("Grupo de edad")
    MUNICIPALITY = "municipality", _("Municipio")
    INDIGENOUS = "indigenous", _("Población indígena")
    AFRO_MEXICAN = "afro_mexican", _("Población afromexicana")
    DISABILITY = "disability", _("Población con discapacidad")


# The dimensions in display order, computed once (building ``Disaggregation.values`` per call is
# slow).
DISAGGREGATION_ORDER = tuple(Disaggregation.values)


def _percent_field(verbose: str, default: int) -> models.DecimalField:
    return models.DecimalField(
        verbose,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))],
    )


class Indicator(models.Model):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Institution,
        verbose_name=_("institución responsable"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    name = models.CharField(_("nombre del indicador"), max_length=300)
    definition = models.TextField(_("definición"), blank=True)
    formula = models.TextField(_("método de cálculo"), blank=True)
    numerator_label = models.CharField(_("numerador"), max_length=300, blank=True)
    denominator_label = models.CharField(_("denominador"), max_length=300, blank=True)
    unit = models.CharField(_("unidad de medida"), max_length=80)
    measure = models.CharField(
        _("tipo de valor"), max_length=12, choices=Measure.choices, default=Measure.PERCENTAGE
    )
    frequency = models.CharField(
        _("frecuencia de medición"), max_length=12, choices=Frequency.choices
    )
    dimension = models.CharField(
        _("dimensión"), max_length=12, choices=Dimension.choices, blank=True
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=IndicatorKind.choices, blank=True)
    mir_level = models.CharField(
        _("nivel MIR"), max_length=12, choices=MirLevel.choices, blank=True
    )
    direction = models.CharField(_("sentido"), max_length=12, choices=Direction.choices)
    baseline_year = models.PositiveSmallIntegerField(
        _("año de línea base"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    baseline_value = models.DecimalField(
        _("valor de línea base"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_source = models.ForeignKey(  # the official statistic the baseline comes from
        "genderstats.ContextIndicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fuente estadística de la línea base"),
    )
    progress_basis = models.CharField(
        _("cálculo del avance"),
        max_length=10,
        choices=ProgressBasis.choices,
        default=ProgressBasis.TARGET,
        help_text=_(
            "Valor entre meta, salvo que la ficha diga que el avance se mide desde la línea base."
        ),
    )
    accumulation = models.CharField(
        _("valor que se compara con la meta"),
        max_length=12,
        choices=Accumulation.choices,
        default=Accumulation.PERIOD,
        help_text=_(
            "Para metas anuales reportadas por periodo: el valor de cada periodo, el acumulado "
            "del año o el último valor."
        ),
    )
    means_of_verification = models.TextField(_("medios de verificación"), blank=True)
    assumptions = models.TextField(_("supuestos"), blank=True)
    data_source = models.CharField(_("fuente de información"), max_length=300, blank=True)
    threshold_green = _percent_field(_("verde desde (% de avance)"), 90)
    threshold_yellow = _percent_field(_("amarillo desde (% de avance)"), 70)
    threshold_overachievement = _percent_field(_("sobrecumplimiento desde (% de avance)"), 150)
    by_sex = models.BooleanField(
        _("se desagrega por sexo"),
        default=True,
        help_text=_(
            "Desmárquelo cuando el indicador no cuenta personas (p. ej., % de municipios)."
        ),
    )
    disaggregations = models.JSONField(_("desagregaciones"), default=list, blank=True)
    required_disaggregations = models.JSONField(
        _("desagregaciones obligatorias"),
        default=list,
        blank=True,
        help_text=_("Sin ellas, un avance no puede enviarse a revisión."),
    )
    evidence_required = models.BooleanField(
        _("medio de verificación obligatorio"),
        default=False,
        help_text=_("Un avance sin evidencia adjunta no puede enviarse a revisión."),
    )
    early_reporting = models.BooleanField(
        _("permite enviar antes de que termine el periodo"),
        default=False,
        help_text=_(
            "Sin esta opción, el avance de un periodo se envía a revisión a partir del día "
            "siguiente a su cierre (el borrador puede guardarse antes)."
        ),
    )
    national_validation = models.BooleanField(
        _("requiere validación nacional"),
        default=False,
        help_text=_(
            "Además de la revisión de la entidad, la institución nacional valida cada avance. "
            "Los indicadores que miden metas de un convenio siempre la requieren."
        ),
    )
    is_public = models.BooleanField(_("público"), default=False)
    goals = models.ManyToManyField(
        "agreements.Goal", verbose_name=_("metas que mide"), related_name="indicators", blank=True
    )
    plan_items = models.ManyToManyField(
        "planning.PlanItem",
        verbose_name=_("elementos de plan que mide"),
        related_name="indicators",
        blank=True,
    )
    light = models.CharField(
        _("semáforo"), max_length=10, choices=Light.choices, default=Light.NO_DATA
    )
    light_updated_at = models.DateTimeField(null=True, blank=True)
    # The current approved report of the latest period that has one, kept by
    # ``services.rollups_refresh`` beside ``light``: pages read it instead of a subquery per row.
    latest_approved = models.ForeignKey(
        "ProgressUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["owner", "name"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold_yellow__lte=models.F("threshold_green"))
                & models.Q(threshold_green__lte=models.F("threshold_overachievement")),
                name="indicator_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = set(self.disaggregations or []) - set(Disaggregation.values)
        if unknown:
            raise ValidationError(
                {
                    "disaggregations": _("Desagregación desconocida: %(v)s")
                    % {"v": ", ".join(sorted(unknown))}
                }
            )
        if (
            self.threshold_yellow is not None
            and self.threshold_green is not None
            and self.threshold_yellow > self.threshold_green
        ):
            raise ValidationError(_("El umbral amarillo no puede ser mayor que el verde."))
        if (
            self.threshold_green is not None
            and self.threshold_overachievement is not None
            and self.threshold_green > self.threshold_overachievement
        ):
            raise ValidationError(_("El umbral de sobrecumplimiento debe ser al menos el verde."))
        if self.baseline_value is not None:
            validate_value(self.measure, self.baseline_value, field="baseline_value")
        required = set(self.required_disaggregations or [])
        if required - set(self.all_disaggregations):
            raise ValidationError(
                {
                    "required_disaggregations": _(
                        "Solo puede exigir desagregaciones que la ficha prevé: %(v)s."
                    )
                    % {
                        "v": ", ".join(
                            str(Disaggregation(d).label)
                            for d in sorted(required - set(self.all_disaggregations))
                            if d in Disaggregation.values
                        )
                        or ", ".join(sorted(required))
                    }
                }
            )

    @property
    def thresholds(self) -> rules.Thresholds:
        return rules.Thresholds(
            self.threshold_green, self.threshold_yellow, self.threshold_overachievement
        )

    @property
    def all_disaggregations(self) -> list[str]:
        picked = set(self.disaggregations or ())
        if self.by_sex:
            picked.add(Disaggregation.SEX)
        else:
            picked.discard(Disaggregation.SEX)
        return [d for d in DISAGGREGATION_ORDER if d in picked]

    @property
    def disaggregation_labels(self) -> list[str]:
        return [str(Disaggregation(value).label) for value in self.all_disaggregations]

    @property
    def required_disaggregation_labels(self) -> list[str]:
        required = set(self.required_disaggregations or [])
        return [str(Disaggregation(d).label) for d in self.all_disaggregations if d in required]


def validate_value(measure: str, value: Decimal, *, field: str = "value") -> None:
    """The same rule for baselines, targets and reported values."""
    if not value.is_finite():
        raise ValidationError({field: _("El valor debe ser un número finito.")})
    if measure in (Measure.COUNT, Measure.PERCENTAGE, Measure.AMOUNT, Measure.RATE) and value < 0:
        raise ValidationError({field: _("El valor no puede ser negativo.")})
    if measure == Measure.PERCENTAGE and value > 100:
        raise ValidationError({field: _("Un porcentaje no puede ser mayor que 100.")})
    if measure == Measure.COUNT and value != value.to_integral_value():
        raise ValidationError({field: _("Un número absoluto no lleva decimales.")})


class ReportingPeriod(models.Model):
    """One period of an indicator's calendar, with its due date and target."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="periods")
    label = models.CharField(_("periodo"), max_length=12)
    start = models.DateField(_("inicio"))
    end = models.DateField(_("fin"))
    due_date = models.DateField(_("fecha límite de reporte"))
    target = models.DecimalField(_("meta"), max_digits=18, decimal_places=4, null=True, blank=True)
    locked = models.BooleanField(_("cerrado"), default=False)

    class Meta:
        ordering = ["indicator", "start"]
        verbose_name = _("periodo de reporte")
        verbose_name_plural = _("periodos de reporte")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "label"], name="period_label_unique_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="period_end_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["due_date"], name="period_due_idx"),
            # "Latest approved period of each indicator" walks this index backwards; without it
            # SQLite scans every approved update per indicator (88 s for a state at size M).
            models.Index(fields=["indicator", "start"], name="period_indicator_start_idx"),
            models.Index(fields=["start"], name="period_start_idx"),
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        return periods.period_display(self.label)

    def has_ended(self, today: dt.date) -> bool:
        """A period has ended the day after its last day: only then is its figure complete."""
        return today > self.end


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviado")
    RETURNED = "returned", _("Devuelto")
    APPROVED = "approved", _("Aprobado")
    # Approved by the state's reviewer, waiting for the national institution's validation
    # (monitoring.selectors.requires_national_validation): counts nowhere until approved.
    VALIDATING = "validating", _("En validación nacional")


# Categories that split a total (their values must add up to it for counts and amounts).
PARTITION_CATEGORIES: dict[str, tuple[tuple[str, str], ...]] = {
    Disaggregation.SEX: (
        ("women", _("Mujeres")),
        ("men", _("Hombres")),
        ("unspecified", _("No especificado")),
    ),
    Disaggregation.AGE: (
        ("0-14", _("0 a 14 años")),
        ("15-29", _("15 a 29 años")),
        ("30-44", _("30 a 44 años")),
        ("45-64", _("45 a 64 años")),
        ("65+", _("65 años o más")),
        ("unspecified", _("No especificado")),
    ),
}
# Population groups are "of which" subsets of the total: never more than the total.
SUBSET_GROUPS = (Disaggregation.INDIGENOUS, Disaggregation.AFRO_MEXICAN, Disaggregation.DISABILITY)


class ProgressUpdate(models.Model):
    """The value reported for one indicator and period, with its review workflow.

    One current revision per period (a database constraint). Approved revisions
    are locked; a correction creates the next revision, with a reason, and the
    approved one stays as it was. ``version`` implements optimistic locking.
    """

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="updates")
    revision = models.PositiveSmallIntegerField(_("revisión"), default=1)
    is_current = models.BooleanField(default=True)
    status = models.CharField(
        _("estado"), max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    value = models.DecimalField(_("valor"), max_digits=18, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        _("numerador"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominador"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    narrative = models.TextField(_("narrativa del avance"), blank=True)
    disaggregation_note = models.TextField(
        _("motivo por el que las desagregaciones no suman el total"), blank=True
    )
    correction_reason = models.TextField(_("motivo de la corrección"), blank=True)
    light = models.CharField(
        _("semáforo"), max_length=10, choices=Light.choices, default=Light.NO_DATA
    )
    progress = models.DecimalField(
        _("avance (%)"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    overachieved = models.BooleanField(_("sobrecumplimiento"), default=False)
    below_baseline = models.BooleanField(_("por debajo de la línea base"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("enviado el"), null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("revisado el"), null=True, blank=True)
    validated_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validado el"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period__start", "-revision"]
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        constraints = [
            models.UniqueConstraint(fields=["period", "revision"], name="update_revision_unique"),
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(is_current=True),
                name="update_one_current_per_period",
            ),
        ]
        indexes = [
            # What waits for review, oldest first: the queue's order and the header's count read
            # only these rows instead of every submitted revision (status is in the index so that
            # SQLite can check a bound "status = ?" without reading the table).
            models.Index(
                fields=["status", "submitted_at"],
                condition=models.Q(is_current=True, status="submitted"),
                name="update_pending_idx",
            ),
            # The same for what waits for the national validation (the queue's second tab).
            models.Index(
                fields=["status", "submitted_at"],
                condition=models.Q(is_current=True, status="validating"),
                name="update_validating_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.indicator} · {self.period.display}"

    @property
    def is_editable(self) -> bool:
        return self.status in (UpdateStatus.DRAFT, UpdateStatus.RETURNED)


class DisaggregatedValue(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="breakdown")
    dimension = models.CharField(_("desagregación"), max_length=14, choices=Disaggregation.choices)
    category = models.CharField(_("categoría"), max_length=40)
    value = models.DecimalField(_("valor"), max_digits=18, decimal_places=4)

    class Meta:
        ordering = ["update", "dimension", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["update", "dimension", "category"], name="breakdown_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.category}={self.value}"

    @property
    def category_label(self) -> str:
        if self.category == "of_which":
            return str(_("De ellas o ellos"))
        return str(
            dict(PARTITION_CATEGORIES.get(self.dimension, ())).get(self.category, self.category)
        )


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name: a server-chosen path the person cannot influence.
    owner_slug = instance.update.period.indicator.owner.slug
    extension = instance.extension.lstrip(".")
    return f"evidencias/{owner_slug}/{uuid.uuid4().hex}.{extension}"


class Evidence(EvidenceFile):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    is_public = models.BooleanField(_("pública"), default=False)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["update", "created_at"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")
        constraints = [
            models.UniqueConstraint(fields=["update", "sha256"], name="evidence_unique_per_update"),
        ]


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comentario")
    RETURN = "return", _("Devolución")
    APPROVAL = "approval", _("Aprobación")
    CORRECTION = "correction", _("Corrección")


class ReviewComment(models.Model):
    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    kind = models.CharField(
        _("tipo"), max_length=12, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    text = models.TextField(_("comentario"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "created_at", "id"]
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")

    def __str__(self) -> str:
        return self.text[:60]


class StateSummary(models.Model):
    """The stored roll-up for a state, rewritten on every approval (never per request), and its
    workload: updates waiting for review and overdue periods, as of ``counts_on``
    (``monitoring.services.workload_refresh``)."""

    state = models.OneToOneField(
        "territory.State", on_delete=models.CASCADE, related_name="summary"
    )
    light = models.CharField(
        _("semáforo"), max_length=10, choices=Light.choices, default=Light.NO_DATA
    )
    goals_green = models.PositiveIntegerField(default=0)
    goals_yellow = models.PositiveIntegerField(default=0)
    goals_red = models.PositiveIntegerField(default=0)
    goals_no_data = models.PositiveIntegerField(default=0)
    pending = models.PositiveIntegerField(_("avances por revisar"), default=0)
    overdue = models.PositiveIntegerField(_("avances vencidos"), default=0)
    counts_on = models.DateField(_("conteos al día"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resumen estatal")
        verbose_name_plural = _("resúmenes estatales")

    def __str__(self) -> str:
        return f"{self.state}: {self.light}"


class ReminderLog(models.Model):
    """One row per reminder sent, so `send_reminders` never sends the same one twice."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12)  # "upcoming" or "overdue"
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "kind", "recipient"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period} → {self.recipient}"
