from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "transversal.monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import events_for, register_history
        from transversal.monitoring.access import get_indicator_for_user
        from transversal.monitoring.selectors import indicators_for, plan_item_indicators
        from transversal.planning.selectors import MeasureSource, register_measures

        register_measures(
            MeasureSource(visible_indicators=indicators_for, item_indicators=plan_item_indicators)
        )

        def indicator_history(user, code):
            from transversal.accounts.access import can_read, scope_for
            from transversal.audit.registry import History

            indicator, _scope = get_indicator_for_user(user, code)
            # Outsiders reach only public indicators, and read only their public history.
            insider = can_read(scope_for(user), indicator.owner)
            return History(indicator, events_for(indicator), public_only=not insider)

        register_history("indicador", indicator_history, indicator_publicity())

        def update_history(user, code):
            from transversal.monitoring.access import get_update_for_user

            update, _scope = get_update_for_user(user, code)
            return update, events_for(update)

        register_history("avance", update_history)


def indicator_publicity():
    """What outsiders read of a public indicator's history: the technical sheet (all of it is
    on the public page), the calendar and the targets; not the goals it measures (they may
    belong to draft agreements)."""
    from transversal.audit.registry import Publicity
    from transversal.monitoring.services import SHEET_FIELDS

    sheet = frozenset(SHEET_FIELDS)
    return Publicity(
        field="is_public",
        is_public=lambda value: value is True,
        verbs={
            "indicator.create": sheet,
            "indicator.update": sheet,
            "indicator.periods_generate": frozenset({"periods"}),
            "indicator.targets_update": None,  # keyed by period label; every target is public
        },
    )
