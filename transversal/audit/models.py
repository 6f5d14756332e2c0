from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which object, when, and which fields changed.

    Written by services only (``transversal.audit.services.audit_record``);
    never edited or deleted.
    """

    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("persona"),
    )
    verb = models.CharField(_("acción"), max_length=60)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(_("objeto"), max_length=300)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institución"),
    )
    state = models.ForeignKey(
        "territory.State",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entidad"),
    )
    changes = models.JSONField(_("cambios"), default=dict, blank=True)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("bitácora de auditoría")
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "-created_at"], name="audit_target_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_repr}"

    @property
    def change_rows(self) -> list[tuple[str, object, object]]:
        """(field, old, new) rows; templates must not look up keys on the dict (a field may be
        called "items")."""
        rows = []
        for field, pair in (self.changes or {}).items():
            old, new = pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else (None, pair)
            rows.append((field, old, new))
        return rows
