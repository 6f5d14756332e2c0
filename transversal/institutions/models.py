from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from transversal.territory.models import Municipality, State


class InstitutionKind(models.TextChoices):
    NATIONAL = "national", _("Institución nacional")
    STATE_IMEF = "state_imef", _("Instancia de las Mujeres en la Entidad Federativa (IMEF)")
    MUNICIPAL_IMM = "municipal_imm", _("Instancia Municipal de las Mujeres (IMM)")
    STATE_AGENCY = "state_agency", _("Dependencia estatal")
    GENDER_UNIT = "gender_unit", _("Unidad de género de una dependencia estatal")


class LegalForm(models.TextChoices):
    DECENTRALIZED = "decentralized", _("Organismo público descentralizado")
    CENTRALIZED = "centralized", _("Secretaría o dependencia centralizada")
    DECONCENTRATED = "deconcentrated", _("Órgano desconcentrado")
    ADMINISTRATIVE_UNIT = "administrative_unit", _("Unidad administrativa")
    OTHER = "other", _("Otra")


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("En operación")
    NOT_OPERATING = "not_operating", _("Sin operar")
    EXTINCT = "extinct", _("Extinta")


class NameChange(models.TextChoices):
    CREATION = "creation", _("Creación")
    RENAME = "rename", _("Cambio de nombre")
    TRANSFORMATION = "transformation", _("Transformación (cambio de naturaleza jurídica)")


def legal_form_text(code: str, other: str = "") -> str:
    """The legal form as read on a page: the choice's label, or the text given for "otra"."""
    if code == LegalForm.OTHER:
        return other or str(LegalForm.OTHER.label)
    return str(LegalForm(code).label) if code in LegalForm.values else code


def check_legal_form(code: str, other: str, field: str = "legal_form_other") -> None:
    if code == LegalForm.OTHER and not other.strip():
        raise ValidationError({field: _("Describa la naturaleza jurídica cuando elige «Otra».")})


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
    legal_form = models.CharField(
        _("naturaleza jurídica"), max_length=200, choices=LegalForm.choices, blank=True
    )
    legal_form_other = models.CharField(_("otra naturaleza jurídica"), max_length=200, blank=True)
    operating_status = models.CharField(
        _("situación"),
        max_length=20,
        choices=OperatingStatus.choices,
        default=OperatingStatus.OPERATING,
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipio"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="women_instances",
    )
    agency_name = models.CharField(
        _("dependencia"),
        max_length=250,
        blank=True,
        help_text=_("La dependencia estatal a la que pertenece una unidad de género."),
    )
    # The head by name and charge only: no other personal data is kept.
    head_name = models.CharField(_("titular"), max_length=200, blank=True)
    head_charge = models.CharField(_("cargo de la persona titular"), max_length=200, blank=True)
    creation_instrument = models.CharField(
        _("instrumento de creación"),
        max_length=300,
        blank=True,
        help_text=_("Por ejemplo: Decreto No. 298, Ley que crea el Instituto…"),
    )
    creation_number = models.CharField(_("número"), max_length=40, blank=True)
    creation_date = models.DateField(_("fecha de publicación"), null=True, blank=True)
    creation_gazette = models.CharField(_("medio de publicación"), max_length=200, blank=True)
    source = models.CharField(
        _("fuente"),
        max_length=500,
        blank=True,
        help_text=_("Documento oficial que respalda los datos de creación (título y dirección)."),
    )
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

    def clean(self) -> None:
        super().clean()
        check_legal_form(self.legal_form, self.legal_form_other)
        if self.legal_form != LegalForm.OTHER:
            self.legal_form_other = ""
        if self.municipality_id is not None:
            if self.kind != InstitutionKind.MUNICIPAL_IMM:
                raise ValidationError(
                    {"municipality": _("Solo una instancia municipal lleva municipio.")}
                )
            if self.municipality.state_id != self.state_id:
                raise ValidationError(
                    {"municipality": _("El municipio debe pertenecer a la entidad elegida.")}
                )
        if self.kind == InstitutionKind.GENDER_UNIT and not self.agency_name.strip():
            raise ValidationError(
                {"agency_name": _("Indique la dependencia a la que pertenece la unidad de género.")}
            )

    @property
    def legal_form_text(self) -> str:
        return legal_form_text(self.legal_form, self.legal_form_other)

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
    notes = [shown.acronym] if acronym and shown.acronym else []
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
    change = models.CharField(
        _("tipo de cambio"), max_length=20, choices=NameChange.choices, default=NameChange.RENAME
    )
    legal_form = models.CharField(
        _("naturaleza jurídica"), max_length=200, choices=LegalForm.choices, blank=True
    )
    legal_form_other = models.CharField(_("otra naturaleza jurídica"), max_length=200, blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    # The instrument that created, renamed or transformed the institution.
    instrument = models.CharField(
        _("instrumento"),
        max_length=300,
        blank=True,
        help_text=_("Por ejemplo: Decreto que reforma la Ley que crea el Instituto…"),
    )
    instrument_number = models.CharField(_("número del instrumento"), max_length=40, blank=True)
    instrument_date = models.DateField(_("fecha de publicación"), null=True, blank=True)
    instrument_gazette = models.CharField(_("medio de publicación"), max_length=200, blank=True)
    source = models.CharField(_("fuente"), max_length=500, blank=True)

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

    def clean(self) -> None:
        super().clean()
        check_legal_form(self.legal_form, self.legal_form_other)
        if self.legal_form != LegalForm.OTHER:
            self.legal_form_other = ""

    @property
    def legal_form_text(self) -> str:
        return legal_form_text(self.legal_form, self.legal_form_other) if self.legal_form else ""


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
