"""Input forms. They check shapes; the services check the rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.agreements.models import (
    AgreementStatus,
    EmphasisArea,
    Modality,
    Party,
    SignatorySide,
)
from transversal.core.numbers import CountField, NumberField
from transversal.institutions.models import Institution, InstitutionKind

DATE_WIDGET = {"placeholder": "dd/mm/aaaa"}
AREA_CHOICES = [("", _("Sin área específica")), *EmphasisArea.choices]


def date_field(label, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE_WIDGET)
    )


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.state.short_name}: {obj}" if obj.state_id else str(obj)


class AgreementForm(forms.Form):
    state_institution = InstitutionChoiceField(
        label=_("Instancia de las mujeres en la entidad"),
        queryset=Institution.objects.filter(kind=InstitutionKind.STATE_IMEF)
        .select_related("state")
        .prefetch_related("names")
        .order_by("state__code", "slug"),
    )
    round = forms.CharField(
        label=_("Ronda"),
        max_length=40,
        required=False,
        help_text=_(
            "Por ejemplo: IP-321 (instrucción del 10/10/2014; los convenios comenzaron en 2015)."
        ),
    )
    title = forms.CharField(label=_("Título"), max_length=300)
    signed_on = date_field(_("Fecha de firma"))
    valid_from = date_field(_("Vigente desde"))
    valid_to = date_field(_("Vigente hasta"))
    purpose = forms.CharField(
        label=_("Objeto del convenio"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    emphasis_areas = forms.MultipleChoiceField(
        label=_("Áreas de énfasis"),
        choices=EmphasisArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signed_document = forms.FileField(
        label=_("Convenio firmado (PDF)"),
        required=False,
        help_text=_("Solo PDF. Se guarda en un área privada y se descarga con control de acceso."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the parties of an existing agreement do not change
            del self.fields["state_institution"]


class AmendmentForm(forms.Form):
    signed_on = date_field(_("Fecha de firma"), required=True)
    summary = forms.CharField(
        label=_("Resumen de las modificaciones"), widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(label=_("Documento (PDF)"), required=False)


class CommitmentForm(forms.Form):
    party = forms.ChoiceField(label=_("Parte"), choices=Party.choices)
    number = forms.IntegerField(
        label=_("Número"),
        min_value=1,
        required=False,
        help_text=_("Déjelo vacío para usar el siguiente número de esa parte."),
    )
    text = forms.CharField(label=_("Compromiso"), widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ChoiceField(label=_("Área de énfasis"), choices=AREA_CHOICES, required=False)


class SignatoryForm(forms.Form):
    side = forms.ChoiceField(label=_("Firma"), choices=SignatorySide.choices)
    charge = forms.CharField(
        label=_("Cargo"),
        max_length=200,
        help_text=_("Por ejemplo: Gobernador Constitucional del Estado; Titular del Instituto."),
    )
    name = forms.CharField(label=_("Nombre (opcional)"), max_length=200, required=False)


class CommitmentEditForm(forms.Form):
    text = forms.CharField(label=_("Compromiso"), widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ChoiceField(label=_("Área de énfasis"), choices=AREA_CHOICES, required=False)


class GoalForm(forms.Form):
    number = forms.IntegerField(label=_("Número"), min_value=1)
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}))
    due_date = date_field(_("Fecha de cumplimiento"))
    area = forms.ChoiceField(label=_("Área de énfasis"), choices=AREA_CHOICES, required=False)
    evidence_required = forms.BooleanField(
        label=_("Medio de verificación obligatorio"),
        required=False,
        help_text=_(
            "Los avances de los indicadores de la meta no pueden enviarse a revisión sin evidencia."
        ),
    )


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nuevo estado"), choices=AgreementStatus.choices)
    on = date_field(_("Fecha en que surte efecto"), required=True)
    note = forms.CharField(
        label=_("Nota"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Obligatoria para la terminación anticipada."),
    )

    def __init__(self, *args, choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["to_status"].choices = choices


class AssistanceForm(forms.Form):
    recipient = InstitutionChoiceField(
        label=_("Institución que la recibe"), queryset=Institution.objects.none()
    )
    agreement = forms.ModelChoiceField(
        label=_("Convenio"),
        queryset=None,
        required=False,
        empty_label=_("Sin convenio"),
    )
    provider_name = forms.CharField(
        label=_("Quién la brinda"),
        max_length=250,
        required=False,
        help_text=_("Déjelo vacío si la brinda la institución nacional."),
    )
    topic = forms.CharField(label=_("Tema"), max_length=300)
    area = forms.ChoiceField(label=_("Área de énfasis"), choices=AREA_CHOICES, required=False)
    modality = forms.ChoiceField(label=_("Modalidad"), choices=Modality.choices)
    date = date_field(_("Fecha"), required=True)
    hours = NumberField(label=_("Horas"), max_digits=6, decimal_places=1)
    participants_women = CountField(label=_("Participantes mujeres"), initial=0)
    participants_men = CountField(label=_("Participantes hombres"), initial=0)
    participants_other = CountField(
        label=_("Participantes de otra identidad o que no la declararon"),
        initial=0,
    )
    outcome = forms.CharField(
        label=_("Resultado"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(label=_("Evidencia"), required=False)

    def __init__(self, *args, recipients, agreements, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = (
            Institution.objects.filter(pk__in=[r.pk for r in recipients])
            .select_related("state")
            .prefetch_related("names")
        )
        self.fields["agreement"].queryset = agreements
