from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.core.numbers import NumberField
from transversal.monitoring.models import (
    PARTITION_CATEGORIES,
    SUBSET_GROUPS,
    Disaggregation,
    Indicator,
)
from transversal.monitoring.periods import DEFAULT_DUE_DAYS, MAX_DUE_DAYS
from transversal.monitoring.services import SHEET_FIELDS


class IndicatorForm(forms.ModelForm):
    disaggregations = forms.MultipleChoiceField(
        label=_("Otras desagregaciones"),
        required=False,
        choices=[c for c in Disaggregation.choices if c[0] != Disaggregation.SEX],
        widget=forms.CheckboxSelectMultiple,
    )
    required_disaggregations = forms.MultipleChoiceField(
        label=_("Desagregaciones obligatorias al enviar"),
        required=False,
        choices=Disaggregation.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Deben estar también previstas en la ficha (sexo, si se desagrega por sexo)."),
    )

    class Meta:
        model = Indicator
        fields = list(SHEET_FIELDS)  # one list of the sheet's fields (monitoring.services)
        # Figures are typed the Mexican way ("1,200.5") and shown without trailing zeros.
        field_classes = {
            name: NumberField
            for name in (
                "baseline_value",
                "threshold_green",
                "threshold_yellow",
                "threshold_overachievement",
            )
        }
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 2}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
            "assumptions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rule's two choices default to the model's (value / target, each period's value)
        # when a form that predates them is posted.
        for name in ("progress_basis", "accumulation"):
            self.fields[name].required = False

    def sheet(self) -> dict:
        sheet = {name: self.cleaned_data[name] for name in self.Meta.fields}
        for name in ("progress_basis", "accumulation"):
            sheet[name] = sheet[name] or Indicator._meta.get_field(name).default
        return sheet


class CalendarForm(forms.Form):
    start = forms.DateField(
        label=_("Desde"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/aaaa"})
    )
    end = forms.DateField(
        label=_("Hasta"), widget=forms.DateInput(attrs={"placeholder": "dd/mm/aaaa"})
    )
    due_days = forms.IntegerField(
        label=_("Días para reportar después del cierre"),
        min_value=0,
        max_value=MAX_DUE_DAYS,
        initial=DEFAULT_DUE_DAYS,
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
            self.fields[period.label] = NumberField(
                label=period.display,
                required=False,
                max_digits=18,
                decimal_places=4,
                initial=period.target,
                disabled=period.locked,
                widget=forms.TextInput(attrs={"size": 10}),
            )

    def targets(self) -> dict:
        return {p.label: self.cleaned_data.get(p.label) for p in self.periods if not p.locked}

    def rows(self):
        return [(period, self[period.label]) for period in self.periods]


class UpdateForm(forms.Form):
    """The report for one period: value (or numerator and denominator), narrative and breakdowns."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    value = NumberField(
        label=_("Valor"),
        required=False,
        max_digits=18,
        decimal_places=4,
    )
    numerator = NumberField(
        label=_("Numerador"),
        required=False,
        max_digits=18,
        decimal_places=4,
    )
    denominator = NumberField(
        label=_("Denominador"),
        required=False,
        max_digits=18,
        decimal_places=4,
    )
    narrative = forms.CharField(
        label=_("Narrativa del avance"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    disaggregation_note = forms.CharField(
        label=_("Si las desagregaciones no suman el total, explique por qué"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.breakdown_fields: list[tuple[str, str, list[str]]] = []
        if indicator.numerator_label:
            self.fields["numerator"].help_text = indicator.numerator_label
        if indicator.denominator_label:
            self.fields["denominator"].help_text = indicator.denominator_label
        for dimension in indicator.all_disaggregations:
            names = []
            categories = PARTITION_CATEGORIES.get(dimension)
            if categories is None and dimension in SUBSET_GROUPS:
                categories = (("of_which", _("De ellas o ellos")),)
            for category, label in categories or ():
                name = f"d__{dimension}__{category}"
                self.fields[name] = NumberField(
                    label=label,
                    required=False,
                    max_digits=18,
                    decimal_places=4,
                    widget=forms.TextInput(attrs={"size": 8}),
                )
                names.append(name)
            if names:
                self.breakdown_fields.append((dimension, Disaggregation(dimension).label, names))

    def clean(self):
        data = super().clean()
        for name, number in data.items():
            if isinstance(number, Decimal) and not number.is_finite():
                self.add_error(name, _("El valor debe ser un número finito."))
        return data

    def breakdown(self) -> dict[str, dict[str, Decimal]]:
        result: dict[str, dict[str, Decimal]] = {}
        for dimension, _label, names in self.breakdown_fields:
            for name in names:
                number = self.cleaned_data.get(name)
                if number is not None:
                    result.setdefault(dimension, {})[name.split("__", 2)[2]] = number
        return result

    def breakdown_groups(self):
        return [
            (label, [self[name] for name in names]) for _d, label, names in self.breakdown_fields
        ]

    @staticmethod
    def initial_for(update) -> dict:
        if update is None:
            return {}
        initial = {
            "version": update.version,
            "value": update.value,
            "numerator": update.numerator,
            "denominator": update.denominator,
            "narrative": update.narrative,
            "disaggregation_note": update.disaggregation_note,
        }
        for row in update.breakdown.all():
            initial[f"d__{row.dimension}__{row.category}"] = row.value
        return initial


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Archivo de evidencia"))
    description = forms.CharField(label=_("Descripción"), required=False, max_length=300)
    is_public = forms.BooleanField(label=_("Se puede publicar en el portal"), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Observación"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la corrección"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
