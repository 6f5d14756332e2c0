from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from transversal.core.access import public
from transversal.directory.views_institutions import profile_context
from transversal.institutions.selectors import institution_profiles, states_with_institutes
from transversal.monitoring import rules
from transversal.territory.models import State


@require_GET
@public
def state_list(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/state_list.html", {"states": states_with_institutes()})


@require_GET
@public
def state_detail(request: HttpRequest, code: str) -> HttpResponse:
    state = State.objects.select_related("summary").filter(code=code).first()
    if state is None:
        raise Http404(
            _(
                "No existe una entidad federativa con la clave «%(code)s». "
                "Las claves van de 01 a 32."
            )
            % {"code": code[:10]}
        )
    institutions = list(institution_profiles().filter(state=state))
    return render(
        request,
        "directory/state_detail.html",
        {
            "state": state,
            "summary": getattr(state, "summary", None),
            "legend": rules.ROLLUP_LEGEND,
            "profiles": [profile_context(request.user, inst) for inst in institutions],
        },
    )
