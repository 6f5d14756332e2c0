from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "transversal.agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import register_history

        register_history("convenio", agreement_history, agreement_publicity())


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
            "agreement.commitment_update": frozenset(COMMITMENT_FIELDS),
            "agreement.goal_add": goal,
            "agreement.goal_update": goal,
        },
    )
