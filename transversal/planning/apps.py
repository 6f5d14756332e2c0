from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "transversal.planning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import register_history
        from transversal.planning.access import get_plan_for_user
        from transversal.planning.selectors import plan_events

        def plan_history(user, code):
            # Insiders read the whole trail; outsiders (who reach only public plans) read its
            # public history, without alignments (they name items of other, possibly draft, plans).
            from transversal.accounts.access import can_read, scope_for
            from transversal.audit.registry import History
            from transversal.planning.access import owner_of

            plan, _scope = get_plan_for_user(user, code)
            owner = owner_of(plan)
            insider = owner is not None and can_read(scope_for(user), owner)
            return History(plan, plan_events(plan), public_only=not insider)

        register_history("plan", plan_history, plan_publicity())
        register_history_labels()


def plan_publicity():
    """What outsiders read of a published plan's history: the plan's own fields, its status and
    its items' text from publication on; never the import (a draft) nor alignments."""
    from transversal.audit.registry import Publicity
    from transversal.planning.models import PlanStatus
    from transversal.planning.services import ITEM_FIELDS, PLAN_EDITABLE

    return Publicity(
        field="status",
        is_public=lambda value: value not in (None, PlanStatus.DRAFT),
        verbs={
            "plan.update": frozenset({*PLAN_EDITABLE, "state"}),
            "plan.publish": frozenset({"status"}),
            "plan.archive": frozenset({"status"}),
            "plan_item.update": frozenset(ITEM_FIELDS),
        },
    )


def register_history_labels():
    """How this app's events read on history pages."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_fields, register_verbs
    from transversal.planning.models import Alignment, Plan, PlanImport

    register_verbs(
        {
            "plan.create": _("creó el plan"),
            "plan.update": _("cambió los datos del plan"),
            "plan.publish": _("publicó el plan"),
            "plan.archive": _("archivó el plan"),
            "plan.import": _("creó el plan a partir de un documento"),
            "plan_import.create": _("subió un documento para importar"),
            "plan_import.discard": _("descartó una importación"),
            "plan_item.update": _("cambió un elemento del plan"),
            "alignment.create": _("alineó un elemento"),
            "alignment.remove": _("quitó una alineación"),
        }
    )
    register_fields(
        Plan,
        labels={
            "item_count": _("elementos"),
            "included_lines": _("líneas incluidas en la revisión"),
        },
    )
    register_fields(PlanImport, labels={"source_name": _("documento"), "status": _("estado")})
    register_fields(
        Alignment, labels={"from": _("elemento"), "to": _("alineado con"), "removed": _("quitada")}
    )
