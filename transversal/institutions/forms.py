from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.institutions.models import (
    Institution,
    InstitutionKind,
    LegalForm,
    NameChange,
    OperatingStatus,
)
from transversal.territory.models import Municipality, State

DATE_WIDGET = {"placeholder": "dd/mm/aaaa"}


class ProfileForm(forms.ModelForm):
    objectives = forms.CharField(
        label=_("Objetivos institucionales"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Un objetivo por renglón, en el orden en que se numeran."),
    )

    class Meta:
        model = Institution
        fields = [
            "legal_form",
            "creation_instrument",
            "creation_number",
            "creation_date",
            "creation_gazette",
            "mission",
            "vision",
        ]
        widgets = {
            "creation_date": forms.DateInput(attrs={"placeholder": "dd/mm/aaaa"}),
            "mission": forms.Textarea(attrs={"rows": 4}),
            "vision": forms.Textarea(attrs={"rows": 4}),
        }

    def objective_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["objectives"].splitlines() if line.strip()
        ]


class InstitutionEditForm(ProfileForm):
    """The profile plus what the registry keeps: status, head, agency, source."""

    class Meta(ProfileForm.Meta):
        fields = [
            *ProfileForm.Meta.fields[:1],
            "legal_form_other",
            "operating_status",
            "agency_name",
            "head_name",
            "head_charge",
            *ProfileForm.Meta.fields[1:5],
            "source",
            *ProfileForm.Meta.fields[5:],
        ]
        widgets = ProfileForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind != InstitutionKind.GENDER_UNIT:
            del self.fields["agency_name"]
        self.fields["operating_status"].required = False

    def clean_operating_status(self) -> str:
        # Left out of a post, the status stays as it is.
        return self.cleaned_data["operating_status"] or self.instance.operating_status


class NameForm(forms.Form):
    """A rename or a transformation, with the instrument that made it."""

    name = forms.CharField(label=_("Nuevo nombre"), max_length=250)
    acronym = forms.CharField(label=_("Siglas"), max_length=30, required=False)
    change = forms.ChoiceField(
        label=_("Tipo de cambio"),
        choices=[(NameChange.RENAME, NameChange.RENAME.label)]
        + [(NameChange.TRANSFORMATION, NameChange.TRANSFORMATION.label)],
        initial=NameChange.RENAME,
        required=False,
    )
    legal_form = forms.ChoiceField(
        label=_("Naturaleza jurídica"),
        choices=[("", _("Sin cambio"))] + LegalForm.choices,
        required=False,
    )
    legal_form_other = forms.CharField(
        label=_("Otra naturaleza jurídica"), max_length=200, required=False
    )
    valid_from = forms.DateField(
        label=_("Vigente desde"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET),
        help_text=_("Déjela vacía si no se conoce: el nombre anterior queda sin fecha de fin."),
    )
    instrument = forms.CharField(
        label=_("Instrumento (decreto, ley, acuerdo)"), max_length=300, required=False
    )
    instrument_number = forms.CharField(label=_("Número"), max_length=40, required=False)
    instrument_date = forms.DateField(
        label=_("Fecha de publicación"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET)
    )
    instrument_gazette = forms.CharField(
        label=_("Medio de publicación"), max_length=200, required=False
    )
    source = forms.CharField(
        label=_("Fuente (título y dirección del documento)"), max_length=500, required=False
    )

    def clean_change(self) -> str:
        return self.cleaned_data["change"] or NameChange.RENAME


class MunicipalityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name}, {obj.state.short_name} ({obj.code})"


class RegisterForm(forms.Form):
    """A new institution of the registry. ``kinds`` and ``states`` are what the person may
    register: the national coordination everything, a state's admin its municipal instances."""

    kind = forms.ChoiceField(label=_("Tipo de institución"))
    state = forms.ModelChoiceField(
        label=_("Entidad federativa"), queryset=State.objects.none(), to_field_name="code"
    )
    municipality = MunicipalityChoice(
        label=_("Municipio (instancia municipal)"),
        queryset=Municipality.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("Solo los municipios vigentes en el catálogo del INEGI."),
    )
    agency_name = forms.CharField(
        label=_("Dependencia (unidad de género)"), max_length=250, required=False
    )
    name = forms.CharField(label=_("Nombre oficial"), max_length=250)
    acronym = forms.CharField(label=_("Siglas"), max_length=30, required=False)
    name_valid_from = forms.DateField(
        label=_("Nombre vigente desde"),
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET),
        help_text=_("Déjela vacía si no se conoce."),
    )
    legal_form = forms.ChoiceField(
        label=_("Naturaleza jurídica"), choices=[("", "—")] + LegalForm.choices, required=False
    )
    legal_form_other = forms.CharField(
        label=_("Otra naturaleza jurídica"), max_length=200, required=False
    )
    operating_status = forms.ChoiceField(
        label=_("Situación"), choices=OperatingStatus.choices, initial=OperatingStatus.OPERATING
    )
    head_name = forms.CharField(label=_("Persona titular"), max_length=200, required=False)
    head_charge = forms.CharField(
        label=_("Cargo de la persona titular"), max_length=200, required=False
    )
    creation_instrument = forms.CharField(
        label=_("Instrumento de creación"), max_length=300, required=False
    )
    creation_number = forms.CharField(label=_("Número"), max_length=40, required=False)
    creation_date = forms.DateField(
        label=_("Fecha de publicación"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET)
    )
    creation_gazette = forms.CharField(
        label=_("Medio de publicación"), max_length=200, required=False
    )
    source = forms.CharField(
        label=_("Fuente (título y dirección del documento)"), max_length=500, required=False
    )

    def __init__(self, *args, kinds, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, InstitutionKind(k).label) for k in kinds]
        self.fields["state"].queryset = states
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(is_active=True, state__in=states)
            .select_related("state")
            .order_by("state__code", "name")
        )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if data["kind"] != InstitutionKind.GENDER_UNIT:
            data["agency_name"] = ""
        return data
