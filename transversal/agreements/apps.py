from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "transversal.agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import register_history

        register_history("convenio", agreement_history)


def agreement_history(user, code):
    """The agreement's own events and those of its amendments, commitments and goals."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q
    from django.http import Http404

    from transversal.agreements.access import can_read_agreement, get_agreement_for_user
    from transversal.agreements.models import Agreement, AgreementAmendment, Commitment, Goal
    from transversal.audit.models import AuditEvent

    agreement, scope = get_agreement_for_user(user, code)
    if not can_read_agreement(scope, agreement):
        raise Http404
    query = Q(target_type=ContentType.objects.get_for_model(Agreement), target_id=str(agreement.pk))
    for model, related in ((AgreementAmendment, "amendments"), (Commitment, "commitments"), (Goal, "goals")):
        ids = [str(pk) for pk in getattr(agreement, related).values_list("pk", flat=True)]
        if ids:
            query |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    return agreement, AuditEvent.objects.filter(query)
