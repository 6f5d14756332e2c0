"""Registers that feed indicators: a period's figure computed from the entries it counts.

An indicator's sheet may declare a register as its source (``IndicatorFeed``). For one of its
reporting periods the figure is computed from the owner's entries counted in the period
(``counted_on`` from the period's first to its last day) that pass the feed's filters: the value
by the feed's aggregation and, for sums of people, the breakdowns the sheet asks for (sex, and
age or population groups when every counted entry recorded them). ``feed_propose`` writes the
figure as the period's draft report through monitoring's own ``update_save`` and keeps what it
came from (``FeedProposal``); the editor then reviews it and sends it as any other report.

Monitoring sits below this app: it shows what a register says through the value source this
module registers at start-up (``register_feed_source``, see ``monitoring.sources``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from transversal.audit.services import audit_record
from transversal.core.templatetags.transversal import format_mx
from transversal.core.typing import Actor
from transversal.monitoring.models import (
    Disaggregation,
    Indicator,
    Measure,
    ProgressUpdate,
    ReportingPeriod,
    UpdateStatus,
)
from transversal.registers.models import (
    AGE_FIELDS,
    GROUP_FIELDS,
    REGISTER_MODELS,
    Aggregation,
    FeedProposal,
    IndicatorFeed,
    RegisterEntry,
    RegisterKind,
    women_share,
)

# How a feed reads in a sentence ("Fuente: registro de capacitación — suma de personas").
REGISTER_NAMES = {
    RegisterKind.TRAINING: gettext_lazy("registro de capacitación"),
    RegisterKind.AFFIRMATIVE: gettext_lazy("registro de acciones afirmativas"),
    RegisterKind.PARTICIPATION: gettext_lazy("registro de mecanismos de participación"),
    RegisterKind.SERVICE: gettext_lazy("registro de servicios a mujeres"),
}
AGGREGATION_PHRASES = {
    Aggregation.PEOPLE: gettext_lazy("suma de personas"),
    Aggregation.WOMEN: gettext_lazy("suma de mujeres"),
    Aggregation.WOMEN_SHARE: gettext_lazy("porcentaje de mujeres"),
    Aggregation.ENTRIES: gettext_lazy("número de registros"),
    Aggregation.HOURS: gettext_lazy("suma de horas"),
    Aggregation.CERTIFICATES: gettext_lazy("suma de constancias"),
    Aggregation.SESSIONS: gettext_lazy("suma de sesiones"),
    Aggregation.AGREEMENTS: gettext_lazy("suma de acuerdos"),
    Aggregation.ATTENTIONS: gettext_lazy("suma de atenciones"),
    Aggregation.RESOURCES: gettext_lazy("suma de recursos ejercidos"),
}
# The register field each sum adds up (people, women, entries and women_share are computed).
SUMMED_FIELDS = {
    Aggregation.HOURS: "hours",
    Aggregation.CERTIFICATES: "certificates",
    Aggregation.SESSIONS: "sessions_held",
    Aggregation.AGREEMENTS: "agreements_reached",
    Aggregation.ATTENTIONS: "attentions",
    Aggregation.RESOURCES: "resources",
}
# The kind of number each aggregation gives, which the indicator's sheet must measure.
MEASURE_OF = {
    **{a: Measure.COUNT for a in Aggregation.values},
    Aggregation.WOMEN_SHARE: Measure.PERCENTAGE,
    Aggregation.RESOURCES: Measure.AMOUNT,
}


def aggregation_refusal(aggregation: str, indicator: Indicator) -> str:
    """Why ``aggregation`` cannot give the value of ``indicator`` ("" when it can): a sum gives
    a number absolute (or an amount in pesos), a share a percentage."""
    measure = MEASURE_OF.get(aggregation)
    if measure is None or measure == indicator.measure:
        return ""
    return _(
        "El cálculo «%(aggregation)s» da un valor de tipo «%(gives)s» y el indicador se mide como "
        "«%(measure)s»: elija otro cálculo o cambie el tipo de valor en la ficha técnica."
    ) % {
        "aggregation": AGGREGATION_PHRASES[aggregation],
        "gives": Measure(measure).label,
        "measure": indicator.get_measure_display(),
    }


# Filters -------------------------------------------------------------------------------------


def filterable_fields(register: str) -> list[models.Field]:
    """The register's fields a feed may filter on: its categories (fields with choices) and
    its yes/no fields."""
    model = REGISTER_MODELS[register]
    return [
        f
        for f in model._meta.concrete_fields
        if (f.choices and not f.is_relation)
        or (isinstance(f, models.BooleanField) and f.name != "is_synthetic")
    ]


def filter_choices(model_field: models.Field) -> list[tuple]:
    if isinstance(model_field, models.BooleanField):
        return [(True, _("Sí")), (False, _("No"))]
    return list(model_field.choices)


def clean_filters(register: str, filters) -> dict[str, list]:
    """The filters as stored: each a field of the register and the values that count, in the
    field's own order. Unknown fields, unknown values or a malformed value raise a Spanish
    ValidationError; a field with no value is dropped (it filters nothing)."""
    if filters in (None, ""):
        return {}
    if not isinstance(filters, dict):
        raise ValidationError({"filters": _("Los filtros deben ser pares de campo y valores.")})
    fields = {f.name: f for f in filterable_fields(register)}
    cleaned: dict[str, list] = {}
    errors: list[str] = []
    for name, values in filters.items():
        model_field = fields.get(name)
        if model_field is None:
            errors.append(
                _("El %(register)s no tiene un campo «%(field)s» por el que filtrar.")
                % {"register": REGISTER_NAMES[register], "field": str(name)[:40]}
            )
            continue
        if not isinstance(values, list | tuple):
            values = [values]
        choices = filter_choices(model_field)
        allowed = [value for value, _label in choices]
        is_bool = isinstance(model_field, models.BooleanField)
        # A yes/no field takes true or false, never 1 or "1"; a category takes its codes.
        unknown = [v for v in values if isinstance(v, bool) != is_bool or v not in allowed]
        if unknown:
            errors.append(
                _("«%(value)s» no es un valor de %(field)s.")
                % {"value": str(unknown[0])[:40], "field": model_field.verbose_name}
            )
            continue
        chosen = [value for value in allowed if value in values]
        if chosen:
            cleaned[name] = chosen
    if errors:
        raise ValidationError({"filters": errors})
    return cleaned


def describe_filters(register: str, filters: dict) -> str:
    """The filters in words: «población …: Personas servidoras públicas; modalidad: En línea»."""
    fields = {f.name: f for f in filterable_fields(register)}
    parts = []
    for name, values in (filters or {}).items():
        model_field = fields.get(name)
        if model_field is None:
            continue
        labels = dict(filter_choices(model_field))
        parts.append(
            f"{model_field.verbose_name}: " + ", ".join(str(labels.get(v, v)) for v in values)
        )
    return "; ".join(parts)


def describe_feed(feed: IndicatorFeed) -> str:
    """The feed in words: «registro de capacitación — suma de personas (población …: Personas
    servidoras públicas)»."""
    text = f"{REGISTER_NAMES[feed.register]} — {AGGREGATION_PHRASES[feed.aggregation]}"
    filters = describe_filters(feed.register, feed.filters)
    return f"{text} ({filters})" if filters else text


# The figure ----------------------------------------------------------------------------------


@dataclass
class FeedFigure:
    """What a register gives for one period: the value (None when it has none: no entries,
    or a share of no people), the breakdown by dimension and category, the entries counted and
    why a dimension the sheet asks for was left out."""

    feed: IndicatorFeed
    period: ReportingPeriod
    entries: list[RegisterEntry]
    value: Decimal | None
    women: int = 0
    men: int = 0
    sex_unspecified: int = 0
    breakdown: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    omitted: list[str] = field(default_factory=list)

    @property
    def people(self) -> int:
        return self.women + self.men + self.sex_unspecified

    @property
    def entry_codes(self) -> list[str]:
        return [str(entry.code) for entry in self.entries]

    @property
    def summary(self) -> str:
        """The value and, for people, who they are: «75 (30 mujeres, 45 hombres)»."""
        if self.value is None:
            return "—"
        text = format_mx(self.value)
        if self.feed.aggregation == Aggregation.WOMEN_SHARE:
            text += " %"
        if self.feed.aggregation in (Aggregation.PEOPLE, Aggregation.WOMEN_SHARE):
            sex = {"women": self.women, "men": self.men, "unspecified": self.sex_unspecified}
            text += f" ({_sex_text(sex)})"
        return text


def feed_entries(feed: IndicatorFeed, period: ReportingPeriod) -> models.QuerySet:
    """The indicator owner's entries counted in the period that pass the feed's filters."""
    model = REGISTER_MODELS[feed.register]
    entries = model.objects.filter(
        institution_id=feed.indicator.owner_id,
        counted_on__gte=period.start,
        counted_on__lte=period.end,
    )
    for name, values in (feed.filters or {}).items():
        entries = entries.filter(**{f"{name}__in": values})
    return entries.order_by("counted_on", "pk")


def _sum(entries: Sequence[RegisterEntry], name: str) -> int:
    return sum(getattr(entry, name) or 0 for entry in entries)


def _breakdown(figure: FeedFigure, indicator: Indicator) -> None:
    """The sheet's breakdowns a sum of people can fill from its entries: sex always; ages and
    population groups only when every entry recorded them (a blank is "not recorded", so a
    partial sum would understate the group). Anything else is named in ``figure.omitted``."""
    entries = figure.entries
    dimensions = indicator.all_disaggregations
    if figure.feed.aggregation != Aggregation.PEOPLE:
        for dimension in dimensions:
            figure.omitted.append(
                _(
                    "%(d)s: el registro solo la calcula para la suma de personas; si la ficha "
                    "la pide, captúrela en el formulario."
                )
                % {"d": Disaggregation(dimension).label}
            )
        return
    for dimension in dimensions:
        label = Disaggregation(dimension).label
        if dimension == Disaggregation.SEX:
            sex = {"women": Decimal(figure.women), "men": Decimal(figure.men)}
            if figure.sex_unspecified:
                sex["unspecified"] = Decimal(figure.sex_unspecified)
            figure.breakdown[dimension] = sex
        elif dimension == Disaggregation.AGE:
            lacking = sum(1 for entry in entries if not entry.has_ages)
            if lacking:
                figure.omitted.append(_lacking(label, lacking, len(entries)))
                continue
            ages = {key: Decimal(_sum(entries, name)) for name, key in AGE_FIELDS}
            if not ages["unspecified"]:
                del ages["unspecified"]
            figure.breakdown[dimension] = ages
        elif dimension in dict(GROUP_FIELDS).values():
            name = next(name for name, key in GROUP_FIELDS if key == dimension)
            lacking = sum(1 for entry in entries if getattr(entry, name) is None)
            if lacking:
                figure.omitted.append(_lacking(label, lacking, len(entries)))
                continue
            figure.breakdown[dimension] = {"of_which": Decimal(_sum(entries, name))}
        else:
            figure.omitted.append(
                _(
                    "%(d)s: el registro no la calcula; si la ficha la pide, captúrela en el "
                    "formulario."
                )
                % {"d": label}
            )


def _lacking(label, lacking: int, total: int) -> str:
    return _(
        "%(d)s: %(n)s de %(total)s registros no la anotaron, así que no se propone (una suma "
        "parcial la subestimaría)."
    ) % {"d": label, "n": format_mx(lacking), "total": format_mx(total)}


def aggregate(aggregation: str, entries: Sequence[RegisterEntry]) -> Decimal | None:
    """The value of ``aggregation`` over ``entries`` (None for none, or a share of nobody)."""
    if not entries:
        return None
    if aggregation == Aggregation.ENTRIES:
        return Decimal(len(entries))
    women = _sum(entries, "women")
    people = women + _sum(entries, "men") + _sum(entries, "sex_unspecified")
    if aggregation == Aggregation.PEOPLE:
        return Decimal(people)
    if aggregation == Aggregation.WOMEN:
        return Decimal(women)
    if aggregation == Aggregation.WOMEN_SHARE:
        return women_share(women, people)
    name = SUMMED_FIELDS[aggregation]
    return sum((Decimal(getattr(entry, name) or 0) for entry in entries), Decimal(0))


def feed_figure(feed: IndicatorFeed, period: ReportingPeriod) -> FeedFigure:
    """The period's figure from the register (one query: the entries)."""
    entries = list(feed_entries(feed, period))
    figure = FeedFigure(
        feed=feed,
        period=period,
        entries=entries,
        value=None,
        women=_sum(entries, "women"),
        men=_sum(entries, "men"),
        sex_unspecified=_sum(entries, "sex_unspecified"),
    )
    if not entries:
        return figure
    figure.value = aggregate(feed.aggregation, entries)
    _breakdown(figure, period.indicator)
    return figure


