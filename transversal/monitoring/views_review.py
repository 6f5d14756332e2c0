"""The review queue: every submitted update a reviewer may approve or return, across states.

The queue only lists and filters: approving or returning happens on the report's own page
(monitoring:period), where the reviewer sees the figures, breakdowns, evidence and what changed
since the last return."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from transversal.accounts.access import scope_for
from transversal.agreements.models import EmphasisArea
from transversal.audit.stamp import cached
from transversal.core.access import protected
from transversal.core.pagination import page_query, paginate
from transversal.monitoring import queue

TEMPLATE = "monitoring/review_queue.html"
FILTER_NAMES = ("entidad", "area", "indicador", "dias")


class QueueFilterForm(forms.Form):
    """The queue's filters, in the query string. An invalid value is reported and only that filter
    ignored."""

    entidad = forms.ChoiceField(label=gettext_lazy("Entidad"), required=False)
    area = forms.ChoiceField(
        label=gettext_lazy("Área de énfasis"),
        required=False,
        choices=[("", gettext_lazy("Todas")), *EmphasisArea.choices],
    )
    indicador = forms.ChoiceField(label=gettext_lazy("Indicador"), required=False)
    dias = forms.IntegerField(
        label=gettext_lazy("Esperando más de (días)"),
        required=False,
        min_value=0,
        max_value=3650,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
    )

    def __init__(self, data, *, states, indicators, choose_state_first=False):
        super().__init__(data)
        self.fields["entidad"].choices = [("", _("Todas")), *states]
        self.fields["indicador"].choices = [("", _("Todos")), *indicators]
        if choose_state_first:
            self.fields["indicador"].help_text = _(
                "Para elegir un indicador, filtre primero por entidad."
            )
        self.fields["entidad"].error_messages["invalid_choice"] = _(
            "La entidad «%(value)s» no existe o no está en su ámbito de revisión."
        )
        self.fields["indicador"].error_messages["invalid_choice"] = _(
            "El indicador elegido no tiene avances pendientes de revisión en su ámbito."
        )
        self.fields["area"].error_messages["invalid_choice"] = _(
            "El área de énfasis «%(value)s» no existe."
        )

    def filters(self) -> queue.QueueFilters:
        data = self.cleaned_data if self.is_bound else {}
        return queue.QueueFilters(
            state=data.get("entidad") or None,
            area=data.get("area") or None,
            indicator=data.get("indicador") or None,
            waiting_more_than=data.get("dias"),
        )

    def ignored(self) -> list[str]:
        """One sentence per rejected filter, saying it was not applied."""
        return [
            _("%(field)s: %(error)s No se aplicó este filtro.")
            % {"field": self.fields[name].label, "error": " ".join(errors)}
            for name, errors in self.errors.items()
        ]


def _queue_scope(request: HttpRequest):
    scope = scope_for(request.user)
    if not queue.can_use_queue(scope):
        raise PermissionDenied(_("La bandeja de revisión es para quienes revisan avances."))
    return scope


@require_GET
@protected
def review_queue(request: HttpRequest) -> HttpResponse:
    scope = _queue_scope(request)
    fragment = bool(request.htmx and not request.htmx.boosted)
    context: dict = {}

    def compute() -> str:
        context.update(_queue_context(request, scope))
        return render_to_string(f"{TEMPLATE}#{'results' if fragment else 'body'}", context)

    # Rendered once per person, query string and data stamp (audit.stamp): approving, returning
    # or submitting a report writes an audit event, so the next request renders again.
    html = cached(
        request, "review-queue", [scope.user_id, fragment, request.GET.urlencode()], compute
    )
    if fragment:
        return HttpResponse(html)
    # The computed context (when not served from the cache) stays visible to tests and tools.
    return render(request, TEMPLATE, {**context, "body": html})


def _queue_context(request: HttpRequest, scope) -> dict:
    data = request.GET if any(request.GET.get(name) for name in FILTER_NAMES) else None
    state = request.GET.get("entidad") or None
    validates = queue.reviews_everything(scope)
    # State reviewers have one stage; an unknown value is the review stage.
    stage = (
        queue.VALIDATE_STAGE
        if validates and request.GET.get("etapa") == queue.VALIDATE_STAGE
        else queue.REVIEW_STAGE
    )
    indicators = queue.indicator_choices(
        scope, state=state, chosen=request.GET.get("indicador") or None, stage=stage
    )
    form = QueueFilterForm(
        data,
        states=queue.state_choices(scope),
        indicators=indicators,
        choose_state_first=queue.needs_state_for_indicators(scope, state),
    )
    if form.is_bound:
        form.is_valid()
    now = timezone.now()
    page = paginate(request, queue.review_queue_for(scope, form.filters(), now=now, stage=stage))
    rows = queue.queue_rows(page.object_list, now=now)
    return {
        "form": form,
        "rows": rows,
        "page": page,
        "total": page.paginator.count,
        "page_query": page_query(request),
        "ignored": form.ignored() if form.is_bound else [],
        "filtered": form.filters() != queue.NO_FILTERS,
        "stage": stage,
        "validating": stage == queue.VALIDATE_STAGE,
        "validates": validates,
    }
