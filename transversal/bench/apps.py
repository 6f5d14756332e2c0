from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "transversal.bench"
    default_auto_field = "django.db.models.BigAutoField"
