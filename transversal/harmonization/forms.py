"""Input forms. They check shapes; the services check the rules and save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.harmonization.models import Status, Topic

DATE_WIDGET = {"placeholder": "dd/mm/aaaa"}


def _date(label, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET),
    )


class ProvisionForm(forms.Form):
    slug = forms.SlugField(
        label=_("Clave"),
        max_length=60,
        help_text=_("Letras sin acentos, números y guiones; no cambia después."),
    )
    title = forms.CharField(label=_("Disposición"), max_length=200)
    topic = forms.ChoiceField(label=_("Tema"), choices=Topic.choices)
    federal_source = forms.CharField(label=_("Ley o instrumento federal"), max_length=300)
    federal_article = forms.CharField(label=_("Artículo"), max_length=120, required=False)
    dof_date = _date(
        _("Fecha de publicación en el DOF"),
        _("Déjela vacía si no tiene la fecha verificada."),
    )
    url = forms.URLField(
        label=_("Enlace a la fuente"), max_length=500, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(label=_("Orden"), min_value=0, max_value=32767, initial=0)
    is_active = forms.BooleanField(label=_("Vigente en el catálogo"), required=False, initial=True)


class ProvisionEditForm(ProvisionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["slug"]


class CitationForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=Status.choices)
    instrument = forms.CharField(
        label=_("Instrumento estatal"),
        max_length=300,
        required=False,
        help_text=_("Ley, código o programa del estado, con su nombre oficial."),
    )
    article = forms.CharField(label=_("Artículo"), max_length=120, required=False)
    gazette = forms.CharField(
        label=_("Periódico oficial"),
        max_length=200,
        required=False,
        help_text=_("Periódico o gaceta oficial del estado donde se publicó."),
    )
    published_on = _date(_("Fecha de publicación"))
    url = forms.URLField(label=_("Enlace"), max_length=500, required=False, assume_scheme="https")
    notes = forms.CharField(
        label=_("Notas"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CellForm(CitationForm):
    is_synthetic = forms.BooleanField(label=_("Dato sintético"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la devolución"), widget=forms.Textarea(attrs={"rows": 3})
    )
