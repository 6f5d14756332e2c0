from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("30", _("30 días")),
    ("90", _("90 días")),
    ("365", _("1 año")),
    ("", _("Sin vencimiento")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nombre del token"),
        max_length=80,
        help_text=_("Para reconocerlo después, por ejemplo: «Tablero de la Secretaría»."),
    )
    expires_in = forms.ChoiceField(
        label=_("Vence en"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )
