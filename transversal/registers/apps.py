from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "transversal.registers"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Registros"
