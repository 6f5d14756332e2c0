"""Who may read or change an indicator: its owner institution's rules (see accounts.access)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from transversal.accounts.access import READ, Granted, authorize, scope_for
from transversal.core.access import not_found
from transversal.core.codes import is_uuid
from transversal.monitoring.models import Indicator, ProgressUpdate, ReportingPeriod


def get_indicator_for_user(user, code: str, action: str = READ) -> Granted[Indicator]:
    """The indicator after the access check.

    Public indicators can be read by anyone; the rest only by the owner's members
    and national coordinators (others get 404). Writes need the edit role (403).
    """
    indicator = (
        Indicator.objects.select_related("owner__state")
        .prefetch_related("owner__names")
        .filter(code=code)
        .first()
        if is_uuid(code)
        else None
    )
    if indicator is None:
        raise not_found()
    if action == READ and indicator.is_public:
        return Granted(indicator, scope_for(user))
    return Granted(indicator, authorize(user, indicator.owner, action))


def get_update_for_user(user, code: str, action: str = READ) -> Granted[ProgressUpdate]:
    """A progress update (with period, indicator and owner) after the access check.

    Updates are never public through this helper: the portal shows approved values
    of public indicators through its own selectors.
    """
    update = (
        ProgressUpdate.objects.select_related(
            "period__indicator__owner__state", "created_by", "reviewed_by"
        )
        .filter(code=code)
        .first()
        if is_uuid(code)
        else None
    )
    if update is None:
        raise not_found()
    return Granted(update, authorize(user, update.period.indicator.owner, action))


def get_period_for_user(
    user, indicator_code: str, label: str, action: str = READ
) -> Granted[ReportingPeriod]:
    indicator, scope = get_indicator_for_user(user, indicator_code, action)
    if action == READ and indicator.is_public:
        # Reading a period's report is for members even when the indicator is public.
        scope = authorize(user, indicator.owner, READ)
    period = indicator.periods.filter(label=label).first()
    if period is None:
        raise Http404(
            _("El periodo «%(label)s» no está en el calendario de este indicador.")
            % {"label": label[:20]}
        )
    period.indicator = indicator
    return Granted(period, scope)
