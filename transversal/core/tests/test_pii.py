"""core.pii: free text that looks like a CURP, an RFC, an e-mail, a phone, an address or a
person's name is found; ordinary titles, dates and amounts are not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transversal.core.pii import KINDS, find_personal_data, personal_data_message


def kind_of(text: str, **kwargs) -> str | None:
    found = find_personal_data(text, **kwargs)
    return None if found is None else next(k for k, v in KINDS.items() if str(v) == found.kind)


@pytest.mark.parametrize(
    "text, kind, fragment",
    [
        ("Expediente de PEGJ800101MDGRMN09", "curp", "PEGJ800101MDGRMN09"),
        ("curp: pegj800101mdgrmn09", "curp", "pegj800101mdgrmn09"),
        ("RFC PEGJ800101AB1 de la beneficiaria", "rfc", "PEGJ800101AB1"),
        ("Escribir a juana.perez@correo.mx", "email", "juana.perez@correo.mx"),
        ("Tel. 618 123 4567", "phone", "618 123 4567"),
        ("Llamar al (618) 123-45-67", "phone", "(618) 123-45-67"),
        ("+52 618.123.4567", "phone", "+52 618.123.4567"),
        ("Vive en calle Hidalgo 123, centro", "address", None),
        ("Domicilio conocido, Av. Juárez #45", "address", None),
        ("Colonia Centro, C.P. 34000", "address", None),
        ("Atendida: María Guadalupe López Hernández", "name", "María Guadalupe López Hernández"),
        ("la señora Rosa de la Cruz", "name", "Rosa de la Cruz"),
        ("Participó JOSE Ramírez", None, None),  # a shouted given name is not read as one
    ],
)
def test_it_finds_personal_data_and_names_the_fragment(text, kind, fragment):
    found = find_personal_data(text)
    assert kind_of(text) == kind
    if fragment is not None:
        assert found.fragment == fragment


@pytest.mark.parametrize(
    "text",
    [
        "Taller de igualdad sustantiva 2026",
        "Capacitación en perspectiva de género para el servicio público",
        "Del 02/03/2026 al 04/03/2026",
        "Sesión del 15 de marzo de 2026",
        "Recursos ejercidos: $1,250,000.50",
        "Se entregaron 1,200 constancias y 3,456 apoyos",
        "Ley de Igualdad entre Mujeres y Hombres del Estado, artículo 12, fracción III",
        "Programa Sectorial de las Mujeres 2025-2030",
        "Consejo Estatal para la Igualdad",
        "Atención en el municipio de Durango",
        "Folio 2026/03/0001",
        "",
        "   ",
    ],
)
def test_it_raises_no_false_alarm_on_ordinary_text(text):
    assert find_personal_data(text) is None


def test_names_may_be_left_out_for_titles_that_honour_someone():
    assert kind_of("Cátedra Rosario Castellanos") == "name"
    assert find_personal_data("Cátedra Rosario Castellanos", names=False) is None
    # The other checks still run.
    assert kind_of("Cátedra Rosario Castellanos, tel. 618 123 4567", names=False) == "phone"


def test_allowed_phrases_are_read_as_places_not_people():
    assert kind_of("Feria en Guadalupe Victoria") == "name"
    assert find_personal_data("Feria en Guadalupe Victoria", allowed=["Guadalupe Victoria"]) is None
    assert (
        kind_of("En Guadalupe Victoria atendió Sara Soto Ruiz", allowed=["guadalupe victoria"])
        == "name"
    )


def test_the_message_says_what_it_looks_like_and_quotes_it():
    message = personal_data_message(find_personal_data("CURP PEGJ800101MDGRMN09"))
    assert "una CURP" in message
    assert "«PEGJ800101MDGRMN09»" in message
    assert "no escriba nombres" in message


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(["", "$", "MXN "]),
)
def test_amounts_written_with_thousands_commas_are_never_phones(amount, prefix):
    assert find_personal_data(f"Monto: {prefix}{amount:,}.00") is None


@given(st.dates())
def test_dates_as_dd_mm_aaaa_are_never_personal_data(day):
    assert find_personal_data(f"Fecha: {day:%d/%m/%Y}") is None
