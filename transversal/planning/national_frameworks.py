"""The national frameworks for equality between women and men: reference facts with their source.

Each framework is a national programme with its years and its objectives (numbers and titles).
The one whose years include a date is the framework in force on that date
(``selectors.national_framework_on``): PROIGUALDAD 2020-2024 up to 2024, the Programa Sectorial
de las Mujeres 2025-2030 from 2025.

PROIGUALDAD's six priority objectives are summarised in our own words, as the demo always had
them. The Programa Sectorial's six objectives carry their titles as published in the Diario
Oficial de la Federación (a title is a fact); nothing else of the programme is reproduced.

``services.national_frameworks_load`` (``manage.py load_national_frameworks``, also run by
``load_demo``) creates the missing ones and never touches a plan that already exists.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NationalFramework:
    code: str  # the plan's public key
    title: str
    start_year: int
    end_year: int
    source_citation: str  # title, date of publication and address
    objectives: tuple[tuple[str, str], ...]  # (number, title)


PROIGUALDAD = NationalFramework(
    code="proigualdad-2020-2024",
    title="Programa Nacional para la Igualdad entre Mujeres y Hombres (PROIGUALDAD) 2020-2024",
    start_year=2020,
    end_year=2024,
    source_citation=(
        "Diario Oficial de la Federación: PROGRAMA Nacional para la Igualdad entre Mujeres y "
        "Hombres 2020-2024 — https://dof.gob.mx/nota_detalle_popup.php?codigo=5608467 "
        "(objetivos resumidos con nuestras palabras)"
    ),
    objectives=(
        ("1", "Autonomía económica de las mujeres y reducción de la pobreza que las afecta"),
        ("2", "Reconocimiento, reducción y redistribución del trabajo de cuidados"),
        ("3", "Salud y bienestar de las mujeres a lo largo de su vida"),
        ("4", "Una vida libre de violencia para mujeres, adolescentes y niñas"),
        ("5", "Participación de las mujeres en la toma de decisiones y la vida política"),
        ("6", "Entornos seguros y en paz para mujeres y niñas"),
    ),
)

SECTORIAL_MUJERES = NationalFramework(
    code="programa-sectorial-mujeres-2025-2030",
    title="Programa Sectorial de las Mujeres 2025-2030",
    start_year=2025,
    end_year=2030,
    source_citation=(
        "Diario Oficial de la Federación, 25/11/2025: PROGRAMA Sectorial de las Mujeres 2025-2030 "
        "— https://sidof.segob.gob.mx/notas/docFuente/5773820"
    ),
    objectives=(
        (
            "1",
            "Fortalecer el diseño e implementación de la Política Nacional en materia de Igualdad "
            "sustantiva entre Mujeres y Hombres, así como la transversalización de la perspectiva "
            "de género en el quehacer gubernamental",
        ),
        (
            "2",
            "Promover el ejercicio de los derechos de las mujeres de diversos sectores y "
            "territorios, a través del acceso y garantías de sus libertades",
        ),
        (
            "3",
            "Impulsar la atención inmediata, integral y especializada, así como el acceso a la "
            "justicia y la máxima protección del Estado, con perspectiva de género y de derechos "
            "humanos, a las mujeres, adolescentes y niñas en situación de violencia",
        ),
        (
            "4",
            "Promover la prevención de la violencia contra las mujeres mediante acciones de "
            "educación, información y concientización que motiven cambios culturales que impidan "
            "normalizar y reproducir las violencias hacia las mujeres, adolescentes y niñas",
        ),
        (
            "5",
            "Promover cambios culturales que reviertan comportamientos, normas y creencias "
            "machistas, discriminatorias y estereotipadas que excluyen y obstaculizan los "
            "derechos, el desarrollo y bienestar de las mujeres",
        ),
        (
            "6",
            "Propiciar la participación y liderazgo de las mujeres en los espacios de decisión en "
            "sus territorios y comunidades y en el acompañamiento de las acciones gubernamentales "
            "a fin de que sean reconocidas sus necesidades y garantizados sus derechos",
        ),
    ),
)

FRAMEWORKS: tuple[NationalFramework, ...] = (PROIGUALDAD, SECTORIAL_MUJERES)
