"""The findings the system proposed in «Mis pendientes» (``monitoring.worklist``, below this
app: registered at start-up with ``register_source``).

A proposal (a red light held over two approved periods) waits for a person to accept it or
dismiss it with a reason. It is listed for those who may decide (``access.deciding_institution_
ids``: the finding's institution's editors, reviewers and admins, and the national reviewers
and admins for every institution), never for read-only members nor other states. Each row opens
the finding at its decision; once decided it leaves the list.

ASM are not listed here: each is a follow-up item, and the overdue ones already reach «Mis
pendientes» of their responsible institutions through ``followup.selectors.overdue_items``.

Reads only: one query whatever the number of proposals, none for a person who decides nothing.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from transversal.accounts.access import Scope
from transversal.improvement.access import deciding_institution_ids
from transversal.improvement.models import Finding, FindingStatus
from transversal.monitoring.worklist import PeriodStatus, RowStatus, WorkGroup, WorkRow, WorkTile

GROUP = "mejora"  # the group's anchor on the work list
DECISION_ANCHOR = "decidir"  # the finding page's decision heading


class Kind:
    TO_DECIDE = "hallazgos-por-decidir"


def proposals_awaiting(scope: Scope) -> list[Finding]:
    """The proposals the person may decide on, oldest first (one query; none when the person
    decides on no institution's findings)."""
    ids = deciding_institution_ids(scope)
    if ids == []:
        return []
    proposals = Finding.objects.filter(status=FindingStatus.PROPOSED)
    if ids is not None:
        proposals = proposals.filter(institution_id__in=ids)
    return list(proposals.select_related("institution__state").order_by("created_at", "pk"))


def _row(finding: Finding) -> WorkRow:
    return WorkRow(
        kind=Kind.TO_DECIDE,
        title=_("%(label)s: acepte o descarte el hallazgo propuesto · %(text)s")
        % {"label": finding.label, "text": Truncator(finding.text).chars(120)},
        url=f"{reverse('improvement:finding', args=[finding.code])}#{DECISION_ANCHOR}",
        status=RowStatus(PeriodStatus.SUBMITTED, str(FindingStatus.PROPOSED.label)),
        date=timezone.localdate(finding.created_at),
        date_label=_("propuesto el"),
        state=finding.institution.state.short_name if finding.institution.state else "",
        is_synthetic=finding.is_synthetic,
    )


def work(scope: Scope, today: dt.date) -> WorkGroup | None:
    """The person's proposals to decide on, or None when there are none (a person who may not
    decide, or nothing proposed in their institutions)."""
    rows = [_row(finding) for finding in proposals_awaiting(scope)]
    if not rows:
        return None
    tile = WorkTile(Kind.TO_DECIDE, _("Hallazgos propuestos por decidir"), len(rows))
    return WorkGroup(GROUP, _("Mejora continua"), [tile], rows)
