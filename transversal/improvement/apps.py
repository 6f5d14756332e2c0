from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "transversal.improvement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_history, register_verbs
        from transversal.followup.registry import Subject, register_subject
        from transversal.improvement import services
        from transversal.improvement.models import Evaluation, Finding, ImprovementAction
        from transversal.institutions.models import Institution
        from transversal.monitoring.services import on_approval

        register_subject(
            "asm",
            Subject(
                label=_("Aspecto susceptible de mejora"),
                related="improvement_action__finding",
                url=lambda item: reverse("improvement:action", args=[item.improvement_action.code]),
            ),
        )
        on_approval(services.findings_propose_for_update)
        register_worklist()
        register_verbs(
            {
                "evaluation.create": _("registró la evaluación"),
                "evaluation.update": _("cambió los datos de la evaluación"),
                "evaluation.report_add": _("subió el informe de la evaluación"),
                "finding.add": _("registró el hallazgo"),
                "finding.propose": _("propuso el hallazgo por semáforo rojo sostenido"),
                "finding.accept": _("aceptó el hallazgo propuesto"),
                "finding.dismiss": _("descartó el hallazgo"),
                "asm.add": _("registró el aspecto susceptible de mejora"),
                "model.components": _("declaró los planes que integran su modelo"),
            }
        )
        register_fields(
            Evaluation,
            labels={"scope": _("alcance"), "report": _("informe de evaluación")},
        )
        register_fields(
            Finding, labels={"finding": _("clave del hallazgo"), "reason": _("motivo del descarte")}
        )
        register_fields(
            ImprovementAction,
            labels={
                "asm": _("clave del ASM"),
                "text": _("texto"),
                "owner": _("institución responsable"),
                "due_date": _("fecha compromiso"),
            },
        )
        register_fields(
            Institution,
            labels={"plans": _("planes que integran el modelo"), "year": _("año")},
        )
        register_history("evaluacion", evaluation_history)
        register_history("hallazgo", finding_history)
        register_history("asm", action_history)


def register_worklist() -> None:
    """The findings proposed by the system and waiting for a decision join «Mis pendientes»."""
    from transversal.improvement import worklist
    from transversal.monitoring.worklist import register_source

    register_source(worklist.work)


def _findings_parts(findings):
    """Findings, their ASM and the ASM's follow-ups, as (model, keys) pairs."""
    from transversal.followup.models import FollowUp
    from transversal.improvement.models import Finding, ImprovementAction

    actions = list(
        ImprovementAction.objects.filter(finding__in=findings).values_list("pk", "followup_id")
    )
    return [
        (Finding, findings.values_list("pk", flat=True)),
        (ImprovementAction, [pk for pk, _f in actions]),
        (FollowUp, [f for _pk, f in actions]),
    ]


def evaluation_history(user, code):
    """The evaluation's events, and those of its findings and their ASM."""
    from transversal.audit.registry import events_for_parts
    from transversal.improvement.access import get_evaluation_for_user

    evaluation, _scope = get_evaluation_for_user(user, code)
    return evaluation, events_for_parts(evaluation, _findings_parts(evaluation.findings.all()))


def finding_history(user, code):
    from transversal.audit.registry import events_for_parts
    from transversal.improvement.access import get_finding_for_user
    from transversal.improvement.models import Finding

    finding, _scope = get_finding_for_user(user, code)
    parts = _findings_parts(Finding.objects.filter(pk=finding.pk))[1:]
    return finding, events_for_parts(finding, parts)


def action_history(user, code):
    from transversal.audit.registry import events_for_parts
    from transversal.followup.models import FollowUp
    from transversal.improvement.access import get_action_for_user

    action, _scope = get_action_for_user(user, code)
    return action, events_for_parts(action, [(FollowUp, [action.followup_id])])
