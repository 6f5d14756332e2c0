"""Abstract models shared by apps (no tables of their own)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceFile(models.Model):
    """What every kept evidence file records, checked by its content (``core.uploads``): the
    stored file (under a server-chosen name: each app defines ``file`` with its own path), the
    name it was uploaded with, what it is and its SHA-256. Filled through
    ``core.uploads.evidence_fields`` and stored through ``save_with_file``."""

    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    original_name = models.CharField(_("nombre del archivo"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=12)
    extension = models.CharField(max_length=8)
    mime_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(max_length=64, db_index=True)
    description = models.CharField(_("descripción"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name
