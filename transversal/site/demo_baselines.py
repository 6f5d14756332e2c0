"""Demo links from plans and convenio indicators to the statistics their baselines come from.

Runs after the gender-statistics demo: in each state institute that has them, the first plan
item and the first indicator whose text speaks of what a demo context indicator measures cite it
as their baseline source (through the planning and monitoring services, audited). Idempotent: an
item or indicator that already cites a source is left as it is.
"""

from __future__ import annotations

from django.db.models import Q

from transversal.genderstats.models import ContextIndicator
from transversal.monitoring.models import Indicator
from transversal.monitoring.services import indicator_baseline_source_set
from transversal.planning.models import PlanItem
from transversal.planning.services import item_baseline_source_set

# context indicator -> words a plan item or indicator about the same thing uses
TOPICS = {
    "tasa-participacion-economica": ("autonomía económica", "empleo", "económica"),
    "horas-trabajo-no-remunerado": ("cuidados", "no remunerado"),
    "poblacion-analfabeta": ("alfabetiza", "educación"),
}
STATES = ("10", "32")  # Durango and Zacatecas, the personas' states


def _matching(words) -> Q:
    query = Q()
    for word in words:
        query |= Q(text__icontains=word)
    return query


def load(log) -> None:
    linked = 0
    for slug, words in TOPICS.items():
        source = ContextIndicator.objects.filter(slug=slug).first()
        if source is None:
            continue
        for code in STATES:
            item = (
                PlanItem.objects.filter(plan__state__code=code, baseline_source__isnull=True)
                .filter(_matching(words))
                .order_by("plan__pk", "order", "pk")
                .first()
            )
            if (
                item is not None
                and not PlanItem.objects.filter(
                    plan__state__code=code, baseline_source=source
                ).exists()
            ):
                item_baseline_source_set(actor=None, item=item, source=source)
                linked += 1
            names = Q()
            for word in words:
                names |= Q(name__icontains=word)
            indicator = (
                Indicator.objects.filter(owner__state__code=code, baseline_source__isnull=True)
                .filter(names)
                .order_by("pk")
                .first()
            )
            if (
                indicator is not None
                and not Indicator.objects.filter(
                    owner__state__code=code, baseline_source=source
                ).exists()
            ):
                indicator_baseline_source_set(actor=None, indicator=indicator, source=source)
                linked += 1
    log(f"Líneas base con fuente estadística: {linked} vínculos")
