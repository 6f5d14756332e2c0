from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "transversal.planning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import register_history
        from transversal.planning.access import get_plan_for_user
        from transversal.planning.selectors import plan_events

        def plan_history(user, code):
            # The change history is internal, like every history page: a published plan is
            # public, its trail (which names items of other, possibly draft, plans) is not.
            from transversal.accounts.access import authorize, scope_for

            plan, _can_edit = get_plan_for_user(user, code)
            if plan.institution is not None:
                authorize(user, plan.institution)
            elif not scope_for(user).is_national:
                from django.http import Http404

                raise Http404
            return plan, plan_events(plan)

        register_history("plan", plan_history)
