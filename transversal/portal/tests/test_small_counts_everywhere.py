"""Every public output of a breakdown applies the one small-count rule (core.disclosure), so that
nothing it suppresses can be worked out by subtraction from what it publishes.

For random approved counts (a total, its partitions by sex and by age, population groups) and
random thresholds, the property reads the breakdown the way the public does, from each output:
the portal selector and page, every open-data file the data package lists with a breakdown (CSV
and JSON), and the API without a token and with the token of someone from another state. The
attacker (:func:`transversal.core.tests.test_disclosure.disclosures`) must find nothing in any of
them. Reports and indicator charts are for members only (see the second test), so no public
report or chart shows a breakdown. The registers' aggregates by state and year (issue 19) are
read the same way from their selector, the portal page, their open-data files and the API (the
last test).
"""

from __future__ import annotations

import csv
import datetime as dt
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
from hypothesis import strategies as st

from transversal.api.services import token_create
from transversal.core.tests.test_disclosure import breakdowns, disclosures
from transversal.monitoring.models import PARTITION_CATEGORIES, SUBSET_GROUPS, Disaggregation
from transversal.monitoring.services import update_approve, update_save, update_submit
from transversal.monitoring.tests.factories import indicator_with_calendar, period
from transversal.portal import selectors, vocabularies
from transversal.portal.datasets import REGISTER_DATASETS
from transversal.portal.tests.conftest import body
from transversal.registers import public as register_public
from transversal.registers.models import REGISTER_MODELS
from transversal.registers.tests import public_world as registers_world

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


# The registers (issue 19): their aggregates by state and year -----------------------------------


@st.composite
def register_entries(draw) -> tuple[str, list[dict], int]:
    """A register, one to three entries of one state and year (people by sex, each in a category
    of the register's own breakdown) and a threshold."""
    register = draw(st.sampled_from(list(REGISTER_MODELS)))
    dimension = register_public.DIMENSIONS[register]
    people = st.integers(0, 8) | st.integers(0, 60)
    entries = []
    for _index in range(draw(st.integers(1, 3))):
        entry = {"women": draw(people), "men": draw(people), "unspecified": draw(people)}
        if dimension is not None:
            categories = [code for code, _label in dimension.categories]
            if dimension.field:
                entry["category"] = draw(st.sampled_from(categories))
            else:  # the members by sector: a split of the same people
                total = entry["women"] + entry["men"] + entry["unspecified"]
                cuts = sorted(draw(st.lists(st.integers(0, total), min_size=4, max_size=4)))
                bounds = [0, *cuts, total]
                entry["sectors"] = tuple(b - a for a, b in itertools.pairwise(bounds))
        entries.append(entry)
    return register, entries, draw(st.integers(1, 12))


def _record(register: str, institution, index: int, entry: dict) -> None:
    counts = {key: entry[key] for key in ("women", "men", "unspecified")}
    if register == "training":
        registers_world.training(institution, audience=entry["category"], **counts)
    elif register == "affirmative":
        registers_world.affirmative(institution, **counts)
    elif register == "participation":
        registers_world.participation(
            institution, sectors=entry["sectors"], name=f"Consejo {index}", **counts
        )
    else:
        month = dt.date(2025, index + 1, 1)
        registers_world.service(institution, service_type=entry["category"], month=month, **counts)


def _register_truth(register: str, entries: list[dict]) -> dict[tuple[str, str], int]:
    truth = {
        ("sex", sex): sum(entry[sex] for entry in entries)
        for sex in ("women", "men", "unspecified")
    }
    dimension = register_public.DIMENSIONS[register]
    if dimension is None:
        return truth
    for position, (code, _label) in enumerate(dimension.categories):
        truth[(dimension.key, code)] = sum(
            entry["sectors"][position]
            if not dimension.field
            else (entry["women"] + entry["men"] + entry["unspecified"])
            * (entry["category"] == code)
            for entry in entries
        )
    return truth


RegisterPublished = tuple[int, Decimal | None, Published]  # people, women's share, cells


