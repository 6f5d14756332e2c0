from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transversal.planning.ingest import parse_profile
from transversal.planning.ingest.profile_parser import find_dates
from transversal.planning.ingest.seeds import find_seed


def _seed_text(prefix: str) -> str:
    path = find_seed(prefix)
    if path is None:
        pytest.skip("seed documents folder not found (set TRANSVERSAL_SEEDS_DIR)")
    return path.read_text(encoding="utf-8")


# --- Seed 002: Durango -------------------------------------------------------


def test_it_reads_the_durango_creation_decree():
    creation = parse_profile(_seed_text("002_")).creation

    assert (creation.kind, creation.number, creation.date) == (
        "Decreto",
        "298",
        datetime.date(2000, 6, 18),
    )
    assert "Periódico Oficial" in creation.gazette
    assert creation.law_name == "Ley que crea el Instituto de la Mujer Duranguense"


def test_it_tells_the_current_durango_name_from_the_former_one():
    profile = parse_profile(_seed_text("002_"))

    assert profile.current_name == "Instituto Estatal de las Mujeres"
    assert profile.former_names == ["Instituto de la Mujer Duranguense"]


def test_it_reads_the_durango_mission_without_the_glue_to_the_vision():
    mission = parse_profile(_seed_text("002_")).mission

    assert mission.startswith(
        "Promover políticas públicas y generar acciones con perspectiva de género"
    )
    assert mission.endswith("una vida libre de violencia.")


def test_it_reads_the_durango_vision_from_its_actual_content():
    vision = parse_profile(_seed_text("002_")).vision

    assert vision == (
        "Somos la Institución reconocida como rectora de la política de igualdad en el estado "
        "de Durango, que trabaja para garantizar el pleno ejercicio de los derechos de las "
        "mujeres y contribuir a la construcción de una sociedad igualitaria, libre de violencia "
        "y discriminación."
    )


def test_it_reads_the_durango_objectives_policies_and_plan():
    profile = parse_profile(_seed_text("002_"))

    assert profile.objectives == [
        "Apoyar el desarrollo de grupos vulnerables generando condiciones y oportunidades de "
        "acceso a bienes y servicios.",
        "Adoptar y reforzar las políticas para la promoción de la igualdad de género y el "
        "empoderamiento de las mujeres y las niñas.",
    ]
    assert profile.transversal_policies == [
        (
            1,
            "Derechos humanos",
            "toda acción de Gobierno deberá coadyuvar para garantizar los derechos fundamentales "
            "de las personas.",
        ),
        (
            2,
            "Igualdad de género",
            "para evitar que las diferencias de género sean causa de desigualdad, exclusión o "
            "discriminación.",
        ),
        (
            3,
            "Desarrollo regional",
            "como modelo de coordinación de acciones que propicie el aprovechamiento de las "
            "vocaciones productivas y establezca una vinculación directa con la sociedad.",
        ),
    ]
    assert profile.aligned_plan == "PED 2016-2022"


# --- A profile written differently -------------------------------------------

SYNTHETIC = """Secretaría de las Mujeres del Estado de Sonora

Antecedentes
El Instituto Sonorense de la Mujer tuvo su origen en la Ley de creación publicada en el \
Periódico Oficial el 3 de marzo de 2009, Decreto número 45. En 2021 cambió su denominación \
a Secretaría de las Mujeres del Estado de Sonora.

MISIÓN
Conducir la política estatal de igualdad sustantiva con visión de derechos humanos y \
garantizar el acceso de las mujeres a sus derechos.

VISIÓN:
ser la dependencia que asegura que ninguna mujer quede atrás;

Nuestros objetivos institucionales son:
1) Reducir las brechas de desigualdad.
2) Prevenir las violencias contra las mujeres.

Ejes transversales del Plan Estatal de Desarrollo 2021-2027:
• Paz: toda acción pública contribuye a la paz.
• Igualdad – ninguna política pública sin perspectiva de género.
"""


def test_it_reads_a_profile_worded_differently():
    profile = parse_profile(SYNTHETIC)

    assert profile.current_name == "Secretaría de las Mujeres del Estado de Sonora"
    assert profile.former_names == ["Instituto Sonorense de la Mujer"]
    creation = profile.creation
    assert (creation.kind, creation.number, creation.date, creation.gazette) == (
        "Decreto",
        "45",
        datetime.date(2009, 3, 3),
        "Periódico Oficial",
    )
    assert creation.law_name is None
    assert profile.mission == (
        "Conducir la política estatal de igualdad sustantiva con visión de derechos humanos y "
        "garantizar el acceso de las mujeres a sus derechos."
    )
    assert profile.vision == "Ser la dependencia que asegura que ninguna mujer quede atrás"
    assert profile.objectives == [
        "Reducir las brechas de desigualdad.",
        "Prevenir las violencias contra las mujeres.",
    ]
    assert profile.transversal_policies == [
        (1, "Paz", "toda acción pública contribuye a la paz."),
        (2, "Igualdad", "ninguna política pública sin perspectiva de género."),
    ]
    assert profile.aligned_plan == "Plan Estatal de Desarrollo 2021-2027"


