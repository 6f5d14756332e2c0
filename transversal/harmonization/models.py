"""Legal harmonization across the 32 states: a catalogue of reference provisions, each with
its dated federal source, and one cell per state and provision saying whether the state's law
has taken it in (armonizada, parcial, pendiente, no aplica) and where: the state instrument,
its article, the state gazette (periódico oficial) and the publication date.

A cell's status is a fact only when it cites its source: a cell without a citation reads
«sin verificar» and is never published with its status. The national coordination keeps the
catalogue and may edit any cell; a state's institute proposes changes to its own cells
(``CellProposal``), which the national coordination accepts (the proposal is applied) or
returns with a reason.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    EQUALITY_LAW = "equality_law", _("Ley general de igualdad")
    VIOLENCE_LAW = "violence_law", _("Ley general de acceso")
    FEMINICIDE = "feminicide", _("Feminicidio como delito")
    POLITICAL_VIOLENCE = "political_violence", _("Violencia política")
    DIGITAL_VIOLENCE = "digital_violence", _("Violencia digital")
    THREE_OF_THREE = "three_of_three", _("Regla «3 de 3»")
    CHILD_MARRIAGE = "child_marriage", _("Prohibición del matrimonio infantil")
    EQUALITY_PROGRAMME = "equality_programme", _("Programa estatal de igualdad")
    VIOLENCE_PROGRAMME = "violence_programme", _("Programa estatal contra la violencia")
    OTHER = "other", _("Otro")


class Status(models.TextChoices):
    HARMONIZED = "armonizada", _("Armonizada")
    PARTIAL = "parcial", _("Parcial")
    PENDING = "pendiente", _("Pendiente")
    NOT_APPLICABLE = "no_aplica", _("No aplica")


UNVERIFIED = "sin_verificar"
CITATION_FIELDS = ("status", "instrument", "article", "gazette", "published_on", "url", "notes")


class Provision(models.Model):
    slug = models.SlugField(_("clave"), max_length=60, unique=True)
    title = models.CharField(_("disposición"), max_length=200)
    topic = models.CharField(_("tema"), max_length=30, choices=Topic.choices)
    federal_source = models.CharField(_("fuente federal (ley o instrumento)"), max_length=300)
    federal_article = models.CharField(_("artículo"), max_length=120, blank=True)
    dof_date = models.DateField(_("fecha de publicación en el DOF"), null=True, blank=True)
    url = models.URLField(_("enlace a la fuente"), max_length=500, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)
    is_active = models.BooleanField(_("vigente en el catálogo"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("disposición de referencia")
        verbose_name_plural = _("disposiciones de referencia")

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """Where a state's law says it: shared by a cell and a proposal for it."""

    status = models.CharField(_("estado"), max_length=12, choices=Status.choices)
    instrument = models.CharField(_("instrumento estatal"), max_length=300, blank=True)
    article = models.CharField(_("artículo"), max_length=120, blank=True)
    gazette = models.CharField(_("periódico oficial"), max_length=200, blank=True)
    published_on = models.DateField(_("fecha de publicación"), null=True, blank=True)
    url = models.URLField(_("enlace"), max_length=500, blank=True)
    notes = models.TextField(_("notas"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_cited(self) -> bool:
        """A status is a fact only with its source: the instrument and its article, or the
        gazette and its publication date."""
        return is_cited(self.instrument, self.article, self.gazette, self.published_on)

    @property
    def shown_status(self) -> str:
        return self.status if self.is_cited else UNVERIFIED

    @property
    def shown_label(self) -> str:
        return status_label(self.shown_status)


def is_cited(instrument: str, article: str, gazette: str, published_on) -> bool:
    """The rule of a published fact (in SQL: ``api_selectors.CITED``)."""
    return bool(
        ((instrument or "").strip() and (article or "").strip())
        or ((gazette or "").strip() and published_on)
    )


def status_label(status: str) -> str:
    if status == UNVERIFIED:
        return str(_("Sin verificar"))
    return str(Status(status).label)


class Cell(Citation):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    provision = models.ForeignKey(
        Provision, on_delete=models.CASCADE, related_name="cells", verbose_name=_("disposición")
    )
    state = models.ForeignKey(
        "territory.State",
        on_delete=models.PROTECT,
        related_name="harmonization_cells",
        verbose_name=_("entidad federativa"),
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provision__order", "provision__slug", "state__code"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "state"], name="harmonization_cell_unique")
        ]
        verbose_name = _("celda de armonización")
        verbose_name_plural = _("celdas de armonización")

    def __str__(self) -> str:
        # A synthetic cell follows the citation rule too (``Citation.shown_status``): its status
        # shows only with its invented, marked source; without one it reads «sin verificar».
        return f"{self.provision.title} · {self.state.short_name}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "propuesta", _("Propuesta")
    ACCEPTED = "aceptada", _("Aceptada")
    RETURNED = "devuelta", _("Devuelta")


class CellProposal(Citation):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("celda")
    )
    decision = models.CharField(
        _("estado de la propuesta"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    reason = models.TextField(_("motivo de la devolución"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("propuesta por"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decidida por"),
    )
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(decision="propuesta"),
                name="harmonization_pending_idx",
            )
        ]
        verbose_name = _("propuesta de cambio")
        verbose_name_plural = _("propuestas de cambio")

    def __str__(self) -> str:
        return str(_("Propuesta para %(cell)s") % {"cell": self.cell})
