"""Input forms of the yearly cycle. They check shapes; the services check the rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.agreements.models import Agreement, Commitment, Goal, TechnicalAssistance
from transversal.coordination.forms import date_field
from transversal.core.numbers import NumberField
from transversal.monitoring.models import ReportingPeriod
from transversal.workprogrammes.models import QUARTERS, SOURCES, ProgrammeLine, Source, Stage

SOURCE_LABELS = {
    Source.FEDERAL: (_("Recurso federal aprobado ($)"), _("Recurso federal modificado ($)")),
    Source.STATE: (_("Recurso estatal aprobado ($)"), _("Recurso estatal modificado ($)")),
    Source.IN_KIND: (
        _("Aportación en especie aprobada ($)"),
        _("Aportación en especie modificada ($)"),
    ),
}
EXERCISED_LABELS = {
    Source.FEDERAL: _("Federal ejercido en el trimestre ($)"),
    Source.STATE: _("Estatal ejercido en el trimestre ($)"),
    Source.IN_KIND: _("En especie ejercido en el trimestre ($)"),
}
EXERCISED_HELP = _(
    "Solo lo ejercido en este trimestre, no el acumulado del año: el informe suma los "
    "trimestres enviados."
)
QUARTER_ORDINALS = {1: _("1.er"), 2: _("2.º"), 3: _("3.er"), 4: _("4.º")}


class AgreementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agreement) -> str:
        return f"{obj.state.short_name}: {obj.title}"


class ProgrammeNewForm(forms.Form):
    agreement = AgreementChoiceField(label=_("Convenio"), queryset=Agreement.objects.none())
    year = forms.IntegerField(label=_("Año del programa"), min_value=2000, max_value=2100)

    def __init__(self, *args, agreements=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements


class ProgrammeFilterForm(forms.Form):
    """The list's filters; a bad value is ignored, never an error page."""

    anio = forms.IntegerField(label=_("Año"), min_value=2000, max_value=2100, required=False)
    entidad = forms.CharField(label=_("Entidad"), max_length=2, required=False)
    etapa = forms.ChoiceField(
        label=_("Etapa"), choices=[("", _("Todas"))] + list(Stage.choices), required=False
    )


def goal_label(goal: Goal) -> str:
    """ "Meta N: " and the whole description (``Goal.__str__`` cuts it in the middle of a word)."""
    return str(_("Meta %(n)s: %(text)s") % {"n": goal.number, "text": goal.description})


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Goal) -> str:
        return goal_label(obj)


