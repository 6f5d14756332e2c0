"""The findings the system proposed in «Mis pendientes» (``monitoring.worklist``, below this
app: registered at start-up with ``register_source``).

A proposal (a red light held over two approved periods) waits for a person to accept it or
dismiss it with a reason. It is listed for those who may decide (``access.deciding_institution_
ids``: the finding's institution's editors, reviewers and admins, and the national reviewers
and admins for every institution), never for read-only members nor other states. Each row opens
the finding at its decision; once decided it leaves the list.

ASM are not listed here: each is a follow-up item, and the overdue ones already reach «Mis
pendientes» of their responsible institutions through ``followup.selectors.overdue_items``.

Reads only: one query (two when more than :data:`ROWS` wait), none for a person who decides
nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope
from transversal.core.templatetags.transversal import format_mx
from transversal.improvement.access import deciding_institution_ids
from transversal.improvement.models import Finding, FindingStatus
from transversal.monitoring.worklist import PeriodStatus, RowStatus, WorkGroup, WorkRow, WorkTile

GROUP = "mejora"  # the group's anchor on the work list
DECISION_ANCHOR = "decidir"  # the finding page's decision heading


class Kind:
    TO_DECIDE = "hallazgos-por-decidir"


ROWS = 50  # the oldest proposals listed; the tile counts them all


def proposals_awaiting(scope: Scope) -> QuerySet[Finding]:
    """The proposals the person may decide on, oldest first (none when the person decides on no
    institution's findings)."""
    ids = deciding_institution_ids(scope)
    if ids == []:
        return Finding.objects.none()
    proposals = Finding.objects.filter(status=FindingStatus.PROPOSED)
    if ids is not None:
        proposals = proposals.filter(institution_id__in=ids)
    return proposals.select_related("institution__state").order_by("created_at", "pk")


def _row(finding: Finding) -> WorkRow:
    return WorkRow(
        kind=Kind.TO_DECIDE,
        title=_("%(label)s: acepte o descarte el hallazgo propuesto · %(text)s")
        % {"label": finding.label, "text": Truncator(finding.text).chars(200)},
        url=f"{reverse('improvement:finding', args=[finding.code])}#{DECISION_ANCHOR}",
        status=RowStatus(PeriodStatus.SUBMITTED, str(FindingStatus.PROPOSED.label)),
        date=timezone.localdate(finding.created_at),
        date_label=_("desde el"),
        state=finding.institution.state.short_name if finding.institution.state else "",
        is_synthetic=finding.is_synthetic,
    )


def work(scope: Scope, today: dt.date) -> WorkGroup | None:
    """The person's proposals to decide on, or None when there are none (a person who may not
    decide, or nothing proposed in their institutions). The oldest :data:`ROWS` are listed; a
    second query counts them all only when there are more."""
    proposals = proposals_awaiting(scope)
    found = list(proposals[: ROWS + 1])
    if not found:
        return None
    count = len(found) if len(found) <= ROWS else proposals.count()
    rows = [_row(finding) for finding in found[:ROWS]]
    note = ""
    if count > ROWS:
        note = _(
            "Se listan los %(shown)s hallazgos propuestos más antiguos de %(count)s; al decidir "
            "uno, el siguiente ocupa su lugar."
        ) % {"shown": format_mx(ROWS), "count": format_mx(count)}
    tile = WorkTile(Kind.TO_DECIDE, _("Hallazgos propuestos por decidir"), count)
    return WorkGroup(GROUP, _("Mejora continua"), [tile], rows, note=note)
