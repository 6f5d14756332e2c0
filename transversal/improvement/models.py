"""The equality model's improvement step: evaluations, their findings (hallazgos) and the
aspects open to improvement (ASM) that answer them.

An institution (the tenant: a state institute, or the national institution) records the
evaluations made of its plans, convenio goals and indicators; each evaluation yields findings.
Findings also come from a red light sustained over two consecutive approved periods (the
system proposes them; a person accepts or dismisses them, with a reason), from a returned
report or from a session acuerdo. An accepted finding is answered by one or more ASM, each a
follow-up item (``followup.FollowUp``: owner, due date, notes, evidence, verification by
someone other than who reported it).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transversal.core.models import EvidenceFile


class EvaluationKind(models.TextChoices):
    INTERNAL = "internal", _("Interna")
    EXTERNAL = "external", _("Externa")
    DESIGN = "design", _("De diseño")
    PROCESS = "process", _("De procesos")
    RESULTS = "results", _("De resultados")
    AUDIT = "audit", _("Auditoría")
    AGREEMENT_REVIEW = "agreement_review", _("Revisión del convenio")


class Evaluation(models.Model):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("institución evaluada"),
    )
    year = models.PositiveSmallIntegerField(_("año"))
    kind = models.CharField(_("tipo de evaluación"), max_length=20, choices=EvaluationKind.choices)
    title = models.CharField(_("título"), max_length=300)
    evaluator = models.CharField(_("instancia evaluadora"), max_length=300)
    started_on = models.DateField(_("inicio"))
    ended_on = models.DateField(_("conclusión"), null=True, blank=True)
    summary = models.TextField(_("resumen"), blank=True)
    plans = models.ManyToManyField(
        "planning.Plan", blank=True, related_name="+", verbose_name=_("planes y programas")
    )
    goals = models.ManyToManyField(
        "agreements.Goal", blank=True, related_name="+", verbose_name=_("metas de convenio")
    )
    indicators = models.ManyToManyField(
        "monitoring.Indicator", blank=True, related_name="+", verbose_name=_("indicadores")
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-started_on", "pk"]
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="evaluation_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["institution", "year"], name="evaluation_inst_year_idx")]

    def __str__(self) -> str:
        return self.title


def report_path(instance: EvaluationReport, filename: str) -> str:
    # Never the uploaded name; the checked extension already starts with its dot.
    extension = instance.extension.lstrip(".")
    return f"evaluations/{instance.evaluation.code}/{instance.code}.{extension}"


class EvaluationReport(EvidenceFile):
    """The evaluation's report (and its annexes), checked by content like all evidence."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="reports")
    file = models.FileField(upload_to=report_path, max_length=300)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("informe de evaluación")
        verbose_name_plural = _("informes de evaluación")


class FindingSource(models.TextChoices):
    EVALUATION = "evaluation", _("Evaluación")
    RED_LIGHT = "red_light", _("Semáforo rojo sostenido")
    RETURNED_REPORT = "returned_report", _("Reporte devuelto")
    RESOLUTION = "resolution", _("Acuerdo de sesión")


class FindingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Propuesto")
    ACCEPTED = "accepted", _("Aceptado")
    DISMISSED = "dismissed", _("Descartado")


class Finding(models.Model):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("institución"),
    )
    year = models.PositiveSmallIntegerField(_("año"))
    number = models.PositiveIntegerField(_("número"))  # per institution and year: H-2026-03
    source = models.CharField(_("origen"), max_length=20, choices=FindingSource.choices)
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("evaluación"),
    )
    indicator = models.ForeignKey(
        "monitoring.Indicator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicador"),
    )
    period = models.ForeignKey(  # the later of the two red periods, or the returned period
        "monitoring.ReportingPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("periodo"),
    )
    resolution = models.ForeignKey(
        "coordination.Resolution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acuerdo"),
    )
    text = models.TextField(_("hallazgo"))
    status = models.CharField(
        _("estado"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.ACCEPTED
    )
    decision_reason = models.TextField(_("motivo"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decidido el"), null=True, blank=True)
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = _("hallazgo")
        verbose_name_plural = _("hallazgos")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "number"], name="finding_number_unique"
            ),
            # one proposal per indicator and red pair, whoever or whatever asks twice
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(source="red_light"),
                name="finding_one_red_light_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(decision_reason=""),
                name="finding_dismissal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(source="evaluation") | Q(evaluation__isnull=False),
                name="finding_from_evaluation_names_it",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"H-{self.year}-{self.number:02d}"

    @property
    def origin_date(self):
        """The day what the finding speaks of began: the evaluation's start, the end of the
        period it names, the session of its acuerdo, else the day it was recorded."""
        if self.evaluation_id:
            return self.evaluation.started_on
        if self.period_id:
            return self.period.end
        if self.resolution_id:
            return self.resolution.session.date
        if self.decided_on:
            return self.decided_on
        return timezone.localdate(self.created_at) if self.created_at else timezone.localdate()


class ActionKind(models.TextChoices):
    SPECIFIC = "specific", _("Específico")
    INSTITUTIONAL = "institutional", _("Institucional")
    INTERINSTITUTIONAL = "interinstitutional", _("Interinstitucional")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergubernamental")


class Priority(models.TextChoices):
    HIGH = "high", _("Alta")
    MEDIUM = "medium", _("Media")
    LOW = "low", _("Baja")


class ImprovementAction(models.Model):
    """An aspect open to improvement (ASM): what will be done about a finding, by whom and by
    when; its progress, evidence and verification live in its follow-up item."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="actions", verbose_name=_("hallazgo")
    )
    number = models.PositiveSmallIntegerField(_("número"))  # within the finding
    kind = models.CharField(_("clasificación"), max_length=20, choices=ActionKind.choices)
    priority = models.CharField(_("prioridad"), max_length=8, choices=Priority.choices)
    followup = models.OneToOneField(
        "followup.FollowUp", on_delete=models.PROTECT, related_name="improvement_action"
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)

    class Meta:
        ordering = ["finding", "number"]
        verbose_name = _("aspecto susceptible de mejora")
        verbose_name_plural = _("aspectos susceptibles de mejora")
        constraints = [
            models.UniqueConstraint(fields=["finding", "number"], name="asm_number_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"ASM {self.finding.label}.{self.number}"


class ModelComponent(models.Model):
    """A plan or programme a state declares part of its equality model, per year."""

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("año"))
    plan = models.ForeignKey(
        "planning.Plan", on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )

    class Meta:
        ordering = ["year", "pk"]
        verbose_name = _("componente del modelo")
        verbose_name_plural = _("componentes del modelo")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "plan"], name="model_component_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.year})"
