"""Gender statistics: context indicators from official sources, by state, sex and year.

A ``StatSource`` is the survey or register a figure comes from (ENDIREH, ENOE, the census),
with its edition, year and table. A ``ContextIndicator`` is what is measured (a percentage, a
rate, a count or an average) and how to read a gap: whether a positive women − men gap means
a disadvantage for women. A ``StatValue`` is one published figure: the indicator, the year,
the state (none for the national figure), the sex and optionally an age group, with the
precision the source gives (coefficient of variation or confidence interval). Gaps, ratios,
the femininity index, rankings and precision flags are computed (``gaps.py``), never stored.

These are public figures of the whole country: no institution owns them. The national
coordination keeps the catalogue and imports the values; everyone reads them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transversal.core.uploads import PENDING_SECONDS

VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class Measure(models.TextChoices):
    PERCENT = "porcentaje", _("Porcentaje")
    RATE = "tasa", _("Tasa")
    COUNT = "conteo", _("Conteo")
    AVERAGE = "promedio", _("Promedio")


class GapReading(models.TextChoices):
    """How to read women − men: which sign is a disadvantage for women."""

    POSITIVE = (
        "positive",
        _("Una brecha positiva (mujeres − hombres) es desventaja para las mujeres"),
    )
    NEGATIVE = (
        "negative",
        _("Una brecha negativa (mujeres − hombres) es desventaja para las mujeres"),
    )
    NEUTRAL = "neutral", _("El signo de la brecha no indica por sí solo una desventaja")


class Sex(models.TextChoices):
    WOMEN = "mujeres", _("Mujeres")
    MEN = "hombres", _("Hombres")
    TOTAL = "total", _("Total")


class StatSource(models.Model):
    slug = models.SlugField(_("clave"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=200)  # ENDIREH, ENOE, Censo…
    publisher = models.CharField(_("institución que la publica"), max_length=200)  # INEGI
    edition = models.CharField(_("edición"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(
        _("año"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    table = models.CharField(_("tabulado o cuadro"), max_length=300, blank=True)
    url = models.URLField(_("dirección"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "-year", "pk"]
        verbose_name = _("fuente estadística")
        verbose_name_plural = _("fuentes estadísticas")

    def __str__(self) -> str:
        edition = f" {self.edition}" if self.edition else ""
        return f"{self.name}{edition} ({self.publisher}, {self.year})"


class ContextIndicator(models.Model):
    slug = models.SlugField(_("clave"), max_length=80, unique=True)
    name = models.CharField(_("nombre"), max_length=300)
    unit = models.CharField(_("unidad"), max_length=100)
    description = models.TextField(_("descripción"), blank=True)
    source = models.ForeignKey(
        StatSource,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("fuente"),
    )
    measure = models.CharField(_("tipo de medida"), max_length=12, choices=Measure.choices)
    direction = models.CharField(
        _("lectura de la brecha"), max_length=10, choices=GapReading.choices
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("indicador de contexto")
        verbose_name_plural = _("indicadores de contexto")

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        return self.measure == Measure.COUNT


class StatValue(models.Model):
    indicator = models.ForeignKey(ContextIndicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(
        _("año"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    state = models.ForeignKey(  # None: the national figure
        "territory.State",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entidad federativa"),
    )
    sex = models.CharField(_("sexo"), max_length=8, choices=Sex.choices)
    age_group = models.CharField(_("grupo de edad"), max_length=40, blank=True)
    value = models.DecimalField(_("valor"), **VALUE_DIGITS)
    ci_low = models.DecimalField(_("límite inferior"), null=True, blank=True, **VALUE_DIGITS)
    ci_high = models.DecimalField(_("límite superior"), null=True, blank=True, **VALUE_DIGITS)
    cv = models.DecimalField(
        _("coeficiente de variación (%)"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)

    class Meta:
        ordering = ["indicator", "year", "state__code", "sex", "age_group"]
        verbose_name = _("valor estadístico")
        verbose_name_plural = _("valores estadísticos")
        constraints = [
            # Two constraints because NULL never equals NULL in a unique index: one national
            # figure per indicator, year, sex and age group, and one per state.
            models.UniqueConstraint(
                fields=["indicator", "year", "state", "sex", "age_group"],
                condition=Q(state__isnull=False),
                name="statvalue_one_per_state",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "sex", "age_group"],
                condition=Q(state__isnull=True),
                name="statvalue_one_national",
            ),
            models.CheckConstraint(
                condition=Q(ci_low__isnull=True)
                | Q(ci_high__isnull=True)
                | Q(ci_low__lte=models.F("ci_high")),
                name="statvalue_interval_ordered",
            ),
            models.CheckConstraint(
                condition=Q(cv__isnull=True) | Q(cv__gte=0), name="statvalue_cv_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"], name="statvalue_ind_year_idx")]

    def __str__(self) -> str:
        where = self.state.short_name if self.state_id else _("Nacional")
        return f"{self.indicator} · {where} · {self.year} · {self.get_sex_display()}"


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Vista previa")
    # Only on records an earlier version kept for a refused file: a refused file now leaves no
    # row, and ``imports_expire`` removes these with the abandoned previews.
    REJECTED = "rejected", _("Rechazada")
    APPLIED = "applied", _("Aplicada")


def preview_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """A preview made before this has expired: it can no longer be applied, and the sweep
    (``services.imports_expire``) removes it. The same lifetime as the other imports'."""
    return (now or timezone.now()) - dt.timedelta(seconds=PENDING_SECONDS)


class StatImport(models.Model):
    """An uploaded tidy file waiting in preview (its rows as read, until it is applied,
    discarded or expires), or the record of an applied import and what it did. A file with
    problems leaves no row: its problems are shown on the upload page."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(_("archivo"), max_length=200)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("estado"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    rows = models.JSONField(_("filas leídas"), default=list, blank=True)
    problems = models.JSONField(_("problemas"), default=list, blank=True)
    result = models.JSONField(_("resultado"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importación de estadísticas")
        verbose_name_plural = _("importaciones de estadísticas")

    def __str__(self) -> str:
        return self.filename

    @property
    def expired(self) -> bool:
        return self.status != ImportStatus.APPLIED and self.created_at < preview_cutoff()

    @property
    def status_label(self) -> str:
        """The status as a person reads it: a preview past its lifetime is «Vencida»."""
        return str(_("Vencida")) if self.expired else self.get_status_display()
