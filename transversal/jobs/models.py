"""What every background job carries, so that a person can follow it and a dead worker is noticed.

Each kind of work keeps its own person-facing record (``reports.ReportJob``) or uses ``Job``
(spreadsheet imports, the reminder run); both share these fields through ``JobState``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En espera")
    RUNNING = "running", _("Generando")
    DONE = "done", _("Listo")
    FAILED = "failed", _("Falló")


class JobState(models.Model):
    """Status, progress and the worker's heartbeat (``heartbeat_at``): a job "running" whose
    heartbeat is older than ``JOBS_LEASE_SECONDS`` lost its worker (``runner.jobs_recover``)."""

    status = models.CharField(
        _("estado"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    message = models.TextField(_("mensaje"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    heartbeat_at = models.DateTimeField(_("última señal del proceso"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class JobKind(models.TextChoices):
    SPREADSHEET_IMPORT = "spreadsheet_import", _("Importación de hoja de cálculo")
    REMINDERS = "reminders", _("Envío de recordatorios")
    REGISTER_IMPORT = "register_import", _("Importación de un registro")


class Job(JobState):
    """A job without a record of its own: what was asked (``params``), by whom, and where its
    result is shown (``result_url``, a path of this site)."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("tipo"), max_length=40, choices=JobKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitado por"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("título"), max_length=200, blank=True)
    params = models.JSONField(_("parámetros"), default=dict, blank=True)
    result = models.JSONField(_("resultado"), default=dict, blank=True)
    result_url = models.CharField(_("dirección del resultado"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trabajo en segundo plano")
        verbose_name_plural = _("trabajos en segundo plano")
        indexes = [models.Index(fields=["status", "kind"], name="jobs_job_status_kind")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_0_100")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code}"
