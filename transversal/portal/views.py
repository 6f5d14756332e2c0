"""The public portal (/portal/) and open data (/datos/): no login, only published data.

Every query goes through :mod:`transversal.portal.selectors`, which holds the
public filters; an unknown or unpublished key gets a 404 with a Spanish message
that does not say whether the object exists unpublished.
"""

from __future__ import annotations

import json
import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from transversal.agreements.models import Party
from transversal.audit.stamp import cached
from transversal.core.access import public
from transversal.core.pagination import page_query, paginate
from transversal.core.uploads import attachment_response
from transversal.monitoring import rules
from transversal.portal import datasets, selectors
from transversal.portal.filecache import cached_response

OPEN_DATA_CACHE = "public, max-age=300"


def _code_or_404(code: str, message: str) -> str:
    try:
        return str(uuid.UUID(code))
    except ValueError:
        raise Http404(message) from None


# Portal ---------------------------------------------------------------------------------


@require_GET
@public
def home(request: HttpRequest) -> HttpResponse:
    # The same for every visitor: its counts (a COUNT over every approved report) are read once
    # per data stamp and day (audit.stamp), not on each visit.
    figures = cached(
        request,
        "portal-home",
        (),
        lambda: {
            "published": selectors.published_counts(),
            "nation": selectors.goal_light_summary(selectors.public_goals()),
            "states": selectors.state_list(),
        },
    )
    return render(request, "portal/home.html", {**figures, "legend": rules.ROLLUP_LEGEND})


@require_GET
@public
def state_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/state_list.html",
        {"states": selectors.state_list(), "legend": rules.ROLLUP_LEGEND},
    )


@require_GET
@public
def state_detail(request: HttpRequest, slug: str) -> HttpResponse:
    states = selectors.states_by_slug()
    state = states.get(slug)
    if state is None:
        by_code = {s.code: key for key, s in states.items()}
        if slug in by_code:  # an INEGI code ("10") leads to the readable address
            return redirect("portal:state", slug=by_code[slug], permanent=True)
        raise Http404(
            _("No existe una entidad federativa con la clave «%(slug)s».") % {"slug": slug[:40]}
        )
    goals = selectors.public_goals().filter(agreement__state=state)
    return render(
        request,
        "portal/state_detail.html",
        {
            "state": state,
            "slug": slug,
            "summary": selectors.goal_light_summary(goals),
            "legend": rules.ROLLUP_LEGEND,
            "institutions": list(selectors.institution_profiles().filter(state=state)),
            "agreements": list(selectors.agreement_list().filter(state=state)),
            "plans": list(selectors.plan_list().filter(state=state)),
            "indicators": list(selectors.indicator_list().filter(owner__state=state)),
        },
    )


@require_GET
@public
def institution_detail(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.institution_profiles().filter(slug=slug).first()
    if institution is None:
        raise Http404(_("No existe una institución con la clave «%(slug)s».") % {"slug": slug[:60]})
    return render(
        request,
        "portal/institution_detail.html",
        {
            "institution": institution,
            "state_slug": selectors.state_slug(institution.state) if institution.state else "",
            "plans": list(selectors.plan_list().filter(institution=institution)),
            "indicators": list(selectors.indicator_list().filter(owner=institution)),
        },
    )


@require_GET
@public
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/plan_list.html", {"plans": list(selectors.plan_list())})


@require_GET
@public
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = selectors.public_plans().with_owner().filter(code=code).first()
    if plan is None:
        raise Http404(_("No hay un plan publicado con la clave «%(code)s».") % {"code": code[:80]})
    return render(
        request, "portal/plan_detail.html", {"plan": plan, "tree": selectors.plan_tree(plan)}
    )


@require_GET
@public
def agreement_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/agreement_list.html",
        {
            "agreements": list(selectors.agreement_list()),
            "legend": rules.ROLLUP_LEGEND,
        },
    )


