from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "transversal.reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_history_labels()


def register_history_labels():
    """How this app's events read on history pages (the audit app sits below it)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_verbs

    register_verbs({"report_requested": _("solicitó un informe")})
