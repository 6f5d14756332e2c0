"""Input forms. They check shapes; the services check the rules and save."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from transversal.coordination.forms import InstitutionChoiceField, InstitutionsField, date_field
from transversal.coordination.models import Resolution
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
    """A finding outside an evaluation: from a returned report, an acuerdo or a light.

    The most precise reference chosen decides where the finding belongs: a returned report
    gives its indicator, and an indicator gives its institution, so the person never has to
    keep three lists in step (the labels say whose each option is)."""

    institution = InstitutionChoiceField(
        label=_("Institución"),
        queryset=Institution.objects.none(),
        help_text=_("Con un indicador o un reporte devuelto, la institución es la que lo tiene."),
    )
    source = forms.ChoiceField(
        label=_("Origen"),
        choices=[
            (value, label)
            for source in (
                FindingSource.RETURNED_REPORT,
                FindingSource.RED_LIGHT,
                FindingSource.RESOLUTION,
            )
            for value, label in FindingSource.choices
            if value == source
        ],
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicador"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("Para un reporte devuelto no hace falta: es el indicador del reporte."),
    )
    period = forms.ModelChoiceField(
        label=_("Reporte devuelto"),
        queryset=ReportingPeriod.objects.none(),
        required=False,
        help_text=_("Solo cuando el origen es «Reporte devuelto»."),
    )

    resolution = forms.ModelChoiceField(
        label=_("Acuerdo de sesión"),
        queryset=Resolution.objects.none(),
        required=False,
        help_text=_("Solo cuando el origen es «Acuerdo de sesión»."),
    )

    field_order = ["institution", "source", "period", "resolution", "indicator", "text"]

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions.order_by("state__code", "slug")
        ids = list(institutions.values_list("pk", flat=True))
        self.fields["indicator"].queryset = (
            Indicator.objects.filter(owner_id__in=ids)
            .select_related("owner__state")
            .prefetch_related("owner__names")
            .order_by("name", "pk")
        )
        self.fields["period"].queryset = (
            ReportingPeriod.objects.filter(
                indicator__owner_id__in=ids,
                pk__in=ReportingPeriod.objects.filter(updates__status="returned").values("pk"),
            )
            .select_related("indicator__owner__state")
            .prefetch_related("indicator__owner__names")
            .order_by("indicator__name", "indicator_id", "start")
        )
        self.fields["resolution"].queryset = (
            Resolution.objects.filter(
                Q(followup__owner_id__in=ids)
                | Q(followup__co_owners__in=ids)
                | Q(session__system__secretariat_id__in=ids)
            )
            .select_related("followup")
            .distinct()
            .order_by("-session__date", "number")
        )
        self.fields["resolution"].label_from_instance = lambda resolution: (
            f"{resolution.folio}: {Truncator(resolution.followup.text).chars(90)}"
        )
        several = len(ids) > 1
        self.fields["indicator"].label_from_instance = lambda indicator: self._whose(
            indicator.name, indicator.owner, several
        )
        self.fields["period"].label_from_instance = lambda period: self._whose(
            f"{period.indicator.name}, {period.display}", period.indicator.owner, several
        )

    @staticmethod
    def _whose(text: str, owner: Institution, several: bool) -> str:
        return f"{text} — {owner}" if several else text

    def clean(self):
        data = super().clean()
        period, source = data.get("period"), data.get("source")
        if period is not None and source and source != FindingSource.RETURNED_REPORT:
            self.add_error("period", _("Indique un reporte devuelto solo si ese es el origen."))
            return data
        resolution = data.get("resolution")
        if resolution is not None and source and source != FindingSource.RESOLUTION:
            self.add_error("resolution", _("Indique un acuerdo solo si ese es el origen."))
            return data
        if period is not None:
            data["indicator"] = period.indicator
        if data.get("indicator") is not None:
            data["institution"] = data["indicator"].owner
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
