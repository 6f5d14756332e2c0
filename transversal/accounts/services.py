"""Writes to people and memberships; one audit event each."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from transversal.accounts.models import Membership, Notification, Role, User, normalize_login
from transversal.audit.services import audit_record
from transversal.core.typing import Actor
from transversal.institutions.models import Institution


@transaction.atomic
def user_create(
    *, actor: Actor, email: str, full_name: str, password: str | None = None, is_staff: bool = False
) -> User:
    email = normalize_login(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Ya existe una cuenta con ese correo.")})
    user = User(email=email, full_name=full_name.strip(), is_staff=is_staff)
    user.full_clean(exclude=["password"])
    if password:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, verb="user.create", target=user, changes={"email": [None, email]})
    return user


def _send_welcome(user: User, institution: Institution, base_url: str) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url.rstrip("/") + reverse("accounts:password_reset_confirm", args=[uid, token])
    send_mail(
        subject=_("Su cuenta en Transversal"),
        message=_(
            "Se le dio acceso a Transversal como integrante de %(institution)s.\n\n"
            "Para elegir su contraseña, abra este enlace:\n%(link)s\n"
        )
        % {"institution": institution, "link": link},
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def membership_add(
    *,
    actor: Actor,
    institution: Institution,
    email: str,
    full_name: str,
    role: str,
    base_url: str = "http://127.0.0.1:8000",
) -> Membership:
    """Add a person to an institution, creating the account (and inviting them) if it is new."""
    if role not in Role.values:
        raise ValidationError({"role": _("Rol no válido.")})
    email = normalize_login(email)
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = user_create(actor=actor, email=email, full_name=full_name)
    existing = (
        Membership.objects.select_for_update(of=("self",))
        .filter(user=user, institution=institution)
        .order_by("pk")
        .first()
    )
    if existing and existing.is_active:
        raise ValidationError(
            _("%(person)s ya es integrante de esta institución con el rol %(role)s.")
            % {"person": user, "role": existing.get_role_display()}
        )
    if existing:  # a former member comes back: reopen the same record, keep its history
        existing.is_active, existing.ended_at, existing.role = True, None, role
        existing.save(update_fields=["is_active", "ended_at", "role"])
        membership = existing
    else:
        membership = Membership.objects.create(user=user, institution=institution, role=role)
    audit_record(
        actor=actor,
        verb="membership.add",
        target=membership,
        institution=institution,
        changes={"user": [None, user.email], "role": [None, role]},
    )
    if created:
        transaction.on_commit(lambda: _send_welcome(user, institution, base_url))
    return membership


@transaction.atomic
def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Rol no válido.")})
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    if not membership.is_active:
        raise ValidationError(_("La membresía ya terminó; vuelva a agregar a la persona."))
    if membership.role == role:
        return membership
    _guard_last_admin(membership, new_role=role)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        actor=actor,
        verb="membership.change_role",
        target=membership,
        institution=membership.institution,
        changes={"role": [old, role]},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
    if not membership.is_active:
        return membership
    _guard_last_admin(membership, new_role=None)
    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.save(update_fields=["is_active", "ended_at"])
    audit_record(
        actor=actor,
        verb="membership.end",
        target=membership,
        institution=membership.institution,
        changes={"is_active": [True, False]},
    )
    if not Membership.objects.filter(user=membership.user_id, is_active=True).exists():
        for callback in _last_membership_ended:
            callback(actor=actor, user=membership.user)
    return membership


# What else must happen, in the same transaction, when a person's last active membership ends:
# higher apps register it at start-up (the API revokes the person's tokens).
_last_membership_ended: list[Callable[..., object]] = []


def register_last_membership_ended(callback: Callable[..., object]) -> None:
    """``callback(actor=..., user=...)`` runs inside ``membership_end`` when no active
    membership remains; it writes through its own app's services."""
    if callback not in _last_membership_ended:
        _last_membership_ended.append(callback)


def _guard_last_admin(membership: Membership, *, new_role: str | None) -> None:
    """An institution never loses its last administrator by accident."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    others = Membership.objects.filter(
        institution=membership.institution, role=Role.ADMIN, is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _("La institución debe conservar al menos una persona con rol de administración.")
        )


@transaction.atomic
def notifications_send(
    *,
    recipients: Iterable[str],
    subject: str,
    body: str = "",
    url: str = "",
    actor: Actor = None,
) -> list[Notification]:
    """Keep a message on the site for each active account among ``recipients`` (e-mail
    addresses, as the mails that go with it are addressed). One audit event per message; the
    actor is the system unless a person's action sent it directly."""
    emails = {normalize_login(e) for e in recipients if e}
    users = User.objects.filter(email__in=emails, is_active=True).order_by("pk")
    created = Notification.objects.bulk_create(
        Notification(recipient=user, subject=subject[:200], body=body, url=url[:300])
        for user in users
    )
    for notification in created:
        audit_record(
            actor=actor,
            verb="notification.send",
            target=notification,
            changes={"subject": [None, notification.subject]},
        )
    return created


@transaction.atomic
def notifications_mark_read(*, actor: Actor, codes: Iterable[str] | None = None) -> int:
    """Mark the person's unread messages as read: the ones named by ``codes``, or all of them.
    Somebody else's message is never touched (it simply does not match). One audit event, on the
    newest message marked, saying how many."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if codes is not None:
        unread = unread.filter(code__in=list(codes))
    marked = list(unread.order_by("-created_at", "-pk"))
    if not marked:
        return 0
    now = timezone.now()
    Notification.objects.filter(pk__in=[n.pk for n in marked]).update(read_at=now)
    audit_record(
        actor=actor,
        verb="notification.read",
        target=marked[0],
        changes={"read_at": [None, now]},
        note=_("%(n)s avisos marcados como leídos.") % {"n": len(marked)},
    )
    return len(marked)
