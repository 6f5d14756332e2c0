from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.Model):
    """An entidad federativa, keyed by its two-digit INEGI code ("01".."32")."""

    code = models.CharField(
        _("clave INEGI"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^(0[1-9]|[12][0-9]|3[0-2])$", _("La clave debe ir de 01 a 32."))
        ],
    )
    name = models.CharField(_("nombre oficial"), max_length=80, unique=True)
    short_name = models.CharField(_("nombre corto"), max_length=40, unique=True)
    abbreviation = models.CharField(_("abreviatura"), max_length=12)
    iso_code = models.CharField(_("código ISO 3166-2"), max_length=6, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")

    def __str__(self) -> str:
        return self.short_name


class Municipality(models.Model):
    """A municipio, keyed by its five-digit INEGI code (state code + three digits)."""

    code = models.CharField(
        _("clave INEGI"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("La clave municipal tiene cinco dígitos."))],
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("nombre"), max_length=120)
    # A municipality absent from INEGI's catalogue is retired, never deleted: data may point at it.
    is_active = models.BooleanField(_("vigente"), default=True)
    retired_on = models.DateField(_("dado de baja el"), null=True, blank=True)
    # Names replaced by a catalogue load, oldest first: [{"name": ..., "until": "aaaa-mm-dd"}].
    former_names = models.JSONField(_("nombres anteriores"), default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^\d{5}$"), name="municipality_code_five_digits"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.state.short_name}"


class MunicipalCatalogueLoad(models.Model):
    """One reading of INEGI's catalogue of municipalities (AGEEML): where it came from, when it
    was published and what it changed. Kept for every load, even one that changed nothing."""

    loaded_at = models.DateTimeField(_("fecha de carga"), auto_now_add=True)
    file_name = models.CharField(_("archivo"), max_length=255)
    source = models.CharField(_("fuente"), max_length=200)
    published_on = models.DateField(_("fecha del catálogo"), null=True, blank=True)
    sha256 = models.CharField(_("huella SHA-256"), max_length=64, blank=True)
    states = models.JSONField(_("entidades incluidas"), default=list, blank=True)
    rows = models.PositiveIntegerField(_("municipios en el archivo"), default=0)
    added = models.PositiveIntegerField(_("agregados"), default=0)
    renamed = models.PositiveIntegerField(_("renombrados"), default=0)
    retired = models.PositiveIntegerField(_("dados de baja"), default=0)
    reactivated = models.PositiveIntegerField(_("reactivados"), default=0)

    class Meta:
        ordering = ["-loaded_at", "-id"]
        verbose_name = _("carga del catálogo de municipios")
        verbose_name_plural = _("cargas del catálogo de municipios")

    def __str__(self) -> str:
        return f"{self.source} ({self.file_name})"
