"""Input forms. They check shapes; the services check the rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.coordination.forms import InstitutionChoiceField, InstitutionsField, date_field
from transversal.improvement.models import ActionKind, EvaluationKind, FindingSource, Priority
from transversal.institutions.models import Institution
from transversal.monitoring.models import Indicator, ReportingPeriod
from transversal.planning.models import Plan


class _Named(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class EvaluationForm(forms.Form):
    institution = InstitutionChoiceField(
        label=_("Institución evaluada"), queryset=Institution.objects.none()
    )
    year = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Tipo de evaluación"), choices=EvaluationKind.choices)
    title = forms.CharField(label=_("Título"), max_length=300)
    evaluator = forms.CharField(
        label=_("Instancia evaluadora"),
        max_length=300,
        help_text=_("Área interna, despacho externo, órgano de control…"),
    )
    started_on = date_field(_("Inicio"))
    ended_on = date_field(_("Conclusión"), required=False)
    summary = forms.CharField(
        label=_("Resumen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions.order_by("state__code", "slug")

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("La conclusión no puede ser anterior al inicio."))
        return data


class ScopeForm(forms.Form):
    """What an evaluation covers: the evaluated institution's plans, indicators and goals."""

    plans = _Named(label=_("Planes y programas"), queryset=Plan.objects.none(), required=False)
    indicators = _Named(label=_("Indicadores"), queryset=Indicator.objects.none(), required=False)

    def __init__(self, *args, institution=None, **kwargs):
        super().__init__(*args, **kwargs)
        own = Plan.objects.filter(institution=institution)
        if institution.state_id:
            own = own | Plan.objects.filter(state_id=institution.state_id)
        self.fields["plans"].queryset = own.order_by("title")
        self.fields["indicators"].queryset = Indicator.objects.filter(owner=institution).order_by(
            "name"
        )


class ReportForm(forms.Form):
    file = forms.FileField(label=_("Archivo del informe (PDF, Word, Excel)"))
    description = forms.CharField(label=_("Descripción"), max_length=300, required=False)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Hallazgo"), widget=forms.Textarea(attrs={"rows": 3}))


class SourcedFindingForm(FindingForm):
    """A finding outside an evaluation: from a returned report, an acuerdo or a light."""

    institution = InstitutionChoiceField(
        label=_("Institución"), queryset=Institution.objects.none()
    )
    source = forms.ChoiceField(
        label=_("Origen"),
        choices=[c for c in FindingSource.choices if c[0] != FindingSource.EVALUATION],
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicador"), queryset=Indicator.objects.none(), required=False
    )
    period = forms.ModelChoiceField(
        label=_("Periodo del reporte devuelto"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
    )

    field_order = ["institution", "source", "indicator", "period", "text"]

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions.order_by("state__code", "slug")
        ids = list(institutions.values_list("pk", flat=True))
        self.fields["indicator"].queryset = Indicator.objects.filter(owner_id__in=ids).order_by(
            "name"
        )
        self.fields["period"].queryset = ReportingPeriod.objects.filter(
            indicator__owner_id__in=ids, updates__status="returned"
        ).distinct()

    def clean(self):
        data = super().clean()
        period, indicator = data.get("period"), data.get("indicator")
        if period is not None and indicator is None:
            data["indicator"] = period.indicator
        elif period is not None and period.indicator_id != indicator.pk:
            self.add_error("period", _("El periodo es de otro indicador."))
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        label=_("Aspecto susceptible de mejora"), widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(label=_("Clasificación"), choices=ActionKind.choices)
    priority = forms.ChoiceField(label=_("Prioridad"), choices=Priority.choices)
    owner = InstitutionChoiceField(
        label=_("Institución responsable"), queryset=Institution.objects.none()
    )
    co_owners = InstitutionsField(
        label=_("También responsables"), queryset=Institution.objects.none(), required=False
    )
    responsible_person = forms.CharField(
        label=_("Área o cargo responsable"), max_length=200, required=False
    )
    due_date = date_field(_("Fecha compromiso"))

    def __init__(self, *args, finding=None, **kwargs):
        super().__init__(*args, **kwargs)
        institutions = Institution.objects.with_names().select_related("state")
        state = finding.institution.state_id
        if state:
            institutions = institutions.filter(state_id=state) | institutions.filter(
                kind="national"
            )
        else:
            institutions = institutions.exclude(kind="municipal_imm")
        institutions = institutions.order_by("state__code", "slug")
        self.fields["owner"].queryset = institutions
        self.fields["co_owners"].queryset = institutions
        self.initial.setdefault("owner", finding.institution_id)


class ComponentsForm(forms.Form):
    plans = forms.ModelMultipleChoiceField(
        label=_("Planes y programas que integran el modelo"),
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = plans
