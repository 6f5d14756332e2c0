from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.planning.models import ItemLevel, PlanKind, PlanStatus
from transversal.territory.models import State


class PlanFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Tipo"), required=False, choices=[("", _("Todos"))] + PlanKind.choices
    )
    state = forms.ModelChoiceField(
        label=_("Entidad"),
        required=False,
        queryset=State.objects.all(),
        to_field_name="code",
        empty_label=_("Todas (y nacionales)"),
    )
    status = forms.ChoiceField(
        label=_("Estado"), required=False, choices=[("", _("Todos"))] + PlanStatus.choices
    )


class ItemForm(forms.Form):
    level = forms.ChoiceField(label=_("Nivel"), choices=ItemLevel.choices)
    code = forms.CharField(label=_("Número"), max_length=40, required=False)
    text = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DraftItemForm(ItemForm):
    depth = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=20)
    text = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Nota"), required=False, widget=forms.HiddenInput)
    # How sure the reader was (0 to 1); carried through the review only to be shown.
    confidence = forms.FloatField(
        required=False, min_value=0, max_value=1, widget=forms.HiddenInput
    )


DraftItemFormSet = forms.formset_factory(
    DraftItemForm, extra=0, can_delete=True, max_num=5000, absolute_max=5000
)

# Below this confidence an item is marked «Revisar» on the review screen.
REVIEW_BELOW = 0.7


def confidence_words(value: float | None) -> str:
    """The reader's confidence in words, for the review screen (never a colour alone)."""
    if value is None:
        return ""
    if value >= 0.85:
        return str(_("alta"))
    if value >= REVIEW_BELOW:
        return str(_("media"))
    return str(_("baja"))


class SkippedLineForm(forms.Form):
    """A line the reader left out, which the person may include as an item of the plan."""

    include = forms.BooleanField(label=_("Incluir como elemento"), required=False)
    text = forms.CharField(label=_("Texto"), widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(required=False, widget=forms.HiddenInput)
    level = forms.ChoiceField(label=_("Nivel"), choices=ItemLevel.choices)
    code = forms.CharField(label=_("Número"), max_length=40, required=False)
    parent = forms.ChoiceField(label=_("Debajo de"), required=False)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("Primer nivel del plan (al final)"))] + list(
            parents
        )

    def clean(self):
        data = super().clean()
        if not data.get("include"):
            # A line left out is not checked: only what is included must make sense.
            self.errors.clear()
            return {"include": False}
        return data


# The review offers at most this many left-out lines (each with a select of every item): a
# document whose reader left out more is better read again than reviewed line by line.
SKIPPED_SHOWN = 100
SkippedLineFormSet = forms.formset_factory(
    SkippedLineForm, extra=0, max_num=SKIPPED_SHOWN, absolute_max=SKIPPED_SHOWN
)


class DraftPlanForm(forms.Form):
    title = forms.CharField(label=_("Título del plan"), max_length=300)
    start_year = forms.IntegerField(
        label=_("Año de inicio"), required=False, min_value=1900, max_value=2100
    )
    end_year = forms.IntegerField(
        label=_("Año de término"), required=False, min_value=1900, max_value=2100
    )
    issuer_name = forms.CharField(
        label=_("Emisor"),
        max_length=200,
        required=False,
        help_text=_("Quién emitió el plan, si no es la institución responsable."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("El año de término no puede ser anterior al de inicio."))
        return data


class PlanForm(DraftPlanForm):
    """A plan's own fields; its scope (national or a state) follows from the kind and the
    institution."""

    kind = forms.ChoiceField(
        label=_("Tipo de plan"),
        choices=PlanKind.choices,
        help_text=_(
            "Los planes y programas nacionales son de ámbito nacional; los demás, de la entidad de "
            "la institución responsable."
        ),
    )
    field_order = ["kind", "title", "issuer_name", "start_year", "end_year"]


class UploadForm(forms.Form):
    institution = forms.ChoiceField(label=_("Institución responsable"))
    kind = forms.ChoiceField(label=_("Tipo de plan"), choices=PlanKind.choices)
    document = forms.FileField(label=_("Documento"), help_text=_("DOCX, PDF con texto, TXT o MD."))

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.institutions = {i.slug: i for i in institutions}
        self.fields["institution"].choices = [(i.slug, str(i)) for i in institutions]


class ProfileUploadForm(forms.Form):
    document = forms.FileField(label=_("Documento"), help_text=_("DOCX, PDF con texto, TXT o MD."))


class AlignmentForm(forms.Form):
    to_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    to_plan = forms.SlugField(label=_("Plan"), required=False)
    to_code = forms.CharField(label=_("Número del elemento"), max_length=40, required=False)
    note = forms.CharField(label=_("Nota"), required=False, max_length=1000)


class RemoveAlignmentForm(forms.Form):
    reason = forms.CharField(label=_("Motivo"), required=False, max_length=1000)
