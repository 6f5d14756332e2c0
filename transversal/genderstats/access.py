"""Who keeps the gender statistics.

The figures are public: anyone reads them on the portal. Signed in, every member reads the
catalogue and the imports; only the national coordination (national admins and editors)
registers sources and indicators and imports values. A state member who tries gets 403; a
signed-in person with no membership, 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope, scope_for
from transversal.accounts.models import Role
from transversal.core.access import forbidden, not_found
from transversal.core.codes import is_uuid
from transversal.genderstats.models import ContextIndicator, StatImport, StatSource

MANAGER_ROLES = frozenset({Role.ADMIN, Role.EDITOR})


def can_manage(scope: Scope) -> bool:
    return bool(scope.national_roles & MANAGER_ROLES)


def reader_scope(user) -> Scope:
    """Any member reads the catalogue; someone with no membership does not know it exists."""
    scope = scope_for(user)
    if not scope.roles and not scope.is_national:
        raise not_found()
    return scope


def manager_scope(user) -> Scope:
    scope = reader_scope(user)
    if not can_manage(scope):
        raise forbidden()
    return scope


def get_source(user, slug: str, *, manage: bool = False) -> StatSource:
    scope = manager_scope(user) if manage else reader_scope(user)
    source = StatSource.objects.filter(slug=str(slug)[:60]).first()
    if source is None:
        raise not_found()
    source.can_manage = can_manage(scope)
    return source


def get_indicator(user, slug: str, *, manage: bool = False) -> ContextIndicator:
    scope = manager_scope(user) if manage else reader_scope(user)
    indicator = (
        ContextIndicator.objects.select_related("source").filter(slug=str(slug)[:80]).first()
    )
    if indicator is None:
        raise not_found()
    indicator.can_manage = can_manage(scope)
    return indicator


class ImportGone(Http404):
    """A member who imports asks for an import that is not there. A discarded preview, an
    expired one and an address that never held one look alike, so the message tells nothing
    the member could not already see (every import is theirs to see); everyone else gets the
    plain ``not_found``."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "No hay ninguna importación en esta dirección: si era una vista previa, se "
                "descartó o venció, y no se importó nada de ella."
            )
        )


def get_import(user, code, *, manage: bool = False) -> StatImport:
    scope = manager_scope(user) if manage else reader_scope(user)
    found = (
        StatImport.objects.select_related("uploaded_by").filter(code=code).first()
        if is_uuid(str(code))
        else None
    )
    if found is None:
        raise ImportGone() if can_manage(scope) else not_found()
    return found
