"""The two full-text engines behind one question: which entries match these terms, and how
well. Both read the same terms (``search.text``), so they find the same entries; only the
order inside a group may differ where their ranking formulas do (BM25 against ts_rank)."""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

from transversal.search.text import Term, fts5_query, tsquery

TITLE_WEIGHT = 4.0  # a word in the title counts as four in the body (SQLite's bm25 weights)


def _query(terms: list[Term]):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(tsquery(terms), search_type="raw", config="simple")


def matching(entries: QuerySet, terms: list[Term]) -> QuerySet:
    """``entries`` that hold every term."""
    if connection.vendor == "postgresql":
        return entries.filter(vector=_query(terms))
    return entries.extra(  # noqa: S610 - the MATCH text is a parameter built from terms alone
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[fts5_query(terms)],
    )


def ranked(matched: QuerySet, terms: list[Term]) -> QuerySet:
    """``matching`` entries with ``rank`` (higher is better), for ordering."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        # ``vector`` weighs title words A and body words B (migration 0002's trigger).
        return matched.annotate(rank=SearchRank(F("vector"), _query(terms)))
    return matched.extra(select={"rank": f"-bm25(search_fts, {TITLE_WEIGHT}, 1.0)"})
