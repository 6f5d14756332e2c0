from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "transversal.territory"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_history_labels()


def register_history_labels():
    """How this app's events read on history pages (the audit app sits below it)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_verbs

    # The changes (added, renamed, retired, reactivated) read by the load's own field labels.
    register_verbs({"municipal_catalogue.load": _("cargó el catálogo de municipios")})
