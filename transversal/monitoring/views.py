from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, READ, can_do, get_institution_for_user, scope_for
from transversal.core.access import protected, public
from transversal.core.forms import NO_CHANGES, submit
from transversal.core.pagination import page_query, paginate
from transversal.institutions.models import Institution
from transversal.monitoring import rules, sources
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
    editable = [
        i
        for i in Institution.objects.with_names().filter(pk__in=scope.institution_ids())
        if scope.role_in(i) in ("admin", "editor")
    ]
    page = paginate(request, indicators.order_by("owner__state__code", "name"))
    return render(
        request,
        "monitoring/indicator_list.html",
        {
            "indicators": page.object_list,
            "page": page,
            "page_query": page_query(request),
            "editable": editable,
            "institution_slug": institution_slug,
        },
    )


@require_GET
@public
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator, scope = get_indicator_for_user(request.user, code)
    can_write = can_do(scope, indicator.owner, EDIT)
    return render(
        request,
        "monitoring/indicator_detail.html",
        {
            "indicator": indicator,
            "can_write": can_write,
            "legend": rules.legend(indicator.thresholds),
            "basis_rule": rules.basis_rule(indicator.progress_basis),
            "can_read_reports": can_do(scope, indicator.owner, READ),
            "source_rows": sources.sheet_rows(request, indicator, can_write),
            **indicator_page(indicator, timezone.localdate()),
        },
    )


@require_http_methods(["GET", "POST"])
@protected
def indicator_new(request: HttpRequest, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: indicator_create(actor=request.user, owner=institution, **form.sheet()),
            success=_("Se creó el indicador."),
        )
        if outcome.ok:
            return redirect("monitoring:detail", code=outcome.result.code)
    return render(
        request, "monitoring/indicator_form.html", {"form": form, "institution": institution}
    )


def _indicator_update(request: HttpRequest, indicator, form: IndicatorForm) -> dict:
    sheet = form.sheet()
    # The model form wrote the typed values on it; the service compares with the database.
    indicator.refresh_from_db()
    return indicator_update(actor=request.user, indicator=indicator, **sheet)


@require_http_methods(["GET", "POST"])
@protected
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    form = IndicatorForm(request.POST or None, instance=indicator)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: _indicator_update(request, indicator, form),
            success=_("Se guardó la ficha técnica."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("monitoring:detail", code=indicator.code)
    return render(
        request,
        "monitoring/indicator_form.html",
        {"form": form, "institution": indicator.owner, "indicator": indicator},
    )


@require_POST
@protected
def calendar_generate(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    form = CalendarForm(request.POST)
    submit(
        request,
        form,
        lambda: periods_generate(actor=request.user, indicator=indicator, **form.cleaned_data),
        success=lambda created: (
            ngettext(
                "Se agregó %(n)s periodo al calendario.",
                "Se agregaron %(n)s periodos al calendario.",
                len(created),
            )
            % {"n": len(created)}
        ),
        unchanged=_("Esos periodos ya estaban en el calendario."),
        flash=True,
    )
    return redirect("monitoring:targets", code=indicator.code)


@require_http_methods(["GET", "POST"])
@protected
def targets_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    periods = list(indicator.periods.order_by("start"))
    form = TargetsForm(request.POST or None, periods=periods)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: targets_update(actor=request.user, indicator=indicator, targets=form.targets()),
            success=lambda changed: (
                ngettext("Se guardó %(n)s meta.", "Se guardaron %(n)s metas.", len(changed))
                % {"n": len(changed)}
            ),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("monitoring:detail", code=indicator.code)
    return render(
        request,
        "monitoring/targets.html",
        {
            "indicator": indicator,
            "form": form,
            "calendar_form": CalendarForm(),
        },
    )