def test_it_reads_an_acuerdo_with_a_numeric_date_and_a_quoted_name():
    text = (
        "El Consejo Estatal de la Mujer fue creado mediante Acuerdo Administrativo No. 12 "
        "publicado en la Gaceta Oficial del Estado de Veracruz el 01/02/1999, "
        "«Acuerdo que crea el Consejo Estatal de la Mujer»."
    )
    creation = parse_profile(text).creation

    assert (creation.kind, creation.number, creation.date) == (
        "Acuerdo",
        "12",
        datetime.date(1999, 2, 1),
    )
    assert creation.gazette == "Gaceta Oficial del Estado de Veracruz"
    assert creation.law_name == "Acuerdo que crea el Consejo Estatal de la Mujer"


def test_it_returns_an_empty_profile_for_unrelated_text():
    profile = parse_profile("Informe trimestral de actividades.")

    assert profile.current_name is None
    assert profile.creation.date is None
    assert (profile.mission, profile.vision, profile.objectives) == (None, None, [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el 18 de junio del 2000", datetime.date(2000, 6, 18)),
        ("el 1o. de Septiembre de 2015", datetime.date(2015, 9, 1)),
        ("el primero de diciembre del año 2018", datetime.date(2018, 12, 1)),
        ("el 7 de setiembre de 2001", datetime.date(2001, 9, 7)),
        ("DOF 25/11/2025", datetime.date(2025, 11, 25)),
    ],
)
def test_it_reads_spanish_dates(text, expected):
    assert [date for _, date in find_dates(text)] == [expected]


def test_it_skips_impossible_dates():
    assert find_dates("31 de febrero de 2020 y 45/13/2020") == []


_FRAGMENTS = st.sampled_from(
    [
        "Misión",
        "La Visión institucional se traduce",
        "visión",
        ":",
        "; y ",
        ".;",
        "\n",
        "- ",
        "1. ",
        "• ",
        "Decreto No. 298",
        "18 de junio del 2000",
        "31/02/2020",
        "Periódico Oficial del Estado",
        "“Ley que crea el Instituto de la Mujer X”",
        "denominado Instituto de la Mujer Duranguense",
        "actualmente Secretaría de las Mujeres",
        "Los objetivos institucionales son:",
        "políticas transversales:",
        "Derechos humanos, toda acción",
        "PED del 2016-2022",
        "texto",
        # Shapes of issue 20: creation laws and dated histories.
        "LEY QUE CREA EL INSTITUTO ESTATAL DE LAS MUJERES",
        "Publicada en el Periódico Oficial el 12 de marzo de 2002.",
        "Artículo 2.- El Instituto tiene por objeto ",
        "Son atribuciones del Instituto:",
        "I.- ",
        "IV. Las demás que le confieran ",
        " organismo público descentralizado",
        " órgano desconcentrado de la Secretaría General de Gobierno",
        "El 1 de enero de 2016 ",
        " cambió su denominación a Instituto Estatal de las Mujeres",
        " se transformó en la Secretaría de las Mujeres",
        "El Instituto Estatal de la Mujer fue creado mediante decreto",
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=400), st.lists(_FRAGMENTS, max_size=40).map("".join)))
def test_parse_profile_never_raises_and_returns_clean_fields(text):
    profile = parse_profile(text)

    for value in (profile.mission, profile.vision, profile.current_name):
        assert value is None or (value and value == " ".join(value.split()))
    assert profile.current_name not in profile.former_names or profile.current_name is None
    assert all(objective for objective in profile.objectives)
    assert all(policy.number >= 0 and policy.name for policy in profile.transversal_policies)
    dates = [step.date for step in profile.transformations]
    assert dates == sorted(dates)
    assert all(step.name == " ".join(step.name.split()) for step in profile.transformations)
    assert profile.purpose is None or profile.purpose == " ".join(profile.purpose.split())


def test_it_falls_back_to_the_publication_note_of_a_law():
    text = (
        "LEY DEL INSTITUTO DE LAS MUJERES DE TABASCO\n"
        "Publicada en el Periódico Oficial el 02 de Junio del 2008.\n"
        "Artículo 1.- Las disposiciones de esta Ley son de orden público."
    )
    creation = parse_profile(text).creation

    assert (creation.date, creation.gazette) == (datetime.date(2008, 6, 2), "Periódico Oficial")
