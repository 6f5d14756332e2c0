"""Who may read or write register entries.

The tenant is the institution that records the entry: its members and the national
institution read; its editors and admins write. Outsiders get 404, read-only members 403.
"""

from __future__ import annotations

from django.db.models import QuerySet

from transversal.accounts.access import EDIT, READ, Granted, Scope, authorize, can_do, scope_for
from transversal.core.access import not_found
from transversal.core.codes import is_uuid
from transversal.registers.models import REGISTER_MODELS, RegisterEntry


def model_for(register: str) -> type[RegisterEntry]:
    """The register's model, or 404 for an unknown register name in a URL."""
    model = REGISTER_MODELS.get(register)
    if model is None:
        raise not_found()
    return model


def can_write(scope: Scope, institution) -> bool:
    return can_do(scope, institution, EDIT)


def readable_entries(scope: Scope, register: str) -> QuerySet:
    """The entries of one register the person may read (every state's for national members)."""
    model = model_for(register)
    entries = model.objects.select_related("institution__state")
    if scope.is_national:
        return entries
    return entries.filter(institution_id__in=list(scope.institution_ids()))


def get_entry_for_user(user, register: str, code, action: str = READ) -> Granted[RegisterEntry]:
    model = model_for(register)
    entry = (
        model.objects.select_related("institution__state").filter(code=code).first()
        if is_uuid(str(code))
        else None
    )
    if entry is None:
        raise not_found()
    scope = authorize(user, entry.institution, action)
    return Granted(entry, scope)


def writable_institutions(user) -> list:
    """The institutions for which the person may record entries (their editor roles)."""
    from transversal.accounts.models import Role
    from transversal.institutions.models import Institution

    scope = scope_for(user)
    ids = [pk for pk, role in scope.roles.items() if role in (Role.ADMIN, Role.EDITOR)]
    return list(Institution.objects.with_names().filter(pk__in=ids).order_by("state__code", "slug"))
