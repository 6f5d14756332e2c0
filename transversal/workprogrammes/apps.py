from django.apps import AppConfig


class WorkProgrammesConfig(AppConfig):
    name = "transversal.workprogrammes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_history, register_verbs
        from transversal.followup.registry import Subject, register_subject
        from transversal.monitoring.services import on_approval
        from transversal.workprogrammes import services
        from transversal.workprogrammes.models import AssistanceRequest, ReportStatus, WorkProgramme

        register_subject(
            "asistencia",
            Subject(
                label=_("Solicitud de asistencia técnica"),
                related="assistance_request__agreement",
                url=lambda item: reverse(
                    "workprogrammes:request", args=[item.assistance_request.code]
                ),
            ),
        )
        on_approval(services.relock_after_correction)
        register_reminders()
        register_worklist()
        register_verbs(
            {
                "programme.create": _("abrió el programa de trabajo"),
                "programme.line_add": _("agregó una meta al programa"),
                "programme.line_change": _("cambió una meta del programa"),
                "programme.line_remove": _("quitó una meta del programa"),
                "programme.propose": _("propuso el programa a la institución nacional"),
                "programme.observe": _("observó el programa"),
                "programme.correct": _("envió el programa corregido"),
                "programme.validate": _("validó el programa"),
                "programme.start": _("puso el programa en ejecución"),
                "report.create": _("comenzó el informe trimestral"),
                "report.save": _("guardó el informe trimestral"),
                "report.send": _("envió el informe trimestral"),
                "report.acknowledge": _("acusó de recibido el informe trimestral"),
                "report.observe": _("observó el informe trimestral"),
                "programme.refund": _("registró el reintegro de recursos"),
                "programme.minutes": _("subió el acta de cierre"),
                "programme.close": _("cerró el programa de trabajo"),
                "assistance.request": _("solicitó asistencia técnica"),
                "assistance.link": _("vinculó la asistencia técnica brindada"),
            }
        )
        register_fields(
            WorkProgramme,
            labels={
                "stage": _("etapa"),
                "goal": _("meta"),
                "quarter": _("trimestre"),
                "status": _("estado del informe"),
                "narrative": _("narrativa"),
                "minutes": _("acta de cierre"),
            },
            key_label=_report_key_label,
            key_field=_report_key_value_field,
            choices={"status": ReportStatus.choices},
        )
        register_fields(
            AssistanceRequest,
            labels={
                "topic": _("tema"),
                "goals": _("metas"),
                "commitments": _("compromisos"),
                "assistance": _("asistencia brindada"),
            },
        )
        register_history("programa", programme_history)
        register_history("solicitud-asistencia", request_history)


def register_reminders() -> None:
    """The quarterly reports due and the decisions waiting join the daily reminder e-mail."""
    from transversal.monitoring.reminders import ReminderSource, register_source
    from transversal.workprogrammes import reminders

    register_source(
        ReminderSource(
            item_type=reminders.ProgrammeDue,
            due=reminders.reminders_due,
            message_lines=reminders.message_lines,
            reason=reminders.reason,
            subject=reminders.subject,
        )
    )


def register_worklist() -> None:
    """The reports due, the observations to answer and the decisions waiting join «Mis
    pendientes»."""
    from transversal.monitoring.worklist import register_source
    from transversal.workprogrammes import worklist

    register_source(worklist.work)


def _report_key_label(key: str):
    """A programme line's change is keyed by its field ("planned_q1"); a report line's by
    "<goal number>:<field>"."""
    from django.utils.translation import gettext as _

    found = _report_key_field(key)
    if found is None:
        return None
    number, field = found
    if number is None:
        return field.verbose_name
    return f"{_('Meta %(n)s') % {'n': number}} · {field.verbose_name}"


def _report_key_value_field(key: str):
    """The field whose kind formats the key's values (an amount, a percentage)."""
    found = _report_key_field(key)
    return found[1] if found else None


def _report_key_field(key: str):
    """(goal number or None, model field) of a programme or report line's change key."""
    from django.core.exceptions import FieldDoesNotExist

    from transversal.workprogrammes.models import ProgrammeLine, ReportLine
    from transversal.workprogrammes.services import LINE_FIELDS

    if key in LINE_FIELDS:
        return None, ProgrammeLine._meta.get_field(key)
    number, _sep, name = key.partition(":")
    if not number.isdigit() or not name:
        return None
    for model in (ReportLine, ProgrammeLine):
        try:
            return number, model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def programme_history(user, code):
    from transversal.audit.registry import events_for
    from transversal.workprogrammes.access import get_programme_for_user

    programme, _scope = get_programme_for_user(user, code)
    return programme, events_for(programme)


def request_history(user, code):
    from transversal.audit.registry import events_for_parts
    from transversal.followup.models import FollowUp
    from transversal.workprogrammes.access import get_request_for_user

    request, _scope = get_request_for_user(user, code)
    return request, events_for_parts(request, [(FollowUp, [request.followup_id])])
