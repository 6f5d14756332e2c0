from django.apps import AppConfig


class WorkProgrammesConfig(AppConfig):
    name = "transversal.workprogrammes"
    default_auto_field = "django.db.models.BigAutoField"
