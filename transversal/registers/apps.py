from django.apps import AppConfig

# A register on an address and in its history's key: its Spanish slug (urls.RegisterConverter).
REGISTER_SLUGS = {
    "training": "capacitacion",
    "affirmative": "acciones-afirmativas",
    "participation": "participacion",
    "service": "servicios",
}


class RegistersConfig(AppConfig):
    name = "transversal.registers"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Registros"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_history, register_verbs
        from transversal.monitoring.models import Indicator
        from transversal.registers.models import REGISTER_MODELS

        register_verbs(
            {
                "training.create": _("registró el evento de capacitación"),
                "training.update": _("cambió el evento de capacitación"),
                "training.delete": _("dio de baja el evento de capacitación"),
                "training.evidence_add": _("adjuntó una evidencia al evento de capacitación"),
                "affirmative.create": _("registró la acción afirmativa"),
                "affirmative.update": _("cambió la acción afirmativa"),
                "affirmative.delete": _("dio de baja la acción afirmativa"),
                "affirmative.evidence_add": _("adjuntó una evidencia a la acción afirmativa"),
                "participation.create": _("registró el mecanismo de participación"),
                "participation.update": _("cambió el mecanismo de participación"),
                "participation.delete": _("dio de baja el mecanismo de participación"),
                "participation.evidence_add": _(
                    "adjuntó una evidencia al mecanismo de participación"
                ),
                "service.create": _("registró el conteo mensual de servicios"),
                "service.update": _("cambió el conteo mensual de servicios"),
                "service.delete": _("dio de baja el conteo mensual de servicios"),
                "service.evidence_add": _("adjuntó una evidencia al conteo de servicios"),
                "indicator.feed_save": _("declaró el registro del que se calcula el indicador"),
                "indicator.feed_remove": _(
                    "quitó el registro del que se calculaba el indicador; su valor vuelve a "
                    "capturarse"
                ),
            }
        )
        register_fields(Indicator, labels={"register_feed": _("registro fuente del valor")})
        for register, model in REGISTER_MODELS.items():
            register_fields(model, labels={"evidence": _("evidencia"), "entry": _("registro")})
            register_history(REGISTER_SLUGS[register], _history_getter(register))

        from transversal.registers.feeds import register_feed_source

        register_feed_source()  # what monitoring's pages show of an indicator's register source

        from transversal.registers.importing import register_audit_vocabulary

        register_audit_vocabulary()  # the import's event on the institution's history

        from transversal.registers.jobs import register_job_kind

        register_job_kind()  # large imports run on the jobs app's queue


def _history_getter(register: str):
    def history(user, code):
        """The entry's events (its changes and evidence), for those who read the entry."""
        from transversal.audit.registry import events_for
        from transversal.registers.access import get_entry_for_user

        entry, _scope = get_entry_for_user(user, register, code)
        return entry, events_for(entry)

    return history