class LineForm(forms.Form):
    """One goal of the programme: means of verification, area, schedule and resources."""

    goal = GoalChoiceField(label=_("Meta del convenio"), queryset=Goal.objects.none())
    means_of_verification = forms.CharField(
        label=_("Medios de verificación"), widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible_area = forms.CharField(label=_("Área responsable"), max_length=200)

    def __init__(self, *args, goals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        for quarter in QUARTERS:
            self.fields[f"planned_q{quarter}"] = NumberField(
                label=_("Avance programado acumulado al %(q)s trimestre (%%)")
                % {"q": QUARTER_ORDINALS[quarter]},
                required=quarter == 4,
            )
        for source in SOURCES:
            approved, modified = SOURCE_LABELS[source]
            self.fields[f"{source}_approved"] = NumberField(label=approved, required=False)
            self.fields[f"{source}_modified"] = NumberField(
                label=modified,
                required=False,
                help_text=_("Solo si el monto aprobado se modificó."),
            )

    @staticmethod
    def initial_for(line: ProgrammeLine) -> dict:
        initial = {
            "goal": line.goal_id,
            "means_of_verification": line.means_of_verification,
            "responsible_area": line.responsible_area,
        }
        for quarter in QUARTERS:
            initial[f"planned_q{quarter}"] = line.planned(quarter)
        for source in SOURCES:
            for kind in ("approved", "modified"):
                initial[f"{source}_{kind}"] = getattr(line, f"{source}_{kind}")
        return initial

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "goal": data["goal"],
            "means_of_verification": data["means_of_verification"],
            "responsible_area": data["responsible_area"],
            "planned": {q: data.get(f"planned_q{q}") for q in QUARTERS},
            "resources": {
                f"{s}_{k}": data.get(f"{s}_{k}") for s in SOURCES for k in ("approved", "modified")
            },
        }


class ObserveForm(forms.Form):
    line = forms.ModelChoiceField(
        label=_("¿Qué observa?"),
        queryset=ProgrammeLine.objects.none(),
        required=False,
        empty_label=_("Todo el programa"),
    )
    text = forms.CharField(label=_("Observación"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = lines
        self.fields["line"].label_from_instance = lambda line: goal_label(line.goal)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Qué corrigió en atención a lo observado"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Nota (opcional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TextForm(forms.Form):
    text = forms.CharField(label=_("Observación"), widget=forms.Textarea(attrs={"rows": 3}))


class RefundForm(forms.Form):
    amount = NumberField(label=_("Importe reintegrado ($)"))
    reference = forms.CharField(label=_("Referencia (línea de captura o folio)"), max_length=100)
    on = date_field(_("Fecha del reintegro"))


class MinutesForm(forms.Form):
    file = forms.FileField(label=_("Acta de cierre firmada (PDF)"))
    description = forms.CharField(label=_("Descripción"), max_length=300, required=False)


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReportingPeriod) -> str:
        return f"{obj.indicator.name} · {obj.display}"


class ReopenForm(forms.Form):
    period = PeriodChoiceField(
        label=_("Periodo que se reabre"), queryset=ReportingPeriod.objects.none()
    )
    reason = forms.CharField(
        label=_("Motivo de la corrección"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods


class ReportForm(forms.Form):
    """The quarter's report: the narrative and, per goal, what was exercised in the quarter and
    the justification of a deviation. Line fields are named ``l<pk>_<field>``."""

    narrative = forms.CharField(
        label=_("Narrativa del trimestre"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_fields: list[tuple[ProgrammeLine, list[str]]] = []
        for line in lines:
            # Every goal has the same fields: the label names the goal, so that the error
            # summary above the form says which one is wrong.
            goal = _("Meta %(n)s") % {"n": line.goal.number}
            names = []
            for source in SOURCES:
                name = f"l{line.pk}_{source}_exercised"
                self.fields[name] = NumberField(
                    label=f"{goal} · {EXERCISED_LABELS[source]}",
                    required=False,
                    min_value=0,
                    help_text=EXERCISED_HELP,
                )
                names.append(name)
            name = f"l{line.pk}_justification"
            self.fields[name] = forms.CharField(
                label=f"{goal} · {_('Justificación de la desviación')}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            names.append(name)
            self.line_fields.append((line, names))

    @staticmethod
    def initial_for(report) -> dict:
        if report is None:
            return {}
        initial = {"narrative": report.narrative}
        for row in report.lines.all():
            for source in SOURCES:
                initial[f"l{row.line_id}_{source}_exercised"] = row.exercised(source)
            initial[f"l{row.line_id}_justification"] = row.justification
        return initial

    def line_values(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            line.pk: {
                **{f"{s}_exercised": data.get(f"l{line.pk}_{s}_exercised") for s in SOURCES},
                "justification": data.get(f"l{line.pk}_justification", ""),
            }
            for line, _names in self.line_fields
        }

    def rows(self):
        """(line, [bound fields]) for the template."""
        return [(line, [self[name] for name in names]) for line, names in self.line_fields]


class AssistanceRequestForm(forms.Form):
    goals = forms.ModelMultipleChoiceField(
        label=_("Metas del convenio a las que sirve"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    commitments = forms.ModelMultipleChoiceField(
        label=_("Compromisos del convenio a los que sirve"),
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.CharField(label=_("Tema de la asistencia"), max_length=250)
    description = forms.CharField(
        label=_("Qué necesita"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = date_field(_("Fecha deseada"), required=False)

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = agreement.goals.order_by("number")
        self.fields["commitments"].queryset = agreement.commitments.order_by("party", "number")


class AssistanceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TechnicalAssistance) -> str:
        return f"{obj.date:%d/%m/%Y} · {obj.topic}"


class LinkForm(forms.Form):
    assistance = AssistanceChoiceField(
        label=_("Asistencia técnica brindada"), queryset=TechnicalAssistance.objects.none()
    )

    def __init__(self, *args, records=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assistance"].queryset = records
