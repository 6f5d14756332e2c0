from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.territory.models import State


class InstitutionKind(models.TextChoices):
    NATIONAL = "national", _("Institución nacional")
    STATE_IMEF = "state_imef", _("Instancia de las Mujeres en la Entidad Federativa (IMEF)")
    MUNICIPAL_IMM = "municipal_imm", _("Instancia Municipal de las Mujeres (IMM)")
    STATE_AGENCY = "state_agency", _("Dependencia estatal")


class InstitutionQuerySet(models.QuerySet):
    def with_names(self) -> InstitutionQuerySet:
        return self.select_related("state").prefetch_related("names")


class Institution(models.Model):
    """A public body: the national institute, a state IMEF, a municipal IMM…

    Its name is not a field: names are dated (``InstitutionName``) because
    institutes are renamed and change legal form; ``name_on`` answers for a date.
    """

    slug = models.SlugField(_("clave pública"), max_length=60, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=InstitutionKind.choices)
    state = models.ForeignKey(
        State,
        verbose_name=_("entidad federativa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="institutions",
    )
    legal_form = models.CharField(_("naturaleza jurídica"), max_length=200, blank=True)
    creation_instrument = models.CharField(
        _("instrumento de creación"),
        max_length=300,
        blank=True,
        help_text=_("Por ejemplo: Decreto No. 298, Ley que crea el Instituto…"),
    )
    creation_number = models.CharField(_("número"), max_length=40, blank=True)
    creation_date = models.DateField(_("fecha de publicación"), null=True, blank=True)
    creation_gazette = models.CharField(_("medio de publicación"), max_length=200, blank=True)
    mission = models.TextField(_("misión"), blank=True)
    vision = models.TextField(_("visión"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["state__code", "kind", "slug"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="national", state__isnull=True)
                | (~models.Q(kind="national") & models.Q(state__isnull=False)),
                name="institution_state_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return display_name(self)

    @property
    def is_national(self) -> bool:
        return self.kind == InstitutionKind.NATIONAL

    def _ordered_names(self) -> list[InstitutionName]:
        # Uses the prefetch cache when the selector loaded it.
        return sorted(self.names.all(), key=lambda n: n.sequence)

    @property
    def current_name(self) -> InstitutionName | None:
        names = self._ordered_names()
        return names[-1] if names else None

    @property
    def former_names(self) -> list[InstitutionName]:
        return list(reversed(self._ordered_names()[:-1]))

    def name_on(self, day: dt.date) -> InstitutionName | None:
        """The name in force on ``day``, or None when the records cannot tell.

        A name runs from its ``valid_from`` to its ``valid_to``; a missing
        ``valid_to`` ends the day before the next name starts, and stays open
        only for the last name. Unknown dates never guess.
        """
        names = self._ordered_names()
        for index, name in enumerate(names):
            start = name.valid_from
            end = name.valid_to
            is_last = index == len(names) - 1
            if end is None and not is_last:
                following = names[index + 1].valid_from
                end = following - dt.timedelta(days=1) if following else None
                if end is None:
                    continue  # the end of this name is unknown
            if start is None or day < start:
                continue
            if end is None or day <= end:
                return name
        return None


def display_name(
    institution: Institution | None,
    day: dt.date | None = None,
    *,
    acronym: bool = False,
    qualify: bool = True,
) -> str:
    """The one way an institution is named on a page, report, export or API field.

    ``day`` None is today's name. For a date, the name in force then (``name_on``); when the
    records cannot tell (a rename whose date is unknown), the latest name known to have been in
    use by then followed by "(hoy …)" with today's name, never a guess. A state or municipal body
    whose name does not say where it is gets the state in brackets, so Zacatecas's Secretaría de
    las Mujeres is never mistaken for the national one."""
    if institution is None:
        return ""
    names = institution._ordered_names()
    if not names:
        return institution.slug
    current = names[-1]
    if day is None:
        shown, today = current, None
    else:
        shown = institution.name_on(day)
        today = None
        if shown is None:
            started = [n for n in names if n.valid_from is not None and n.valid_from <= day]
            shown = started[-1] if started else names[0]
            today = current if shown is not current else None
    text = shown.name
    if acronym and shown.acronym:
        text = f"{text} ({shown.acronym})"
    notes = []
    state = institution.state if institution.state_id else None
    if qualify and state is not None and state.short_name.lower() not in text.lower():
        notes.append(state.short_name)
    if today is not None:
        notes.append(f"{_('hoy')} {today.name}")
    return f"{text} ({'; '.join(notes)})" if notes else text


class InstitutionName(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="names")
    sequence = models.PositiveSmallIntegerField(_("orden"))
    name = models.CharField(_("nombre"), max_length=250)
    acronym = models.CharField(_("siglas"), max_length=30, blank=True)
    legal_form = models.CharField(_("naturaleza jurídica"), max_length=200, blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=300, blank=True)

    class Meta:
        ordering = ["institution", "sequence"]
        verbose_name = _("nombre de la institución")
        verbose_name_plural = _("nombres de la institución")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "sequence"], name="institution_name_sequence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="institution_name_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class InstitutionObjective(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="objectives"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    text = models.TextField(_("objetivo"))
    aligned_plan_reference = models.CharField(
        _("plan de referencia"),
        max_length=120,
        blank=True,
        help_text=_("Por ejemplo: PED 2016-2022"),
    )

    class Meta:
        ordering = ["institution", "number"]
        verbose_name = _("objetivo institucional")
        verbose_name_plural = _("objetivos institucionales")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="institution_objective_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
