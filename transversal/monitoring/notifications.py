"""E-mails about progress updates, each also kept on the site as a notice ("Avisos"). Called
after the transaction commits, never inside it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from transversal.accounts.models import Membership, Role
from transversal.accounts.services import notifications_send


def _path(update) -> str:
    return reverse("monitoring:update", args=[update.code])


def _link(update) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + _path(update)


def reviewers_of(institution) -> list[str]:
    return list(
        Membership.objects.filter(
            institution=institution,
            is_active=True,
            role__in=[Role.REVIEWER, Role.ADMIN],
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )


def update_submitted(update) -> None:
    recipients = reviewers_of(update.period.indicator.owner)
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Avance enviado a revisión: %(indicator)s, %(period)s") % {
            "indicator": update.period.indicator.name[:80],
            "period": update.period.display,
        }
        body = _(
            "Se envió a revisión el avance de «%(indicator)s» del periodo %(period)s.\n\n"
            "Revíselo en: %(link)s\n"
        ) % {
            "indicator": update.period.indicator.name,
            "period": update.period.display,
            "link": _link(update),
        }
    notifications_send(recipients=recipients, subject=subject, body=body, url=_path(update))
    send_mass_mail([(subject, body, None, [email]) for email in recipients])


def update_reviewed(update) -> None:
    """Tell whoever captured the update that it was returned or approved."""
    recipient = update.created_by.email if update.created_by else None
    if not recipient:
        return
    with translation.override(settings.LANGUAGE_CODE):
        outcome = update.get_status_display().lower()
        subject = _("Su avance fue %(outcome)s: %(indicator)s, %(period)s") % {
            "outcome": outcome,
            "indicator": update.period.indicator.name[:80],
            "period": update.period.display,
        }
        last = update.comments.order_by("-created_at", "-id").first()
        body = _(
            "El avance de «%(indicator)s» del periodo %(period)s fue %(outcome)s.\n"
            "%(comment)s\nVéalo en: %(link)s\n"
        ) % {
            "indicator": update.period.indicator.name,
            "period": update.period.display,
            "outcome": outcome,
            "comment": (_("Observación: %(text)s\n") % {"text": last.text}) if last else "",
            "link": _link(update),
        }
    notifications_send(recipients=[recipient], subject=subject, body=body, url=_path(update))
    send_mass_mail([(subject, body, None, [recipient])])
