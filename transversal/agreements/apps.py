from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "transversal.agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import register_history

        register_history("convenio", agreement_history, agreement_publicity())
        register_history_labels()


def agreement_history(user, code):
    """The agreement's own events and those of its amendments, commitments and goals; for
    outsiders (who reach only public agreements) its public history."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from transversal.agreements.access import can_read_agreement, get_agreement_for_user
    from transversal.agreements.models import Agreement, AgreementAmendment, Commitment, Goal
    from transversal.audit.models import AuditEvent
    from transversal.audit.registry import History

    agreement, scope = get_agreement_for_user(user, code)
    query = Q(target_type=ContentType.objects.get_for_model(Agreement), target_id=str(agreement.pk))
    for model, related in (
        (AgreementAmendment, "amendments"),
        (Commitment, "commitments"),
        (Goal, "goals"),
    ):
        ids = [str(pk) for pk in getattr(agreement, related).values_list("pk", flat=True)]
        if ids:
            query |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    return History(
        agreement,
        AuditEvent.objects.filter(query),
        public_only=not can_read_agreement(scope, agreement),
    )


def agreement_publicity():
    """What outsiders read of a public agreement's history: what its public page shows, from
    its signature on; not the documents (members download them) nor technical assistance."""
    from transversal.agreements.models import PUBLIC_STATUSES
    from transversal.agreements.services import AGREEMENT_FIELDS, COMMITMENT_FIELDS, GOAL_FIELDS
    from transversal.audit.registry import Publicity

    goal = frozenset({*GOAL_FIELDS, "is_synthetic"})
    return Publicity(
        field="status",
        is_public=lambda value: value in PUBLIC_STATUSES,
        verbs={
            "agreement.update": frozenset(AGREEMENT_FIELDS),
            "agreement.transition": frozenset({"status", "on", "signed_on"}),
            "agreement.amendment_add": frozenset({"number", "signed_on", "summary"}),
            "agreement.commitment_add": frozenset({"party", "number", "text", "area"}),
            "agreement.signatory_add": frozenset({"side", "charge", "name"}),
            "agreement.commitment_update": frozenset(COMMITMENT_FIELDS),
            "agreement.goal_add": goal,
            "agreement.goal_update": goal,
        },
    )


def register_history_labels():
    """How this app's events read on history pages."""
    from django.utils.translation import gettext_lazy as _

    from transversal.agreements.models import Agreement
    from transversal.audit.registry import register_fields, register_verbs

    register_verbs(
        {
            "agreement.create": _("creó el convenio"),
            "agreement.update": _("cambió los datos del convenio"),
            "agreement.transition": _("cambió el estado del convenio"),
            "agreement.amendment_add": _("registró un convenio modificatorio"),
            "agreement.commitment_add": _("agregó un compromiso"),
            "agreement.signatory_add": _("registró a quien firma"),
            "agreement.commitment_update": _("cambió un compromiso"),
            "agreement.goal_add": _("agregó una meta"),
            "agreement.goal_update": _("cambió una meta"),
            "agreement.assistance_record": _("registró una asistencia técnica"),
        }
    )
    register_fields(
        Agreement,
        labels={"on": _("fecha del cambio de estado")},
        expand={"emphasis_areas": _emphasis_areas_change},
    )


def _emphasis_areas_change(old, new):
    from django.utils.text import capfirst

    from transversal.agreements.models import Agreement, EmphasisArea

    labels = dict(EmphasisArea.choices)
    field = Agreement._meta.get_field("emphasis_areas")
    return [
        (
            capfirst(field.verbose_name),
            [labels.get(v, v) for v in old or []],
            [labels.get(v, v) for v in new or []],
        )
    ]
