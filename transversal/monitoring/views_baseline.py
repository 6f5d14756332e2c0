"""The page where an indicator's editors cite an official statistic (a context indicator of
``genderstats``) as the source of its baseline."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from transversal.accounts.access import EDIT
from transversal.core.access import protected
from transversal.core.forms import NO_CHANGES, submit
from transversal.genderstats.models import ContextIndicator
from transversal.monitoring.access import get_indicator_for_user
from transversal.monitoring.services import indicator_baseline_source_set


class BaselineSourceForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Fuente estadística de la línea base"),
        queryset=ContextIndicator.objects.select_related("source").order_by("name"),
        required=False,
        empty_label=gettext_lazy("Ninguna"),
        help_text=gettext_lazy(
            "Un indicador de contexto de las estadísticas de género (encuesta o registro "
            "oficial). El portal lo muestra junto a las brechas de la entidad."
        ),
    )


@require_http_methods(["GET", "POST"])
@protected
def indicator_baseline(request: HttpRequest, code: str) -> HttpResponse:
    indicator, _scope = get_indicator_for_user(request.user, code, EDIT)
    form = BaselineSourceForm(
        request.POST or None, initial={"source": indicator.baseline_source_id}
    )
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: indicator_baseline_source_set(
                actor=request.user, indicator=indicator, source=form.cleaned_data["source"]
            ),
            success=_("Se guardó la fuente de la línea base."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("monitoring:detail", indicator.code)
    return render(
        request, "monitoring/indicator_baseline.html", {"indicator": indicator, "form": form}
    )
