"""Input forms. They check shapes; the services check the rules and save."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from transversal.coordination.models import (
    DEFAULT_NUMBER_FORMAT,
    MemberRole,
    Resolution,
    Sector,
    SessionKind,
    SessionModality,
    SystemLevel,
    SystemTopic,
)
from transversal.institutions.models import Institution
from transversal.territory.models import Municipality

DATE_WIDGET = {"placeholder": "dd/mm/aaaa"}


def date_field(label, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs=DATE_WIDGET)
    )


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.state.short_name}: {obj}" if obj.state_id else str(obj)


class InstitutionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Institution) -> str:
        return f"{obj.state.short_name}: {obj}" if obj.state_id else str(obj)


def institution_choices(system=None):
    """Institutions a system may name as members or responsibles: the state's own and the
    national institution for a state or municipal system; every non-municipal one for a
    national system."""
    institutions = Institution.objects.with_names().select_related("state")
    if system is None or system.state_id is None:
        institutions = institutions.exclude(kind="municipal_imm")
    else:
        institutions = institutions.filter(Q(state_id=system.state_id) | Q(kind="national"))
    return institutions.order_by("state__code", "slug")


class SystemForm(forms.Form):
    name = forms.CharField(label=_("Nombre del sistema"), max_length=300)
    acronym = forms.CharField(label=_("Siglas"), max_length=30)
    topic = forms.ChoiceField(label=_("Materia"), choices=SystemTopic.choices)
    level = forms.ChoiceField(label=_("Ámbito"), choices=SystemLevel.choices)
    secretariat = InstitutionChoiceField(
        label=_("Secretaría técnica"), queryset=Institution.objects.none()
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipio (sistema municipal)"),
        queryset=Municipality.objects.none(),
        required=False,
    )
    legal_instrument = forms.CharField(label=_("Instrumento jurídico que lo crea"), max_length=400)
    legal_date = date_field(_("Fecha del instrumento"), required=False)
    presidency = forms.CharField(label=_("Presidencia"), max_length=300, required=False)
    quorum_percent = forms.IntegerField(
        label=_("Quórum: más del … % de integrantes con voto"),
        min_value=1,
        max_value=99,
        initial=50,
    )
    number_format = forms.CharField(
        label=_("Formato del número de acuerdo"),
        max_length=80,
        required=False,
        initial=DEFAULT_NUMBER_FORMAT,
        help_text=_(
            "Con {sistema}, {anio}, {tipo} (I, O, E), {sesion} y {numero}; "
            "por ejemplo SEI/2026/O-2/03."
        ),
    )

    def __init__(self, *args, secretariats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretariat"].queryset = secretariats
        states = {inst.state_id for inst in secretariats if inst.state_id}
        self.fields["municipality"].queryset = (
            Municipality.objects.filter(state_id__in=states)
            .select_related("state")
            .order_by("name")
        )


class SystemEditForm(forms.Form):
    name = forms.CharField(label=_("Nombre del sistema"), max_length=300)
    acronym = forms.CharField(label=_("Siglas"), max_length=30)
    legal_instrument = forms.CharField(label=_("Instrumento jurídico que lo crea"), max_length=400)
    legal_date = date_field(_("Fecha del instrumento"), required=False)
    presidency = forms.CharField(label=_("Presidencia"), max_length=300, required=False)
    quorum_percent = forms.IntegerField(
        label=_("Quórum: más del … % de integrantes con voto"), min_value=1, max_value=99
    )
    number_format = forms.CharField(
        label=_("Formato del número de acuerdo"),
        max_length=80,
        help_text=_("Los acuerdos ya registrados conservan su número."),
    )


class MemberForm(forms.Form):
    institution = InstitutionChoiceField(
        label=_("Institución del registro"), queryset=Institution.objects.none(), required=False
    )
    name = forms.CharField(
        label=_("O nombre (organización, consejo, academia)"), max_length=300, required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    role = forms.ChoiceField(label=_("Función"), choices=MemberRole.choices, initial="member")
    has_vote = forms.BooleanField(label=_("Con voto"), required=False, initial=True)
    joined_on = date_field(_("Integrante desde"))

    def __init__(self, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices(system)


class MemberEndForm(forms.Form):
    left_on = date_field(_("Fecha de la baja"))
    reason = forms.CharField(label=_("Motivo de la baja"), max_length=300, required=False)


class CommissionForm(forms.Form):
    name = forms.CharField(label=_("Nombre de la comisión o grupo"), max_length=300)
    purpose = forms.CharField(
        label=_("Objeto"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    coordinator = forms.CharField(label=_("Coordinación"), max_length=300, required=False)


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo de sesión"), choices=SessionKind.choices, initial="ordinary"
    )
    date = date_field(_("Fecha de la sesión"))
    number = forms.IntegerField(
        label=_("Número (vacío: el siguiente del año)"), min_value=1, max_value=99, required=False
    )
    modality = forms.ChoiceField(label=_("Modalidad"), choices=SessionModality.choices)
    place = forms.CharField(label=_("Lugar o enlace"), max_length=300, required=False)


class AgendaForm(forms.Form):
    text = forms.CharField(label=_("Punto del orden del día"), max_length=500)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motivo de la cancelación"), max_length=300)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la reapertura"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Qué error se corrige; queda en el historial de la sesión."),
    )


class MinutesForm(forms.Form):
    file = forms.FileField(label=_("Acta firmada (PDF, DOCX u ODT)"))


class ResolutionForm(forms.Form):
    text = forms.CharField(
        label=_("Texto del acuerdo"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = InstitutionChoiceField(
        label=_("Institución responsable"), queryset=Institution.objects.none()
    )
    co_owners = InstitutionsField(
        label=_("También responsables"), queryset=Institution.objects.none(), required=False
    )
    responsible_person = forms.CharField(
        label=_("Persona responsable"), max_length=200, required=False
    )
    due_date = date_field(_("Fecha compromiso"))

    def __init__(self, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = institution_choices(system)
        self.fields["co_owners"].queryset = institution_choices(system)


class _Labelled(forms.ModelMultipleChoiceField):
    def __init__(self, *args, label_of, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj) -> str:
        return self.label_of(obj)


def link_choices(resolution) -> dict:
    """What an acuerdo may serve: the plan items, convenio goals and indicators of its system's
    secretariat and of its responsible institution. The models are reached through the
    relations (monitoring sits beside coordination, not below it)."""
    ids = {resolution.session.system.secretariat_id, resolution.followup.owner_id}
    model = {name: Resolution._meta.get_field(name).related_model for name in LINKS}
    return {
        "plan_items": model["plan_items"]
        .objects.filter(plan__institution_id__in=ids)
        .select_related("plan")
        .order_by("plan__title", "pk"),
        "goals": model["goals"]
        .objects.filter(agreement__state_institution_id__in=ids)
        .select_related("agreement")
        .order_by("agreement__title", "number"),
        "indicators": model["indicators"].objects.filter(owner_id__in=ids).order_by("name"),
    }


LINKS = ("plan_items", "goals", "indicators")


class ResolutionLinkForm(forms.Form):
    plan_items = _Labelled(
        label=_("Elementos de plan que atiende"),
        queryset=Institution.objects.none(),
        required=False,
        label_of=lambda item: f"{item.plan.title} › {item}",
    )
    goals = _Labelled(
        label=_("Metas de convenio que atiende"),
        queryset=Institution.objects.none(),
        required=False,
        label_of=lambda goal: f"{goal.agreement.title} › {goal}",
    )
    indicators = _Labelled(
        label=_("Indicadores a los que contribuye"),
        queryset=Institution.objects.none(),
        required=False,
        label_of=str,
    )

    def __init__(self, *args, resolution, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in link_choices(resolution).items():
            self.fields[name].queryset = queryset
        if not self.is_bound:
            self.initial = {name: list(getattr(resolution, name).all()) for name in LINKS}
