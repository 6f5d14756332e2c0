"""The registers' pages: home, lists with filters, totals and export, the entry's page, and
the forms that record, change and delete entries and add evidence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from transversal.accounts.models import Role, User
from transversal.audit.models import AuditEvent
from transversal.conftest import make_member
from transversal.registers.models import (
    AffirmativeAction,
    EntryEvidence,
    ServiceCount,
    TrainingEvent,
)
from transversal.registers.tests import entry_world as world
from transversal.testing import blank_pdf

pytestmark = pytest.mark.django_db


def _post_training(**overrides) -> dict:
    data = {
        "name": "Taller de igualdad sustantiva 2026",
        "topic": "Igualdad sustantiva",
        "audience": "public_servants",
        "modality": "online",
        "hours": "12.5",
        "start": "02/03/2026",
        "end": "04/03/2026",
        "organiser": "Instituto Estatal de las Mujeres",
        "certificates": "18",
        "women": "1,200",
        "men": "8",
        "sex_unspecified": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# Home and navigation ------------------------------------------------------------------------


def test_the_home_counts_each_register_in_the_persons_scope(client_for, editor, durango, zacatecas):
    world.training(durango, women=10, men=5)
    world.training(durango, name="Otro taller", women=3, men=2)
    world.training(zacatecas, women=99, men=0)
    world.service(durango)
    response = client_for(editor).get(reverse("registers:home"))
    assert response.status_code == 200
    cards = {card["key"]: card["totals"] for card in response.context["cards"]}
    assert cards["training"].entries == 2
    assert cards["training"].people == 20
    assert cards["service"].entries == 1
    assert cards["affirmative"].entries == 0
    assert reverse("registers:new", args=["training"]) in response.content.decode()


def test_the_header_links_the_registers_for_members_from_the_home_page(client_for, viewer):
    page = client_for(viewer).get(reverse("site:home")).content.decode()
    assert f'href="{reverse("registers:home")}"' in page


def test_the_registers_are_not_found_for_someone_without_an_institution(client_for):
    loner = User.objects.create_user(email="sola@prueba.test", password="x-123456789")
    assert client_for(loner).get(reverse("registers:home")).status_code == 404
    assert client_for(loner).get(reverse("registers:list", args=["training"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client_for):
    response = client_for(None).get(reverse("registers:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_home_reads_in_fixed_queries(client_for, coordinator, durango, zacatecas):
    import datetime as dt

    client = client_for(coordinator)
    client.get(reverse("registers:home"))  # warm the per-process caches
    for institution in (durango, zacatecas):
        world.training(institution)
        world.participation(institution)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("registers:home"))
    for n in range(6):
        world.training(durango, name=f"Taller {n}")
        world.service(zacatecas, month=dt.date(2026, n + 4, 1))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("registers:home"))
    assert len(many) == len(few)


def test_the_home_stays_within_its_query_budget(
    client_for, coordinator, durango, django_assert_max_num_queries
):
    for n in range(5):
        world.training(durango, name=f"Taller {n}")
    client = client_for(coordinator)
    client.get(reverse("registers:home"))
    # session, user, scope, the four registers' totals, the header's institutions (two) and
    # its review badge and data stamp: ten.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("registers:home")).status_code == 200


# Lists --------------------------------------------------------------------------------------


def test_a_state_member_lists_only_their_institutions_entries(
    client_for, viewer, durango, zacatecas
):
    world.training(durango, name="Taller de Durango")
    world.training(zacatecas, name="Taller de Zacatecas")
    page = client_for(viewer).get(reverse("registers:list", args=["training"])).content.decode()
    assert "Taller de Durango" in page
    assert "Taller de Zacatecas" not in page


def test_a_national_member_filters_by_state(client_for, coordinator, durango, zacatecas):
    world.training(durango, name="Taller de Durango")
    world.training(zacatecas, name="Taller de Zacatecas")
    url = reverse("registers:list", args=["training"])
    client = client_for(coordinator)
    both = client.get(url).content.decode()
    assert "Taller de Durango" in both and "Taller de Zacatecas" in both
    only = client.get(url, {"entidad": "32"}).content.decode()
    assert "Taller de Zacatecas" in only
    assert "Taller de Durango" not in only


def test_the_list_filters_by_year_category_and_municipality(client_for, editor, durango):
    import datetime as dt

    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    world.training(durango, name="Presencial 2026 en Lerdo", municipality=lerdo)
    world.training(durango, name="En línea 2026", modality="online")
    world.training(
        durango, name="Presencial 2025", start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 2)
    )
    url = reverse("registers:list", args=["training"])
    client = client_for(editor)

    def names(**params):
        return {e.name for e in client.get(url, params).context["page"].object_list}

    assert names(anio="2026") == {"Presencial 2026 en Lerdo", "En línea 2026"}
    assert names(anio="2026", modalidad="in_person") == {"Presencial 2026 en Lerdo"}
    assert names(municipio="10012") == {"Presencial 2026 en Lerdo"}
    assert names(anio="todos", modalidad="no-such-thing") == {
        "Presencial 2026 en Lerdo",
        "En línea 2026",
        "Presencial 2025",
    }


def test_the_services_list_filters_by_service_type_and_month(client_for, editor, durango):
    import datetime as dt

    world.service(durango, month=dt.date(2026, 3, 1), service_type="legal")
    world.service(durango, month=dt.date(2026, 4, 1), service_type="legal")
    world.service(durango, month=dt.date(2026, 4, 1), service_type="medical")
    url = reverse("registers:list", args=["service"])
    rows = client_for(editor).get(url, {"mes": "4", "servicio": "legal"}).context["page"]
    assert [(e.month.month, e.service_type) for e in rows.object_list] == [(4, "legal")]


def test_an_affirmative_action_is_found_by_any_of_its_municipalities(client_for, editor, durango):
    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    gomez = world.municipality(durango.state, "10007", "Gómez Palacio")
    world.affirmative(durango, places=[lerdo, gomez], name="En la Laguna")
    world.affirmative(durango, name="En toda la entidad")
    url = reverse("registers:list", args=["affirmative"])
    response = client_for(editor).get(url, {"municipio": "10007"})
    assert [e.name for e in response.context["page"].object_list] == ["En la Laguna"]
    assert "Gómez Palacio" in response.content.decode()


def test_the_totals_row_counts_people_by_sex_for_the_filtered_set(client_for, editor, durango):
    world.training(durango, women=1200, men=300, sex_unspecified=0)
    world.training(durango, name="Otro", women=300, men=200, modality="online")
    world.training(durango, name="Tercero", women=5, men=5, audience="general")
    url = reverse("registers:list", args=["training"])
    response = client_for(editor).get(url, {"poblacion": "public_servants"})
    totals = response.context["totals"]
    assert (totals.entries, totals.women, totals.men, totals.people) == (2, 1500, 500, 2000)
    page = response.content.decode()
    assert "2,000" in page
    assert "75.0 %" in page


def _two_years_of_training(durango) -> None:
    import datetime as dt

    world.training(durango, name="Taller 2026", women=30, men=10)
    world.training(durango, name="Otro 2026", women=10, men=0)
    world.training(
        durango,
        name="Taller 2025",
        women=7,
        men=3,
        start=dt.date(2025, 5, 1),
        end=dt.date(2025, 5, 2),
    )


def test_the_list_adds_up_the_latest_year_with_entries_by_default(client_for, editor, durango):
    _two_years_of_training(durango)
    response = client_for(editor).get(reverse("registers:list", args=["training"]))
    totals = response.context["totals"]
    assert (totals.entries, totals.women, totals.men) == (2, 40, 10)
    assert {e.name for e in response.context["page"].object_list} == {"Taller 2026", "Otro 2026"}
    page = response.content.decode()
    assert "<strong>En 2026:</strong> 2 registros con estos filtros." in page
    assert '<option value="" selected>Último año con registros (2026)</option>' in page
    assert '<option value="2026">2026</option>' in page
    assert '<option value="2025">2025</option>' in page
    assert '<option value="todos">Todos los años</option>' in page
    assert 'id="no-entries-in-year"' not in page


def test_every_year_is_added_up_only_when_asked_and_says_which(client_for, editor, durango):
    _two_years_of_training(durango)
    response = client_for(editor).get(
        reverse("registers:list", args=["training"]), {"anio": "todos"}
    )
    totals = response.context["totals"]
    assert (totals.entries, totals.women, totals.men) == (3, 47, 13)
    page = response.content.decode()
    assert "<strong>Suma de 2025 y 2026:</strong> 3 registros con estos filtros." in page
    assert '<option value="todos" selected>Todos los años</option>' in page
    by_year = [(row["year"], row["totals"].people) for row in response.context["year_rows"]]
    assert by_year == [(2026, 50), (2025, 10)]
    assert 'id="totals-by-year"' in page and "?anio=2025" in page


def test_a_year_without_entries_says_so_once_and_stays_chosen(client_for, editor, durango):
    _two_years_of_training(durango)
    response = client_for(editor).get(
        reverse("registers:list", args=["training"]), {"anio": "2019"}
    )
    assert response.context["totals"].entries == 0
    assert list(response.context["page"].object_list) == []
    page = response.content.decode()
    assert '<option value="2019" selected>2019</option>' in page
    assert "No hay registros de 2019 con estos filtros. Años con registros:" in page
    assert '<a href="?anio=2026">2026</a>, <a href="?anio=2025">2025</a>.' in page
    # One sentence says there is nothing: no zero totals, no empty table's line.
    assert page.count("No hay registros") == 1
    assert 'id="totals"' not in page and "0 registros" not in page


def test_a_list_without_any_entry_says_so_once(client_for, editor, durango):
    page = client_for(editor).get(reverse("registers:list", args=["training"])).content.decode()
    assert '<p id="no-entries">No hay registros con estos filtros.</p>' in page
    assert page.count("No hay registros") == 1
    assert 'id="totals"' not in page


# Filters that do not read -------------------------------------------------------------------


def _list_page(client, register: str, params: dict) -> tuple[object, str]:
    response = client.get(reverse("registers:list", args=[register]), params)
    assert response.status_code == 200
    return response, response.content.decode()


def _ignored(page: str) -> list[str]:
    """The notices of the filters the list ignored, as text."""
    import html
    import re

    found = re.search(r'<div class="warning-notice" role="status" id="ignored-filters">(.*?)</div>',
                      page, re.S)  # fmt: skip
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", found.group(1))] if found else []


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"entidad": "ZZ"}, "Se ignoró el filtro de entidad: «ZZ» no es una entidad."),
        (
            {"institucion": "no-existe"},
            "Se ignoró el filtro de institución: «no-existe» no es una institución cuyos "
            "registros usted consulte.",
        ),
        (
            {"entidad": "10", "municipio": "99999"},
            "Se ignoró el filtro de municipio: «99999» no es un municipio de las entidades "
            "que consulta.",
        ),
        ({"municipio": "10012"}, "Se ignoró el filtro de municipio: elija primero una entidad."),
        ({"anio": "1999"}, "Se ignoró el filtro de año: «1999» no es un año entre 2000 y 2100."),
        ({"anio": "2101"}, "Se ignoró el filtro de año: «2101» no es un año entre 2000 y 2100."),
        (
            {"anio": "2025.0"},
            "Se ignoró el filtro de año: «2025.0» no es un año (se escribe con cuatro cifras, "
            "como 2025).",
        ),
        (
            {"anio": "todos", "modalidad": "a-distancia"},
            "Se ignoró el filtro de modalidad: «a-distancia» no es una de sus opciones.",
        ),
    ],
)
def test_a_filter_that_does_not_read_is_named_and_the_list_shows_what_it_would_without_it(
    client_for, coordinator, durango, zacatecas, params, notice
):
    world.municipality(durango.state, "10012", "Lerdo")
    _durango_2026_zacatecas_2025(durango, zacatecas)
    client = client_for(coordinator)
    response, page = _list_page(client, "training", params)
    assert _ignored(page) == [notice]
    ignored = notice.split("filtro de ")[1].split(":")[0]  # «entidad», «año»…
    name = {"institución": "institucion", "año": "anio"}.get(ignored, ignored)
    kept = {key: value for key, value in params.items() if key != name}
    plain, plain_page = _list_page(client, "training", kept)
    assert response.context["totals"] == plain.context["totals"]
    assert response.context["year_totals"].year == plain.context["year_totals"].year
    assert list(response.context["page"].object_list) == list(plain.context["page"].object_list)
    assert _ignored(plain_page) == []


def test_the_services_name_a_bad_month_and_service_type(client_for, editor, durango):
    world.service(durango, month=dt.date(2026, 3, 1), service_type="legal")
    _response, page = _list_page(client_for(editor), "service", {"mes": "13", "servicio": "x"})
    assert _ignored(page) == [
        "Se ignoró el filtro de mes: «13» no es un mes (del 1 al 12).",
        "Se ignoró el filtro de servicio: «x» no es una de sus opciones.",
    ]
    assert "<strong>En 2026:</strong> 1 registro con estos filtros." in page


def test_a_state_member_is_told_a_state_or_another_states_institution_is_ignored(
    client_for, viewer, durango, zacatecas
):
    world.training(durango, name="Taller de Durango")
    world.training(zacatecas, name="Taller de Zacatecas")
    params = {"entidad": "32", "institucion": zacatecas.slug}
    response, page = _list_page(client_for(viewer), "training", params)
    assert _ignored(page) == [
        "Se ignoró el filtro de entidad: solo la institución nacional elige entidad; la lista "
        "muestra los registros de sus instituciones.",
        f"Se ignoró el filtro de institución: «{zacatecas.slug}» no es una institución cuyos "
        "registros usted consulte.",  # the same words as for one that does not exist
    ]
    assert [e.name for e in response.context["page"].object_list] == ["Taller de Durango"]


def test_an_ignored_value_is_quoted_back_escaped_and_cut_short(client_for, coordinator, durango):
    world.training(durango)
    script = "<script>alert(1)</script>" + "x" * 60
    _response, page = _list_page(client_for(coordinator), "training", {"institucion": script})
    assert "<script>alert(1)" not in page
    assert "«&lt;script&gt;alert(1)&lt;/script&gt;xxxxxxxxxxxxxxx…»" in page


def test_blank_filters_as_the_form_sends_them_are_no_notice(client_for, coordinator, durango):
    world.training(durango)
    client = client_for(coordinator)
    _response, first = _list_page(client, "training", {"entidad": "10"})
    _response, page = _list_page(client, "training", _form_values(first))
    assert _ignored(page) == [] and 'id="ignored-filters"' not in page


def test_a_list_with_filters_that_do_not_read_stays_within_the_valid_filters_queries(
    client_for, coordinator, durango, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.municipality(durango.state, "10012", "Lerdo")
    for n in range(3):
        world.training(durango, name=f"Taller {n}")
    client = client_for(coordinator)
    url = reverse("registers:list", args=["training"])
    valid = {"entidad": "10", "institucion": durango.slug, "municipio": "10012", "anio": "2026"}
    bad = {"entidad": "ZZ", "institucion": "no-existe", "municipio": "99999", "anio": "1999"}
    client.get(url, valid)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, valid)
    # The notices are made from what the filters already read: no query of their own. The
    # state, institution and municipality looked up; the totals, count and rows; the filter's
    # choices; the session, user, scope and header's.
    with django_assert_max_num_queries(len(queries)):
        _response, page = _list_page(client, "training", bad)
    assert len(_ignored(page)) == 4


def _form_values(page: str) -> dict[str, str]:
    """What the filter form sends as it stands: each select's chosen option, or its first
    when none is marked (as a browser does)."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values: dict[str, str] = {}
            self.select: str | None = None
            self.inside = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("aria-label") == "Filtrar registros":
                self.inside = True
            elif self.inside and tag == "select":
                self.select = attrs["name"]
            elif self.inside and tag == "option" and self.select:
                if self.select not in self.values or "selected" in attrs:
                    self.values[self.select] = attrs.get("value", "")

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "form":
                self.inside = False

    form = Form()
    form.feed(page)
    return form.values


