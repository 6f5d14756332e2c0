"""Writes for API tokens (one audit event each) and the token check used by the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from transversal.api.models import PREFIX_LENGTH, ApiToken
from transversal.audit.services import audit_record
from transversal.core.typing import Actor

# Writing last_used_at on every request would turn each read into a write.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, actor: Actor, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``actor``; returns it with the clear secret, which is never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("La fecha de vencimiento debe estar en el futuro.")})
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=actor,
        name=(name or "").strip(),
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=_digest(secret),
        expires_at=expires_at,
    )
    token.full_clean(exclude=["user"])
    token.save()
    audit_record(
        actor=actor,
        verb="api_token.create",
        target=token,
        changes={
            "name": [None, token.name],
            "prefix": [None, token.prefix],
            "expires_at": [None, expires_at],
        },
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken, note: str = "") -> ApiToken:
    """Revoke a token at once; revoking it again changes nothing and writes no event.

    ``note`` says why when it was not the owner's choice (shown in the audit trail).
    """
    token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        verb="api_token.revoke",
        target=token,
        changes={"revoked_at": [None, token.revoked_at]},
        note=note,
    )
    return token


@transaction.atomic
def token_revoke_all(*, actor: Actor, user, note: str) -> int:
    """Revoke every token of ``user`` that could still be used, one audit event each.

    Called when the person's password changes or their last active membership ends: a token
    must not outlive the credentials or the role it was created under. Returns how many.
    """
    now = timezone.now()
    usable = (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .exclude(expires_at__lte=now)
        .order_by("pk")
    )
    revoked = 0
    for token in usable:
        token_revoke(actor=actor, token=token, note=note)
        revoked += 1
    return revoked


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token matching ``secret`` (with its user), or None.

    The lookup uses the shown prefix; the hash comparison is constant-time.
    """
    if not secret or len(secret) > 200:
        return None
    digest = _digest(secret)
    now = timezone.now()
    match = None
    for candidate in ApiToken.objects.select_related("user").filter(prefix=secret[:PREFIX_LENGTH]):
        if hmac.compare_digest(candidate.secret_hash, digest):
            match = candidate
    if match is None or not match.is_active_at(now) or not match.user.is_active:
        return None
    if match.last_used_at is None or now - match.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=match.pk).update(last_used_at=now)
        match.last_used_at = now
    return match


def revoke_tokens_of_former_member(*, actor: Actor, user) -> int:
    """A token reads and writes with the person's memberships: when the last one ends, every
    token goes at once (a membership added later does not bring old tokens back)."""
    return token_revoke_all(
        actor=actor,
        user=user,
        note=_(
            "Revocado automáticamente: la persona dejó de ser integrante de todas sus "
            "instituciones."
        ),
    )
