from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "transversal.accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_history_labels()


def register_history_labels():
    """How this app's events read on history pages (the audit app sits below it)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.accounts.models import Membership
    from transversal.audit.registry import register_fields, register_verbs

    register_verbs(
        {
            "user.create": _("creó la cuenta"),
            "membership.add": _("agregó a una persona"),
            "membership.change_role": _("cambió el rol de una persona"),
            "membership.end": _("dio de baja a una persona"),
            "notification.send": _("envió un aviso"),
            "notification.read": _("marcó avisos como leídos"),
        }
    )
    register_fields(Membership, labels={"user": _("persona")})
