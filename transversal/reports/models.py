"""A report asked for on the web page, generated in the background."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En espera")
    RUNNING = "running", _("Generando")
    DONE = "done", _("Listo")
    FAILED = "failed", _("Falló")


def report_path(instance: ReportJob, filename: str) -> str:
    # A private folder, served only by the download view after the access check.
    return f"private/reports/{instance.code.hex}.{instance.format}"


class ReportJob(models.Model):
    """One report request. ``scope`` is "national" or a state's INEGI code ("10")."""

    NATIONAL = "national"

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("solicitado por"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField(_("alcance"), max_length=10)
    period = models.CharField(_("periodo"), max_length=12)
    format = models.CharField(_("formato"), max_length=4, choices=ReportFormat.choices)
    status = models.CharField(
        _("estado"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avance (%)"), default=0)
    message = models.TextField(_("mensaje"), blank=True)
    file = models.FileField(upload_to=report_path, max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reporte solicitado")
        verbose_name_plural = _("reportes solicitados")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_job_progress_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.period} {self.format}"

    @property
    def is_national(self) -> bool:
        return self.scope == self.NATIONAL

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
