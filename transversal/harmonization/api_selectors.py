"""Reads for the public outputs of the harmonization matrix (the REST API and the open data).

The matrix is public. A cell's status is published only with its citation (instrument and
article, or gazette and publication date): any other cell is published as «sin verificar»,
without a status and without the parts of a citation it may have (an invented demo status is
never published either). Each read costs a fixed number of queries.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch, Q, QuerySet

from transversal.harmonization.models import UNVERIFIED, Cell, Provision, Status

CITED = (Q(instrument__gt="") & Q(article__gt="")) | (
    Q(gazette__gt="") & Q(published_on__isnull=False)
)


class PublishedStatus(models.TextChoices):
    HARMONIZED = Status.HARMONIZED.value, Status.HARMONIZED.label
    PARTIAL = Status.PARTIAL.value, Status.PARTIAL.label
    PENDING = Status.PENDING.value, Status.PENDING.label
    NOT_APPLICABLE = Status.NOT_APPLICABLE.value, Status.NOT_APPLICABLE.label
    UNVERIFIED = UNVERIFIED, "Sin verificar"


def public_cells(*, state: str | None = None, status: str | None = None) -> QuerySet[Cell]:
    cells = Cell.objects.select_related("state").order_by("state__code")
    if state:
        cells = cells.filter(state__code=state)
    if status == UNVERIFIED:
        cells = cells.exclude(CITED)
    elif status:
        cells = cells.filter(CITED, status=status)
    return cells


def public_provisions(
    *, provision: str | None = None, state: str | None = None, status: str | None = None
) -> QuerySet[Provision]:
    """Active provisions, each with ``public_cells``: its cells, filtered (two queries)."""
    provisions = (
        Provision.objects.filter(is_active=True)
        .order_by("order", "slug")
        .prefetch_related(
            Prefetch("cells", queryset=public_cells(state=state, status=status), to_attr="public")
        )
    )
    if provision:
        provisions = provisions.filter(slug=provision)
    return provisions


def open_data_cells() -> QuerySet[Cell]:
    """Every cell of an active provision, in matrix order, for the open-data file."""
    return Cell.objects.filter(provision__is_active=True).order_by(
        "provision__order", "provision__slug", "state__code"
    )