def _register_page(client, register: str) -> RegisterPublished:
    page = body(client.get(reverse("portal:registers"), {"anio": "2025", "entidad": "durango"}))
    [section] = re.findall(rf'<section[^>]*id="registro-{register}">(.*?)</section>', page, re.S)
    rows = []
    for tbody in re.findall(r"<tbody>(.*?)</tbody>", section, re.S):
        [row] = re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])

    def number(text: str) -> Decimal | None:
        return None if text in ("suprimido", "—") else Decimal(text.replace(",", ""))

    _place, _entries, people, *sexes, share = rows[0]
    published = [
        ("sex", sex, number(value))
        for sex, value in zip(("women", "men", "unspecified"), sexes, strict=True)
    ]
    dimension = register_public.DIMENSIONS[register]
    if dimension is not None:
        codes = [code for code, _label in dimension.categories]
        published += [
            (dimension.key, code, number(value))
            for code, value in zip(codes, rows[1][1:], strict=True)
        ]
    return int(number(people)), number(share), published


def _register_files(client, register: str) -> dict[str, RegisterPublished]:
    name = REGISTER_DATASETS[register][0]
    outputs = {}
    for fmt in ("csv", "json"):
        text = body(client.get(f"/datos/{name}.{fmt}"))
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        else:
            rows = json.loads(text)
        rows = [r for r in rows if r["clave_entidad"] == "10" and str(r["anio"]) == "2025"]
        for row in rows:
            assert str(row["suprimido"]).lower() == (
                "true" if _number(row["valor"]) is None else "false"
            )
        [people] = {int(r["personas"]) for r in rows}
        [share] = {_number(r["porcentaje_mujeres"]) for r in rows}
        outputs[f"{name}.{fmt}"] = (
            people,
            share,
            [
                (
                    _internal(vocabularies.REGISTER_DIMENSION, r["desagregacion"]),
                    _internal(vocabularies.REGISTER_CATEGORY, r["categoria"]),
                    _number(r["valor"]),
                )
                for r in rows
            ],
        )
    return outputs


def _register_api(client, register: str, headers: dict) -> RegisterPublished:
    params = {"kind": register, "state": "10", "year": 2025}
    [item] = client.get("/api/v1/registers/aggregates", params, headers=headers).json()["items"]
    assert all(r["suppressed"] == (r["value"] is None) for r in item["breakdown"])
    return (
        item["people"],
        _number(item["women_share"]),
        [(r["dimension"], r["category"], _number(r["value"])) for r in item["breakdown"]],
    )


def test_no_public_output_of_the_registers_lets_a_suppressed_count_be_worked_out(
    client, settings, durango, outsider
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _token, secret = token_create(actor=outsider, name="pruebas")
    outsider_headers = {"Authorization": f"Bearer {secret}"}

    @hypothesis_settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
    @given(register_entries())
    def check(case):
        register, entries, threshold = case
        for model in REGISTER_MODELS.values():
            model.objects.all().delete()
        settings.OPEN_DATA_MIN_COUNT = threshold
        for index, entry in enumerate(entries):
            _record(register, durango, index, entry)
        truth = {key: Decimal(value) for key, value in _register_truth(register, entries).items()}
        total = sum(truth[("sex", sex)] for sex in ("women", "men", "unspecified"))
        [aggregate] = register_public.public_aggregates(register, state="10", year=2025)
        assert all(cell.suppressed == (cell.value is None) for cell in aggregate.cells)
        outputs: dict[str, RegisterPublished] = {
            "selector": (
                aggregate.people,
                aggregate.women_share,
                [(c.dimension, c.category, c.value) for c in aggregate.cells],
            ),
            "portal page": _register_page(client, register),
            **_register_files(client, register),
            "API, anonymous": _register_api(client, register, {}),
            "API, another state": _register_api(client, register, outsider_headers),
        }
        for output, (people, share, published) in outputs.items():
            assert people == total, output
            found = disclosures(total, published, threshold=threshold, subsets=(), truth=truth)
            assert found == [], (output, register, entries, threshold)
            women = dict(((d, c), v) for d, c, v in published)[("sex", "women")]
            # The share is the women's count again: absent when it is, and only then.
            assert (share is None) == (women is None or total == 0), output
        # Every output publishes the same thing: the one rule, applied once.
        first = outputs["selector"]
        for output, published in outputs.items():
            assert (published[0], published[1], sorted(published[2])) == (
                first[0],
                first[1],
                sorted(first[2]),
            ), output

    check()
