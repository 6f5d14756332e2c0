from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "transversal.dashboards"
    default_auto_field = "django.db.models.BigAutoField"
