from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from transversal.accounts.models import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "El correo o la contraseña no son correctos. "
            "Revise que no tenga activadas las mayúsculas."
        ),
        "inactive": _("Esta cuenta está desactivada."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Correo electrónico")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "type": "email"})
        # Django sets the maximum on the field but not its validator: without it an over-long
        # name reaches the database lookup (and SQLite refuses LIKE patterns over 50,000 chars).
        self.fields["username"].validators.append(
            MaxLengthValidator(self.fields["username"].max_length)
        )
        self.fields["password"].label = _("Contraseña")


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Correo electrónico"))
    full_name = forms.CharField(label=_("Nombre completo"), max_length=150)
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
