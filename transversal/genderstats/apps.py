from django.apps import AppConfig


class GenderStatsConfig(AppConfig):
    name = "transversal.genderstats"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Estadísticas de género"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_verbs
        from transversal.genderstats.models import ContextIndicator, StatImport, StatSource

        register_verbs(
            {
                "statsource.create": _("registró la fuente estadística"),
                "statsource.update": _("cambió la fuente estadística"),
                "contextindicator.create": _("registró el indicador de contexto"),
                "contextindicator.update": _("cambió el indicador de contexto"),
                "statimport.preview": _("subió un archivo de estadísticas para revisarlo"),
                "statimport.apply": _("importó valores estadísticos"),
                "statimport.discard": _("descartó la vista previa de un archivo de estadísticas"),
                "statimport.expire": _(
                    "quitó la vista previa vencida de un archivo de estadísticas"
                ),
            }
        )
        register_fields(StatSource, labels={"publisher": _("institución que la publica")})
        register_fields(ContextIndicator, labels={"source": _("fuente")})
        register_fields(
            StatImport,
            labels={
                "created": _("valores nuevos"),
                "updated": _("valores cambiados"),
                "unchanged": _("valores sin cambio"),
            },
        )
