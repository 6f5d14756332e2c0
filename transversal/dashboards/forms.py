"""The national dashboard's filters: any bad value falls back to the default with a message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.agreements.models import EmphasisArea
from transversal.dashboards import selectors

MEASURE_CHOICES = [
    (selectors.MEASURE_GREEN, _("Metas en verde (%)")),
    (selectors.MEASURE_PENDING, _("Reportes por revisar")),
    (selectors.MEASURE_OVERDUE, _("Reportes vencidos")),
    (selectors.MEASURE_ON_TIME, _("Acuerdos de coordinación cumplidos a tiempo (%)")),
    (selectors.MEASURE_ASM_OVERDUE, _("Aspectos susceptibles de mejora (ASM) vencidos")),
    (selectors.MEASURE_STAGE, _("Etapa del programa anual de trabajo")),
]


class DashboardFilterForm(forms.Form):
    medida = forms.ChoiceField(
        label=_("Colorear el mapa por"), choices=MEASURE_CHOICES, required=False
    )
    anio = forms.IntegerField(label=_("Año"), required=False, min_value=2000, max_value=2100)
    area = forms.ChoiceField(label=_("Área de énfasis"), required=False)
    ronda = forms.ChoiceField(label=_("Ronda de convenios"), required=False)

    def __init__(self, data, *, years: list[int], rounds: list[str]):
        super().__init__(data)
        self.fields["anio"].widget = forms.Select(
            choices=[("", _("Todos los años"))] + [(year, str(year)) for year in years]
        )
        self.fields["area"].choices = [("", _("Todas las áreas"))] + list(EmphasisArea.choices)
        self.fields["ronda"].choices = [("", _("Todas las rondas"))] + [(r, r) for r in rounds]

    def filters(self) -> selectors.Filters:
        """The valid values; each invalid field falls back to its default."""
        self.is_valid()
        clean = getattr(self, "cleaned_data", {})
        return selectors.Filters(
            measure=clean.get("medida") or selectors.DEFAULT_MEASURE,
            year=clean.get("anio") or None,
            area=clean.get("area") or "",
            round=clean.get("ronda") or "",
        )

    def rejected_labels(self) -> list[str]:
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]
