from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.reports.assembly import ReportError, parse_period
from transversal.reports.models import ReportFormat, ReportJob


class ReportForm(forms.Form):
    """State (or national), period label and format. Offers only the scopes the person may ask
    for."""

    scope = forms.ChoiceField(label=_("Entidad federativa"))
    period = forms.CharField(
        label=_("Periodo"),
        max_length=12,
        help_text=_(
            "Por ejemplo 2025-T4 (trimestre), 2025-S2 (semestre), 2025 (año) o 2025-M03 (mes)."
        ),
        widget=forms.TextInput(attrs={"placeholder": "2025-T4", "size": 10, "autocomplete": "off"}),
    )
    format = forms.ChoiceField(
        label=_("Formato"),
        choices=ReportFormat.choices,
        initial=ReportFormat.PDF,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, states=(), national: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(ReportJob.NATIONAL, _("Nacional (todas las entidades)"))] if national else []
        choices += [(state.code, state.short_name) for state in states]
        self.fields["scope"].choices = choices
        self.states = {state.code: state for state in states}

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip().upper()
        try:
            parse_period(value)
        except ReportError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value

    def state(self):
        """The chosen State, or None for the national report."""
        return self.states.get(self.cleaned_data["scope"])
