"""Forms of a follow-up item's panel. They check shapes; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = {"placeholder": "dd/mm/aaaa"}


class NoteForm(forms.Form):
    on = forms.DateField(
        label=_("Fecha del avance"), required=False, widget=forms.DateInput(attrs=DATE_WIDGET)
    )
    text = forms.CharField(
        label=_("Avance"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Archivo de evidencia"))
    description = forms.CharField(label=_("Descripción"), required=False, max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Observación (opcional)"), required=False, max_length=2000)
