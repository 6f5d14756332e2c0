from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "transversal.search"
    label = "search"
    verbose_name = "Buscador"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.search import signals

        signals.connect()
