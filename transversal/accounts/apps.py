from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "transversal.accounts"
    default_auto_field = "django.db.models.BigAutoField"
