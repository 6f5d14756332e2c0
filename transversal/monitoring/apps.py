from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "transversal.monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import events_for, register_history
        from transversal.monitoring.access import get_indicator_for_user

        def indicator_history(user, code):
            indicator, _can_write = get_indicator_for_user(user, code)
            return indicator, events_for(indicator)

        register_history("indicador", indicator_history)

        def update_history(user, code):
            from transversal.monitoring.access import get_update_for_user

            update, _scope = get_update_for_user(user, code)
            return update, events_for(update)

        register_history("avance", update_history)
