from django.apps import AppConfig


class HarmonizationConfig(AppConfig):
    name = "transversal.harmonization"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_history, register_verbs
        from transversal.harmonization.models import Cell, Provision

        register_verbs(
            {
                "provision.add": _("agregó la disposición al catálogo de armonización"),
                "provision.update": _("cambió la disposición del catálogo de armonización"),
                "cell.set": _("cambió la celda de armonización"),
                "cell.propose": _("propuso un cambio a la celda de armonización"),
                "proposal.accept": _("aceptó la propuesta y la aplicó a la celda"),
                "proposal.return": _("devolvió la propuesta de cambio"),
            }
        )
        register_fields(
            Cell,
            labels={
                "status": _("estado"),
                "instrument": _("instrumento estatal"),
                "article": _("artículo"),
                "gazette": _("periódico oficial"),
                "published_on": _("fecha de publicación"),
                "url": _("enlace"),
                "notes": _("notas"),
                "is_synthetic": _("dato sintético"),
                "reason": _("motivo de la devolución"),
            },
        )
        register_fields(Provision, labels={"slug": _("clave"), "dof_date": _("fecha DOF")})
        register_history("armonizacion", cell_history)
        register_history("disposicion", provision_history)


def cell_history(user, code):
    from transversal.accounts.access import scope_for
    from transversal.audit.registry import events_for
    from transversal.core.access import not_found
    from transversal.harmonization.access import can_read_history, get_cell

    cell = get_cell(code)
    if not can_read_history(scope_for(user), cell):
        raise not_found()
    return cell, events_for(cell)


def provision_history(user, code):
    from transversal.audit.registry import events_for
    from transversal.core.access import not_found
    from transversal.harmonization.access import require_manager
    from transversal.harmonization.models import Provision

    require_manager(user)
    provision = Provision.objects.filter(slug=str(code)[:60]).first()
    if provision is None:
        raise not_found()
    return provision, events_for(provision)
