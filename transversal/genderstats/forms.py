"""Input forms of the statistics catalogue and import. They check shapes; the services save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from transversal.genderstats.importing import MAX_UPLOAD_BYTES
from transversal.genderstats.models import ContextIndicator, StatSource


class SourceForm(forms.ModelForm):
    url = forms.URLField(
        label=_("Dirección"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = StatSource
        fields = ["slug", "name", "publisher", "edition", "year", "table", "url"]
        help_texts = {
            "slug": _("Letras minúsculas, números y guiones; por ejemplo: endireh-2021."),
            "name": _("Por ejemplo: ENDIREH, ENOE, Censo de Población y Vivienda."),
            "publisher": _("Por ejemplo: INEGI."),
        }


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = ContextIndicator
        fields = [
            "slug",
            "name",
            "unit",
            "description",
            "source",
            "measure",
            "direction",
            "is_synthetic",
        ]
        help_texts = {
            "slug": _("La clave que lleva la columna «indicador» del archivo de importación."),
            "direction": _("Necesaria para leer la brecha y ordenar las entidades."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = StatSource.objects.order_by("name", "-year")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV o XLSX"),
        help_text=_(
            "Columnas: indicador, anio, clave_entidad (01 a 32; 00 o vacía para la nacional), "
            "sexo (mujeres, hombres o total), grupo_edad (opcional), valor, unidad, fuente y, "
            "si la fuente los da, cv, li y ls."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("El archivo pesa más de 5 MB."))
        return upload
