"""``{{ institution|institution_name }}`` and ``{{ institution|institution_name:date }}``: the
one way templates name an institution (``institutions.models.display_name``)."""

from __future__ import annotations

from django import template

from transversal.institutions.models import display_name

register = template.Library()


@register.filter
def institution_name(institution, day=None) -> str:
    return display_name(institution, day or None)


@register.filter
def institution_name_acronym(institution, day=None) -> str:
    return display_name(institution, day or None, acronym=True)
