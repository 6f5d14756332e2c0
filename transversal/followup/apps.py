from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "transversal.followup"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_verbs
        from transversal.followup.models import FollowUp

        register_verbs(
            {
                "followup.note_add": _("registró un avance del seguimiento"),
                "followup.evidence_add": _("agregó una evidencia al seguimiento"),
                "followup.mark_done": _("marcó el seguimiento como atendido"),
                "followup.verify": _("verificó y cerró el seguimiento"),
                "followup.cancel": _("canceló el seguimiento"),
                "followup.reopen": _("reabrió el seguimiento"),
            }
        )
        register_fields(
            FollowUp,
            labels={
                "note": _("nota de avance"),
                "evidence": _("evidencia"),
                "reason": _("motivo"),
                "verifier_institution": _("institución que verifica"),
            },
            facts={"verifier_institution"},
        )
