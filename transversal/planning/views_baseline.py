"""The page where a plan's editors cite an official statistic (a context indicator of
``genderstats``, reached through the item's foreign key, never imported) as the source of an
item's baseline."""

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
from transversal.planning.access import get_plan_for_user
from transversal.planning.models import PlanItem
from transversal.planning.services import item_baseline_source_set
from transversal.planning.views import _item_or_404


class BaselineSourceForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Fuente estadística de la línea base"),
        queryset=PlanItem._meta.get_field("baseline_source").related_model.objects.none(),
        required=False,
        empty_label=gettext_lazy("Ninguna"),
        help_text=gettext_lazy(
            "Un indicador de contexto de las estadísticas de género (encuesta o registro "
            "oficial). El portal lo muestra junto a las brechas de la entidad."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = PlanItem._meta.get_field("baseline_source").related_model
        self.fields["source"].queryset = model.objects.select_related("source").order_by("name")


@require_http_methods(["GET", "POST"])
@protected
def item_baseline(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    item = _item_or_404(plan, item_id)
    form = BaselineSourceForm(request.POST or None, initial={"source": item.baseline_source_id})
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: item_baseline_source_set(
                actor=request.user, item=item, source=form.cleaned_data["source"]
            ),
            success=_("Se guardó la fuente de la línea base."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("planning:item", code=plan.code, item_id=item.pk)
    return render(
        request, "planning/item_baseline.html", {"plan": plan, "item": item, "form": form}
    )
