from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "transversal.coordination"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from transversal.audit.registry import register_fields, register_history, register_verbs
        from transversal.coordination.models import Resolution, Session, System
        from transversal.followup.registry import Subject, register_subject

        register_subject(
            "acuerdo",
            Subject(
                label=_("Acuerdo"),
                related="resolution",
                url=lambda item: reverse("coordination:resolution", args=[item.resolution.code]),
            ),
        )
        register_verbs(
            {
                "system.create": _("registró el sistema"),
                "system.update": _("cambió los datos del sistema"),
                "system.member_add": _("agregó un integrante al sistema"),
                "system.member_end": _("registró la baja de un integrante"),
                "system.commission_add": _("agregó una comisión o grupo de trabajo"),
                "session.schedule": _("programó la sesión"),
                "session.agenda_add": _("agregó un punto al orden del día"),
                "session.attendance": _("registró la asistencia"),
                "session.hold": _("registró la sesión como celebrada"),
                "session.cancel": _("canceló la sesión"),
                "session.minutes_upload": _("subió el acta firmada"),
                "session.reopen": _("reabrió la sesión para corregirla"),
                "resolution.add": _("registró el acuerdo"),
                "resolution.link": _("vinculó el acuerdo con planes, metas o indicadores"),
            }
        )
        register_fields(
            System,
            labels={
                "member": _("integrante"),
                "joined_on": _("integrante desde"),
                "left_on": _("integrante hasta"),
                "commission": _("comisión o grupo de trabajo"),
            },
        )
        register_fields(
            Session,
            labels={
                "session": _("sesión"),
                "agenda": _("punto del orden del día"),
                "present": _("personas integrantes presentes"),
                "minutes": _("acta firmada"),
            },
        )
        register_fields(
            Resolution,
            labels={
                "text": _("texto"),
                "owner": _("institución responsable"),
                "due_date": _("fecha compromiso"),
                "plan_items": _("elementos de plan"),
                "goals": _("metas de convenio"),
                "indicators": _("indicadores"),
            },
        )
        register_history("sistema", system_history)
        register_history("sesion", session_history)
        register_history("acuerdo", resolution_history)


def system_history(user, code):
    """The system's events (members, commissions) and those of its sessions."""
    from transversal.audit.registry import events_for_parts
    from transversal.coordination.access import get_system_for_user
    from transversal.coordination.models import Session

    system, _scope = get_system_for_user(user, code)
    sessions = system.sessions.values_list("pk", flat=True)
    return system, events_for_parts(system, [(Session, sessions)])


def session_history(user, code):
    from transversal.audit.registry import events_for
    from transversal.coordination.access import get_session_for_user

    session, _scope = get_session_for_user(user, code)
    return session, events_for(session)


def resolution_history(user, code):
    """The acuerdo's events and its follow-up's (progress, evidence, verification)."""
    from transversal.audit.registry import events_for_parts
    from transversal.coordination.access import get_resolution_for_user
    from transversal.followup.models import FollowUp

    resolution, _scope = get_resolution_for_user(user, code)
    return resolution, events_for_parts(resolution, [(FollowUp, [resolution.followup_id])])
