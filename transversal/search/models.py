"""The search index: one row per thing a person can find, with the facts that decide who may
find it. Derived data: ``search_reindex`` rebuilds it from the source tables at any time."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.institutions.models import Institution
from transversal.territory.models import State


class Kind(models.TextChoices):
    # In the order the results page groups them.
    INDICATOR = "indicator", _("Indicador")
    AGREEMENT = "agreement", _("Convenio")
    GOAL = "goal", _("Meta")
    PLAN = "plan", _("Plan")
    PLAN_ITEM = "plan_item", _("Elemento de plan")
    INSTITUTION = "institution", _("Institución")


KIND_ORDER = {kind: position for position, kind in enumerate(Kind.values)}


class SearchEntry(models.Model):
    """What the results page shows of one object, its search terms (``search.text``), and who
    may find it: everyone when ``is_public``, else the members of ``institution`` and national
    members (the rule of the object's own page; ``tests/test_visibility.py`` checks they agree).

    On SQLite an FTS5 table (``search_fts``, external content) indexes ``title_terms`` and
    ``body_terms``; triggers keep it equal to this table (migration 0001). On PostgreSQL a
    trigger stores the two columns' weighted ``to_tsvector('simple', …)`` in ``vector``, which a
    GIN index serves (migration 0002); on SQLite ``vector`` stays empty."""

    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    # The agreement of a goal, the plan of an item: their rows follow their parent's visibility.
    parent_id = models.PositiveBigIntegerField(null=True, blank=True)
    code = models.CharField(max_length=80)  # the public code in the object's address
    parent_code = models.CharField(max_length=80, blank=True)
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=300, blank=True)
    title_terms = models.TextField()
    body_terms = models.TextField(blank=True)
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.ForeignKey(
        State, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_public = models.BooleanField(default=False)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("entrada del buscador")
        verbose_name_plural = _("entradas del buscador")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]
        indexes = [models.Index(fields=["kind", "parent_id"], name="search_entry_parent_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"
