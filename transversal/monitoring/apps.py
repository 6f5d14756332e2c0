from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "transversal.monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from transversal.audit.registry import events_for, events_for_parts, register_history
        from transversal.monitoring.access import get_indicator_for_user
        from transversal.monitoring.selectors import indicators_for, plan_item_indicators
        from transversal.planning.selectors import MeasureSource, register_measures

        register_measures(
            MeasureSource(visible_indicators=indicators_for, item_indicators=plan_item_indicators)
        )

        def indicator_history(user, code):
            from transversal.accounts.access import can_read, scope_for
            from transversal.audit.registry import History
            from transversal.monitoring.models import ReportingPeriod

            indicator, _scope = get_indicator_for_user(user, code)
            # Outsiders reach only public indicators, and read only their public history.
            insider = can_read(scope_for(user), indicator.owner)
            # A period's closing and reopening are part of its indicator's history.
            periods = indicator.periods.values_list("pk", flat=True)
            events = events_for_parts(indicator, [(ReportingPeriod, periods)])
            return History(indicator, events, public_only=not insider)

        register_history("indicador", indicator_history, indicator_publicity())

        def update_history(user, code):
            from transversal.monitoring.access import get_update_for_user

            update, _scope = get_update_for_user(user, code)
            return update, events_for(update)

        register_history("avance", update_history)
        register_history_labels()

        from transversal.monitoring.tasks import register_job_kinds

        register_job_kinds()


def indicator_publicity():
    """What outsiders read of a public indicator's history: the technical sheet (all of it is
    on the public page), the calendar and the targets; not the goals it measures (they may
    belong to draft agreements)."""
    from transversal.audit.registry import Publicity
    from transversal.monitoring.services import SHEET_FIELDS

    sheet = frozenset(SHEET_FIELDS)
    return Publicity(
        field="is_public",
        is_public=lambda value: value is True,
        verbs={
            "indicator.create": sheet,
            "indicator.update": sheet,
            "indicator.periods_generate": frozenset({"periods"}),
            "indicator.targets_update": None,  # keyed by period label; every target is public
        },
    )


def register_history_labels():
    """How this app's events read on history pages: its verbs, the changes keyed by something
    else than a field (a breakdown by category, periods, targets by period, imported sheets)."""
    from django.utils.translation import gettext_lazy as _

    from transversal.audit.registry import register_fields, register_verbs
    from transversal.institutions.models import Institution
    from transversal.monitoring.models import Indicator, ProgressUpdate
    from transversal.monitoring.spreadsheets.template import TARGETS, UPDATES

    register_verbs(
        {
            "indicator.create": _("creó el indicador"),
            "indicator.update": _("cambió la ficha técnica"),
            "indicator.periods_generate": _("generó los periodos de reporte"),
            "indicator.targets_update": _("cambió las metas"),
            "update.create": _("creó el borrador del avance"),
            "update.save": _("guardó el borrador"),
            "update.submit": _("envió a revisión"),
            "update.return": _("devolvió el avance con observaciones"),
            "update.approve": _("aprobó el avance"),
            "update.validate": _("validó el avance (validación nacional)"),
            "period.lock": _("cerró el periodo"),
            "period.reopen": _("reabrió el periodo"),
            "update.correct": _("abrió una corrección"),
            "update.comment": _("comentó"),
            "update.evidence_add": _("adjuntó evidencia"),
            "monitoring.sheet_import": _("importó una hoja de cálculo"),
        }
    )
    register_fields(
        ProgressUpdate,
        labels={"comment": _("comentario"), "evidence": _("evidencia")},
        expand={"breakdown": _breakdown_changes},
    )
    register_fields(
        Indicator,
        expand={
            "periods": _periods_change,
            "disaggregations": _disaggregations_change("disaggregations"),
            "required_disaggregations": _disaggregations_change("required_disaggregations"),
        },
        key_label=_period_or_none,  # targets are recorded by period label
    )
    register_fields(
        Institution, labels={TARGETS: _("metas importadas"), UPDATES: _("avances importados")}
    )


def _breakdown_changes(old, new):
    """{"sex:women": "95.0000", …} -> one row per category that changed: "Sexo · Mujeres"."""
    from transversal.monitoring.models import (
        DISAGGREGATION_ORDER,
        PARTITION_CATEGORIES,
        DisaggregatedValue,
        Disaggregation,
    )

    old, new = old or {}, new or {}
    dimensions = dict(Disaggregation.choices)

    def order(key: str):
        dimension, _sep, category = key.partition(":")
        categories = [c for c, _label in PARTITION_CATEGORIES.get(dimension, ())]
        return (
            DISAGGREGATION_ORDER.index(dimension) if dimension in dimensions else len(dimensions),
            categories.index(category) if category in categories else len(categories),
            key,
        )

    for key in sorted(set(old) | set(new), key=order):
        if old.get(key) == new.get(key):
            continue
        dimension, _sep, category = key.partition(":")
        label = DisaggregatedValue(dimension=dimension, category=category).category_label
        yield f"{dimensions.get(dimension, dimension)} · {label}", old.get(key), new.get(key)


def _periods_change(old, new):
    from django.utils.translation import gettext as _

    def read(labels):
        return [_period_or_none(label) or label for label in labels or []]

    return [(_("Periodos"), read(old), read(new))]


def _disaggregations_change(name: str):
    def expand(old, new):
        from django.utils.text import capfirst

        from transversal.monitoring.models import Disaggregation, Indicator

        labels = dict(Disaggregation.choices)
        field = Indicator._meta.get_field(name)
        return [
            (
                capfirst(field.verbose_name),
                [labels.get(v, v) for v in old or []],
                [labels.get(v, v) for v in new or []],
            )
        ]

    return expand


def _period_or_none(label):
    from transversal.monitoring.periods import period_display

    try:
        return period_display(label)
    except ValueError:
        return None