def _durango_2026_zacatecas_2025(durango, zacatecas) -> None:
    world.training(durango, name="Taller 2026", women=30, men=10)
    world.training(
        zacatecas,
        name="Taller 2025 en Zacatecas",
        women=7,
        men=3,
        start=dt.date(2025, 5, 1),
        end=dt.date(2025, 5, 2),
    )


def test_a_year_not_chosen_follows_the_latest_year_of_a_new_state(
    client_for, coordinator, durango, zacatecas
):
    _durango_2026_zacatecas_2025(durango, zacatecas)
    url = reverse("registers:list", args=["training"])
    client = client_for(coordinator)
    first = client.get(url, {"entidad": "10"})
    assert "<strong>En 2026:</strong> 1 registro con estos filtros." in first.content.decode()
    sent = _form_values(first.content.decode())
    response = client.get(url, {**sent, "entidad": "32"})  # the state changed, nothing else
    assert response.context["year_totals"].year == 2025
    assert sent["anio"] == ""  # the form did not turn the year shown into a choice
    assert response.context["totals"].entries == 1
    page = response.content.decode()
    assert "<strong>En 2025:</strong> 1 registro con estos filtros." in page
    assert _form_values(page)["anio"] == ""
    assert "Último año con registros (2025)" in page


def test_a_year_chosen_stays_when_the_state_changes_and_the_page_offers_the_years_with_entries(
    client_for, coordinator, durango, zacatecas
):
    _durango_2026_zacatecas_2025(durango, zacatecas)
    url = reverse("registers:list", args=["training"])
    client = client_for(coordinator)
    first = client.get(url, {"entidad": "10", "anio": "2026"})
    sent = _form_values(first.content.decode())
    assert sent["anio"] == "2026"
    response = client.get(url, {**sent, "entidad": "32"})
    assert response.context["year_totals"].year == 2026
    assert response.context["totals"].entries == 0
    page = response.content.decode()
    assert _form_values(page)["anio"] == "2026"
    assert 'id="no-entries-in-year"' in page
    assert "No hay registros de 2026 con estos filtros. Años con registros:" in page
    assert 'href="?entidad=32&amp;anio=2025"' in page


