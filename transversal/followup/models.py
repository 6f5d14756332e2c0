"""The follow-up item: something an institution owes by a date, its progress and its closure.

One core for every kind of commitment that is followed up: the acuerdos of coordination
sessions now, the improvement actions (ASM) next. The subject (an acuerdo, an ASM) holds a
one-to-one to its ``FollowUp`` and says where its page is (``registry.register_subject``).

The owner's members record dated notes and evidence and may mark it done; someone on the
verifier's side (a system's technical secretariat) who recorded none of it verifies and
closes it, cancels it with a reason or reopens it. "Vencido" is never stored: it is an open
item past its due date (``is_overdue``, ``FollowUpQuerySet.overdue``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transversal.core.models import EvidenceFile


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Abierto")
    IN_PROGRESS = "in_progress", _("En proceso")
    DONE = "done", _("Atendido")
    VERIFIED = "verified", _("Verificado")
    CANCELLED = "cancelled", _("Cancelado")


# Statuses in which the owner still has something to do (and which can fall overdue).
OPEN_STATUSES = (FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS)
# Statuses the verifier side has closed; only a reopening changes them.
CLOSED_STATUSES = (FollowUpStatus.VERIFIED, FollowUpStatus.CANCELLED)


def overdue_condition(today: dt.date, prefix: str = "") -> Q:
    """An open item past its due date, as a query condition (``prefix`` for a related path)."""
    return Q(**{f"{prefix}due_date__lt": today, f"{prefix}status__in": OPEN_STATUSES})


class FollowUpQuerySet(models.QuerySet):
    def overdue(self, today: dt.date) -> FollowUpQuerySet:
        return self.filter(overdue_condition(today))

    def owned_by(self, institution_ids) -> FollowUpQuerySet:
        """Items an institution answers for, as lead or co-responsible."""
        ids = list(institution_ids)
        return self.filter(Q(owner_id__in=ids) | Q(co_owners__in=ids)).distinct()


class FollowUp(models.Model):
    code = models.UUIDField(_("clave pública"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("tipo"), max_length=20)  # the subject's registry key ("acuerdo")
    title = models.CharField(_("título"), max_length=300)
    text = models.TextField(_("texto"), blank=True)
    owner = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="followups",
        verbose_name=_("institución responsable"),
    )
    co_owners = models.ManyToManyField(
        "institutions.Institution",
        blank=True,
        related_name="shared_followups",
        verbose_name=_("también responsables"),
    )
    responsible_person = models.CharField(_("persona responsable"), max_length=200, blank=True)
    verifier = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="verified_followups",
        verbose_name=_("institución que verifica"),
    )
    due_date = models.DateField(_("fecha compromiso"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_on = models.DateField(_("atendido el"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("cerrado el"), null=True, blank=True)
    cancel_reason = models.TextField(_("motivo de cancelación"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="followup_cancel_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today


class FollowUpNote(models.Model):
    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="notes")
    on = models.DateField(_("fecha"))
    text = models.TextField(_("avance"))
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["followup", "on", "pk"]
        verbose_name = _("nota de avance")
        verbose_name_plural = _("notas de avance")

    def __str__(self) -> str:
        return self.text[:80]


def evidence_path(instance: FollowUpEvidence, filename: str) -> str:
    # Never the uploaded name: a server-chosen path the person cannot influence.
    extension = instance.extension.lstrip(".")
    return f"seguimiento/{instance.followup.owner.slug}/{uuid.uuid4().hex}.{extension}"


class FollowUpEvidence(EvidenceFile):
    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["followup", "created_at", "pk"]
        verbose_name = _("evidencia del seguimiento")
        verbose_name_plural = _("evidencias del seguimiento")
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "sha256"], name="followup_evidence_unique_per_item"
            ),
        ]


class FollowUpReminderLog(models.Model):
    """One row per reminder sent about an item, so the daily run never sends the same one
    twice (``followup.reminders``)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12)  # "upcoming" or "overdue"
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "kind", "recipient"], name="followup_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.followup_id} → {self.recipient}"
