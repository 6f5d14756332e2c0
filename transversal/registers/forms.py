"""Input forms of the registers. They check shapes; ``services.entry_save`` checks the rules
(totals against their parts, personal data) and saves.

One form serves the four registers: its fields are the register's ``services.ENTRY_FIELDS``,
each built from the model field of the same name (its Spanish verbose name is the label), and
grouped in fieldsets so that the people counted read by sex, by age group and by population
group ("de ellas y ellos")."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from transversal.coordination.forms import InstitutionChoiceField, date_field
from transversal.coordination.models import System
from transversal.core.numbers import CountField, NumberField
from transversal.institutions.models import Institution
from transversal.registers import selectors
from transversal.registers.models import (
    AGE_FIELDS,
    GROUP_FIELDS,
    PEOPLE_WORDS,
    REGISTER_MODELS,
    SEX_FIELDS,
    RegisterKind,
    title_key,
)
from transversal.registers.services import ENTRY_FIELDS
from transversal.territory.models import Municipality

# The register's own fields, in the order of the first fieldsets.
OWN_FIELDSETS: dict[str, list[tuple[object, tuple[str, ...]]]] = {
    RegisterKind.TRAINING: [
        (
            _("El evento"),
            ("name", "topic", "audience", "modality", "hours", "start", "end", "municipality",
             "organiser", "certificates"),
        ),
    ],
    RegisterKind.AFFIRMATIVE: [
        (
            _("La acción"),
            ("name", "legal_basis", "target_group", "start", "end", "municipalities",
             "resources"),
        ),
    ],
    RegisterKind.PARTICIPATION: [
        (
            _("El mecanismo"),
            ("name", "mechanism_kind", "year", "installed_on", "municipality", "system"),
        ),
        (
            _("Integrantes por sector"),
            ("members_government", "members_civil_society", "members_academia",
             "members_private", "members_other"),
        ),
        (_("Actividad del año"), ("sessions_held", "agreements_reached")),
    ],
    RegisterKind.SERVICE: [
        (
            _("El servicio"),
            ("month", "service_type", "violence_related", "municipality", "attentions"),
        ),
    ],
}  # fmt: skip

_MONTH = re.compile(
    r"^\s*(?:(\d{1,2})/)?(\d{1,2})/(\d{4})\s*$"  # mm/aaaa or dd/mm/aaaa
    r"|^\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*$"  # aaaa-mm or aaaa-mm-dd
)


class MonthField(forms.CharField):
    """A month typed as mm/aaaa (dd/mm/aaaa and aaaa-mm also read): its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "mm/aaaa"}))
        kwargs.setdefault("help_text", _("Escriba el mes como mm/aaaa, por ejemplo 03/2026."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%m/%Y")
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        match = _MONTH.match(text)
        if match:
            if match[3]:
                month, year = int(match[2]), int(match[3])
            else:
                month, year = int(match[5]), int(match[4])
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return dt.date(year, month, 1)
        raise forms.ValidationError(
            _("«%(v)s» no es un mes: escríbalo como mm/aaaa, por ejemplo 03/2026.")
            % {"v": text[:20]},
            code="invalid",
        )


class MunicipalityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


class MunicipalitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return obj.name


def _form_field(model, name: str) -> forms.Field:
    """The form field for one of the register's model fields, labelled by its verbose name."""
    field = model._meta.get_field(name)
    label = capfirst(field.verbose_name)
    help_text = field.help_text or ""
    if name == "month":
        return MonthField(label=label)
    if name == "municipality":
        return MunicipalityField(
            label=label,
            queryset=Municipality.objects.none(),
            required=False,
            empty_label=_("Toda la entidad o no aplica"),
        )
    if name == "municipalities":
        return MunicipalitiesField(
            label=label,
            queryset=Municipality.objects.none(),
            required=False,
            help_text=_("Puede elegir varios (Ctrl o Cmd y clic). Sin ninguno: toda la entidad."),
            widget=forms.SelectMultiple(attrs={"size": 8}),
        )
    if name == "system":
        return forms.ModelChoiceField(
            label=label,
            queryset=System.objects.none(),
            required=False,
            empty_label=_("Ninguno"),
        )
    if field.choices:
        return forms.ChoiceField(label=label, choices=[("", "---------"), *field.choices])
    if isinstance(field, models.BooleanField):
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if isinstance(field, models.DateField):
        return date_field(label, required=not field.blank)
    if isinstance(field, models.DecimalField):
        return NumberField(
            label=label,
            required=not field.blank,
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            min_value=0,
        )
    if isinstance(field, models.PositiveSmallIntegerField):  # a year
        return forms.IntegerField(label=label, min_value=2000, max_value=2100)
    if isinstance(field, models.PositiveIntegerField):
        # Blank means "not recorded" for the optional counts; zero for the others.
        return CountField(label=label, required=False, min_value=0, max_value=10_000_000)
    if isinstance(field, models.TextField):
        return forms.CharField(
            label=label,
            required=False,
            max_length=5000,
            help_text=help_text,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    return forms.CharField(
        label=label, max_length=field.max_length, required=not field.blank, help_text=help_text
    )


class EntryForm(forms.Form):
    """One register's entry. ``institutions`` are those the person records for (a new entry
    chooses one); an edit keeps the entry's institution."""

    institution = InstitutionChoiceField(
        label=_("Institución que registra"), queryset=Institution.objects.none()
    )

    def __init__(self, *args, register: str, institutions=None, entry=None, **kwargs):
        self.register = register
        self.only_institution = None
        self.model = REGISTER_MODELS[register]
        self.entry = entry
        if entry is not None:
            kwargs.setdefault("initial", _initial(register, entry))
        super().__init__(*args, **kwargs)
        if entry is not None:
            del self.fields["institution"]
            states = [entry.institution.state_id]
        else:
            institutions = list(institutions or [])
            if len(institutions) == 1:  # nothing to choose: the person's one institution
                self.only_institution = institutions[0]
                del self.fields["institution"]
            else:
                self.fields["institution"].queryset = _institution_queryset(institutions)
            states = sorted({i.state_id for i in institutions if i.state_id})
        for name in ENTRY_FIELDS[register]:
            self.fields[name] = _form_field(self.model, name)
        if register == RegisterKind.AFFIRMATIVE:
            self.fields["municipalities"] = _form_field(self.model, "municipalities")
        places = Municipality.objects.filter(state_id__in=states, is_active=True).order_by("name")
        for name in ("municipality", "municipalities"):
            if name in self.fields:
                self.fields[name].queryset = places
        if "system" in self.fields:
            self.fields["system"].queryset = System.objects.filter(state_id__in=states).order_by(
                "acronym"
            )
        for name, _key in AGE_FIELDS + GROUP_FIELDS:
            self.fields[name].help_text = ""
        # Events of the same institution, start and title: shown with this box, which the
        # person ticks to record the event all the same (``_check_namesakes``).
        self.namesakes: list = []
        if register == RegisterKind.TRAINING:
            self.fields["confirm_duplicate"] = forms.BooleanField(
                label=_("Registrar de todos modos"), required=False
            )

    @property
    def fieldsets(self) -> list[tuple[object, list]]:
        """(legend, bound fields) in the order the page shows them."""
        people = PEOPLE_WORDS[self.register]
        groups: list[tuple[object, tuple[str, ...]]] = [
            *OWN_FIELDSETS[self.register],
            (
                _("%(people)s por sexo") % {"people": people},
                tuple(name for name, _key in SEX_FIELDS),
            ),
            (
                _("%(people)s por grupo de edad (opcional)") % {"people": people},
                tuple(name for name, _key in AGE_FIELDS),
            ),
            (
                _("De ellas y ellos, por grupo de población (opcional)"),
                tuple(name for name, _key in GROUP_FIELDS),
            ),
            (_("Observaciones"), ("notes",)),
        ]
        if "institution" in self.fields:
            groups.insert(0, (_("Registro"), ("institution",)))
        return [(legend, [self[name] for name in names]) for legend, names in groups]

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, CountField) and data.get(name) is None:
                if not self.model._meta.get_field(name).null:
                    data[name] = 0
        institution = self._institution()
        if institution is not None:
            for name in ("municipality", "system"):
                value = data.get(name)
                if value is not None and value.state_id != institution.state_id:
                    self.add_error(name, _("Debe ser de la entidad de la institución."))
            for place in data.get("municipalities") or []:
                if place.state_id != institution.state_id:
                    self.add_error("municipalities", _("Los municipios deben ser de la entidad."))
                    break
            if self.register == RegisterKind.TRAINING:
                self._check_namesakes(institution, data)
        return data

    def _check_namesakes(self, institution, data: dict) -> None:
        """Warn of an event with the same start and title (case, accents and spaces aside)
        already recorded by the institution: probably the same one typed twice. An edit that
        keeps its start and title is not warned again."""
        start, name = data.get("start"), data.get("name")
        if not start or not name:
            return
        key = (start, title_key(name))
        if self.entry is not None and key == (self.entry.start, title_key(self.entry.name)):
            return
        found = selectors.training_namesakes(institution, [start], exclude=self.entry)
        self.namesakes = found.get(key, [])
        if self.namesakes and not data.get("confirm_duplicate"):
            self.add_error(
                "confirm_duplicate",
                forms.ValidationError(
                    _(
                        "Ya hay un evento de esta institución con el mismo título e inicio. "
                        "Si es otro evento, marque «Registrar de todos modos» y guarde de nuevo."
                    ),
                    code="namesake",
                ),
            )

    @property
    def only_namesakes(self) -> bool:
        """Whether the one thing stopping the form is the warning of a possible duplicate."""
        errors = self.errors
        return list(errors) == ["confirm_duplicate"]

    def _institution(self):
        if self.entry is not None:
            return self.entry.institution
        return self.only_institution or self.cleaned_data.get("institution")

    def service_kwargs(self) -> dict:
        """What ``services.entry_save`` takes from this form."""
        data = dict(self.cleaned_data)
        kwargs = {name: data[name] for name in ENTRY_FIELDS[self.register] if name in data}
        if "municipalities" in data:
            kwargs["municipalities"] = list(data["municipalities"])
        if self.entry is None:
            kwargs["institution"] = self._institution()
        return kwargs


def _institution_queryset(institutions):
    return (
        Institution.objects.with_names()
        .filter(pk__in=[i.pk for i in institutions])
        .order_by("state__code", "slug")
    )


def _initial(register: str, entry) -> dict:
    initial = {name: getattr(entry, name) for name in ENTRY_FIELDS[register]}
    for name in ("municipality", "system"):
        if name in initial:
            initial[name] = getattr(entry, f"{name}_id")
    if register == RegisterKind.AFFIRMATIVE:
        initial["municipalities"] = [m.pk for m in entry.municipalities.all()]
    return initial


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la baja"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Queda en el historial de cambios."),
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Archivo (lista de asistencia, reglas de operación, acta…)"))
    description = forms.CharField(
        label=_("Descripción"),
        max_length=300,
        required=False,
        help_text=_("Sin nombres de personas."),
    )
