"""A report asked for on the web page, generated in the background by the task queue."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.jobs.models import JobState, JobStatus

__all__ = ["JobStatus", "ReportFormat", "ReportJob"]


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (DOCX)")


def report_path(instance: ReportJob, filename: str) -> str:
    # A private folder, served only by the download view after the access check.
    return f"private/reports/{instance.code.hex}.{instance.format}"


class ReportJob(JobState):
    """One report request. ``scope`` is "national" or a state's INEGI code ("10"). Status,
    progress, message, attempts and the worker's heartbeat come from ``JobState``."""

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
    file = models.FileField(upload_to=report_path, max_length=200, blank=True)

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
