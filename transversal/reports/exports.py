"""The columns of each list's XLSX export: what the list page shows, and a little more."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from transversal.institutions.models import display_name
from transversal.reports.xlsx import Column


def _institution(institution, day=None) -> str:
    # The state has its own column: the name on the day, unqualified.
    return display_name(institution, day, qualify=False)


AGREEMENT_COLUMNS = [
    Column(_("Clave INEGI"), lambda a: a.state.code, 10),
    Column(_("Entidad"), lambda a: a.state.short_name, 18),
    Column(
        _("Institución de la entidad"),
        lambda a: _institution(a.state_institution, a.reference_date),
        40,
    ),
    Column(_("Convenio"), lambda a: a.title, 50),
    Column(_("Ronda"), lambda a: a.round, 12),
    Column(_("Fecha de firma"), lambda a: a.signed_on, 14),
    Column(_("Vigente desde"), lambda a: a.valid_from, 14),
    Column(_("Vigente hasta"), lambda a: a.valid_to, 14),
    Column(_("Estado"), lambda a: a.current_status_label, 14),
    Column(_("Semáforo"), lambda a: a.get_light_display(), 14),
    Column(
        _("Áreas de énfasis"),
        lambda a: "; ".join(str(label) for label in a.emphasis_area_labels()),
        50,
    ),
    Column(_("Compromisos"), lambda a: a.commitment_count, 12),
    Column(_("Metas"), lambda a: a.goal_count, 10),
    Column(_("Dato sintético"), lambda a: a.is_synthetic, 12),
]

INDICATOR_COLUMNS = [
    Column(_("Indicador"), lambda i: i.name, 60),
    Column(_("Institución"), lambda i: _institution(i.owner), 40),
    Column(_("Entidad"), lambda i: i.owner.state.short_name if i.owner.state else "", 18),
    Column(_("Unidad de medida"), lambda i: i.unit, 18),
    Column(_("Frecuencia"), lambda i: i.get_frequency_display(), 14),
    Column(_("Sentido"), lambda i: i.get_direction_display(), 24),
    Column(_("Año de línea base"), lambda i: i.baseline_year, 12),
    Column(_("Línea base"), lambda i: i.baseline_value, 12),
    Column(_("Semáforo"), lambda i: i.get_light_display(), 14),
    Column(_("Semáforo actualizado"), lambda i: i.light_updated_at, 18),
    Column(_("Público"), lambda i: i.is_public, 10),
    Column(_("Dato sintético"), lambda i: i.is_synthetic, 12),
]
