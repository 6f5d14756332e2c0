from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "transversal.improvement"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_verbs
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
            Finding, labels={"finding": _("hallazgo"), "reason": _("motivo del descarte")}
        )
        register_fields(
            ImprovementAction,
            labels={
                "asm": _("aspecto susceptible de mejora"),
                "text": _("texto"),
                "owner": _("institución responsable"),
                "due_date": _("fecha compromiso"),
            },
        )
        register_fields(
            Institution,
            labels={"plans": _("planes que integran el modelo"), "year": _("año")},
        )
