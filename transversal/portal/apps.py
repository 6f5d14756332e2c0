from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "transversal.portal"
    default_auto_field = "django.db.models.BigAutoField"
