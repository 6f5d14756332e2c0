"""Who may read or change an indicator: its owner institution's rules (see accounts.access)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from transversal.accounts.access import EDIT, READ, authorize, can_do, scope_for
from transversal.monitoring.models import Indicator


def get_indicator_for_user(user, code: str, action: str = READ) -> tuple[Indicator, bool]:
    """The indicator after the access check, and whether the person may edit it.

    Public indicators can be read by anyone; the rest only by the owner's members
    and national coordinators (others get 404). Writes need the edit role (403).
    """
    indicator = (
        Indicator.objects.select_related("owner__state").prefetch_related("owner__names").filter(code=code).first()
        if _is_uuid(code)
        else None
    )
    if indicator is None:
        raise Http404(_("No se encontró lo que busca o no tiene acceso."))
    if action == READ and indicator.is_public:
        return indicator, can_do(scope_for(user), indicator.owner, EDIT)
    scope = authorize(user, indicator.owner, action)
    return indicator, can_do(scope, indicator.owner, EDIT)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
