""" "Mis pendientes": the person's work list, with filters, and sending several drafts at once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from transversal.accounts.access import EDIT, can_do, readable_states, scope_for
from transversal.core.access import protected
from transversal.core.codes import is_uuid
from transversal.core.pagination import page_query, paginate
from transversal.followup.selectors import overdue_items
from transversal.institutions.models import Institution
from transversal.monitoring import worklist
from transversal.monitoring.models import ProgressUpdate, UpdateStatus
from transversal.monitoring.services import too_early, updates_submit_many
from transversal.monitoring.worklist import Work

FILTER_NAMES = ("ver", "entidad", "institucion")
# At most this many reports are sent in one bulk action (one page of the list).
BULK_LIMIT = 200


class WorkFilterForm(forms.Form):
    ver = forms.ChoiceField(label=gettext_lazy("Mostrar"), required=False)
    entidad = forms.ChoiceField(label=gettext_lazy("Entidad"), required=False)
    institucion = forms.ChoiceField(label=gettext_lazy("Institución"), required=False)

    def __init__(self, data, *, states, institutions):
        super().__init__(data)
        self.fields["ver"].choices = [
            (Work.PENDING, _("Todo lo pendiente")),
            *[(key, Work.LABELS[key]) for key in Work.ORDER],
        ]
        self.fields["entidad"].choices = [("", _("Todas")), *states]
        self.fields["institucion"].choices = [("", _("Todas")), *institutions]
        if len(states) <= 1:
            del self.fields["entidad"]
        if len(institutions) <= 1:
            del self.fields["institucion"]

    def value(self, name: str) -> str:
        if not self.is_bound or name not in self.fields:
            return ""
        return self.cleaned_data.get(name) or ""

    def ignored(self) -> list[str]:
        return [
            _("%(field)s: %(error)s No se aplicó este filtro.")
            % {"field": self.fields[name].label, "error": " ".join(errors)}
            for name, errors in self.errors.items()
        ]


def _institution_choices(scope) -> list[tuple[str, str]]:
    if scope.is_national:
        return []  # national members filter by state (32 states, hundreds of institutions)
    institutions = Institution.objects.with_names().filter(pk__in=scope.institution_ids())
    return sorted(
        (
            (i.slug, i.current_name.acronym or i.current_name.name if i.current_name else i.slug)
            for i in institutions
        ),
        key=lambda pair: pair[1],
    )


@require_GET
@protected
def work_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = timezone.localdate()
    states = list(readable_states(scope).values_list("code", "short_name"))
    form = WorkFilterForm(
        request.GET if any(request.GET.get(n) for n in FILTER_NAMES) else None,
        states=states,
        institutions=_institution_choices(scope),
    )
    if form.is_bound:
        form.is_valid()
    show = form.value("ver")
    periods = worklist.work_periods(scope)
    items = worklist.work_items(
        periods,
        today,
        show=show,
        state=form.value("entidad") or None,
        institution=form.value("institucion") or None,
    )
    page = paginate(request, items)
    rows = worklist.annotate_status(page.object_list, today)
    editable = {row.indicator.owner_id for row in rows if can_do(scope, row.indicator.owner, EDIT)}
    for row in rows:
        row.can_send = (
            row.indicator.owner_id in editable
            and row.current_status in (UpdateStatus.DRAFT, UpdateStatus.RETURNED)
            and row.current_value is not None
            and not too_early(row, today)  # update_submit would refuse it
        )
    return render(
        request,
        "monitoring/work_list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "page_query": page_query(request),
            "total": page.paginator.count,
            "title": Work.LABELS.get(show) or _("Todo lo pendiente"),
            "tiles": worklist.tiles(worklist.work_counts(periods, today)),
            "ignored": form.ignored() if form.is_bound else [],
            "any_sendable": any(row.can_send for row in rows),
            "overdue_followups": overdue_items(scope, today),
            "work_groups": worklist.other_work(scope, today),
        },
    )


def _parse_choice(value: str) -> tuple[str | None, int]:
    """A checkbox's value: the report's public key and the version the list showed."""
    code, _sep, version = value.partition(".")
    if not is_uuid(code) or not version.isdigit():
        return None, 0
    return code, int(version)


def _filter_query(data: QueryDict) -> str:
    """Only the list's own filters, re-encoded: safe in a link or a redirect."""
    kept = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        value = data.get(name, "")
        if value:
            kept[name] = value[:64]
    return kept.urlencode()


@require_POST
@protected
def work_submit(request: HttpRequest) -> HttpResponse:
    """Send the chosen drafts to review. Each one the person may not edit, or that is not theirs
    to see, is simply not found (the same answer for both); each refused one says why."""
    scope = scope_for(request.user)
    back = reverse("work:list")
    query = _filter_query(QueryDict(request.POST.get("filters", "")[:512]))
    back += f"?{query}" if query else ""
    codes = request.POST.getlist("avance")[: BULK_LIMIT + 1]
    if not codes:
        messages.error(request, _("Elija al menos un avance para enviar a revisión."))
        return redirect(back)
    if len(codes) > BULK_LIMIT:
        messages.error(
            request,
            _("Se pueden enviar hasta %(n)s avances a la vez; elija menos.") % {"n": BULK_LIMIT},
        )
        return redirect(back)
    chosen = dict(_parse_choice(value) for value in codes)
    chosen.pop(None, None)
    found = []
    for update in (
        ProgressUpdate.objects.filter(code__in=list(chosen), is_current=True)
        .select_related("period__indicator__owner__state")
        .order_by("period__due_date", "pk")
    ):
        if can_do(scope, update.period.indicator.owner, EDIT):
            # The version the list showed: a draft changed since is refused, not sent unseen.
            update.version_seen = chosen[str(update.code)]
            found.append(update)
    missing = len(set(codes)) - len(found)
    result = updates_submit_many(actor=request.user, updates=found)
    if result.sent:
        messages.success(
            request,
            ngettext(
                "Se envió %(n)s avance a revisión.",
                "Se enviaron %(n)s avances a revisión.",
                len(result.sent),
            )
            % {"n": len(result.sent)},
        )
    for update, reasons in result.refused:
        messages.error(
            request,
            _("No se envió «%(indicator)s», %(period)s: %(why)s")
            % {
                "indicator": update.period.indicator.name,
                "period": update.period.display,
                "why": " ".join(reasons),
            },
        )
    if missing:
        messages.error(
            request,
            ngettext(
                "%(n)s avance elegido no existe o usted no puede enviarlo.",
                "%(n)s avances elegidos no existen o usted no puede enviarlos.",
                missing,
            )
            % {"n": missing},
        )
    return redirect(back)
