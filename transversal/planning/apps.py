from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "transversal.planning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import register_history
        from transversal.planning.access import get_plan_for_user
        from transversal.planning.selectors import plan_events

        def plan_history(user, code):
            plan, _can_edit = get_plan_for_user(user, code)
            return plan, plan_events(plan)

        register_history("plan", plan_history)
