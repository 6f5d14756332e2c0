"""Writing the search index: each source object becomes one ``SearchEntry``.

Derived data, like the stored traffic lights: the rows are computed from the source tables and
can be rebuilt at any moment (``rebuild``, ``manage.py search_reindex``), so nothing here is
audited. The source apps sit below this one and cannot call it; ``signals.py`` listens to their
saves and deletes instead (see there for the writes that send no signal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet

from transversal.agreements.models import PUBLIC_STATUSES, Agreement, Goal
from transversal.institutions.models import Institution, display_name
from transversal.monitoring.models import Indicator
from transversal.planning.models import Plan, PlanItem, PlanStatus
from transversal.search.models import Kind, SearchEntry
from transversal.search.text import document_terms

BATCH = 2000
TITLE_LENGTH = 300
SUMMARY_LENGTH = 200

UPDATED_FIELDS = [
    "parent_id",
    "code",
    "parent_code",
    "title",
    "summary",
    "title_terms",
    "body_terms",
    "institution",
    "state",
    "is_public",
]


def _cut(text: str, length: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


# One builder per kind: the source rows with what their entries need, and the entry of a row.


def _indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("owner").only(
        "code", "name", "definition", "numerator_label", "denominator_label", "data_source",
        "unit", "is_public", "owner__state_id",
    )  # fmt: skip


def _indicator_entry(indicator: Indicator) -> SearchEntry:
    return SearchEntry(
        kind=Kind.INDICATOR,
        object_id=indicator.pk,
        code=str(indicator.code),
        title=_cut(indicator.name, TITLE_LENGTH),
        summary=_cut(indicator.definition, SUMMARY_LENGTH),
        title_terms=document_terms(indicator.name),
        body_terms=document_terms(
            indicator.definition,
            indicator.numerator_label,
            indicator.denominator_label,
            indicator.data_source,
            indicator.unit,
        ),
        institution_id=indicator.owner_id,
        state_id=indicator.owner.state_id,
        is_public=indicator.is_public,
    )


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.only(
        "code", "title", "purpose", "round", "status", "state_id", "state_institution_id"
    )


def _agreement_entry(agreement: Agreement) -> SearchEntry:
    return SearchEntry(
        kind=Kind.AGREEMENT,
        object_id=agreement.pk,
        code=str(agreement.code),
        title=_cut(agreement.title, TITLE_LENGTH),
        summary=_cut(agreement.purpose, SUMMARY_LENGTH),
        title_terms=document_terms(agreement.title),
        body_terms=document_terms(agreement.purpose, agreement.round),
        institution_id=agreement.state_institution_id,
        state_id=agreement.state_id,
        is_public=agreement.status in PUBLIC_STATUSES,
    )


def _goals() -> QuerySet[Goal]:
    return Goal.objects.select_related("agreement").only(
        "code", "number", "description", "agreement__code", "agreement__title",
        "agreement__status", "agreement__state_id", "agreement__state_institution_id",
    )  # fmt: skip


def _goal_entry(goal: Goal) -> SearchEntry:
    agreement = goal.agreement
    return SearchEntry(
        kind=Kind.GOAL,
        object_id=goal.pk,
        parent_id=agreement.pk,
        code=str(goal.code),
        parent_code=str(agreement.code),
        title=_cut(f"{goal.number}. {goal.description}", TITLE_LENGTH),
        summary=_cut(agreement.title, SUMMARY_LENGTH),
        title_terms=document_terms(goal.description),
        body_terms="",
        institution_id=agreement.state_institution_id,
        state_id=agreement.state_id,
        is_public=agreement.status in PUBLIC_STATUSES,
    )


def _plans() -> QuerySet[Plan]:
    return Plan.objects.only(
        "code", "kind", "title", "issuer_name", "status", "state_id", "institution_id",
        "start_year", "end_year",
    )  # fmt: skip


def _plan_entry(plan: Plan) -> SearchEntry:
    summary = " · ".join(part for part in (str(plan.get_kind_display()), plan.period) if part)
    return SearchEntry(
        kind=Kind.PLAN,
        object_id=plan.pk,
        code=plan.code,
        title=_cut(plan.title, TITLE_LENGTH),
        summary=_cut(summary, SUMMARY_LENGTH),
        title_terms=document_terms(plan.title),
        body_terms=document_terms(plan.issuer_name),
        # A plan kept by no institution is national: only national members read its draft.
        institution_id=plan.institution_id,
        state_id=plan.state_id,
        is_public=plan.status != PlanStatus.DRAFT,
    )


def _items() -> QuerySet[PlanItem]:
    return PlanItem.objects.select_related("plan").only(
        "code", "text", "note", "plan__code", "plan__title", "plan__status", "plan__state_id",
        "plan__institution_id",
    )  # fmt: skip


def _item_entry(item: PlanItem) -> SearchEntry:
    plan = item.plan
    return SearchEntry(
        kind=Kind.PLAN_ITEM,
        object_id=item.pk,
        parent_id=plan.pk,
        code=str(item.pk),
        parent_code=plan.code,
        title=_cut(f"{item.code} {item.text}".strip(), TITLE_LENGTH),
        summary=_cut(plan.title, SUMMARY_LENGTH),
        title_terms=document_terms(item.code, item.text),
        body_terms=document_terms(item.note),
        institution_id=plan.institution_id,
        state_id=plan.state_id,
        is_public=plan.status != PlanStatus.DRAFT,
    )


def _institutions() -> QuerySet[Institution]:
    return Institution.objects.select_related("state").prefetch_related("names")


def _institution_entry(institution: Institution) -> SearchEntry:
    names = institution._ordered_names()
    spelled = [text for name in names for text in (name.name, name.acronym) if text]
    return SearchEntry(
        kind=Kind.INSTITUTION,
        object_id=institution.pk,
        code=institution.slug,
        title=_cut(display_name(institution), TITLE_LENGTH),
        summary=_cut(institution.get_kind_display(), SUMMARY_LENGTH),
        title_terms=document_terms(*spelled, institution.slug),
        body_terms=document_terms(institution.mission, institution.vision),
        institution_id=institution.pk,
        state_id=institution.state_id,
        is_public=True,  # institution profiles are public pages
    )


@dataclass(frozen=True)
class Source:
    rows: Callable[[], QuerySet]
    entry: Callable[..., SearchEntry]


SOURCES: dict[str, Source] = {
    Kind.INDICATOR: Source(_indicators, _indicator_entry),
    Kind.AGREEMENT: Source(_agreements, _agreement_entry),
    Kind.GOAL: Source(_goals, _goal_entry),
    Kind.PLAN: Source(_plans, _plan_entry),
    Kind.PLAN_ITEM: Source(_items, _item_entry),
    Kind.INSTITUTION: Source(_institutions, _institution_entry),
}


# Writing.


def _upsert(entries: list[SearchEntry]) -> None:
    if entries:
        SearchEntry.objects.bulk_create(
            entries,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["kind", "object_id"],
            update_fields=UPDATED_FIELDS,
        )


def _batches(rows: QuerySet, size: int = BATCH) -> Iterator[list]:
    batch = []
    for row in rows.order_by("pk").iterator(chunk_size=size):
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_objects(kind: str, ids: Iterable[int]) -> None:
    """Write the entries of these objects of ``kind`` as they are now; drop those of objects
    that no longer exist."""
    ids = set(ids)
    if not ids:
        return
    source = SOURCES[kind]
    found = set()
    for batch in _batches(source.rows().filter(pk__in=ids)):
        _upsert([source.entry(row) for row in batch])
        found.update(row.pk for row in batch)
    unindex(kind, ids - found)


def unindex(kind: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()


def index_children(kind: str, parent_id: int) -> None:
    """Every goal of an agreement or item of a plan, as they are now (and none that is gone)."""
    source = SOURCES[kind]
    parent = "agreement_id" if kind == Kind.GOAL else "plan_id"
    found = set()
    for batch in _batches(source.rows().filter(**{parent: parent_id})):
        _upsert([source.entry(row) for row in batch])
        found.update(row.pk for row in batch)
    SearchEntry.objects.filter(kind=kind, parent_id=parent_id).exclude(object_id__in=found).delete()


def follow_parent(kind: str, parent_id: int, *, institution_id, state_id, is_public) -> None:
    """The children's visibility and place follow their parent's: one UPDATE."""
    SearchEntry.objects.filter(kind=kind, parent_id=parent_id).update(
        institution_id=institution_id, state_id=state_id, is_public=is_public
    )


@dataclass
class RebuildResult:
    written: dict[str, int]
    removed: int


@transaction.atomic
def rebuild(log: Callable[[str], None] = lambda _: None) -> RebuildResult:
    """Every entry from the source tables: written again, and those of objects that no longer
    exist removed. Running it twice leaves the same index."""
    written: dict[str, int] = {}
    removed = 0
    for kind, source in SOURCES.items():
        seen: set[int] = set()
        for batch in _batches(source.rows()):
            _upsert([source.entry(row) for row in batch])
            seen.update(row.pk for row in batch)
        stale = (
            set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True)) - seen
        )
        stale_ids = sorted(stale)
        for start in range(0, len(stale_ids), BATCH):
            chunk = stale_ids[start : start + BATCH]
            removed += SearchEntry.objects.filter(kind=kind, object_id__in=chunk).delete()[0]
        written[kind] = len(seen)
        log(f"{Kind(kind).label}: {len(seen):,}")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows how selective the GIN index is.
            cursor.execute("ANALYZE search_searchentry")
        elif connection.vendor == "sqlite":
            # One b-tree instead of the segments that writes leave behind: faster queries.
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return RebuildResult(written, removed)