def test_the_services_add_up_one_year_and_say_months_are_summed(client_for, editor, durango):
    import datetime as dt

    world.service(durango, month=dt.date(2025, 12, 1), women=100)
    world.service(durango, month=dt.date(2026, 1, 1), women=40)
    world.service(durango, month=dt.date(2026, 3, 1), women=20)
    url = reverse("registers:list", args=["service"])
    client = client_for(editor)
    response = client.get(url)
    assert response.context["totals"].women == 60
    page = response.content.decode()
    assert "<strong>En 2026:</strong>" in page
    assert "quien recibió atención en varios meses cuenta una vez en cada uno" in page
    march = client.get(url, {"mes": "3"})
    assert march.context["totals"].women == 20
    assert "<strong>En 03/2026:</strong>" in march.content.decode()
    assert "varios meses" not in march.content.decode()
    every = client.get(url, {"mes": "12", "anio": "todos"})
    assert every.context["totals"].women == 100
    assert "<strong>Suma del mes 12 de 2025:</strong>" in every.content.decode()


def test_the_home_counts_each_registers_latest_year(client_for, editor, durango):
    _two_years_of_training(durango)
    response = client_for(editor).get(reverse("registers:home"))
    training = next(card for card in response.context["cards"] if card["key"] == "training")
    assert (training["year"], training["totals"].entries, training["totals"].people) == (
        2026,
        2,
        50,
    )
    assert "<strong>En 2026:</strong> 2 registros" in response.content.decode()


