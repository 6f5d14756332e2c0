"""The convenio's yearly cycle: the work programme, its quarterly reports and its closure.

Each year the state institute proposes a programme of the convenio's goals (means of
verification, responsible area, progress scheduled quarter by quarter, resources committed);
the national institution observes or validates it. Once validated it is executed: every
quarter the state sends one report (progress per goal, resources exercised, narrative,
justifications), which the national institution receives or observes. At year end the
closure checks its list and locks the year's reporting periods. The tenant is the convenio's
state institution; the national institution observes, validates, receives and closes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from transversal.core.models import EvidenceFile


class Stage(models.TextChoices):
    DRAFT = "draft", _("En elaboración")
    PROPOSED = "proposed", _("Propuesta")
    OBSERVED = "observed", _("Observada")
    CORRECTED = "corrected", _("Corregida")
    VALIDATED = "validated", _("Validada")
    IN_EXECUTION = "in_execution", _("En ejecución")
    CLOSED = "closed", _("Cerrada")


# Stages in which the state still writes the programme's goals and resources.
EDITABLE_STAGES = (Stage.DRAFT, Stage.OBSERVED)
# Stages waiting for the national institution's decision.
AWAITING_NATIONAL = (Stage.PROPOSED, Stage.CORRECTED)
# Stages in which quarterly reports are written and sent.
EXECUTION_STAGES = (Stage.VALIDATED, Stage.IN_EXECUTION)


class Source(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("Estatal")
    IN_KIND = "in_kind", _("En especie")


SOURCES = tuple(Source.values)
QUARTERS = (1, 2, 3, 4)


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, 31 if month in (3, 12) else 30)


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, quarter * 3 - 2, 1)


def _money(verbose_name, *, null=False):
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=null,
        blank=null,
        default=None if null else Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )


def _percent(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


class WorkProgramme(models.Model):
    """The programa anual de trabajo of one convenio and year."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("convenio"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    year = models.PositiveSmallIntegerField(
        _("año"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    stage = models.CharField(_("etapa"), max_length=14, choices=Stage.choices, default=Stage.DRAFT)
    stage_changed_at = models.DateTimeField(_("cambio de etapa"), null=True, blank=True)
    deviation_threshold = models.DecimalField(
        _("desviación que exige justificación (puntos porcentuales)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("días para entregar cada informe trimestral"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    refund_amount = _money(_("recursos federales reintegrados"), null=True)
    refund_reference = models.CharField(_("referencia del reintegro"), max_length=100, blank=True)
    refund_date = models.DateField(_("fecha del reintegro"), null=True, blank=True)
    closed_on = models.DateField(_("fecha de cierre"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement__state__code", "-year"]
        verbose_name = _("programa anual de trabajo")
        verbose_name_plural = _("programas anuales de trabajo")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                name="programme_one_per_agreement_year",
                violation_error_message=_("Este convenio ya tiene un programa para ese año."),
            ),
        ]
        indexes = [models.Index(fields=["year", "stage"], name="programme_year_stage_idx")]

    def __str__(self) -> str:
        return str(_("Programa de trabajo %(year)s") % {"year": self.year})

    @property
    def institution(self):
        """The tenant: the convenio's state institution."""
        return self.agreement.state_institution

    @property
    def state(self):
        return self.agreement.state

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    def report_due_date(self, quarter: int) -> dt.date:
        return quarter_end(self.year, quarter) + dt.timedelta(days=self.report_due_days)

    def report_overdue(self, quarter: int, *, sent: bool, today: dt.date) -> bool:
        """A quarter's report is owed once the programme is validated, until the year closes:
        before validation the delay is the programme's, not the report's."""
        return not sent and today > self.report_due_date(quarter) and self.stage in EXECUTION_STAGES


class ProgrammeLine(models.Model):
    """One goal of the convenio in the year's programme."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="lines")
    goal = models.ForeignKey(
        "agreements.Goal",
        verbose_name=_("meta"),
        on_delete=models.PROTECT,
        related_name="programme_lines",
    )
    means_of_verification = models.TextField(_("medios de verificación"))
    responsible_area = models.CharField(_("área responsable"), max_length=200)
    planned_q1 = _percent(_("avance programado al 1.er trimestre (%)"))
    planned_q2 = _percent(_("avance programado al 2.º trimestre (%)"))
    planned_q3 = _percent(_("avance programado al 3.er trimestre (%)"))
    planned_q4 = _percent(_("avance programado al 4.º trimestre (%)"))
    federal_approved = _money(_("recurso federal aprobado"))
    state_approved = _money(_("recurso estatal aprobado"))
    in_kind_approved = _money(_("aportación en especie aprobada"))
    federal_modified = _money(_("recurso federal modificado"), null=True)
    state_modified = _money(_("recurso estatal modificado"), null=True)
    in_kind_modified = _money(_("aportación en especie modificada"), null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "goal__number"]
        verbose_name = _("meta del programa")
        verbose_name_plural = _("metas del programa")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "goal"],
                name="programme_line_goal_unique",
                violation_error_message=_("Esa meta ya está en el programa."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.goal)

    def planned(self, quarter: int) -> Decimal | None:
        return getattr(self, f"planned_q{quarter}")

    def approved(self, source: str) -> Decimal:
        return getattr(self, f"{source}_approved")

    def in_force(self, source: str) -> Decimal:
        """The amount that counts: the modified one once recorded, else the approved one."""
        modified = getattr(self, f"{source}_modified")
        return self.approved(source) if modified is None else modified


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("En elaboración")
    SENT = "sent", _("Enviado")
    OBSERVED = "observed", _("Observado")
    ACKNOWLEDGED = "acknowledged", _("Recibido")


# Reports sent at least once: their exercised amounts count (an observed report keeps the figures
# it was sent with until it is sent again; a draft counts for nothing yet).
SENT_STATUSES = (ReportStatus.SENT, ReportStatus.OBSERVED, ReportStatus.ACKNOWLEDGED)


class QuarterlyReport(models.Model):
    """The state's report of one quarter of the programme: a deliverable to the national
    institution, which receives (acknowledges) or observes it."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(WorkProgramme, on_delete=models.CASCADE, related_name="reports")
    quarter = models.PositiveSmallIntegerField(
        _("trimestre"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    status = models.CharField(
        _("estado"), max_length=14, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("narrativa del trimestre"), blank=True)
    sent_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    sent_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("revisado el"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "quarter"]
        verbose_name = _("informe trimestral")
        verbose_name_plural = _("informes trimestrales")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "quarter"],
                name="quarterly_report_unique",
                violation_error_message=_("Ese trimestre ya tiene informe."),
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("Informe del trimestre %(q)s de %(year)s")
            % {"q": self.quarter, "year": self.programme.year}
        )

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.OBSERVED)

    @property
    def period_end(self) -> dt.date:
        return quarter_end(self.programme.year, self.quarter)

    @property
    def due_date(self) -> dt.date:
        return self.programme.report_due_date(self.quarter)

    @property
    def days_late(self) -> int:
        """Days between the due date and the (last) sending, local time; 0 when on time or
        not sent."""
        if self.sent_at is None:
            return 0
        return max((timezone.localdate(self.sent_at) - self.due_date).days, 0)


class ReportLine(models.Model):
    """One goal in a quarterly report: progress scheduled and achieved (recorded when the report
    is sent, so the deliverable keeps the figures it was sent with), resources exercised in the
    quarter and the justification of a deviation."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(ProgrammeLine, on_delete=models.PROTECT, related_name="report_lines")
    planned = _percent(_("avance programado (%)"))
    achieved = models.DecimalField(
        _("avance alcanzado (%)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Puede pasar de 100 cuando la meta se sobrecumple."),
    )
    validated = models.DecimalField(
        _("avance validado (%)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "El alcanzado con solo las cifras que validó la institución nacional, registrado al "
            "acusar de recibido el informe: el que se publica."
        ),
    )
    federal_exercised = _money(_("recurso federal ejercido en el trimestre"))
    state_exercised = _money(_("recurso estatal ejercido en el trimestre"))
    in_kind_exercised = _money(_("aportación en especie ejercida en el trimestre"))
    justification = models.TextField(_("justificación de la desviación"), blank=True)

    class Meta:
        ordering = ["report", "line__goal__number"]
        verbose_name = _("meta del informe trimestral")
        verbose_name_plural = _("metas del informe trimestral")
        constraints = [
            models.UniqueConstraint(fields=["report", "line"], name="report_line_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.line}"

    def exercised(self, source: str) -> Decimal:
        return getattr(self, f"{source}_exercised")


class Observation(models.Model):
    """A dated observation of the national institution on the programme (or one of its goals)
    or on a quarterly report; answered when the state corrects or sends again."""

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="observations"
    )
    line = models.ForeignKey(
        ProgrammeLine,
        verbose_name=_("meta"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )
    report = models.ForeignKey(
        QuarterlyReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observations",
    )
    goal_label = models.CharField(_("meta observada"), max_length=120, blank=True)
    text = models.TextField(_("observación"))
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    answer = models.TextField(_("respuesta"), blank=True)
    answered_at = models.DateTimeField(_("atendida el"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "created_at", "pk"]
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")
        indexes = [
            models.Index(
                fields=["programme"],
                condition=models.Q(answered_at__isnull=True),
                name="observation_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


def closing_path(instance: ClosingDocument, filename: str) -> str:
    # Never the uploaded name; the checked extension already starts with its dot.
    extension = instance.extension.lstrip(".")
    return f"programmes/{instance.programme.code}/{instance.code}.{extension}"


class ClosingDocument(EvidenceFile):
    """The signed closing minutes (acta de cierre) and its annexes."""

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.PROTECT, related_name="closing_documents"
    )
    file = models.FileField(upload_to=closing_path, max_length=300)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("acta de cierre")
        verbose_name_plural = _("actas de cierre")


class AssistanceRequest(models.Model):
    """A state's request of technical assistance for goals and commitments of its convenio;
    the national institution attends it (its ``FollowUp``: owner the national institution,
    verified by the state that asked)."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("convenio"),
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    number = models.PositiveSmallIntegerField(_("número"))
    goals = models.ManyToManyField(
        "agreements.Goal", verbose_name=_("metas"), related_name="assistance_requests", blank=True
    )
    commitments = models.ManyToManyField(
        "agreements.Commitment",
        verbose_name=_("compromisos"),
        related_name="assistance_requests",
        blank=True,
    )
    requested_on = models.DateField(_("fecha de la solicitud"))
    followup = models.OneToOneField(
        "followup.FollowUp", on_delete=models.PROTECT, related_name="assistance_request"
    )
    assistance = models.ForeignKey(
        "agreements.TechnicalAssistance",
        verbose_name=_("asistencia brindada"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
    )
    is_synthetic = models.BooleanField(_("dato sintético"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-number"]
        verbose_name = _("solicitud de asistencia técnica")
        verbose_name_plural = _("solicitudes de asistencia técnica")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="assistance_request_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.followup.title if self.followup_id else str(self.number)

    @property
    def institution(self):
        return self.agreement.state_institution


class ReminderKind(models.TextChoices):
    UPCOMING = "upcoming", _("Por vencer")
    OVERDUE = "overdue", _("Vencido")
    AWAITING = "awaiting", _("En espera de la decisión nacional")


class ProgrammeReminderLog(models.Model):
    """One reminder sent about a programme (``workprogrammes.reminders``): a quarterly report
    due soon or overdue (``occasion`` "T1".."T4"), or a decision the national institution owes
    (``occasion``: when the wait began). Written before the e-mail goes, so none goes twice."""

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.CASCADE, related_name="reminder_logs"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    occasion = models.CharField(max_length=40)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aviso de programa de trabajo")
        verbose_name_plural = _("avisos de programas de trabajo")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "kind", "occasion", "recipient"],
                name="programme_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.kind} {self.occasion} → {self.recipient}"
