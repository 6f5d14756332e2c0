from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "transversal.api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Accounts sits below the API on the floor plan: the API tells it what ending a person's
        # last membership means for their tokens. (A password change reaches
        # api.passwords.RevokeApiTokensOnPasswordChange through AUTH_PASSWORD_VALIDATORS.)
        from transversal.accounts.services import register_last_membership_ended
        from transversal.api.services import revoke_tokens_of_former_member

        register_last_membership_ended(revoke_tokens_of_former_member)
        register_history_labels()


def register_history_labels():
    """How this app's events read on history pages (the audit app sits below it)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_verbs

    register_verbs(
        {
            "api_token.create": _("creó un token de la API"),
            "api_token.revoke": _("revocó un token de la API"),
        }
    )
