"""Signed-in pages of the gender statistics: the catalogue of sources and indicators, and the
import with its preview. The public pages live in the portal."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.core.access import protected
from transversal.core.forms import NO_CHANGES, attach_errors, perform, submit
from transversal.core.uploads import PENDING_SECONDS
from transversal.genderstats import selectors, services
from transversal.genderstats.access import (
    ImportGone,
    can_manage,
    get_import,
    get_indicator,
    get_source,
    manager_scope,
    reader_scope,
)
from transversal.genderstats.forms import ImportForm, IndicatorForm, SourceForm
from transversal.genderstats.models import ImportStatus, StatImport, StatSource, preview_cutoff

PROBLEMS_SHOWN = 200
PREVIEW_ROWS = 50
PREVIEW_HOURS = max(1, PENDING_SECONDS // 3600)


@require_GET
@protected
def home(request: HttpRequest) -> HttpResponse:
    scope = reader_scope(request.user)
    return render(
        request,
        "genderstats/home.html",
        {
            "can_manage": can_manage(scope),
            "sources": list(StatSource.objects.order_by("name", "-year")),
            "indicators": list(selectors.indicators()),
            # Applied imports and the previews still open; an expired one waits for the sweep.
            "imports": list(
                StatImport.objects.select_related("uploaded_by").filter(
                    Q(status=ImportStatus.APPLIED) | Q(created_at__gte=preview_cutoff())
                )[:20]
            ),
        },
    )


def _form_page(request, form, title, service, *, success, back):
    if request.method == "POST":
        outcome = submit(request, form, service, success=success, unchanged=NO_CHANGES)
        if outcome.ok:
            return redirect(back)
    return render(
        request, "genderstats/form_page.html", {"form": form, "title": title, "back": back}
    )


@require_http_methods(["GET", "POST"])
@protected
def source_new(request: HttpRequest) -> HttpResponse:
    manager_scope(request.user)
    form = SourceForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("Registrar fuente estadística"),
        lambda: services.source_save(actor=request.user, **form.cleaned_data),
        success=_("Se registró la fuente."),
        back="genderstats:home",
    )


@require_http_methods(["GET", "POST"])
@protected
def source_edit(request: HttpRequest, slug: str) -> HttpResponse:
    source = get_source(request.user, slug, manage=request.method == "POST")
    if not source.can_manage:
        return render(request, "genderstats/source.html", {"source": source})
    form = SourceForm(request.POST or None, instance=copy.copy(source))
    return _form_page(
        request,
        form,
        _("Fuente: %(name)s") % {"name": source},
        lambda: services.source_save(actor=request.user, source=source, **form.cleaned_data),
        success=_("Se guardaron los cambios de la fuente."),
        back="genderstats:home",
    )


@require_http_methods(["GET", "POST"])
@protected
def indicator_new(request: HttpRequest) -> HttpResponse:
    manager_scope(request.user)
    form = IndicatorForm(request.POST or None)
    return _form_page(
        request,
        form,
        _("Registrar indicador de contexto"),
        lambda: services.indicator_save(actor=request.user, **form.cleaned_data),
        success=_("Se registró el indicador."),
        back="genderstats:home",
    )


@require_http_methods(["GET", "POST"])
@protected
def indicator_edit(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = get_indicator(request.user, slug, manage=request.method == "POST")
    if not indicator.can_manage:
        return render(request, "genderstats/indicator.html", {"indicator": indicator})
    form = IndicatorForm(request.POST or None, instance=copy.copy(indicator))
    return _form_page(
        request,
        form,
        _("Indicador: %(name)s") % {"name": indicator.name},
        lambda: services.indicator_save(
            actor=request.user, indicator=indicator, **form.cleaned_data
        ),
        success=_("Se guardaron los cambios del indicador."),
        back="genderstats:home",
    )


@require_http_methods(["GET", "POST"])
@protected
def import_upload(request: HttpRequest) -> HttpResponse:
    """A file without problems becomes a preview to confirm; one with problems is refused whole
    and shown again with each problem: nothing of it is kept (as the registers' import)."""
    manager_scope(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST":
        services.imports_expire()
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stat_import = services.import_preview(
                    actor=request.user, upload=upload, filename=upload.name
                )
            except services.ImportRefused as exc:
                problems = exc.problems
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return redirect("genderstats:import_detail", stat_import.code)
    return render(
        request,
        "genderstats/import.html",
        {
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - PROBLEMS_SHOWN),
            "preview_hours": PREVIEW_HOURS,
        },
    )


@require_http_methods(["GET", "POST"])
@protected
def import_detail(request: HttpRequest, code) -> HttpResponse:
    try:
        stat_import = get_import(request.user, code, manage=request.method == "POST")
    except ImportGone as gone:
        return render(
            request,
            "genderstats/import_gone.html",
            {"message": str(gone), "preview_hours": PREVIEW_HOURS},
            status=404,
        )
    if request.method == "POST":
        outcome = perform(
            request,
            lambda: services.import_apply(actor=request.user, stat_import=stat_import),
            success=_("Se importaron los valores."),
            flash=True,
        )
        if outcome.ok:
            return redirect("genderstats:import_detail", stat_import.code)
    return render(
        request,
        "genderstats/import_detail.html",
        {
            "stat_import": stat_import,
            "problems": stat_import.problems[:PROBLEMS_SHOWN],
            "more_problems": max(0, len(stat_import.problems) - PROBLEMS_SHOWN),
            # An expired preview offers only a new upload: its rows are not shown.
            "rows": []
            if stat_import.expired
            else selectors.preview_rows(stat_import.rows[:PREVIEW_ROWS]),
            "more_rows": max(0, len(stat_import.rows) - PREVIEW_ROWS),
            "can_apply": stat_import.status == ImportStatus.PREVIEW
            and not stat_import.expired
            and can_manage(reader_scope(request.user)),
            "preview_hours": PREVIEW_HOURS,
        },
    )


@require_POST
@protected
def import_discard(request: HttpRequest, code) -> HttpResponse:
    """Cancel a preview: its row goes, nothing was imported."""
    stat_import = get_import(request.user, code, manage=True)
    outcome = perform(
        request,
        lambda: services.import_discard(actor=request.user, stat_import=stat_import),
        success=_("Se descartó la importación; no se guardó nada."),
        flash=True,
    )
    if not outcome.ok:
        return redirect("genderstats:import_detail", stat_import.code)
    return redirect("genderstats:import")