@require_GET
@public
def agreement_detail(request: HttpRequest, code: str) -> HttpResponse:
    message = _("No hay un convenio publicado con esa clave.")
    agreement = selectors.agreement_detail().filter(code=_code_or_404(code, message)).first()
    if agreement is None:
        raise Http404(message)
    commitments = list(agreement.commitments.all())
    return render(
        request,
        "portal/agreement_detail.html",
        {
            "agreement": agreement,
            "national_commitments": [c for c in commitments if c.party == Party.NATIONAL],
            "state_commitments": [c for c in commitments if c.party == Party.STATE],
            "goals": list(agreement.goals.all()),
            "amendments": list(agreement.amendments.all()),
            "legend": rules.ROLLUP_LEGEND,
        },
    )


@require_GET
@public
def indicator_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.indicator_list())
    return render(
        request,
        "portal/indicator_list.html",
        {
            "indicators": list(page.object_list),
            "page": page,
            "page_query": page_query(request),
        },
    )


@require_GET
@public
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    message = _("No hay un indicador público con esa clave.")
    indicator = selectors.indicator_detail().filter(code=_code_or_404(code, message)).first()
    if indicator is None:
        raise Http404(message)
    return render(
        request,
        "portal/indicator_detail.html",
        {
            "indicator": indicator,
            "state_slug": selectors.state_slug(indicator.owner.state)
            if indicator.owner.state
            else "",
            "rows": selectors.indicator_periods(indicator),
            "goals": selectors.indicator_goals(indicator),
            "legend": rules.legend(indicator.thresholds),
            "min_count": selectors.min_count(),
        },
    )


@require_GET
@public
def evidence_download(request: HttpRequest, code: str) -> FileResponse:
    """A public evidence file of an approved, current report of a public indicator; anything else
    is 404."""
    message = _("No hay una evidencia pública con esa clave.")
    evidence = selectors.public_evidence().filter(code=_code_or_404(code, message)).first()
    if evidence is None:
        raise Http404(message)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(message) from None
    return attachment_response(handle, evidence.original_name, evidence.mime_type)


# Open data ------------------------------------------------------------------------------


@require_GET
@public
def data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/data_index.html",
        {
            "datasets": datasets.DATASETS,
            "code_tables": datasets.code_tables(),
            "license": datasets.LICENSE,
            "min_count": selectors.min_count(),
        },
    )


@require_GET
@public
def datapackage(request: HttpRequest) -> HttpResponse:
    # The descriptor is a file about Spanish data: always in Spanish, whatever the visitor's
    # language.
    with translation.override("es-mx"):
        body = json.dumps(
            datasets.descriptor(request.build_absolute_uri("/datos/")), ensure_ascii=False, indent=2
        )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _open_data_headers(response)


@require_GET
@public
def dataset_csv(request: HttpRequest, name: str) -> StreamingHttpResponse:
    dataset = _dataset_or_404(name)
    response = cached_response(
        request,
        dataset.name,
        "csv",
        lambda: datasets.stream_csv(dataset),
        "text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.csv"'
    return _open_data_headers(response)


@require_GET
@public
def dataset_json(request: HttpRequest, name: str) -> StreamingHttpResponse:
    dataset = _dataset_or_404(name)
    response = cached_response(
        request,
        dataset.name,
        "json",
        lambda: datasets.stream_json(dataset),
        "application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{dataset.name}.json"'
    return _open_data_headers(response)


def _dataset_or_404(name: str) -> datasets.Dataset:
    dataset = datasets.BY_NAME.get(name)
    if dataset is None:
        raise Http404(
            _("No existe el conjunto de datos «%(name)s». Consulte la lista en /datos/.")
            % {"name": name[:60]}
        )
    return dataset


def _open_data_headers(response: HttpResponse) -> HttpResponse:
    # Public, anonymous data: any site may read it (no cookies are involved).
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = OPEN_DATA_CACHE
    response["X-Content-Type-Options"] = "nosniff"
    return response
