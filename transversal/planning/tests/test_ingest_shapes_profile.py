"""The profile reader on creation laws and history pages (issue 20, shape 6).

Texts are synthetic; law names and dates are invented or public facts.
"""

from __future__ import annotations

import datetime

import pytest

from transversal.planning.ingest import parse_plan, parse_profile, reads_as_profile
from transversal.planning.ingest.profile_parser import Transformation

from .ingest_shapes import fixture_text


def test_a_creation_law_gives_the_legal_form_the_object_and_the_attributions():
    profile = parse_profile(fixture_text("profile_creation_law.txt"))

    assert profile.legal_form == "Organismo público descentralizado"
    assert profile.purpose.startswith("Promover las condiciones que hagan posible")
    assert profile.objectives[0] == (
        "Proponer al Ejecutivo políticas públicas para la igualdad sustantiva"
    )
    assert len(profile.objectives) == 3  # the catch-all "Las demás que…" is no objective


def test_a_creation_law_is_dated_by_its_publication_note_and_named_by_its_title():
    creation = parse_profile(fixture_text("profile_creation_law.txt")).creation

    assert (creation.kind, creation.date) == ("Ley", datetime.date(2002, 3, 12))
    assert creation.law_name == "Ley que crea el Instituto Nayarita de las Mujeres"
    assert creation.gazette == "Periódico Oficial del Estado de Nayarit"


def test_a_history_page_gives_every_dated_transformation_in_order():
    profile = parse_profile(fixture_text("profile_history.txt"))

    assert profile.transformations == [
        Transformation(
            datetime.date(1999, 3, 8), "Coordinación Estatal de la Mujer", "Órgano desconcentrado"
        ),
        Transformation(
            datetime.date(2004, 8, 20),
            "Instituto Estatal de la Mujer",
            "Organismo público descentralizado",
        ),
        Transformation(datetime.date(2016, 1, 1), "Instituto Estatal de las Mujeres", None),
        Transformation(datetime.date(2021, 11, 15), "Secretaría de las Mujeres", "Secretaría"),
    ]


def test_the_legal_form_today_is_the_one_of_the_latest_step():
    profile = parse_profile(fixture_text("profile_history.txt"))

    assert (profile.current_name, profile.legal_form) == ("Secretaría de las Mujeres", "Secretaría")


def test_the_ministry_an_organ_belongs_to_is_not_one_of_its_former_names():
    profile = parse_profile(fixture_text("profile_history.txt"))

    assert "Secretaría General de Gobierno" not in profile.former_names
    assert profile.former_names == [
        "Coordinación Estatal de la Mujer",
        "Instituto Estatal de la Mujer",
        "Instituto Estatal de las Mujeres",
    ]


def test_a_legal_form_is_read_from_a_plain_sentence_and_named_the_same_whatever_the_wording():
    forms = [
        parse_profile(text).legal_form
        for text in (
            "El Instituto Estatal de las Mujeres es un organismo público descentralizado.",
            "El Consejo Estatal de la Mujer es un organismo descentralizado del Gobierno.",
            "La Coordinación de la Mujer es un órgano administrativo desconcentrado.",
        )
    ]

    assert forms == [
        "Organismo público descentralizado",
        "Organismo público descentralizado",
        "Órgano desconcentrado",
    ]


def test_a_sentence_with_a_date_and_no_step_cue_is_no_transformation():
    profile = parse_profile(
        "El 8 de marzo de 2020 el Instituto Estatal de las Mujeres organizó una marcha."
    )

    assert profile.transformations == []


@pytest.mark.parametrize(
    "name",
    [
        "profile_creation_law.txt",
        "profile_organic_law.txt",
        "profile_history.txt",
        "profile_history_b.txt",
    ],
)
def test_a_law_or_history_uploaded_as_a_plan_has_no_items_and_reads_as_a_profile(name):
    text = fixture_text(name)

    # The plan upload then offers the profile import instead of a bare error.
    assert parse_plan(text).items == []
    assert reads_as_profile(parse_profile(text))


@pytest.mark.parametrize("name", ["plan_flat_axes.txt", "plan_roman_blocks.txt"])
def test_a_plan_does_not_read_as_a_profile(name):
    assert not reads_as_profile(parse_profile(fixture_text(name)))


def test_a_creation_decree_is_named_by_its_title_with_the_state_it_serves():
    profile = parse_profile(
        "DECRETO POR EL QUE SE CREA EL INSTITUTO DE LA MUJER PARA EL ESTADO DE TLAXCALA "
        "Fecha de publicación: 03/05/2001 Periódico Oficial: 12 Al margen un escudo."
    )

    assert profile.current_name == "Instituto de la Mujer para el Estado de Tlaxcala"
    assert (profile.creation.kind, profile.creation.date) == ("Decreto", datetime.date(2001, 5, 3))


def test_a_law_published_in_a_gazette_page_header_is_a_creation_law():
    profile = parse_profile(
        "4 DIARIO OFICIAL Lunes 7 de mayo de 2001 LEY del Instituto Estatal de las Mujeres. "
        "Artículo 2.- Se crea el Instituto Estatal de las Mujeres como un organismo público "
        "descentralizado."
    )

    assert (profile.creation.kind, profile.creation.date) == ("Ley", datetime.date(2001, 5, 7))
    assert profile.legal_form == "Organismo público descentralizado"


def test_a_step_that_points_back_to_the_law_just_dated_takes_that_law_date():
    text = (
        "Antes de la Ley Orgánica del Poder Ejecutivo, publicada en el Periódico Oficial el "
        "2 de marzo de 2018, el mecanismo era un organismo descentralizado llamado Instituto "
        "Serrano de las Mujeres.\n\n"
        "Con esa publicación de esta ley se creó la Secretaría de las Mujeres Serranas, con "
        "rango de dependencia.\n"
    )

    profile = parse_profile(text)

    assert profile.transformations == [
        Transformation(
            datetime.date(2018, 3, 2), "Secretaría de las Mujeres Serranas", "Secretaría"
        )
    ]
    assert (profile.current_name, profile.legal_form) == (
        "Secretaría de las Mujeres Serranas",
        "Secretaría",
    )


def test_a_secretaria_named_today_is_of_that_legal_form_without_a_history():
    profile = parse_profile(
        "Secretaría de las Mujeres\n\nMisión\nConducir la política de igualdad del estado.\n"
    )

    assert profile.legal_form == "Secretaría"