# Proposing the draft -------------------------------------------------------------------------

ANY_VERSION = object()  # feed_propose without a version check (the caller read nothing)


def _refusal(period: ReportingPeriod, current: ProgressUpdate | None) -> str:
    if period.locked:
        return _("El periodo %(p)s está cerrado: ya no recibe reportes.") % {"p": period.display}
    if current is not None and not current.is_editable:
        return _(
            "El avance de %(p)s está %(s)s: el registro ya no lo cambia. Si hay que corregirlo, "
            "abra una corrección y proponga de nuevo."
        ) % {"p": period.display, "s": current.get_status_display().lower()}
    return ""


def _no_value(figure: FeedFigure) -> str:
    period = figure.period
    where = {
        "register": REGISTER_NAMES[figure.feed.register],
        "p": period.display,
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    if not figure.entries:
        return (
            _(
                "El %(register)s no tiene registros contados entre el %(start)s y el %(end)s "
                "(%(p)s) que cumplan los filtros de la fuente: no se propone ningún valor. Si el "
                "valor del periodo es cero, captúrelo usted en el formulario."
            )
            % where
        )
    return (
        _("Los registros de %(p)s no cuentan personas: no hay porcentaje de mujeres que proponer.")
        % where
    )


@transaction.atomic
def feed_propose(
    *,
    actor: Actor,
    indicator: Indicator,
    period: ReportingPeriod,
    expected_version=ANY_VERSION,
) -> FeedProposal:
    """Write the period's figure from the register as its draft report (``update_save``: the
    same checks, version and audit event as the form) and record where it came from.

    Refused, with nothing written, when the indicator has no register feed, the period is
    closed, its report was sent or approved, or the register gives no value (no entries: a zero
    is never proposed from an empty register, the editor types it). The draft keeps its
    narrative and note; its figures and breakdowns become the register's."""
    from transversal.monitoring.services import update_save

    if period.indicator_id != indicator.pk:
        raise ValidationError(_("El periodo no pertenece a este indicador."))
    feed = IndicatorFeed.objects.filter(indicator=indicator).first()
    if feed is None:
        raise ValidationError(
            _("El indicador no tiene un registro como fuente: declárelo en su ficha técnica.")
        )
    period = (
        ReportingPeriod.objects.select_for_update(of=("self",))
        .select_related("indicator__owner")
        .get(pk=period.pk)
    )
    current = (
        ProgressUpdate.objects.select_for_update(of=("self",))
        .filter(period=period, is_current=True)
        .first()
    )
    indicator = feed.indicator = period.indicator  # as the database has it now
    refusal = _refusal(period, current) or aggregation_refusal(feed.aggregation, indicator)
    if refusal:
        raise ValidationError(refusal)
    figure = feed_figure(feed, period)
    if figure.value is None:
        raise ValidationError(_no_value(figure))
    if figure.value != figure.value.to_integral_value() and indicator.measure == Measure.COUNT:
        raise ValidationError(
            _(
                "El registro da %(v)s y el indicador es un número absoluto, sin decimales: "
                "cambie el tipo de valor de la ficha o el cálculo de la fuente."
            )
            % {"v": format_mx(figure.value)}
        )
    version = expected_version
    if expected_version is ANY_VERSION:
        version = current.version if current else None
    update = update_save(
        actor=actor,
        period=period,
        expected_version=version,
        value=figure.value,
        narrative=current.narrative if current else "",
        breakdown=figure.breakdown,
        disaggregation_note=current.disaggregation_note if current else "",
    )
    proposal = FeedProposal.objects.create(
        update=update,
        register=feed.register,
        aggregation=feed.aggregation,
        value=figure.value,
        breakdown={
            dimension: {category: str(number) for category, number in values.items()}
            for dimension, values in figure.breakdown.items()
        },
        entry_codes=figure.entry_codes,
        computed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        verb="update.feed_propose",
        target=update,
        institution=indicator.owner,
        changes={
            "register_value": [None, str(figure.value)],
            "register_entries": [None, len(figure.entries)],
        },
        note=describe_feed(feed),
    )
    return proposal


# What the reviewer compares -----------------------------------------------------------------


def _plain(values: dict) -> dict[str, Decimal]:
    return {k: Decimal(str(v)) for k, v in values.items() if Decimal(str(v)) != 0}


def proposal_differences(
    proposal: FeedProposal, update: ProgressUpdate, entries: Sequence[RegisterEntry] | None = None
) -> list[str]:
    """How the report differs from the figure the register gave (its value; its breakdown by
    sex), and, given the counted ``entries`` as they are now, whether they still give that
    figure; in Spanish, empty when all match. Reads the update's prefetched breakdown."""
    sent = update.status not in (UpdateStatus.DRAFT, UpdateStatus.RETURNED)
    problems = []
    if entries is not None:
        now = aggregate(proposal.aggregation, entries)
        if now is None or now != Decimal(proposal.value):
            problems.append(
                _(
                    "Los registros contados cambiaron desde que se calculó el valor: hoy dan "
                    "%(now)s y se calculó %(then)s. Proponga de nuevo el valor desde el registro."
                )
                % {"now": format_mx(now), "then": format_mx(proposal.value)}
            )
    if update.value is None or Decimal(update.value) != Decimal(proposal.value):
        problems.append(
            (
                _(
                    "El valor enviado no coincide con el registro: el reporte dice %(r)s y el "
                    "registro da %(g)s."
                )
                if sent
                else _(
                    "El valor del borrador no coincide con el registro: el borrador dice "
                    "%(r)s y el registro da %(g)s."
                )
            )
            % {"r": format_mx(update.value), "g": format_mx(proposal.value)}
        )
    given = (proposal.breakdown or {}).get(Disaggregation.SEX)
    if given is not None:
        reported = {
            row.category: row.value
            for row in update.breakdown.all()
            if row.dimension == Disaggregation.SEX
        }
        if _plain(reported) != _plain(given):
            problems.append(
                _("La desagregación por sexo del reporte no coincide con la del registro (%(g)s).")
                % {"g": _sex_text(given)}
            )
    return problems


def _sex_text(values: dict) -> str:
    parts = [
        _("%(n)s mujeres") % {"n": format_mx(values.get("women", 0))},
        _("%(n)s hombres") % {"n": format_mx(values.get("men", 0))},
    ]
    if Decimal(str(values.get("unspecified", 0))):
        parts.append(_("%(n)s sin sexo especificado") % {"n": format_mx(values["unspecified"])})
    return ", ".join(parts)


def entry_url(entry: RegisterEntry) -> str:
    """The entry's own page (the registers' pages), or "" while it has none."""
    try:
        return reverse("registers:detail", args=[entry.kind, entry.code])
    except NoReverseMatch:
        return ""


def proposal_entries(proposals: Sequence[FeedProposal]) -> dict[str, RegisterEntry]:
    """The entries the proposals counted, by code: one query per register among them."""
    wanted: dict[str, set[str]] = {}
    for proposal in proposals:
        wanted.setdefault(proposal.register, set()).update(proposal.entry_codes or [])
    found: dict[str, RegisterEntry] = {}
    for register, codes in sorted(wanted.items()):
        model = REGISTER_MODELS[register]
        for entry in model.objects.filter(code__in=sorted(codes)):
            found[str(entry.code)] = entry
    return found


# What monitoring's pages show (monitoring.sources) ------------------------------------------


def can_declare(scope, indicator: Indicator) -> bool:
    """Who declares or changes an indicator's register source: the owner's editors and admins,
    and the national institution's admins."""
    from transversal.accounts.access import ADMIN, EDIT, can_do

    return can_do(scope, indicator.owner, EDIT) or ADMIN in scope.national_roles


def _sheet_html(request, indicator: Indicator, can_write: bool) -> str:
    """The sheet's "Fuente del valor" row (one query: the feed)."""
    from django.template.loader import render_to_string

    from transversal.accounts.access import scope_for

    feed = IndicatorFeed.objects.filter(indicator=indicator).first()
    may_declare = can_declare(scope_for(request.user), indicator)
    if feed is None and not may_declare:
        return ""
    return render_to_string(
        "registers/feed_sheet.html",
        {
            "indicator": indicator,
            "feed": feed,
            "description": describe_feed(feed) if feed else "",
            "can_declare": may_declare,
        },
        request=request,
    )


def _period_html(request, period: ReportingPeriod, current, can_edit: bool) -> str:
    """Beside the report form: the register's figure and the button that proposes it (two
    queries: the feed and the entries)."""
    from django.template.loader import render_to_string

    if not can_edit:
        return ""
    feed = IndicatorFeed.objects.filter(indicator_id=period.indicator_id).first()
    if feed is None:
        return ""
    feed.indicator = period.indicator
    figure = feed_figure(feed, period)
    return render_to_string(
        "registers/feed_period.html",
        {
            "period": period,
            "indicator": period.indicator,
            "current": current,
            "figure": figure,
            "description": describe_feed(feed),
            "register_name": REGISTER_NAMES[feed.register],
            # The sheet's kind of value may have changed since the source was declared.
            "refusal": aggregation_refusal(feed.aggregation, period.indicator)
            or (_no_value(figure) if figure.value is None else ""),
        },
        request=request,
    )


def _reports_html(request, reports: Sequence[ProgressUpdate]) -> dict[int, str]:
    """Per report with a proposal: the register rows behind its figure and whether the report
    still matches them (one query for the proposals, one per register for their entries)."""
    from django.template.loader import render_to_string

    latest: dict[int, FeedProposal] = {}
    rows = (
        FeedProposal.objects.filter(update_id__in=[report.pk for report in reports])
        .select_related("computed_by")
        .order_by("update_id", "-computed_at", "-id")
    )
    for proposal in rows:
        latest.setdefault(proposal.update_id, proposal)
    if not latest:
        return {}
    entries = proposal_entries(list(latest.values()))
    now_counted = _counted_now([report for report in reports if report.pk in latest])
    html = {}
    for report in reports:
        proposal = latest.get(report.pk)
        if proposal is None:
            continue
        counted = [entries.get(code) for code in proposal.entry_codes or []]
        differences = proposal_differences(proposal, report, [e for e in counted if e is not None])
        feed, current = now_counted.get(report.period_id, (None, []))
        if feed is not None and (feed.register, feed.aggregation) == (
            proposal.register,
            proposal.aggregation,
        ):
            differences += _recorded_since(proposal, feed, current)
        html[report.pk] = render_to_string(
            "registers/feed_report.html",
            {
                "report": report,
                "proposal": proposal,
                "register_name": REGISTER_NAMES.get(proposal.register, proposal.register),
                "aggregation": AGGREGATION_PHRASES.get(proposal.aggregation, ""),
                "rows": [(entry, entry_url(entry)) for entry in counted if entry is not None],
                "missing": sum(1 for entry in counted if entry is None),
                "differences": differences,
            },
            request=request,
        )
    return html


def _counted_now(reports: Sequence[ProgressUpdate]) -> dict[int, tuple[IndicatorFeed, list]]:
    """Per period of ``reports``: the indicator's feed and the entries it counts today (one
    query for the periods and their feeds, one per period for the entries)."""
    if not reports:
        return {}
    periods = ReportingPeriod.objects.select_related("indicator").filter(
        pk__in={report.period_id for report in reports}
    )
    periods = list(periods)
    feeds = {
        feed.indicator_id: feed
        for feed in IndicatorFeed.objects.filter(
            indicator_id__in={period.indicator_id for period in periods}
        )
    }
    found = {}
    for period in periods:
        feed = feeds.get(period.indicator_id)
        if feed is not None:
            feed.indicator = period.indicator
            found[period.pk] = (feed, list(feed_entries(feed, period)))
    return found


def _recorded_since(proposal: FeedProposal, feed: IndicatorFeed, current: list) -> list[str]:
    """A sentence when the period has entries the proposal did not count (recorded after it)."""
    known = {str(code) for code in proposal.entry_codes or []}
    added = [entry for entry in current if str(entry.code) not in known]
    if not added:
        return []
    now = aggregate(feed.aggregation, current)
    return [
        ngettext(
            "Desde que se calculó el valor, el periodo tiene %(n)s registro más que el cálculo "
            "no contó: hoy el registro da %(now)s y se calculó %(then)s. Proponga de nuevo el "
            "valor desde el registro.",
            "Desde que se calculó el valor, el periodo tiene %(n)s registros más que el cálculo "
            "no contó: hoy el registro da %(now)s y se calculó %(then)s. Proponga de nuevo el "
            "valor desde el registro.",
            len(added),
        )
        % {
            "n": format_mx(len(added)),
            "now": format_mx(now),
            "then": format_mx(proposal.value),
        }
    ]


def register_feed_source() -> None:
    """Called from ``RegistersConfig.ready``: the value source monitoring's pages show, and how
    the proposal's audit event reads on the report's history."""
    from transversal.audit.registry import register_fields, register_verbs
    from transversal.monitoring import sources

    sources.register_source(
        sources.ValueSource(
            key="registers", sheet=_sheet_html, period=_period_html, reports=_reports_html
        )
    )
    register_verbs({"update.feed_propose": gettext_lazy("propuso el valor calculado del registro")})
    register_fields(
        ProgressUpdate,
        labels={
            "register_value": gettext_lazy("valor calculado del registro"),
            "register_entries": gettext_lazy("registros contados"),
        },
    )
