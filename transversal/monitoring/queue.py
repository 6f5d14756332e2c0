"""Reads for the review queue: the submitted updates a reviewer may approve or return.

Who reviews what follows ``accounts.access``: national reviewers and admins
review every state; state reviewers and admins review their own institution.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from transversal.accounts.access import REVIEW_ROLES, Scope, scope_for
from transversal.agreements.models import EmphasisArea
from transversal.audit.models import AuditEvent
from transversal.audit.stamp import cached
from transversal.core.codes import is_uuid
from transversal.core.urlbuild import url_builder
from transversal.institutions.models import InstitutionName
from transversal.monitoring.models import Indicator, ProgressUpdate, UpdateStatus
from transversal.territory.models import State

# The roles that may review, as accounts.access defines them (one source of truth).

# Four eyes: whoever wrote an update's figure may not approve it. The model keeps who created
# and who last submitted; the audit trail also knows who saved its values in between (including
# rows older than ``submitted_by``), so both are read.
AUTHOR_VERBS = ("update.create", "update.correct", "update.save", "update.submit")


def _authored_events(user_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        actor_id=user_id,
        verb__in=AUTHOR_VERBS,
        target_type__app_label="monitoring",
        target_type__model="progressupdate",
    )


def approval_refusal(update: ProgressUpdate, user, *, validation: bool = False) -> str:
    """Why this person may not approve this update, in Spanish ("" when they may).

    Nobody approves what they captured, edited or submitted, whatever their role: state admins,
    national coordinators and superusers included. An approval needs a named person. With
    ``validation`` (the national level, ``services.update_validate``) nobody validates what they
    approved at state level either."""
    if user is None or not getattr(user, "is_authenticated", False):
        return _(
            "La aprobación debe registrarla una persona identificada, distinta de quien capturó o "
            "envió el avance."
        )
    verbs = set(
        _authored_events(user.pk).filter(target_id=str(update.pk)).values_list("verb", flat=True)
    )
    if update.created_by_id == user.pk or verbs & {"update.create", "update.correct"}:
        why = _("usted lo capturó")
    elif update.submitted_by_id == user.pk or "update.submit" in verbs:
        why = _("usted lo envió a revisión")
    elif "update.save" in verbs:
        why = _("usted modificó sus cifras")
    elif validation and update.reviewed_by_id == user.pk:
        why = _("usted lo aprobó en la entidad")
    else:
        return ""
    if validation:
        return _(
            "No puede validar este avance porque %(why)s: la validación nacional debe hacerla "
            "otra persona (principio de cuatro ojos)."
        ) % {"why": why}
    return _(
        "No puede aprobar este avance porque %(why)s: la aprobación debe hacerla otra persona con "
        "rol de revisión (principio de cuatro ojos)."
    ) % {"why": why}


def validates_nationally(user) -> bool:
    """Whether this person gives the national level of approval (``services.update_validate``),
    returns a figure from it or reopens a closed period: a reviewer or admin of the national
    institution."""
    return user is not None and reviews_everything(scope_for(user))


def with_authorship(
    queryset: QuerySet[ProgressUpdate], user_id: int | None
) -> QuerySet[ProgressUpdate]:
    """Annotate ``viewer_authored``: whether this person captured, edited or submitted the update
    (a subquery on the audit trail's target index, so no extra query per row)."""
    if user_id is None:
        return queryset.annotate(viewer_authored=Value(False, output_field=BooleanField()))
    events = _authored_events(user_id).filter(
        target_id=Cast(OuterRef("pk"), output_field=CharField())
    )
    authored = Q(created_by_id=user_id) | Q(submitted_by_id=user_id) | Exists(events)
    return queryset.annotate(
        viewer_authored=ExpressionWrapper(authored, output_field=BooleanField())
    )


@dataclass(frozen=True)
class QueueFilters:
    """Filters already validated by the queue form; None means "not filtered"."""

    state: str | None = None  # INEGI code
    area: str | None = None  # agreements.EmphasisArea value
    indicator: str | None = None  # Indicator.code
    waiting_more_than: int | None = None  # days


NO_FILTERS = QueueFilters()


def reviews_everything(scope: Scope) -> bool:
    return bool(scope.national_roles & REVIEW_ROLES)


def reviewed_institution_ids(scope: Scope) -> frozenset[int]:
    return frozenset(iid for iid, role in scope.roles.items() if role in REVIEW_ROLES)


def can_use_queue(scope: Scope) -> bool:
    return reviews_everything(scope) or bool(reviewed_institution_ids(scope))


def reviewable_updates(scope: Scope) -> QuerySet[ProgressUpdate]:
    """Current updates, in any status, of the institutions this person reviews (none if they review
    nothing)."""
    queryset = ProgressUpdate.objects.filter(is_current=True)
    if reviews_everything(scope):
        return queryset
    return queryset.filter(period__indicator__owner_id__in=reviewed_institution_ids(scope))


def pending_updates(scope: Scope) -> QuerySet[ProgressUpdate]:
    return reviewable_updates(scope).filter(status=UpdateStatus.SUBMITTED)


# The queue's two stages (the ``etapa`` query-string value): the state's review of what was
# submitted, and the national validation of what a state approved (national reviewers only).
REVIEW_STAGE = "revisar"
VALIDATE_STAGE = "validar"


def validating_updates(scope: Scope) -> QuerySet[ProgressUpdate]:
    """Updates approved by their state and waiting for the national validation: for national
    reviewers and admins only (state reviewers never validate)."""
    if not reviews_everything(scope):
        return ProgressUpdate.objects.none()
    return reviewable_updates(scope).filter(status=UpdateStatus.VALIDATING)


def stage_updates(scope: Scope, stage: str = REVIEW_STAGE) -> QuerySet[ProgressUpdate]:
    return validating_updates(scope) if stage == VALIDATE_STAGE else pending_updates(scope)


def review_queue_count(scope: Scope) -> int:
    """One COUNT query (zero when the person reviews nothing)."""
    if not can_use_queue(scope):
        return 0
    return pending_updates(scope).count()


# The columns a row prints (the joined tables are wide: reading only these halves the page's work).
ROW_FIELDS = (
    "code",
    "value",
    "is_synthetic",
    "submitted_at",
    "created_by_id",
    "submitted_by_id",
    "period__label",
    "period__target",
    "period__indicator__code",
    "period__indicator__name",
    "period__indicator__owner__slug",
    "period__indicator__owner__state_id",
    "period__indicator__owner__state__short_name",
    "created_by__full_name",
    "created_by__email",
    "submitted_by__full_name",
    "submitted_by__email",
)


def with_row_data(queryset: QuerySet[ProgressUpdate]) -> QuerySet[ProgressUpdate]:
    """The updates joined to period, indicator, owner, state, creator and submitter, reading
    only the columns a row prints (:func:`queue_rows` adds the owners' names and the goals'
    areas in two more queries, whatever the number of rows)."""
    return queryset.select_related(
        "period__indicator__owner__state", "created_by", "submitted_by"
    ).only(*ROW_FIELDS)


def review_queue_for(
    scope: Scope,
    filters: QueueFilters = NO_FILTERS,
    *,
    now: dt.datetime | None = None,
    stage: str = REVIEW_STAGE,
):
    """Submitted current updates in the person's scope (with ``VALIDATE_STAGE``: those waiting
    for the national validation), oldest submission first, each marked ``viewer_authored`` when
    this person may not approve it (four eyes)."""
    queryset = stage_updates(scope, stage)
    if filters.state:
        queryset = queryset.filter(period__indicator__owner__state__code=filters.state)
    if filters.indicator:
        queryset = queryset.filter(period__indicator__code=filters.indicator)
    if filters.area:
        # A subquery rather than a join, so an indicator with two goals in the area is listed once.
        queryset = queryset.filter(
            Exists(
                Indicator.goals.through.objects.filter(
                    indicator_id=OuterRef("period__indicator_id"), goal__area=filters.area
                )
            )
        )
    if filters.waiting_more_than is not None:
        # "More than N days" in whole days: waiting N+1 full days or longer.
        cutoff = (now or timezone.now()) - dt.timedelta(days=filters.waiting_more_than + 1)
        queryset = queryset.filter(submitted_at__lte=cutoff)
    return with_authorship(with_row_data(queryset), scope.user_id).order_by("submitted_at", "pk")


def days_waiting(submitted_at: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole days since submission (0 the first 24 hours)."""
    if submitted_at is None:
        return None
    return max((now - submitted_at).days, 0)


def queue_rows(queryset, *, now: dt.datetime | None = None) -> list[ProgressUpdate]:
    """The page's rows (three queries) with what the template prints already worked out: the
    owner's current acronym or name (``institution_label``), days waiting and their words (one
    translation per distinct number), the emphasis areas (``areas``), and the link to the
    report (``review_url``, built without a ``reverse()`` per row). Names and areas are read as
    plain values: prefetching them as model instances cost more than the page's main query."""
    now = now or timezone.now()
    rows = list(queryset)
    indicator_ids = {row.period.indicator_id for row in rows}
    owner_ids = {row.period.indicator.owner_id for row in rows}
    labels: dict[int, str] = {}
    names = InstitutionName.objects.filter(institution_id__in=owner_ids).order_by(
        "institution_id", "sequence"
    )
    for institution_id, name, acronym in names.values_list("institution_id", "name", "acronym"):
        labels[institution_id] = acronym or name  # the last (current) name wins
    area_words = {value: str(label) for value, label in EmphasisArea.choices}
    areas: dict[int, set[str]] = {}
    links = Indicator.goals.through.objects.filter(indicator_id__in=indicator_ids).exclude(
        goal__area=""
    )
    for indicator_id, area in links.values_list("indicator_id", "goal__area"):
        areas.setdefault(indicator_id, set()).add(area_words.get(area, area))
    period_url = url_builder("monitoring:period", 2)
    day_words: dict[int, str] = {}
    for row in rows:
        indicator = row.period.indicator
        row.institution_label = labels.get(indicator.owner_id, "")
        row.days_waiting = days = days_waiting(row.submitted_at, now)
        if days is not None and days not in day_words:
            day_words[days] = ngettext("%(n)s día", "%(n)s días", days) % {"n": days}
        row.days_label = "" if days is None else day_words[days]
        row.areas = sorted(areas.get(indicator.pk, ()))
        row.review_url = period_url(indicator.code, row.period.label)
    return rows


def state_choices(scope: Scope) -> list[tuple[str, str]]:
    """The states the person may filter by: all for national reviewers, their own otherwise."""
    states = State.objects.order_by("code")
    if not reviews_everything(scope):
        states = states.filter(institutions__in=reviewed_institution_ids(scope)).distinct()
    return list(states.values_list("code", "short_name"))


def indicator_choices(
    scope: Scope,
    *,
    state: str | None = None,
    chosen: str | None = None,
    stage: str = REVIEW_STAGE,
) -> list[tuple[str, str]]:
    """Indicators with at least one update waiting for this person (one query).

    Someone who reviews every state chooses a state first: across the country the list would
    run to thousands of indicators. Until then only an indicator already ``chosen`` (from a
    link) is offered, so that the filter still applies."""
    pending = stage_updates(scope, stage)
    if state:
        pending = pending.filter(period__indicator__owner__state__code=state)
    elif reviews_everything(scope):
        if not chosen:
            return []
        pending = (
            pending.filter(period__indicator__code=chosen) if is_uuid(chosen) else pending.none()
        )
    rows = (
        Indicator.objects.filter(periods__updates__in=pending)
        .values_list("code", "name")
        .distinct()
        .order_by("name", "code")
    )
    return [(str(code), name) for code, name in rows]


def needs_state_for_indicators(scope: Scope, state: str | None) -> bool:
    return reviews_everything(scope) and not state


class ReviewBadge:
    """The navigation's pending count: queried only when a template prints it, at most once.

    With the request, the count is kept per person in Django's cache under the data stamp
    (``audit.stamp``): submitting, approving or returning a report writes an audit event, which
    moves the stamp, so the next page counts again; otherwise it lives a minute."""

    def __init__(self, scope: Scope, request=None):
        self.scope = scope
        self.request = request

    @cached_property
    def count(self) -> int:
        if self.request is None:
            return review_queue_count(self.scope)
        return cached(
            self.request,
            "review-count",
            [self.scope.user_id],
            lambda: review_queue_count(self.scope),
        )


def review_badge(scope: Scope, request=None) -> ReviewBadge | None:
    return ReviewBadge(scope, request) if can_use_queue(scope) else None
