"""Pages of the harmonization observatory.

The matrix, the map of a provision, a state's profile, a cell and the downloads are public
(no login). The national coordination manages the catalogue, edits cells and decides the
states' proposals; a state's institute proposes changes to its own cells and follows them.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from transversal.accounts.access import scope_for
from transversal.core.access import forbidden, not_found, protected, public
from transversal.core.exports import neutralise_cell
from transversal.core.forms import NO_CHANGES, perform, submit
from transversal.harmonization import access, selectors, services
from transversal.harmonization.forms import (
    CellForm,
    CitationForm,
    ProvisionEditForm,
    ProvisionForm,
    ReturnForm,
)
from transversal.harmonization.models import (
    CITATION_FIELDS,
    ProposalStatus,
    Provision,
    Topic,
    status_label,
)
from transversal.territory.models import State
from transversal.territory.tiles import in_map_order


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["can_manage_nav"] = access.can_manage(scope_for(request.user))
    return render(request, template, context)


def _filters_context(filters: selectors.Filters) -> dict:
    return {
        "filters": filters,
        "topics": Topic.choices,
        "statuses": [(s, status_label(s)) for s in selectors.SHOWN_STATUSES],
        "all_states": list(State.objects.order_by("code").values_list("code", "short_name")),
        "legend": selectors.legend(),
    }


@require_GET
@public
def matrix(request: HttpRequest) -> HttpResponse:
    filters = selectors.Filters.from_query(request.GET)
    provisions, rows = selectors.matrix(filters)
    query = request.GET.urlencode()
    return _render(
        request,
        "harmonization/matrix.html",
        {
            **_filters_context(filters),
            "provisions": provisions,
            "rows": rows,
            "summary": selectors.summary(provisions, rows),
            "query": query,
            "any_synthetic": any(c is not None and c.is_synthetic for r in rows for c in r.cells),
        },
    )


def _provision_or_404(slug: str) -> Provision:
    provision = Provision.objects.filter(slug=str(slug)[:60], is_active=True).first()
    if provision is None:
        raise not_found()
    return provision


@require_GET
@public
def provision_map(request: HttpRequest, slug: str) -> HttpResponse:
    provision = _provision_or_404(slug)
    cells = selectors.provision_cells(provision)
    tiles = in_map_order(
        [
            {
                "state": cell.state,
                "url": reverse("harmonization:cell", args=[cell.code]),
                "figure": _("Sint.") if cell.is_synthetic else "",
                "label": cell.shown_label,
                "css": cell.css,
            }
            for cell in cells
        ]
    )
    return _render(
        request,
        "harmonization/provision_map.html",
        {
            "provision": provision,
            "cells": cells,
            "tiles": tiles,
            "legend": selectors.legend(),
            "any_synthetic": any(c.is_synthetic for c in cells),
        },
    )


@require_GET
@public
def state_profile(request: HttpRequest, code: str) -> HttpResponse:
    state = State.objects.filter(code=str(code)[:4]).first()
    if state is None:
        raise not_found()
    cells = selectors.state_cells(state)
    scope = scope_for(request.user)
    return _render(
        request,
        "harmonization/state_profile.html",
        {
            "state": state,
            "cells": cells,
            "any_synthetic": any(c.is_synthetic for c in cells),
            "can_propose": state.pk in access.proposing_states(scope),
        },
    )


@require_GET
@public
def cell_detail(request: HttpRequest, code: str) -> HttpResponse:
    cell = access.get_cell(code)
    scope = scope_for(request.user)
    return _render(
        request,
        "harmonization/cell_detail.html",
        {
            "cell": cell,
            "can_propose": cell.state_id in access.proposing_states(scope),
            "can_manage": access.can_manage(scope),
            "can_history": access.can_read_history(scope, cell),
        },
    )


# Downloads -------------------------------------------------------------------------------

HEADERS = (
    "disposicion",
    "tema",
    "entidad_clave",
    "entidad",
    "estado",
    "instrumento",
    "articulo",
    "periodico_oficial",
    "fecha_publicacion",
    "enlace",
    "dato_sintetico",
)


def _download_rows(request: HttpRequest):
    """The matrix as the page shows it (same filters): the status only when published."""
    filters = selectors.Filters.from_query(request.GET)
    provisions, rows = selectors.matrix(filters)
    for row in rows:
        for cell in row.cells:
            if cell is None:
                continue
            # Like the API and the open data: the parts of an incomplete citation stay unpublished.
            cited = cell.is_cited
            yield (
                cell.provision.slug,
                cell.provision.get_topic_display(),
                row.state.code,
                row.state.short_name,
                cell.shown,
                cell.instrument if cited else "",
                cell.article if cited else "",
                cell.gazette if cited else "",
                cell.published_on if cited else None,
                cell.url if cited else "",
                cell.is_synthetic,
            )


def _stem() -> str:
    return f"armonizacion-{timezone.localdate():%Y%m%d}"


@require_GET
@public
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = list(_download_rows(request))
    if fmt == "json":
        data = [
            dict(zip(HEADERS, (*r[:8], r[8].isoformat() if r[8] else None, *r[9:]), strict=True))
            for r in rows
        ]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        for r in rows:
            writer.writerow(
                [
                    neutralise_cell(v)
                    if isinstance(v, str)
                    else (v.isoformat() if hasattr(v, "isoformat") else v)
                    for v in r
                ]
            )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        return _xlsx(rows)
    else:
        raise not_found()
    response["Content-Disposition"] = f'attachment; filename="{_stem()}.{fmt}"'
    return response


def _xlsx(rows) -> FileResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Armonización"))
    sheet.append(list(HEADERS))
    for r in rows:
        sheet.append([neutralise_cell(v) if isinstance(v, str) else v for v in r])
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{_stem()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# National coordination --------------------------------------------------------------------


@require_GET
@protected
def manage(request: HttpRequest) -> HttpResponse:
    access.require_manager(request.user)
    return _render(
        request,
        "harmonization/manage.html",
        {
            "provisions": list(Provision.objects.order_by("order", "slug")),
            "pending": list(selectors.pending_proposals()[:200]),
        },
    )


def _provision_values(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "slug"}


@require_http_methods(["GET", "POST"])
@protected
def provision_new(request: HttpRequest) -> HttpResponse:
    access.require_manager(request.user)
    form = ProvisionForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.provision_add(
                actor=request.user,
                slug=form.cleaned_data["slug"],
                **_provision_values(form.cleaned_data),
            ),
            success=_("Disposición agregada al catálogo, con una celda por entidad."),
        )
        if outcome.ok:
            return redirect("harmonization:map", outcome.result.slug)
    return _form_page(request, form, _("Nueva disposición del catálogo"))


@require_http_methods(["GET", "POST"])
@protected
def provision_edit(request: HttpRequest, slug: str) -> HttpResponse:
    access.require_manager(request.user)
    provision = Provision.objects.filter(slug=str(slug)[:60]).first()
    if provision is None:
        raise not_found()
    initial = {name: getattr(provision, name) for name in services.PROVISION_FIELDS}
    form = ProvisionEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        before = {name: getattr(provision, name) for name in services.PROVISION_FIELDS}
        outcome = submit(
            request,
            form,
            lambda: (
                services.provision_update(
                    actor=request.user, provision=provision, **form.cleaned_data
                )
                and before != {n: getattr(provision, n) for n in services.PROVISION_FIELDS}
            ),
            success=_("Disposición actualizada."),
            unchanged=NO_CHANGES,
        )
        if outcome.ok:
            return redirect("harmonization:manage")
    return _form_page(request, form, _("Editar: %(title)s") % {"title": provision.title})


def _form_page(request, form, title, *, cell=None, intro="") -> HttpResponse:
    return _render(
        request,
        "harmonization/form_page.html",
        {"form": form, "title": title, "cell": cell, "intro": intro},
    )


@require_http_methods(["GET", "POST"])
@protected
def cell_edit(request: HttpRequest, code: str) -> HttpResponse:
    cell = access.get_cell(code)
    # The cell is public: whoever may not edit it is refused with 403, not told it is missing.
    if not access.can_manage(scope_for(request.user)):
        raise forbidden()
    initial = {name: getattr(cell, name) for name in (*CITATION_FIELDS, "is_synthetic")}
    form = CellForm(request.POST or None, initial=initial)
    if request.method == "POST":
        before = dict(initial)
        outcome = submit(
            request,
            form,
            lambda: (
                services.cell_set(actor=request.user, cell=cell, **form.cleaned_data)
                and before != {n: getattr(cell, n) for n in initial}
            ),
            success=_("Celda actualizada."),
            unchanged=NO_CHANGES,
        )
        if outcome.ok:
            return redirect("harmonization:cell", cell.code)
    return _form_page(request, form, _("Editar la celda"), cell=cell)


@require_http_methods(["GET", "POST"])
@protected
def proposal_detail(request: HttpRequest, code: str) -> HttpResponse:
    proposal, scope = access.get_proposal_for_user(request.user, code)
    can_decide = access.can_manage(scope) and proposal.decision == ProposalStatus.PROPOSED
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        if not access.can_manage(scope):
            raise forbidden()
        if request.POST.get("decision") == "accept":
            outcome = perform(
                request,
                lambda: services.proposal_accept(actor=request.user, proposal=proposal),
                success=_("Propuesta aceptada: la celda ya muestra el cambio."),
                flash=True,
            )
            return redirect(
                "harmonization:cell" if outcome.ok else "harmonization:proposal",
                proposal.cell.code if outcome.ok else proposal.code,
            )
        outcome = submit(
            request,
            form,
            lambda: services.proposal_return(
                actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
            ),
            success=_("Propuesta devuelta a la entidad con su motivo."),
        )
        if outcome.ok:
            return redirect("harmonization:manage")
    cell = proposal.cell
    return _render(
        request,
        "harmonization/proposal_detail.html",
        {"proposal": proposal, "cell": cell, "can_decide": can_decide, "form": form},
    )


# States ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@protected
def cell_propose(request: HttpRequest, code: str) -> HttpResponse:
    cell, _scope = access.get_cell_for_proposer(request.user, code)
    initial = {name: getattr(cell, name) for name in CITATION_FIELDS}
    form = CitationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.cell_propose(actor=request.user, cell=cell, **form.cleaned_data),
            success=_("Propuesta enviada a la coordinación nacional."),
        )
        if outcome.ok:
            return redirect("harmonization:proposals")
    intro = _(
        "Su propuesta se publica solo cuando la coordinación nacional la acepta. Cite la "
        "fuente: el instrumento estatal y su artículo, o el periódico oficial y su fecha."
    )
    return _form_page(request, form, _("Proponer un cambio"), cell=cell, intro=intro)


@require_GET
@protected
def proposals(request: HttpRequest) -> HttpResponse:
    """A state's proposals and their status (the national coordination sees them all)."""
    scope = scope_for(request.user)
    if access.can_manage(scope) or scope.is_national:
        state_ids = list(State.objects.values_list("pk", flat=True))
    else:
        state_ids = access.member_states(scope)
        if not state_ids:
            raise not_found()
    return _render(
        request,
        "harmonization/proposals.html",
        {
            "proposals": list(selectors.proposals_of_states(state_ids)[:300]),
            "states": list(State.objects.filter(pk__in=state_ids).order_by("code"))
            if not scope.is_national
            else [],
        },
    )
