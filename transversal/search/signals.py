"""Keeping the index in step with the source tables.

The source apps sit below this one in the floor plan, so their services cannot call the
index; this app listens to their models' saves and deletes instead (connected in
``SearchConfig.ready``). Each handler rewrites the entries it affects inside the same
transaction as the write, so a rolled-back write leaves the index as it was.

Writes that send no signal: ``bulk_create`` and ``QuerySet.update``. Of those that touch what
the index holds, a plan's items are created in bulk after the plan is saved
(``plan_create_from_draft``): saving a plan also re-indexes its items once the transaction
commits. The benchmark's synthetic data is written in bulk too: run ``manage.py
search_reindex`` after ``generate_dataset``. Rows loaded raw (fixtures, a backup restore)
are skipped: the index's own rows travel with them.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

from transversal.agreements.models import Agreement, Goal
from transversal.institutions.models import Institution, InstitutionName
from transversal.monitoring.models import Indicator
from transversal.planning.models import Plan, PlanItem, PlanStatus
from transversal.search import index
from transversal.search.models import Kind, SearchEntry

UID = "transversal.search"


def _saved(kind: str):
    def handler(sender, instance, raw=False, **kwargs) -> None:
        if not raw:
            index.index_objects(kind, [instance.pk])

    return handler


def _deleted(kind: str):
    def handler(sender, instance, **kwargs) -> None:
        index.unindex(kind, [instance.pk])

    return handler


def agreement_saved(sender, instance: Agreement, raw=False, **kwargs) -> None:
    if raw:
        return
    index.index_objects(Kind.AGREEMENT, [instance.pk])
    # Its goals show its title and follow its visibility; a convenio has a handful of goals.
    index.index_children(Kind.GOAL, instance.pk)


def plan_saved(sender, instance: Plan, raw=False, **kwargs) -> None:
    if raw:
        return
    index.index_objects(Kind.PLAN, [instance.pk])
    index.follow_parent(
        Kind.PLAN_ITEM,
        instance.pk,
        institution_id=instance.institution_id,
        state_id=instance.state_id,
        is_public=instance.status != PlanStatus.DRAFT,
    )
    transaction.on_commit(partial(index.index_children, Kind.PLAN_ITEM, instance.pk), robust=True)


def institution_saved(sender, instance: Institution, raw=False, **kwargs) -> None:
    if raw:
        return
    index.index_objects(Kind.INSTITUTION, [instance.pk])
    # An indicator is placed in its owner's state.
    SearchEntry.objects.filter(kind=Kind.INDICATOR, institution_id=instance.pk).exclude(
        state_id=instance.state_id
    ).update(state_id=instance.state_id)


def name_saved(sender, instance: InstitutionName, raw=False, **kwargs) -> None:
    if not raw:
        index.index_objects(Kind.INSTITUTION, [instance.institution_id])


def name_deleted(sender, instance: InstitutionName, **kwargs) -> None:
    # After commit: when the institution itself is being deleted, its entry must not come back.
    transaction.on_commit(
        partial(index.index_objects, Kind.INSTITUTION, [instance.institution_id]), robust=True
    )


def index_after_migrate(sender, using, plan=None, **kwargs) -> None:
    """A database migrated for the first time with this app (or with an empty index) gets its
    index built, so what existed before is found without a manual step."""
    if sender.label != "search" or any(backwards for _migration, backwards in plan or []):
        return
    if SearchEntry.objects.using(using).exists():
        return
    index.rebuild()


def connect() -> None:
    for model, kind in (
        (Indicator, Kind.INDICATOR),
        (Goal, Kind.GOAL),
        (PlanItem, Kind.PLAN_ITEM),
        (Agreement, Kind.AGREEMENT),
        (Plan, Kind.PLAN),
        (Institution, Kind.INSTITUTION),
    ):
        post_delete.connect(
            _deleted(kind), sender=model, weak=False, dispatch_uid=f"{UID}.d.{kind}"
        )
    for model, kind in ((Indicator, Kind.INDICATOR), (Goal, Kind.GOAL), (PlanItem, Kind.PLAN_ITEM)):
        post_save.connect(_saved(kind), sender=model, weak=False, dispatch_uid=f"{UID}.s.{kind}")
    post_save.connect(agreement_saved, sender=Agreement, dispatch_uid=f"{UID}.s.agreement")
    post_save.connect(plan_saved, sender=Plan, dispatch_uid=f"{UID}.s.plan")
    post_save.connect(institution_saved, sender=Institution, dispatch_uid=f"{UID}.s.institution")
    post_save.connect(name_saved, sender=InstitutionName, dispatch_uid=f"{UID}.s.name")
    post_delete.connect(name_deleted, sender=InstitutionName, dispatch_uid=f"{UID}.d.name")
    post_migrate.connect(index_after_migrate, dispatch_uid=f"{UID}.migrate")
