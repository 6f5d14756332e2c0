"""A password change revokes the person's API tokens, whatever path changed it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from transversal.api.services import token_revoke_all


class RevokeApiTokensOnPasswordChange:
    """Listed in ``AUTH_PASSWORD_VALIDATORS`` for its ``password_changed`` hook, not as a rule.

    Django calls ``password_changed`` on every configured validator after a real password
    change has been saved, whatever the path: the change and reset pages, the admin's
    set-password form, ``manage.py changepassword``. It does not call it when a sign-in merely
    re-hashes the same password with newer parameters. So this is the one place that sees
    every change, and no new path can forget to revoke the tokens.
    """

    def validate(self, password: str, user=None) -> None:
        return None

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        # The actor is unknown here (the person, an administrator or the command line): the
        # audit event has none and its note says why.
        token_revoke_all(
            actor=None,
            user=user,
            note=_("Revocado automáticamente: cambió la contraseña de la cuenta."),
        )

    def get_help_text(self) -> str:
        return _("Al cambiar la contraseña se revocan todos sus tokens de la API.")
