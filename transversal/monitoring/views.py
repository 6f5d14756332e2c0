from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, can_do, get_institution_for_user, scope_for
from transversal.core.access import protected, public
from transversal.core.pagination import page_query, paginate
from transversal.institutions.models import Institution
from transversal.monitoring import rules
from transversal.monitoring.access import get_indicator_for_user
from transversal.monitoring.forms import CalendarForm, IndicatorForm, TargetsForm
from transversal.monitoring.selectors import indicator_page, indicators_for
from transversal.monitoring.services import (
    indicator_create,
    indicator_update,
    periods_generate,
    targets_update,
)


@require_GET
@public
def indicator_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    indicators = indicators_for(scope)
    institution_slug = request.GET.get("institucion", "")
    if institution_slug:
        indicators = indicators.filter(owner__slug=institution_slug)
    editable = [i for i in Institution.objects.with_names().filter(pk__in=scope.institution_ids())
                if scope.role_in(i) in ("admin", "editor")]
    page = paginate(request, indicators.order_by("owner__state__code", "name"))
    return render(request, "monitoring/indicator_list.html", {
        "indicators": page.object_list, "page": page, "page_query": page_query(request), "editable": editable,
        "institution_slug": institution_slug,
    })


@require_GET
@public
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator, scope = get_indicator_for_user(request.user, code)
    can_write = can_do(scope, indicator.owner, EDIT)
    return render(request, "monitoring/indicator_detail.html", {
        "indicator": indicator, "can_write": can_write, "legend": rules.legend(indicator.thresholds),
        **indicator_page(indicator),
    })


def _save_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_http_methods(["GET", "POST"])
@protected
def indicator_new(request: HttpRequest, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = indicator_create(actor=request.user, owner=institution, **form.sheet())
        except ValidationError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, _("Se creó el indicador."))
            return redirect("monitoring:detail", code=indicator.code)
    return render(request, "monitoring/indicator_form.html", {"form": form, "institution": institution})


@require_http_methods(["GET", "POST"])
@protected
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        sheet = form.sheet()
        indicator.refresh_from_db()
        try:
            changes = indicator_update(actor=request.user, indicator=indicator, **sheet)
        except ValidationError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, _("Se guardó la ficha técnica.") if changes else _("No hubo cambios que guardar."))
            return redirect("monitoring:detail", code=indicator.code)
    return render(request, "monitoring/indicator_form.html", {"form": form, "institution": indicator.owner, "indicator": indicator})


@require_POST
@protected
def calendar_generate(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    form = CalendarForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("monitoring:targets", code=indicator.code)
    try:
        created = periods_generate(actor=request.user, indicator=indicator, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Se agregaron %(n)s periodos al calendario.") % {"n": len(created)})
        else:
            messages.info(request, _("Esos periodos ya estaban en el calendario."))
    return redirect("monitoring:targets", code=indicator.code)


@require_http_methods(["GET", "POST"])
@protected
def targets_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    periods = list(indicator.periods.order_by("start"))
    form = TargetsForm(request.POST or None, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            changed = targets_update(actor=request.user, indicator=indicator, targets=form.targets())
        except ValidationError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, _("Se guardaron %(n)s metas.") % {"n": len(changed)} if changed else _("No hubo cambios que guardar."))
            return redirect("monitoring:detail", code=indicator.code)
    return render(request, "monitoring/targets.html", {
        "indicator": indicator, "form": form, "calendar_form": CalendarForm(),
    })


