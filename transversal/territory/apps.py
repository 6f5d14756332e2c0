from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "transversal.territory"
    default_auto_field = "django.db.models.BigAutoField"
