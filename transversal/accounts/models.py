from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.institutions.models import Institution


def normalize_login(value: str | None) -> str:
    """The one spelling of a login name: surrounding spaces trimmed, lower case.

    Used wherever an e-mail address is stored, looked up or counted by the lockout, so that
    ``Consulta.Durango@…`` or `` consulta.durango@… `` is the same account and the same
    failure counter. (Lower case, not ``casefold``: folding would rewrite some internationalised
    domains, e.g. ß → ss, into a different address.)
    """
    return (value or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        email = normalize_login(email)
        if not email:
            raise ValueError("El correo electrónico es obligatorio.")
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=normalize_login(username))


class User(AbstractUser):
    """A person who signs in with an e-mail address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("correo electrónico"), unique=True)
    full_name = models.CharField(_("nombre completo"), max_length=150)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("usuaria o usuario")
        verbose_name_plural = _("usuarias y usuarios")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    ADMIN = "admin", _("Administración")
    EDITOR = "editor", _("Captura")
    REVIEWER = "reviewer", _("Revisión")
    VIEWER = "viewer", _("Consulta")


class Membership(models.Model):
    """A person's role in one institution. Ended memberships are kept, not deleted."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices)
    is_active = models.BooleanField(_("activa"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["institution", "user__full_name"]
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="membership_user_institution_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.institution}"


class Notification(models.Model):
    """A message for one person, kept on the site (the same text as the e-mail, when one is sent):
    readable and markable as read under "Avisos"."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("asunto"), max_length=200)
    body = models.TextField(_("mensaje"), blank=True)
    url = models.CharField(_("enlace"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    read_at = models.DateTimeField(_("leído el"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("aviso")
        verbose_name_plural = _("avisos")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
