"""Every public output of a breakdown applies the one small-count rule (core.disclosure), so that
nothing it suppresses can be worked out by subtraction from what it publishes.

For random approved counts (a total, its partitions by sex and by age, population groups) and
random thresholds, the property reads the breakdown the way the public does, from each output:
the portal selector and page, every open-data file the data package lists with a breakdown (CSV
and JSON), and the API without a token and with the token of someone from another state. The
attacker (:func:`transversal.core.tests.test_disclosure.disclosures`) must find nothing in any of
them. Reports and indicator charts are for members only (see the last test), so no public report
or chart shows a breakdown.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from transversal.api.services import token_create
from transversal.core.tests.test_disclosure import breakdowns, disclosures
from transversal.monitoring.models import PARTITION_CATEGORIES, SUBSET_GROUPS, Disaggregation
from transversal.monitoring.services import update_approve, update_save, update_submit
from transversal.monitoring.tests.factories import indicator_with_calendar, period
from transversal.portal import selectors, vocabularies
from transversal.portal.tests.conftest import body

pytestmark = pytest.mark.django_db

PERIOD = "2025-T1"
Published = list[tuple[str, str, Decimal | None]]


def _number(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def approve_count(owner, editor, reviewer, total: Decimal, breakdown: dict, name: str):
    indicator = indicator_with_calendar(
        owner, name=name, is_public=True, disaggregations=["age", *SUBSET_GROUPS]
    )
    update = update_save(
        actor=editor,
        period=period(indicator, PERIOD),
        expected_version=None,
        value=total,
        breakdown=breakdown,
    )
    update = update_submit(actor=editor, update=update, expected_version=update.version)
    return indicator, update_approve(actor=reviewer, update=update)


# How each output publishes a breakdown, read back as (dimension, category, value or None) --------


def from_selector(indicator) -> Published:
    [row] = [row for row in selectors.indicator_periods(indicator) if row.update is not None]
    assert all(cell.suppressed == (cell.value is None) for cell in row.breakdown)
    return [(cell.dimension, cell.category, cell.value) for cell in row.breakdown]


def _labels() -> dict[tuple[str, str], tuple[str, str]]:
    """(dimension label, category label) as the page shows them → (dimension, category)."""
    labels = {}
    for dimension, dimension_label in Disaggregation.choices:
        categories = PARTITION_CATEGORIES.get(dimension, (("of_which", "De ellas o ellos"),))
        for category, category_label in categories:
            labels[(str(dimension_label), str(category_label))] = (dimension, category)
    return labels


def from_page(client, indicator) -> Published:
    page = body(client.get(reverse("portal:indicator", args=[indicator.code])))
    tables = re.findall(r"<caption>Valores por desagregación</caption>(.*?)</table>", page, re.S)
    if not tables:
        return []
    [table] = tables
    labels = _labels()
    published = []
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S):
        dimension_label, category_label, value = (
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        dimension, category = labels[(dimension_label, category_label)]
        published.append(
            (dimension, category, None if value == "suprimido" else Decimal(value.replace(",", "")))
        )
    return published


def _internal(vocabulary: vocabularies.Vocabulary, published: str) -> str:
    return {c.published: c.internal for c in vocabulary.codes}.get(published, published)


def from_open_data(client, code: str) -> tuple[dict[str, Published], dict[str, Decimal | None]]:
    """Per breakdown file the data package lists, what it publishes of this indicator's period;
    and per file of approved values, the total it publishes."""
    package = json.loads(body(client.get(reverse("portal:datapackage"))))
    breakdown_files, totals = {}, {}
    for resource in package["resources"]:
        fields = {f["name"] for f in resource["schema"]["fields"]}
        if not {"clave_indicador", "periodo", "valor"} <= fields:
            continue
        text = body(client.get(f"/datos/{resource['path']}"))
        if resource["format"] == "csv":
            rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        else:
            rows = json.loads(text)
        rows = [r for r in rows if r["clave_indicador"] == code and r["periodo"] == PERIOD]
        if "desagregacion" in fields:
            for row in rows:
                assert str(row["suprimido"]).lower() == (
                    "true" if _number(row["valor"]) is None else "false"
                )
            # The files publish Spanish codes (sexo/mujeres); read back as the others name them.
            breakdown_files[resource["path"]] = [
                (
                    _internal(vocabularies.DISAGGREGATION, r["desagregacion"]),
                    _internal(vocabularies.CATEGORY, r["categoria"]),
                    _number(r["valor"]),
                )
                for r in rows
            ]
        else:
            [row] = rows
            totals[resource["path"]] = _number(row["valor"])
    assert {path.rsplit(".", 1)[1] for path in breakdown_files} == {"csv", "json"}
    assert totals
    return breakdown_files, totals


def from_api(client, code: str, headers: dict) -> tuple[Published, Decimal]:
    [item] = client.get("/api/v1/updates", {"indicator": code}, headers=headers).json()["items"]
    detail = client.get(f"/api/v1/updates/{item['code']}", headers=headers).json()
    assert detail == item
    assert all(r["suppressed"] == (r["value"] is None) for r in item["breakdown"])
    return [
        (r["dimension"], r["category"], _number(r["value"])) for r in item["breakdown"]
    ], Decimal(item["value"])


# The property -----------------------------------------------------------------------------------


def test_no_public_output_lets_a_suppressed_count_be_worked_out(
    client, settings, durango, editor, reviewer, outsider
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _token, secret = token_create(actor=outsider, name="pruebas")
    outsider_headers = {"Authorization": f"Bearer {secret}"}
    names = itertools.count()

    @hypothesis_settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
    @given(breakdowns())
    def check(case):
        total, breakdown, threshold = case
        settings.OPEN_DATA_MIN_COUNT = threshold
        indicator, _update = approve_count(
            durango, editor, reviewer, total, breakdown, name=f"Personas atendidas {next(names)}"
        )
        code = str(indicator.code)
        truth = {(d, c): v for d, values in breakdown.items() for c, v in values.items()}
        outputs: dict[str, Published] = {
            "portal selector": from_selector(indicator),
            "portal page": from_page(client, indicator),
        }
        files, totals = from_open_data(client, code)
        outputs.update(files)
        assert set(totals.values()) == {total}
        for who, headers in (("anonymous", {}), ("another state", outsider_headers)):
            outputs[f"API, {who}"], api_total = from_api(client, code, headers)
            assert api_total == total
        for output, published in outputs.items():
            found = disclosures(total, published, threshold=threshold, truth=truth)
            assert found == [], (output, total, breakdown, threshold)
        # Every output publishes the same thing: the one rule, applied once.
        first = sorted(outputs["portal selector"])
        for output, published in outputs.items():
            assert sorted(published) == first, output

    check()


def test_breakdowns_are_shown_in_charts_and_reports_to_members_only(
    client, durango, editor, reviewer, outsider
):
    indicator, _update = approve_count(
        durango,
        editor,
        reviewer,
        Decimal(119),
        {"sex": {"women": Decimal(3), "men": Decimal(116)}},
        name="Atenciones",
    )
    chart = reverse("dashboards:indicator", args=[indicator.code])
    assert client.get(chart).status_code == 302  # to the login page
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(chart).status_code == 404
    member = Client()
    member.force_login(editor)
    assert member.get(chart).status_code == 200
