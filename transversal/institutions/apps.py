from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "transversal.institutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        register_history_labels()


def register_history_labels():
    """How this app's events read on history pages (the audit app sits below it)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_fields, register_verbs
    from transversal.institutions.models import Institution, NameChange

    register_verbs(
        {
            "institution.create": _("dio de alta la institución"),
            "institution.update": _("cambió el perfil de la institución"),
            "institution.rename": _("registró un cambio de nombre o una transformación"),
        }
    )
    register_fields(
        Institution,
        labels={
            "name": _("nombre"),
            "valid_from": _("vigente desde"),
            "objectives": _("objetivos institucionales"),
            "change": _("tipo de cambio"),
            "instrument": _("instrumento"),
            "instrument_number": _("número del instrumento"),
            "instrument_date": _("fecha de publicación del instrumento"),
            "instrument_gazette": _("medio de publicación del instrumento"),
            "municipality": _("municipio"),
            "former_name": _("nombre anterior"),
        },
        choices={"change": NameChange.choices},
    )
