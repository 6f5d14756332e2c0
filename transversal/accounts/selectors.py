"""Reads about people that other apps share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from transversal.accounts.models import Membership, Role

# Who is told about what an institution has to do: the people who capture and manage its work.
REMINDER_ROLES = (Role.EDITOR, Role.ADMIN)


def reminder_recipients(
    institution_ids: Iterable[int], roles: Iterable[str] = REMINDER_ROLES
) -> dict[int, list[str]]:
    """The e-mail addresses of each institution's members in ``roles`` (by default its editors
    and admins; active memberships, active accounts with an address), sorted; one query."""
    rows = (
        Membership.objects.filter(
            institution_id__in=set(institution_ids),
            is_active=True,
            role__in=list(roles),
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("institution_id", "user__email")
        .order_by("institution_id", "user__email")
    )
    recipients: dict[int, list[str]] = defaultdict(list)
    for institution_id, email in rows:
        if email not in recipients[institution_id]:
            recipients[institution_id].append(email)
    return recipients
