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
