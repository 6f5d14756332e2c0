"""An indicator's register source: declaring or changing it, and proposing a period's draft.

The figure itself is shown on monitoring's pages through the value source ``feeds`` registers
(the indicator's sheet, the period's report form, each report's review)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from transversal.accounts.access import EDIT, READ, authorize
from transversal.core.access import forbidden, protected
from transversal.core.forms import NO_CHANGES, perform, submit
from transversal.monitoring.access import get_indicator_for_user, get_period_for_user
from transversal.monitoring.services import StaleEdit
from transversal.registers import feeds
from transversal.registers.models import (
    AGGREGATIONS_BY_REGISTER,
    Aggregation,
    IndicatorFeed,
    RegisterKind,
)
from transversal.registers.services import feed_remove, feed_save


def _choice_value(value) -> str:
    return "true" if value is True else "false" if value is False else str(value)


class FeedForm(forms.Form):
    """The register, its aggregation and, for each register, checkboxes for its categories;
    only the chosen register's filters are kept."""

    register = forms.ChoiceField(
        label=gettext_lazy("Registro fuente"), choices=RegisterKind.choices
    )
    aggregation = forms.ChoiceField(
        label=gettext_lazy("Cálculo"),
        choices=Aggregation.choices,
        help_text=gettext_lazy(
            "Las sumas dan un número absoluto (los recursos, un monto en pesos) y el porcentaje "
            "de mujeres, un porcentaje: el tipo de valor de la ficha debe coincidir."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filter_groups: list[tuple[str, str, list[str]]] = []
        for register, label in RegisterKind.choices:
            names = []
            for model_field in feeds.filterable_fields(register):
                name = f"{register}__{model_field.name}"
                self.fields[name] = forms.MultipleChoiceField(
                    label=model_field.verbose_name.capitalize(),
                    required=False,
                    choices=[
                        (_choice_value(value), text)
                        for value, text in feeds.filter_choices(model_field)
                    ],
                    widget=forms.CheckboxSelectMultiple,
                )
                names.append(name)
            if names:
                self.filter_groups.append((register, label, names))

    @staticmethod
    def initial_for(feed: IndicatorFeed | None) -> dict:
        if feed is None:
            return {"register": RegisterKind.TRAINING, "aggregation": Aggregation.PEOPLE}
        initial = {"register": feed.register, "aggregation": feed.aggregation}
        for name, values in (feed.filters or {}).items():
            initial[f"{feed.register}__{name}"] = [_choice_value(v) for v in values]
        return initial

    def filters(self) -> dict[str, list]:
        register = self.cleaned_data["register"]
        chosen = {}
        for model_field in feeds.filterable_fields(register):
            values = self.cleaned_data.get(f"{register}__{model_field.name}") or []
            if values and model_field.get_internal_type() == "BooleanField":
                values = [value == "true" for value in values]
            if values:
                chosen[model_field.name] = values
        return chosen

    def groups(self):
        return [
            (register, label, [self[name] for name in names])
            for register, label, names in self.filter_groups
        ]


def _indicator_for_declaring(user, code: str):
    """The indicator after the access check: outsiders 404 (even on a public indicator: this
    page is not), members who may not declare it 403."""
    indicator, _scope = get_indicator_for_user(user, code, READ)
    scope = authorize(user, indicator.owner, READ)
    if not feeds.can_declare(scope, indicator):
        raise forbidden()
    return indicator


@require_http_methods(["GET", "POST"])
@protected
def feed_edit(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_for_declaring(request.user, code)
    feed = IndicatorFeed.objects.filter(indicator=indicator).first()
    form = FeedForm(request.POST or None, initial=FeedForm.initial_for(feed))
    if request.method == "POST":

        def save():
            data = form.cleaned_data
            before = (feed.register, feed.aggregation, feed.filters) if feed else None
            saved = feed_save(
                actor=request.user,
                indicator=indicator,
                register=data["register"],
                aggregation=data["aggregation"],
                filters=form.filters(),
            )
            return (saved.register, saved.aggregation, saved.filters) != before

        if submit(
            request,
            form,
            save,
            success=_("Se guardó la fuente del indicador."),
            unchanged=NO_CHANGES,
        ).ok:
            return redirect("monitoring:detail", code=indicator.code)
    return render(
        request,
        "registers/feed_edit.html",
        {
            "indicator": indicator,
            "feed": feed,
            "description": feeds.describe_feed(feed) if feed else "",
            "form": form,
            "aggregations": [
                (label, [Aggregation(a).label for a in AGGREGATIONS_BY_REGISTER[register]])
                for register, label in RegisterKind.choices
            ],
        },
    )


@require_POST
@protected
def feed_remove_view(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_for_declaring(request.user, code)
    perform(
        request,
        lambda: feed_remove(actor=request.user, indicator=indicator),
        success=_("Se quitó la fuente: el valor de cada periodo vuelve a capturarse a mano."),
        unchanged=_("El indicador no tenía un registro como fuente."),
    )
    return redirect("monitoring:detail", code=indicator.code)


@require_POST
@protected
def feed_propose_view(request: HttpRequest, code: str, label: str) -> HttpResponse:
    period, _scope = get_period_for_user(request.user, code, label, EDIT)
    url = reverse("monitoring:period", args=[period.indicator.code, period.label])
    # The version of the report the page showed (none: there was no report yet); a malformed
    # one can only be stale, and update_save refuses it as such.
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() and len(raw) < 10 else (None if raw == "" else -1)

    def propose():
        return feeds.feed_propose(
            actor=request.user,
            indicator=period.indicator,
            period=period,
            expected_version=version,
        )

    try:
        perform(
            request,
            propose,
            success=lambda proposal: (
                ngettext(
                    "Se guardó como borrador el valor calculado desde el registro (%(value)s, "
                    "%(n)s registro). Revíselo y envíelo a revisión.",
                    "Se guardó como borrador el valor calculado desde el registro (%(value)s, "
                    "%(n)s registros). Revíselo y envíelo a revisión.",
                    len(proposal.entry_codes),
                )
                % {
                    "value": feeds.format_mx(proposal.value),
                    "n": feeds.format_mx(len(proposal.entry_codes)),
                }
            ),
        )
    except StaleEdit as exc:
        from django.contrib import messages

        messages.error(request, str(exc))
    return redirect(url + "#valor-del-registro")
