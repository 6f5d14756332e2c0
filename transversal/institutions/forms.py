from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.institutions.models import Institution


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


class NameForm(forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=250)
    acronym = forms.CharField(label=_("Siglas"), max_length=30, required=False)
    legal_form = forms.CharField(label=_("Naturaleza jurídica"), max_length=200, required=False)
    valid_from = forms.DateField(
        label=_("Vigente desde"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/aaaa"}),
    )
    source = forms.CharField(
        label=_("Fuente (decreto, periódico oficial)"), max_length=300, required=False
    )
