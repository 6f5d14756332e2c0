from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "transversal.monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import events_for, register_history
        from transversal.monitoring.access import get_indicator_for_user
        from transversal.monitoring.selectors import indicators_for, plan_item_indicators
        from transversal.planning.selectors import MeasureSource, register_measures

        register_measures(MeasureSource(visible_indicators=indicators_for, item_indicators=plan_item_indicators))

        def indicator_history(user, code):
            indicator, _can_write = get_indicator_for_user(user, code)
            return indicator, events_for(indicator)

        register_history("indicador", indicator_history)

        def update_history(user, code):
            from transversal.monitoring.access import get_update_for_user

            update, _scope = get_update_for_user(user, code)
            return update, events_for(update)

        register_history("avance", update_history)
