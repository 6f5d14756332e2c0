"""Plans and programmes as trees of numbered items, aligned to each other across levels."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _

from transversal.institutions.models import Institution
from transversal.territory.models import State


class PlanKind(models.TextChoices):
    PND = "pnd", _("Plan Nacional de Desarrollo")
    NATIONAL_PROGRAM = "national_program", _("Programa nacional")
    PED = "ped", _("Plan Estatal de Desarrollo")
    STATE_EQUALITY_PROGRAM = "state_equality_program", _("Programa estatal para la igualdad")
    INSTITUTIONAL_PROGRAM = "institutional_program", _("Programa institucional")
    MUNICIPAL_PLAN = "municipal_plan", _("Plan municipal de desarrollo")


# Higher plans first: an alignment chain climbs towards rank 0.
KIND_RANK = {kind: rank for rank, kind in enumerate(PlanKind.values)}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PUBLISHED = "published", _("Publicado")
    ARCHIVED = "archived", _("Archivado")


class ItemLevel(models.TextChoices):
    # The values are the ingestion engine's LEVELS.
    AXIS = "axis", _("Eje")
    OBJECTIVE = "objective", _("Objetivo")
    POLICY = "policy", _("Política pública")
    STRATEGY = "strategy", _("Estrategia")
    ACTION_LINE = "action_line", _("Línea de acción")
    ITEM = "item", _("Elemento")


class PlanQuerySet(models.QuerySet):
    def with_owner(self) -> PlanQuerySet:
        return self.select_related("institution", "state").prefetch_related("institution__names")


def plan_source_path(plan: Plan, filename: str) -> str:
    # Private: MEDIA_URL is not served; downloads go through a view that checks access.
    return f"planes/{plan.code}/{uuid.uuid4().hex}-{filename}"


class Plan(models.Model):
    """A plan or programme. ``institution`` is the tenant that keeps it in Transversal:
    national plans belong to the national institution (or to nobody, then national
    members manage them); a PED issued by a state government is kept by that state's
    women's institute, and ``issuer_name`` records who issued it."""

    code = models.SlugField(_("clave pública"), max_length=80, unique=True)
    kind = models.CharField(_("tipo de plan"), max_length=30, choices=PlanKind.choices)
    title = models.CharField(_("título"), max_length=300)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institución responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    issuer_name = models.CharField(
        _("emisor"),
        max_length=200,
        blank=True,
        help_text=_(
            "Quién emitió el plan, si no es la institución responsable; por ejemplo: Gobierno del "
            "Estado de Zacatecas."
        ),
    )
    state = models.ForeignKey(
        State,
        verbose_name=_("entidad federativa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text=_("Vacío para los planes nacionales."),
    )
    start_year = models.PositiveSmallIntegerField(_("año de inicio"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("año de término"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_document = models.FileField(
        _("documento fuente"), upload_to=plan_source_path, blank=True, max_length=300
    )
    source_sha256 = models.CharField(_("SHA-256 del documento"), max_length=64, blank=True)
    source_name = models.CharField(_("nombre del documento"), max_length=200, blank=True)
    # Where the plan was published (title, date and address), e.g. a national programme's DOF entry.
    source_citation = models.CharField(_("fuente"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["state__code", "kind", "-start_year", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("planes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="plan_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != PlanStatus.DRAFT

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}-{self.end_year}"
        return str(self.start_year or self.end_year or "")

    def in_force_in(self, year: int) -> bool:
        """Whether the plan's years include ``year`` (a missing end leaves it open)."""
        return (self.start_year is None or self.start_year <= year) and (
            self.end_year is None or year <= self.end_year
        )

    @property
    def rank(self) -> int:
        return KIND_RANK.get(self.kind, len(KIND_RANK))


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("nivel"), max_length=20, choices=ItemLevel.choices)
    code = models.CharField(
        _("número"), max_length=40, blank=True, help_text=_("Por ejemplo: 2.10.3")
    )
    text = models.TextField(_("texto"))
    note = models.TextField(
        _("nota"), blank=True, help_text=_("Nota al pie o fuente en el documento.")
    )
    order = models.PositiveIntegerField(_("orden"), default=0)
    depth = models.PositiveSmallIntegerField(_("profundidad"), default=0)
    baseline_source = models.ForeignKey(  # an official statistic the item's target starts from
        "genderstats.ContextIndicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fuente estadística de la línea base"),
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("elemento del plan")
        verbose_name_plural = _("elementos del plan")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                condition=~models.Q(code=""),
                name="plan_item_code_unique",
            ),
        ]
        indexes = [models.Index(fields=["plan", "order"], name="plan_item_order_idx")]

    def __str__(self) -> str:
        label = f"{self.code} {self.text}" if self.code else self.text
        return label[:120]

    @property
    def label(self) -> str:
        return f"{self.get_level_display()} {self.code}".strip()


class Alignment(models.Model):
    """``from_item`` contributes to ``to_item``, an item of another plan.

    ``from_plan`` and ``to_plan`` copy the items' plans so the database itself can
    refuse a link inside one plan. Removal keeps the row (``removed_at``)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    from_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="aligned_to")
    to_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="aligned_from")
    from_plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    to_plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("nota"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.TextField(_("motivo"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("alineación")
        verbose_name_plural = _("alineaciones")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_item=models.F("to_item")), name="alignment_not_self"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_plan=models.F("to_plan")), name="alignment_across_plans"
            ),
            # One active link per pair of items, whichever way it points.
            models.UniqueConstraint(
                Least("from_item", "to_item"),
                Greatest("from_item", "to_item"),
                condition=models.Q(removed_at__isnull=True),
                name="alignment_pair_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_item} → {self.to_item}"

    @property
    def institution(self):
        return self.from_plan.institution


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    SAVED = "saved", _("Guardado")
    DISCARDED = "discarded", _("Descartado")


def import_source_path(instance: PlanImport, filename: str) -> str:
    return f"importaciones/{instance.code}/{filename}"


class PlanImport(models.Model):
    """A document read into a draft that waits for review before it becomes a plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="plan_imports"
    )
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("tipo de plan"), max_length=30, choices=PlanKind.choices)
    source_document = models.FileField(upload_to=import_source_path, max_length=300)
    source_name = models.CharField(max_length=200)
    source_sha256 = models.CharField(max_length=64)
    draft = models.JSONField(default=dict)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("importación de plan")
        verbose_name_plural = _("importaciones de planes")

    def __str__(self) -> str:
        return self.source_name
