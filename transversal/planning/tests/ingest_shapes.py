"""Expected items of the synthetic shape fixtures and the scorer the shape tests share.

Each fixture under ``fixtures/ingest/`` reproduces one shape seen in real plans and
profiles (prefixed headings, tables of contents, flat axes...) with invented wording.
The scorer compares what the parsers find with what a person would keep:

    .venv/bin/python -m transversal.planning.tests.ingest_shapes

prints recall and precision per fixture.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from transversal.planning.ingest import iter_items, parse_plan, parse_profile
from transversal.planning.ingest.text import fold, squash

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

PLAN_ITEMS: dict[str, list[tuple[str, str]]] = {
    "plan_prefixed_headings.txt": [
        ("1", "Cerrar las brechas de ingreso entre mujeres y hombres en la entidad"),
        ("1.1", "Ampliar la inclusión laboral formal de las mujeres"),
        ("1.1.1", "Vincular a buscadoras de empleo con empresas certificadas."),
        ("1.1.2", "Ofrecer cursos de oficios no tradicionales."),
        ("1.2", "Facilitar el acceso de las mujeres al crédito productivo"),
        ("1.2.1", "Crear un fondo de garantías para emprendedoras."),
        ("2", "Reconocer y redistribuir el trabajo de cuidados"),
        ("2.1", "Ampliar la red pública de estancias infantiles"),
        ("2.1.1", "Extender el horario de las estancias existentes."),
        ("3", "Garantizar espacios públicos seguros para niñas y mujeres"),
        ("3.1", "Mejorar la iluminación y la vigilancia de rutas de transporte"),
        ("3.1.1", "Instalar botones de auxilio en paradas."),
    ],
    "plan_toc_leaders.txt": [
        ("1", "Institucionalizar la igualdad sustantiva"),
        (
            "1.1",
            "Fortalecer la transversalidad de la perspectiva de género en las dependencias",
        ),
        (
            "1.1.1",
            "Capacitar al personal de mando en presupuestos con perspectiva de género.",
        ),
        ("1.1.2", "Instalar unidades de igualdad en cada dependencia."),
        ("1.2", "Promover la corresponsabilidad en el trabajo de cuidados"),
        ("1.2.1", "Otorgar licencias de paternidad ampliadas al personal estatal."),
        ("2", "Impulsar la paridad en la toma de decisiones"),
        (
            "2.1",
            "Incrementar la participación de las mujeres en los cargos de decisión de la "
            "administración pública estatal",
        ),
        ("2.1.1", "Publicar cada año la composición por sexo de los mandos."),
        ("2.2", "Reducir la violencia política contra las mujeres por razón de género"),
        ("2.2.1", "Operar un registro de personas sancionadas por violencia política."),
    ],
    "plan_toc_page_first.txt": [
        ("1", "Autonomía económica de las mujeres"),
        ("1.1", "Aumentar la participación laboral femenina"),
        ("1.1.1", "Certificar competencias de trabajadoras del hogar."),
        ("1.1.2", "Promover horarios escalonados en el sector público."),
        ("1.2", "Reducir la brecha salarial"),
        ("1.2.1", "Auditar los tabuladores de las dependencias."),
        ("2", "Derecho a una vida libre de violencias"),
        ("2.1", "Fortalecer la atención a víctimas"),
        ("2.1.1", "Abrir centros de justicia en las regiones."),
        ("2.2", "Prevenir la violencia en el noviazgo"),
        ("2.2.1", "Llevar talleres a las escuelas de nivel medio superior."),
    ],
    "plan_toc_tabs.txt": [
        ("1", "Igualdad en el trabajo"),
        ("1.1", "Reducir la segregación ocupacional"),
        ("1.1.1", "Otorgar becas a mujeres en carreras técnicas."),
        ("1.2", "Ampliar la seguridad social de las mujeres"),
        ("1.2.1", "Afiliar a trabajadoras por cuenta propia."),
        ("2", "Igualdad en la salud"),
        ("2.1", "Reducir el embarazo adolescente"),
        ("2.1.1", "Distribuir métodos anticonceptivos en bachilleratos."),
    ],
    "plan_prefixed_headings_b.txt": [
        ("1", "Crear un sistema estatal de cuidados"),
        ("1.1", "Instalar centros comunitarios de cuidado"),
        ("1.2", "Coordinar la oferta de cuidados de los municipios"),
        ("2", "Profesionalizar a las personas cuidadoras"),
        ("2.1", "Certificar competencias de cuidadoras remuneradas"),
    ],
    "plan_roman_blocks_b.txt": [
        ("1", "Autonomía de las mujeres"),
        ("1.1", "Impulsar el emprendimiento femenino"),
        ("1.2", "Garantizar guarderías en cada colonia"),
        ("2", "Seguridad de las mujeres"),
        ("2.1", "Capacitar a la policía municipal en atención a víctimas"),
    ],
    "plan_restart_codes_b.txt": [
        ("1", "Fortalecer la política estatal de igualdad"),
        ("1.1", "Acompañar a las dependencias en su planeación"),
        ("1.1.1", "Revisar los programas sectoriales."),
        ("1.1.2", "Emitir recomendaciones anuales."),
        ("1.2", "Medir los avances de la igualdad"),
        ("1.2.1", "Publicar un tablero de indicadores."),
        ("2", "Consolidar las instancias municipales de las mujeres"),
        ("2.1", "Capacitar a sus titulares"),
        ("2.1.1", "Impartir un diplomado anual."),
    ],
    "plan_glued_pdf_b.txt": [
        ("2", "Participación Ciudadana y Cohesión Social"),
        ("2.1", "Fortalecer las organizaciones de mujeres en los municipios indígenas"),
        ("2.1.1", "Financiar proyectos de las organizaciones Comunitarias."),
        ("2.1.2", "Abrir espacios de diálogo con autoridades tradicionales."),
    ],
    "plan_toc_index_only.txt": [
        ("1", "Mujeres con autonomía económica"),
        ("1.1", "Ampliar el acceso de las mujeres al empleo formal y bien remunerado"),
        ("1.2", "Impulsar la propiedad de la tierra a nombre de mujeres campesinas"),
        ("2", "Mujeres libres de violencias"),
        ("2.1", "Consolidar la red estatal de refugios"),
        ("3", "Mujeres en la toma de decisiones"),
    ],
    "plan_flat_axes.txt": [
        ("1", "Bienestar y derechos sociales"),
        ("2", "Economía incluyente, innovadora y sustentable"),
        ("3", "Seguridad con justicia y paz"),
        ("4", "Gobierno abierto, austero y cercano"),
        ("5", "Igualdad sustantiva entre mujeres y hombres"),
    ],
    "plan_flat_axes_hint.txt": [
        ("1", "Municipio seguro"),
        ("2", "Municipio próspero"),
        ("3", "Municipio incluyente"),
        ("4", "Municipio sostenible"),
    ],
    "plan_roman_blocks.txt": [
        ("1", "Eliminar la discriminación en el acceso al empleo"),
        ("1.1", "Sancionar la exigencia de pruebas de embarazo"),
        ("1.2", "Promover la contratación de mujeres en sectores masculinizados"),
        ("2", "Asegurar el acceso a la salud integral"),
        ("2.1", "Reducir la mortalidad materna en zonas rurales"),
        ("2.2", "Ampliar la cobertura de tamizaje de cáncer de mama"),
    ],
    "plan_restart_codes.txt": [
        ("1", "Igualdad económica"),
        ("1.1", "Incrementar el ingreso de las mujeres rurales"),
        ("1.1.1", "Financiar proyectos productivos de mujeres"),
        ("1.1.2", "Capacitar en comercialización"),
        ("1.2", "Reconocer el trabajo doméstico"),
        ("1.2.1", "Incorporar a trabajadoras del hogar a la seguridad social"),
        ("2", "Vida libre de violencias"),
        ("2.1", "Prevenir la violencia comunitaria"),
        ("2.1.1", "Formar redes vecinales de mujeres"),
        ("2.2", "Atender a víctimas con enfoque integral"),
        ("2.2.1", "Abrir refugios regionales"),
        ("2.2.2", "Contratar asesoras jurídicas"),
    ],
    "plan_glued_pdf.txt": [
        ("3", "Desarrollo Sustentable e Igualdad"),
        (
            "3.1",
            "Garantizar la igualdad de oportunidades para las mujeres en el ámbito laboral",
        ),
        (
            "3.1.1",
            "Impulsar la Participación Económica de las mujeres en las cadenas de valor.",
        ),
        (
            "3.1.2",
            "Fortalecer los mecanismos de vigilancia de la igualdad salarial en los centros "
            "de trabajo.",
        ),
        ("3.2", "Erradicar la violencia contra las mujeres y las niñas"),
        ("3.2.1", "Coordinar las acciones de prevención con los municipios."),
    ],
}

# Profile facts: (field, value). List fields give one fact per entry; a
# transformation is "aaaa-mm-dd nombre".
PROFILE_FACTS: dict[str, list[tuple[str, str]]] = {
    "profile_creation_law.txt": [
        ("current_name", "Instituto Nayarita de las Mujeres"),
        ("legal_form", "Organismo público descentralizado"),
        ("creation.kind", "Ley"),
        ("creation.date", "2002-03-12"),
        (
            "purpose",
            "Promover las condiciones que hagan posible la igualdad de oportunidades y la no "
            "discriminación de las mujeres en el estado",
        ),
        ("objectives", "Proponer al Ejecutivo políticas públicas para la igualdad sustantiva"),
        (
            "objectives",
            "Coordinar con los municipios la creación de instancias municipales de las mujeres",
        ),
        (
            "objectives",
            "Elaborar diagnósticos periódicos sobre la condición de las mujeres en el estado",
        ),
    ],
    "profile_organic_law.txt": [
        ("current_name", "Consejo Estatal de la Mujer"),
        ("legal_form", "Órgano desconcentrado"),
        ("creation.kind", "Ley"),
        ("creation.date", "1998-09-03"),
        (
            "purpose",
            "Coordinar las acciones del gobierno estatal para lograr la igualdad entre mujeres "
            "y hombres",
        ),
        ("objectives", "Integrar el programa estatal para la igualdad"),
        (
            "objectives",
            "Dar seguimiento a los compromisos internacionales en materia de derechos de las "
            "mujeres",
        ),
    ],
    "profile_history_b.txt": [
        ("current_name", "Secretaría de Igualdad Sustantiva y Desarrollo de las Mujeres"),
        ("legal_form", "Secretaría"),
        ("creation.kind", "Decreto"),
        ("creation.date", "2000-02-14"),
        ("former_names", "Instituto Ribereño de la Mujer"),
        ("former_names", "Secretaría de la Mujer"),
        ("transformations", "2000-02-14 Instituto Ribereño de la Mujer"),
        ("transformations", "2011-07-29 Secretaría de la Mujer"),
        (
            "transformations",
            "2015-03-05 Secretaría de Igualdad Sustantiva y Desarrollo de las Mujeres",
        ),
    ],
    "profile_history.txt": [
        ("current_name", "Secretaría de las Mujeres"),
        ("legal_form", "Secretaría"),
        ("creation.kind", "Decreto"),
        ("creation.number", "145"),
        ("creation.date", "1999-03-08"),
        ("former_names", "Coordinación Estatal de la Mujer"),
        ("former_names", "Instituto Estatal de la Mujer"),
        ("former_names", "Instituto Estatal de las Mujeres"),
        ("transformations", "1999-03-08 Coordinación Estatal de la Mujer"),
        ("transformations", "2004-08-20 Instituto Estatal de la Mujer"),
        ("transformations", "2016-01-01 Instituto Estatal de las Mujeres"),
        ("transformations", "2021-11-15 Secretaría de las Mujeres"),
        (
            "mission",
            "Conducir la política estatal de igualdad sustantiva y de acceso de las mujeres a "
            "una vida libre de violencia.",
        ),
    ],
}


def normalise(text: str) -> str:
    """Compare texts without case, accents, spacing or final punctuation."""
    return squash(fold(text)).rstrip(" .;:,")


@dataclass(frozen=True)
class Score:
    expected: int
    found: int
    matched: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        if not self.found:
            return 0.0 if self.expected else 1.0
        return self.matched / self.found

    def __str__(self) -> str:
        return (
            f"esperados {self.expected}, encontrados {self.found}, "
            f"recall {self.recall:.2f}, precisión {self.precision:.2f}"
        )


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def score_plan_text(text: str, expected: list[tuple[str, str]], footnotes=None) -> Score:
    """Items match on code and normalised text; an item found twice counts once as found
    right and once as found wrong, so a table of contents repeated by the body lowers
    precision."""
    found = [
        (item.code, normalise(item.text)) for item in iter_items(parse_plan(text, footnotes).items)
    ]
    wanted = {(code, normalise(text)) for code, text in expected}
    return Score(len(wanted), len(found), len(wanted & set(found)))


def profile_facts(text: str, fields: set[str]) -> set[tuple[str, str]]:
    """The facts a profile parser finds, for the fields a fixture checks."""
    profile = parse_profile(text)
    facts = set()
    for path in fields:
        value = profile
        for part in path.split("."):
            value = getattr(value, part, None)
        values = value if isinstance(value, list) else [value]
        for entry in values:
            if entry is None or entry == "":
                continue
            facts.add((path, normalise(_fact_text(entry))))
    return facts


def _fact_text(value: object) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    date = getattr(value, "date", None)
    name = getattr(value, "name", None)
    if isinstance(date, datetime.date) and name is not None:
        return f"{date.isoformat()} {name}"
    return str(value)


def score_profile_text(text: str, expected: list[tuple[str, str]]) -> Score:
    wanted = {(path, normalise(value)) for path, value in expected}
    found = profile_facts(text, {path for path, _value in expected})
    return Score(len(wanted), len(found), len(wanted & found))


def score_fixture(name: str, text: str | None = None) -> Score:
    text = fixture_text(name) if text is None else text
    if name in PLAN_ITEMS:
        return score_plan_text(text, PLAN_ITEMS[name])
    return score_profile_text(text, PROFILE_FACTS[name])


def main() -> None:
    for name in [*PLAN_ITEMS, *PROFILE_FACTS]:
        print(f"{name:32} {score_fixture(name)}")


if __name__ == "__main__":
    main()
