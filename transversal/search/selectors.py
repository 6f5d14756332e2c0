"""Reads of the search index: what this person may find, counted by kind, one page at a time.

Who may find an entry is the rule of the object's own page (``accounts.access``,
``monitoring.selectors.indicators_for``, ``agreements.selectors.visible_agreements``,
``planning.selectors.visible_plans``), stored on each entry as ``is_public`` and
``institution``: national members find everything, members also what belongs to their
institutions, everyone else only what is public. Nothing private is counted for someone who
may not read it. ``tests/test_visibility.py`` compares the two for every persona.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse

from transversal.accounts.access import Scope
from transversal.search import engines
from transversal.search.models import KIND_ORDER, Kind, SearchEntry
from transversal.search.text import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, Term, query_terms, words

PAGE_SIZE = 20


def visible_entries(scope: Scope) -> QuerySet[SearchEntry]:
    entries = SearchEntry.objects.all()
    if scope.is_national:
        return entries
    visible = Q(is_public=True)
    if scope.roles:
        visible |= Q(institution_id__in=scope.institution_ids())
    return entries.filter(visible)


def entry_url(entry: SearchEntry) -> str:
    """The address of the entry's own page (a goal's is its agreement's list of goals)."""
    if entry.kind == Kind.INDICATOR:
        return reverse("monitoring:detail", args=[entry.code])
    if entry.kind == Kind.AGREEMENT:
        return reverse("agreements:detail", args=[entry.code])
    if entry.kind == Kind.GOAL:
        return reverse("agreements:detail", args=[entry.parent_code]) + "#h-goals"
    if entry.kind == Kind.PLAN:
        return reverse("planning:detail", args=[entry.code])
    if entry.kind == Kind.PLAN_ITEM:
        return reverse("planning:item", args=[entry.parent_code, int(entry.code)])
    return reverse("directory:institution", args=[entry.code])


class _Counted:
    """A queryset whose total is already known (from the counts by kind), so the paginator
    asks for no COUNT of its own."""

    def __init__(self, queryset: QuerySet, total: int):
        self.queryset, self.total = queryset, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window):
        entries = list(self.queryset[window])
        for entry in entries:
            entry.url = entry_url(entry)
        return entries


@dataclass
class Results:
    query: str
    terms: list[Term]
    kind: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # by kind, in display order
    page: Page | None = None
    trimmed: bool = False  # words beyond MAX_QUERY_WORDS or text beyond MAX_QUERY_LENGTH

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def search(scope: Scope, query: str, *, kind: str = "", page=1) -> Results:
    """The entries this person may find for ``query``: two queries (counts by kind, then one
    page ordered by kind and relevance, with states), none for a query without words."""
    query = " ".join((query or "").split())
    terms = query_terms(query)
    trimmed = len(query) > MAX_QUERY_LENGTH or len(set(words(query))) > MAX_QUERY_WORDS
    results = Results(query=query[:MAX_QUERY_LENGTH], terms=terms, trimmed=trimmed)
    if not terms:
        return results
    matched = engines.matching(visible_entries(scope), terms)
    found = dict(matched.values_list("kind").annotate(n=Count("pk")).order_by())
    results.counts = {k: found[k] for k in Kind.values if found.get(k)}
    if kind in results.counts:
        results.kind = kind
        matched = matched.filter(kind=kind)
    total = results.counts.get(results.kind) if results.kind else results.total
    order = Case(
        *(When(kind=k, then=Value(position)) for k, position in KIND_ORDER.items()),
        output_field=IntegerField(),
    )
    listing = (
        engines.ranked(matched, terms)
        .select_related("state")
        .defer("title_terms", "body_terms", "vector")
        .annotate(kind_order=order)
        .order_by("kind_order", "-rank", "title", "pk")
    )
    results.page = Paginator(_Counted(listing, total), PAGE_SIZE).get_page(page)
    return results