def test_a_synthetic_entry_says_so_in_the_list(client_for, editor, durango):
    world.training(durango, is_synthetic=True)
    page = client_for(editor).get(reverse("registers:list", args=["training"])).content.decode()
    assert "dato sintético" in page


def test_the_list_is_paginated_and_keeps_its_filters(client_for, editor, durango):
    for n in range(55):
        world.training(durango, name=f"Taller {n:02d}")
    url = reverse("registers:list", args=["training"])
    response = client_for(editor).get(url, {"anio": "2026"})
    assert len(response.context["page"].object_list) == 50
    assert "anio=2026&amp;pagina=2" in response.content.decode()
    assert response.context["totals"].entries == 55


def test_the_list_leaves_a_block_for_other_actions(client_for, editor, durango):
    page = client_for(editor).get(reverse("registers:list", args=["training"])).content.decode()
    assert reverse("registers:new", args=["training"]) in page
    assert reverse("registers:export", args=["training"]) in page


def test_a_read_only_member_is_not_offered_to_record(client_for, viewer, durango):
    page = client_for(viewer).get(reverse("registers:list", args=["training"])).content.decode()
    assert reverse("registers:new", args=["training"]) not in page


@pytest.mark.parametrize("years", ["", "todos"])
@pytest.mark.parametrize("register", ["training", "affirmative", "participation", "service"])
def test_each_list_reads_in_fixed_queries(
    client_for, coordinator, durango, zacatecas, register, years, django_assert_max_num_queries
):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make = world.MAKERS[register]
    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    url = reverse("registers:list", args=[register])
    client = client_for(coordinator)
    params = {"entidad": "10", "anio": years}
    client.get(url, params)

    def add(start, n):
        for i in range(start, start + n):
            fields = {"name": f"Entrada {register} {i}"}
            if register == "service":
                fields = {"month": dt.date(2020 + i // 12, i % 12 + 1, 1)}
            if register == "affirmative":
                make(durango, places=[lerdo], **fields)
            else:
                make(durango, **fields)

    add(0, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(url, params)
    add(2, 12)
    # session, user, scope, filters (state), the totals of each year (which settle the year
    # shown), count, page rows, names (prefetch), places (affirmative), the filter's states,
    # institutions and municipalities, and the header's: fixed, whatever the rows and years
    # (the services' rows span two years).
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, params)
    by_year = response.context["year_totals"].by_year
    assert sum(totals.entries for totals in by_year.values()) == 14
    if years:
        assert response.context["totals"].entries == 14
    else:
        assert response.context["totals"] == by_year[max(by_year)]
    assert len(few) <= 18


# Export -------------------------------------------------------------------------------------


def test_the_export_holds_the_filtered_rows_with_formulas_neutralised(client_for, editor, durango):
    world.training(durango, name='=HYPERLINK("http://x")', women=4, men=1)
    world.training(durango, name="En línea", modality="online")
    url = reverse("registers:export", args=["training"])
    response = client_for(editor).get(url, {"modalidad": "in_person"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one in-person event
    header, row = rows
    assert row[header.index("Nombre del evento")] == '\'=HYPERLINK("http://x")'
    assert row[header.index("Población a la que se dirige")] == "Personas servidoras públicas"
    assert row[header.index("Total de personas")] == 5


def test_the_export_holds_the_year_the_list_adds_up(client_for, editor, durango):
    _two_years_of_training(durango)
    client = client_for(editor)
    page = client.get(reverse("registers:list", args=["training"])).content.decode()
    export = reverse("registers:export", args=["training"])
    assert f"{export}?anio=2026" in page

    def names(response) -> set[str]:
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        header, *rows = book.active.iter_rows(values_only=True)
        return {row[header.index("Nombre del evento")] for row in rows}

    latest = client.get(export)
    assert names(latest) == {"Taller 2026", "Otro 2026"}
    assert "registro-capacitacion-2026.xlsx" in latest["Content-Disposition"]
    every = client.get(export, {"anio": "todos"})
    assert names(every) == {"Taller 2026", "Otro 2026", "Taller 2025"}
    assert "todos-los-anios" in every["Content-Disposition"]


def test_the_export_is_limited_to_the_persons_scope(client_for, viewer, durango, zacatecas):
    world.training(zacatecas, name="Ajeno")
    response = client_for(viewer).get(reverse("registers:export", args=["training"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(list(book.active.iter_rows())) == 1


def test_the_export_reads_in_fixed_queries(client_for, editor, durango):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    url = reverse("registers:export", args=["affirmative"])
    client = client_for(editor)
    world.affirmative(durango, places=[lerdo])
    with CaptureQueriesContext(connection) as few:
        b"".join(client.get(url).streaming_content)
    for n in range(8):
        world.affirmative(durango, name=f"Acción {n}", places=[lerdo])
    with CaptureQueriesContext(connection) as many:
        b"".join(client.get(url).streaming_content)
    assert len(many) == len(few)


# Recording ----------------------------------------------------------------------------------


def test_an_editor_records_a_training_event(client_for, editor, durango):
    url = reverse("registers:new", args=["training"])
    client = client_for(editor)
    assert client.get(url).status_code == 200
    response = client.post(url, _post_training())
    event = TrainingEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registers:detail", args=["training", event.code])
    assert (event.institution, event.women, event.men, event.hours) == (durango, 1200, 8, 12.5)
    assert event.created_by == editor
    assert AuditEvent.objects.filter(verb="training.create", target_id=str(event.pk)).exists()


def test_a_training_like_one_already_recorded_is_warned_before_it_is_saved(
    client_for, editor, durango
):
    existing = world.training(durango, name="Taller de Igualdad Sustantiva 2026")
    url = reverse("registers:new", args=["training"])
    client = client_for(editor)
    # The same start and title but for case, accents and spaces: probably typed twice.
    data = _post_training(name="  TALLER de igualdad   sustantíva 2026 ", end="05/03/2026")
    response = client.post(url, data)
    assert response.status_code == 200
    assert TrainingEvent.objects.count() == 1
    page = response.content.decode()
    assert "¿Es el mismo evento?" in page
    assert "Registrar de todos modos" in page
    assert reverse("registers:detail", args=["training", existing.code]) in page
    assert "Corrija lo siguiente" not in page  # a warning, not an error to correct
    response = client.post(url, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert TrainingEvent.objects.count() == 2


def test_the_warning_stays_beside_other_errors_with_its_box_ticked(client_for, editor, durango):
    world.training(durango, name="Taller de igualdad sustantiva 2026")
    url = reverse("registers:new", args=["training"])
    data = {**_post_training(hours="muchas"), "confirm_duplicate": "on"}
    response = client_for(editor).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Corrija lo siguiente" in page
    assert "¿Es el mismo evento?" in page
    assert 'name="confirm_duplicate" id="id_confirm_duplicate" checked' in page
    assert TrainingEvent.objects.count() == 1


def test_another_start_or_title_or_institution_is_not_warned(
    client_for, editor, durango, zacatecas
):
    world.training(durango, name="Taller de igualdad sustantiva 2026", start=dt.date(2026, 3, 1))
    world.training(durango, name="Otro taller", start=dt.date(2026, 3, 2))
    world.training(zacatecas, name="Taller de igualdad sustantiva 2026")
    response = client_for(editor).post(
        reverse("registers:new", args=["training"]), _post_training()
    )
    assert response.status_code == 302
    assert TrainingEvent.objects.filter(institution=durango).count() == 3


def test_an_edit_that_keeps_its_start_and_title_is_not_warned_again(client_for, editor, durango):
    world.training(durango, name="Taller de igualdad sustantiva 2026")
    twin = world.training(durango, name="Taller de igualdad sustantiva 2026")
    url = reverse("registers:edit", args=["training", twin.code])
    client = client_for(editor)
    assert client.post(url, _post_training(women="20", certificates="0")).status_code == 302
    twin.refresh_from_db()
    assert twin.women == 20
    other = world.training(durango, name="Otro taller")
    url = reverse("registers:edit", args=["training", other.code])
    response = client.post(url, _post_training(certificates="0"))  # now like the other two
    assert response.status_code == 200
    assert len(response.context["form"].namesakes) == 2


def test_the_form_groups_the_people_counts(client_for, editor):
    page = client_for(editor).get(reverse("registers:new", args=["training"])).content.decode()
    assert "Participantes por sexo" in page
    assert "Participantes por grupo de edad (opcional)" in page
    assert "De ellas y ellos, por grupo de población (opcional)" in page
    assert 'placeholder="dd/mm/aaaa"' in page


def test_a_read_only_member_may_not_record(client_for, viewer, reviewer):
    url = reverse("registers:new", args=["training"])
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(reviewer).post(url, _post_training()).status_code == 403
    assert not TrainingEvent.objects.exists()


def test_personal_data_in_the_notes_is_refused_and_nothing_is_saved(client_for, editor):
    url = reverse("registers:new", args=["training"])
    response = client_for(editor).post(
        url, _post_training(notes="Asistió María López Hernández, tel. 618 123 4567")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Corrija lo siguiente" in page
    assert 'href="#id_notes"' in page
    assert not TrainingEvent.objects.exists()
    assert not AuditEvent.objects.filter(verb="training.create").exists()


def test_ages_that_do_not_add_up_are_refused_beside_their_field(client_for, editor):
    url = reverse("registers:new", args=["training"])
    response = client_for(editor).post(
        url, _post_training(women="10", men="0", age_15_29="4", age_30_44="3")
    )
    assert response.status_code == 200
    assert "age_unspecified" in response.context["form"].errors
    assert not TrainingEvent.objects.exists()


def test_a_bad_number_says_how_to_write_it(client_for, editor):
    response = client_for(editor).post(
        reverse("registers:new", args=["training"]), _post_training(women="doce")
    )
    assert "no es un número" in str(response.context["form"].errors["women"])
    assert not TrainingEvent.objects.exists()


def test_a_municipality_of_another_state_is_refused(client_for, editor, zacatecas):
    elsewhere = world.municipality(zacatecas.state, "32017", "Guadalupe")
    response = client_for(editor).post(
        reverse("registers:new", args=["training"]), _post_training(municipality=elsewhere.pk)
    )
    assert "municipality" in response.context["form"].errors
    assert not TrainingEvent.objects.exists()


def test_the_municipality_choices_are_the_institutions_states(client_for, editor, durango):
    world.municipality(durango.state, "10012", "Lerdo")
    world.municipality(durango.state.__class__.objects.get(code="32"), "32017", "Guadalupe")
    form = client_for(editor).get(reverse("registers:new", args=["training"])).context["form"]
    assert [m.name for m in form.fields["municipality"].queryset] == ["Lerdo"]


def test_an_affirmative_action_records_several_municipalities(client_for, editor, durango):
    lerdo = world.municipality(durango.state, "10012", "Lerdo")
    gomez = world.municipality(durango.state, "10007", "Gómez Palacio")
    response = client_for(editor).post(
        reverse("registers:new", args=["affirmative"]),
        {
            "name": "Becas para mujeres rurales",
            "legal_basis": "Ley de Igualdad, artículo 12",
            "target_group": "Mujeres rurales",
            "start": "01/01/2026",
            "end": "30/06/2026",
            "municipalities": [lerdo.pk, gomez.pk],
            "resources": "1,250,000.50",
            "women": "40",
        },
    )
    assert response.status_code == 302
    action = AffirmativeAction.objects.get()
    assert {m.name for m in action.municipalities.all()} == {"Lerdo", "Gómez Palacio"}
    assert str(action.resources) == "1250000.50"


def test_a_participation_mechanism_links_a_system_of_its_state_only(
    client_for, editor, durango, zacatecas
):
    from transversal.coordination.models import System

    def system(institution, acronym):
        return System.objects.create(
            name=f"Sistema {acronym}",
            acronym=acronym,
            topic="equality",
            level="state",
            state=institution.state,
            legal_instrument="Ley estatal",
            secretariat=institution,
        )

    own, other = system(durango, "SEIDGO"), system(zacatecas, "SEIZAC")
    data = {
        "name": "Observatorio ciudadano",
        "mechanism_kind": "observatory",
        "year": "2026",
        "members_civil_society": "8",
        "members_academia": "2",
        "sessions_held": "4",
        "agreements_reached": "6",
        "women": "7",
        "men": "3",
    }
    url = reverse("registers:new", args=["participation"])
    client = client_for(editor)
    refused = client.post(url, {**data, "system": other.pk})
    assert "system" in refused.context["form"].errors
    assert client.post(url, {**data, "system": own.pk}).status_code == 302
    twice = client.post(url, {**data, "system": own.pk})
    assert "Este mecanismo ya está registrado en ese año" in twice.content.decode()


def test_a_services_count_takes_its_month_as_mm_aaaa(client_for, editor):
    url = reverse("registers:new", args=["service"])
    data = {
        "month": "03/2026",
        "service_type": "psychological",
        "violence_related": "on",
        "attentions": "90",
        "women": "45",
        "men": "0",
    }
    response = client_for(editor).post(url, data)
    assert response.status_code == 302
    count = ServiceCount.objects.get()
    assert str(count.month) == "2026-03-01"
    again = client_for(editor).post(url, data)
    assert again.status_code == 200  # one count per month, service and place
    assert "Ya hay un conteo de este servicio en ese mes para toda la entidad" in str(
        again.context["form"].non_field_errors()
    )
    assert ServiceCount.objects.count() == 1
    refused = client_for(editor).post(url, {**data, "month": "13/2026"})
    assert "month" in refused.context["form"].errors


# Editing and deleting -----------------------------------------------------------------------


def test_an_editor_changes_an_entry(client_for, editor, durango):
    event = world.training(durango)
    url = reverse("registers:edit", args=["training", event.code])
    client = client_for(editor)
    form = client.get(url).context["form"]
    assert form.initial["women"] == 12
    response = client.post(url, _post_training(women="20", men="8", certificates="0"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.women == 20
    assert AuditEvent.objects.filter(verb="training.update").count() == 1


def test_an_edit_with_nothing_new_says_so(client_for, editor, durango):
    event = world.training(durango)
    url = reverse("registers:edit", args=["training", event.code])
    data = _post_training(
        name=event.name, modality="in_person", hours="8", start="02/03/2026", end="03/03/2026",
        women="12", certificates="0",
    )  # fmt: skip
    response = client_for(editor).post(url, data, follow=True)
    assert "No hubo cambios que guardar." in response.content.decode()
    assert not AuditEvent.objects.filter(verb="training.update").exists()


def test_an_outsider_cannot_find_the_entry_and_a_reader_may_not_change_it(
    client_for, outsider, viewer, durango
):
    event = world.training(durango)
    for name in ("detail", "edit"):
        url = reverse(f"registers:{name}", args=["training", event.code])
        assert client_for(outsider).get(url).status_code == 404
    edit = reverse("registers:edit", args=["training", event.code])
    assert client_for(viewer).get(edit).status_code == 403
    assert client_for(viewer).post(edit, _post_training()).status_code == 403


def test_an_entry_of_another_register_is_not_found(client_for, editor, durango):
    event = world.training(durango)
    url = reverse("registers:detail", args=["service", event.code])
    assert client_for(editor).get(url).status_code == 404


def test_delete_rejects_get(client_for, editor, durango):
    event = world.training(durango)
    url = reverse("registers:delete", args=["training", event.code])
    assert client_for(editor).get(url).status_code == 405


def test_delete_checks_ownership_and_role(client_for, outsider, viewer, durango):
    event = world.training(durango)
    url = reverse("registers:delete", args=["training", event.code])
    assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
    assert client_for(viewer).post(url, {"reason": "x"}).status_code == 403
    assert TrainingEvent.objects.filter(pk=event.pk).exists()


def test_an_editor_deletes_an_entry_with_a_reason(client_for, editor, durango):
    event = world.training(durango)
    url = reverse("registers:delete", args=["training", event.code])
    client = client_for(editor)
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "Motivo de la baja" in refused.content.decode()
    assert TrainingEvent.objects.filter(pk=event.pk).exists()
    response = client.post(url, {"reason": "Capturado dos veces"})
    assert response["Location"] == reverse("registers:list", args=["training"])
    assert not TrainingEvent.objects.filter(pk=event.pk).exists()
    assert AuditEvent.objects.get(verb="training.delete").note == "Capturado dos veces"


# The entry's page ---------------------------------------------------------------------------


def test_the_entrys_page_shows_its_fields_and_that_its_totals_add_up(client_for, reviewer, durango):
    event = world.training(
        durango, is_synthetic=True, women=12, men=8, age_15_29=10, age_30_44=10, indigenous=3
    )
    response = client_for(reviewer).get(reverse("registers:detail", args=["training", event.code]))
    page = response.content.decode()
    assert "Personas servidoras públicas" in page
    assert "03/03/2026" in page
    assert "dato sintético" in page
    assert "Cuadra: los grupos de edad suman 20" in page
    assert reverse("audit:history", args=["capacitacion", event.code]) in page
    assert reverse("registers:edit", args=["training", event.code]) not in page


def test_the_entrys_page_names_what_does_not_add_up(client_for, editor, durango):
    # An entry kept from before a rule, or written around the services: the page says so.
    event = world.training(durango, women=12, men=8, age_15_29=5)
    page = client_for(editor).get(reverse("registers:detail", args=["training", event.code]))
    assert "Los grupos de edad suman 5 y las personas por sexo 20" in page.content.decode()


def test_the_history_of_an_entry_reads_its_events(client_for, editor, durango):
    from transversal.registers import services

    event = services.entry_save(
        actor=editor, register="training", institution=durango,
        **{k: getattr(world.training(durango), k) for k in ("name", "topic", "audience",
           "modality", "hours", "start", "end", "organiser")},
        women=5,
    )  # fmt: skip
    response = client_for(editor).get(reverse("audit:history", args=["capacitacion", event.code]))
    assert response.status_code == 200
    assert "Registró el evento de capacitación" in response.content.decode()


# Evidence -----------------------------------------------------------------------------------


def test_an_editor_adds_evidence_and_members_download_it(
    client_for, editor, viewer, outsider, coordinator, durango, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = world.training(durango)
    upload = SimpleUploadedFile("lista.pdf", blank_pdf("Lista"), "application/pdf")
    url = reverse("registers:evidence_add", args=["training", event.code])
    assert client_for(viewer).post(url, {"file": upload}).status_code == 403
    upload.seek(0)
    response = client_for(editor).post(url, {"file": upload, "description": "Lista de asistencia"})
    assert response.status_code == 302
    evidence = EntryEvidence.objects.get()
    assert AuditEvent.objects.filter(verb="training.evidence_add").exists()
    download = reverse("registers:evidence", args=[evidence.code])
    page = client_for(viewer).get(reverse("registers:detail", args=["training", event.code]))
    assert download in page.content.decode()
    assert client_for(viewer).get(download).status_code == 200
    assert client_for(coordinator).get(download).status_code == 200
    assert client_for(outsider).get(download).status_code == 404
    assert client_for(None).get(download).status_code == 302


def test_evidence_with_a_name_in_its_description_is_refused(
    client_for, editor, durango, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    event = world.training(durango)
    upload = SimpleUploadedFile("lista.pdf", blank_pdf("Lista"), "application/pdf")
    response = client_for(editor).post(
        reverse("registers:evidence_add", args=["training", event.code]),
        {"file": upload, "description": "Lista de Rosa María Pérez"},
        follow=True,
    )
    assert "un nombre de persona" in response.content.decode()
    assert not EntryEvidence.objects.exists()


def test_a_state_admin_records_too(client_for, durango):
    admin = make_member("otra.admin@prueba.test", durango, Role.ADMIN)
    assert client_for(admin).get(reverse("registers:new", args=["service"])).status_code == 200


def test_visitors_see_no_registers_link(client_for):
    page = client_for(None).get(reverse("site:home")).content.decode()
    assert f'href="{reverse("registers:home")}"' not in page


def test_deleting_an_entry_a_report_counted_is_refused_with_the_reason_shown(
    client_for, editor, durango
):
    from decimal import Decimal

    from transversal.monitoring.models import ProgressUpdate
    from transversal.registers.models import FeedProposal
    from transversal.registers.tests.feed_factories import fed_indicator, quarter

    event = world.training(durango)
    update = ProgressUpdate.objects.create(
        period=quarter(fed_indicator(durango), 1), value=Decimal(20)
    )
    FeedProposal.objects.create(
        update=update,
        register="training",
        aggregation="people",
        value=Decimal(20),
        entry_codes=[str(event.code)],
    )
    detail = client_for(editor).get(reverse("registers:detail", args=["training", event.code]))
    assert 'id="counted"' in detail.content.decode()
    assert detail.context["delete_form"] is None
    url = reverse("registers:delete", args=["training", event.code])
    response = client_for(editor).post(url, {"reason": "Ya no aplica"}, follow=True)
    assert "corríjalo en lugar de eliminarlo" in response.content.decode()
    assert TrainingEvent.objects.filter(pk=event.pk).exists()


def test_optional_counts_never_recorded_read_as_one_line(client_for, editor, durango):
    event = world.training(durango)
    response = client_for(editor).get(reverse("registers:detail", args=["training", event.code]))
    sections = dict(response.context["sections"])
    assert sections["Participantes por grupo de edad (opcional)"] == []
    assert "No se registraron." in response.content.decode()
    assert sections["Participantes por sexo"][0] == ("Mujeres", "12")


def test_home_and_list_say_how_many_entries_are_synthetic(client_for, coordinator, durango):
    world.training(durango, name="Taller real")
    demo = world.training(durango, name="Taller de demostración")
    type(demo).objects.filter(pk=demo.pk).update(is_synthetic=True)
    client = client_for(coordinator)
    home = client.get(reverse("registers:home")).content.decode()
    assert "1 registro de demostración, con cifras inventadas." in home
    listing = client.get(reverse("registers:list", args=["training"])).content.decode()
    assert "1 de ellos es de demostración, con cifras inventadas." in listing
