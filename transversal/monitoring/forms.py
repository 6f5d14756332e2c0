from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.monitoring.models import Disaggregation, Indicator
from transversal.monitoring.periods import DEFAULT_DUE_DAYS, MAX_DUE_DAYS


class IndicatorForm(forms.ModelForm):
    disaggregations = forms.MultipleChoiceField(
        label=_("Desagregaciones (además de sexo)"), required=False,
        choices=[c for c in Disaggregation.choices if c[0] != Disaggregation.SEX],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = [
            "name", "definition", "formula", "numerator_label", "denominator_label", "unit", "measure",
            "frequency", "direction", "dimension", "kind", "mir_level", "baseline_year", "baseline_value",
            "means_of_verification", "assumptions", "data_source", "threshold_green", "threshold_yellow",
            "threshold_overachievement", "disaggregations", "is_public",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
            "assumptions": forms.Textarea(attrs={"rows": 2}),
        }

    def sheet(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CalendarForm(forms.Form):
    start = forms.DateField(label=_("Desde"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/aaaa"}))
    end = forms.DateField(label=_("Hasta"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/aaaa"}))
    due_days = forms.IntegerField(
        label=_("Días para reportar después del cierre"), min_value=0, max_value=MAX_DUE_DAYS, initial=DEFAULT_DUE_DAYS
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("La fecha final debe ser posterior a la inicial."))
        return data


class TargetsForm(forms.Form):
    """One decimal field per period, named by its label."""

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = list(periods)
        for period in self.periods:
            self.fields[period.label] = forms.DecimalField(
                label=period.display, required=False, max_digits=18, decimal_places=4,
                initial=period.target, disabled=period.locked,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )

    def targets(self) -> dict:
        return {p.label: self.cleaned_data.get(p.label) for p in self.periods if not p.locked}

    def rows(self):
        return [(period, self[period.label]) for period in self.periods]
