"""The review queue: every submitted update a reviewer may approve or return, across states."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from transversal.accounts.access import REVIEW, scope_for
from transversal.agreements.models import EmphasisArea
from transversal.core.access import protected
from transversal.core.forms import error_messages
from transversal.core.pagination import page_query, paginate
from transversal.monitoring import queue
from transversal.monitoring.access import get_update_for_user
from transversal.monitoring.services import StaleEdit, update_approve, update_return

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


def _filter_query(data: QueryDict) -> str:
    """Only the queue's own filters, re-encoded: safe to put back into a redirect or a link."""
    kept = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        value = data.get(name, "")
        if value:
            kept[name] = value[:64]
    return kept.urlencode()


@require_GET
@protected
def review_queue(request: HttpRequest) -> HttpResponse:
    scope = _queue_scope(request)
    data = request.GET if any(request.GET.get(name) for name in FILTER_NAMES) else None
    state = request.GET.get("entidad") or None
    indicators = queue.indicator_choices(
        scope, state=state, chosen=request.GET.get("indicador") or None
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
    page = paginate(request, queue.review_queue_for(scope, form.filters(), now=now))
    rows = queue.queue_rows(page.object_list, now=now)
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "total": page.paginator.count,
        "page_query": page_query(request),
        "ignored": form.ignored() if form.is_bound else [],
        "filtered": form.filters() != queue.NO_FILTERS,
        "filter_query": _filter_query(request.GET),
    }
    template = f"{TEMPLATE}#results" if request.htmx and not request.htmx.boosted else TEMPLATE
    return render(request, template, context)


def _act(request: HttpRequest, code: str, run, done: str) -> HttpResponse:
    """Approve or return from the queue: the refreshed row for htmx, a redirect back otherwise."""
    # The object check first: an outsider gets 404, a member who may not review 403.
    update, scope = get_update_for_user(request.user, code, REVIEW)
    error = ""
    try:
        run(update)
    except ValidationError as exc:
        error = " ".join(error_messages(exc))
    except StaleEdit as exc:
        error = str(exc)
    filter_query = _filter_query(QueryDict(request.POST.get("filters", "")[:512]))
    if request.htmx:
        return render(
            request,
            f"{TEMPLATE}#row",
            {
                "row": queue.queue_row(scope, update),
                "error": error,
                "done": "" if error else done,
                "pending_count": queue.review_queue_count(scope),
                "filter_query": filter_query,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(
        reverse("monitoring:review_queue") + (f"?{filter_query}" if filter_query else "")
    )


@require_POST
@protected
def review_approve(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        update_approve(actor=request.user, update=update, comment=request.POST.get("comment", ""))

    return _act(request, code, run, _("Se aprobó el avance; el semáforo se actualizó."))


@require_POST
@protected
def review_return(request: HttpRequest, code: str) -> HttpResponse:
    def run(update):
        update_return(actor=request.user, update=update, comment=request.POST.get("comment", ""))

    return _act(request, code, run, _("Se devolvió el avance con su observación."))
