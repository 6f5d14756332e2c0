"""The women's institutes of the 32 states (IMEF): reference facts with their sources.

One record per state: the names it has had (oldest first, the last one is today's), the legal
form and the creation instrument where a source gives them. Each name and each set of creation
facts carries its source (title and address). Where no source was found the field stays blank
and the pages say "sin fuente" or "fecha no conocida": nothing here is guessed, and a date a
source does not give is left out even when the year is known from the news.

A source marked "nota periodística" is a news report, not an official publication: the name is
recorded because the institute is referred to by it, and a national coordinator should confirm
it against the state's official gazette (the registry keeps every later correction in history).

``load_state_institutes`` (``services.state_institutes_load``) creates the missing ones and
never touches a record that already exists. Durango's and Zacatecas's slugs are the demo's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from transversal.institutions.models import LegalForm, NameChange

NEWS = "nota periodística, no es fuente oficial"
BC_LAW = "Ley que crea el Instituto de la Mujer para el Estado de Baja California"


@dataclass(frozen=True)
class NameFact:
    name: str
    acronym: str = ""
    change: str = NameChange.RENAME
    legal_form: str = ""
    valid_from: dt.date | None = None
    instrument: str = ""
    instrument_number: str = ""
    instrument_date: dt.date | None = None
    instrument_gazette: str = ""
    source: str = ""


@dataclass(frozen=True)
class StateInstitute:
    state_code: str
    slug: str
    names: tuple[NameFact, ...]  # oldest first; the last is today's name
    legal_form: str = ""
    creation_instrument: str = ""
    creation_number: str = ""
    creation_date: dt.date | None = None
    creation_gazette: str = ""
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def current(self) -> NameFact:
        return self.names[-1]


def _src(title: str, url: str, news: bool = False) -> str:
    return f"{title} — {url}" + (f" ({NEWS})" if news else "")


INSTITUTES: tuple[StateInstitute, ...] = (
    StateInstitute(
        "01",
        "iam-aguascalientes",
        (
            NameFact(
                "Instituto Aguascalentense de las Mujeres",
                "IAM",
                change=NameChange.CREATION,
                source=_src(
                    "Nombramientos de la Junta de Gobierno del Instituto Aguascalentense de las "
                    "Mujeres, Congreso de Aguascalientes",
                    "https://aminforma.com/?p=820",
                    news=True,
                ),
            ),
        ),
        creation_instrument="Ley que crea el Instituto Aguascalentense de las Mujeres",
    ),
    StateInstitute(
        "02",
        "semujeres-baja-california",
        (
            NameFact(
                "Instituto de la Mujer para el Estado de Baja California",
                "INMUJER BC",
                change=NameChange.CREATION,
                instrument=BC_LAW,
                source=_src(
                    "Gobierno de Baja California, INMUJER: Atribuciones",
                    "https://www.bajacalifornia.gob.mx/inmujer/Conocenos/Atribuciones",
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres del Estado de Baja California",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
                source=_src(
                    "Gobierno de Baja California, Secretaría de las Mujeres: Antecedentes",
                    "https://www.bajacalifornia.gob.mx/mujeres/Conocenos/Antecedentes",
                ),
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
        creation_instrument=BC_LAW,
        source=_src(
            "Gobierno de Baja California, INMUJER: Atribuciones",
            "https://www.bajacalifornia.gob.mx/inmujer/Conocenos/Atribuciones",
        ),
    ),
    StateInstitute(
        "03",
        "ismujeres-bcs",
        (
            NameFact(
                "Instituto Sudcaliforniano de las Mujeres",
                "ISMujeres",
                change=NameChange.CREATION,
                source=_src(
                    "Tribuna de México, violencia familiar en Los Cabos (18/09/2025)",
                    "https://tribunademexico.com/victimas-violencia-los-cabos-bcs/",
                    news=True,
                ),
            ),
        ),
    ),
    StateInstitute(
        "04",
        "imec-campeche",
        (
            NameFact(
                "Instituto de la Mujer del Estado de Campeche",
                "IMEC",
                change=NameChange.CREATION,
                source=_src(
                    "Voces del Sureste, IMEC y SECONT (06/06/2025)",
                    "https://www.vocesdelsureste.com.mx/campeche/refuerzan-difusion-cartilla-"
                    "derechos-mujeres",
                    news=True,
                ),
            ),
        ),
    ),
    StateInstitute(
        "05",
        "semujeres-coahuila",
        (
            NameFact(
                "Instituto Coahuilense de las Mujeres",
                change=NameChange.CREATION,
                source=_src(
                    "Secretaría de las Mujeres de Coahuila: Historia",
                    "http://secretariadelasmujeres.gob.mx/Historia.html",
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
                source=_src(
                    "Secretaría de las Mujeres de Coahuila: Historia",
                    "http://secretariadelasmujeres.gob.mx/Historia.html",
                ),
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "06",
        "icm-colima",
        (
            NameFact(
                "Instituto Colimense de la Mujer",
                change=NameChange.CREATION,
                source=_src(
                    "La Jornada, Instituto Colimense de la Mujer: ¿con quiénes y para qué? "
                    "(05/10/1998)",
                    "http://www.jornada.unam.mx/1998/10/05/colima.htm",
                    news=True,
                ),
            ),
            NameFact(
                "Instituto Colimense de las Mujeres",
                "ICM",
                source=_src(
                    "AF Medios, Consejo Directivo del ICM aprueba presupuesto",
                    "https://afmedios.com/consejo-directivo-del-icm-aprueba-presupuesto-y-"
                    "propuestas-de-reformas-legislativas",
                    news=True,
                ),
            ),
        ),
    ),
    StateInstitute(
        "07",
        "semujer-chiapas",
        (
            NameFact(
                "Secretaría de Igualdad de Género",
                "SEIGEN",
                change=NameChange.CREATION,
                legal_form=LegalForm.CENTRALIZED,
                source=_src(
                    "Congreso de Chiapas, informe de la Secretaría de Igualdad de Género "
                    "(21/12/2023)",
                    "https://www.congresochiapas.gob.mx/legislaturalxvii/organizacion/diputados/"
                    "1867-eduwiges-cabanez-cruz",
                ),
            ),
            NameFact(
                "Secretaría de la Mujer e Igualdad de Género",
                legal_form=LegalForm.CENTRALIZED,
                source=_src(
                    "Cuarto Poder, invitan a mujeres a denunciar (03/03/2026)",
                    "https://www.cuartopoder.mx/chiapas/invitan-a-mujeres-a-denunciar-cualquier-"
                    "acto-de-violencia/569326",
                    news=True,
                ),
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "08",
        "ichmujeres-chihuahua",
        (
            NameFact(
                "Instituto Chihuahuense de la Mujer",
                change=NameChange.CREATION,
                source=_src(
                    "Tribuna de Parral, igualdad en la Fiscalía General del Estado",
                    "http://tribunaparral.com.mx/en-la-fge-habra-cabal-cumplimiento-a-la-"
                    "politica-de-igualdad-entre-hombres-y-mujeres/",
                    news=True,
                ),
            ),
            NameFact(
                "Instituto Chihuahuense de las Mujeres",
                "ICHMUJERES",
                source=_src(
                    "Frontera Élite, encuentro nacional de Instancias de las Mujeres (18/11/2021)",
                    "https://fronteraelite.com.mx/2021/11/18/participa-estado-en-encuentro-"
                    "nacional-de-instancias-de-las-mujeres-en-las-entidades-federativas",
                    news=True,
                ),
            ),
        ),
    ),
    StateInstitute(
        "09",
        "semujeres-cdmx",
        (
            NameFact(
                "Instituto de las Mujeres de la Ciudad de México",
                change=NameChange.CREATION,
            ),
            NameFact(
                "Secretaría de las Mujeres de la Ciudad de México",
                "SEMUJERES",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
                source=_src(
                    "Gaceta Oficial de la Ciudad de México, 1 de marzo de 2023 (índice: "
                    "Secretaría de las Mujeres)",
                    "https://es.scribd.com/document/687302167/Lineamientos-Red-de-Mujeres-por-"
                    "el-Bienestar-2023",
                ),
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "10",
        "iem-durango",
        (
            NameFact(
                "Instituto de la Mujer Duranguense",
                change=NameChange.CREATION,
                valid_from=dt.date(2000, 6, 18),
                instrument="Ley que crea el Instituto de la Mujer Duranguense",
                instrument_number="298",
                instrument_date=dt.date(2000, 6, 18),
                instrument_gazette="Periódico Oficial del Gobierno del Estado de Durango",
                source=_src(
                    "Instituto Estatal de las Mujeres de Durango: Antecedentes",
                    "https://iemujer.durango.gob.mx/antecedentes",
                ),
            ),
            NameFact(
                "Instituto Estatal de las Mujeres",
                "IEM",
                source=_src(
                    "Instituto Estatal de las Mujeres de Durango: Antecedentes",
                    "https://iemujer.durango.gob.mx/antecedentes",
                ),
            ),
        ),
        creation_instrument="Ley que crea el Instituto de la Mujer Duranguense",
        creation_number="298",
        creation_date=dt.date(2000, 6, 18),
        creation_gazette="Periódico Oficial del Gobierno del Estado de Durango",
        source=_src(
            "Instituto Estatal de las Mujeres de Durango: Antecedentes",
            "https://iemujer.durango.gob.mx/antecedentes",
        ),
    ),
    StateInstitute(
        "11",
        "semujeres-guanajuato",
        (
            NameFact(
                "Instituto para las Mujeres Guanajuatenses",
                "IMUG",
                change=NameChange.CREATION,
                source=_src(
                    "Ojo Cívico, Guanajuato crea Secretaría de la Mujer",
                    "https://ojocivico.mx/guanajuato-crea-secretaria-de-la-mujer-para-"
                    "fortalecer-politicas-de-genero/amp",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
                instrument="Reforma a la Ley Orgánica del Poder Ejecutivo para el Estado de "
                "Guanajuato y otras 14 leyes",
                instrument_gazette="Periódico Oficial del Gobierno del Estado de Guanajuato",
                source=_src(
                    "Notus, avala el Congreso la creación de la Secretaría de las Mujeres",
                    "https://notus.com.mx/avala-el-congreso-la-creacion-de-la-secretaria-de-las-"
                    "mujeres",
                    news=True,
                ),
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "12",
        "semujer-guerrero",
        (NameFact("Secretaría de la Mujer", "SEMUJER", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "13",
        "ihm-hidalgo",
        (NameFact("Instituto Hidalguense de las Mujeres", "IHM", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "14",
        "sisemh-jalisco",
        (
            NameFact("Instituto Jalisciense de las Mujeres", change=NameChange.CREATION),
            NameFact(
                "Secretaría de Igualdad Sustantiva entre Mujeres y Hombres",
                "SISEMH",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "15",
        "semujer-edomex",
        (
            NameFact("Consejo Estatal de la Mujer y Bienestar Social", change=NameChange.CREATION),
            NameFact(
                "Secretaría de la Mujer",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "16",
        "seimujer-michoacan",
        (
            NameFact(
                "Secretaría de Igualdad Sustantiva y Desarrollo de las Mujeres Michoacanas",
                "SEIMUJER",
                change=NameChange.CREATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "17",
        "imem-morelos",
        (
            NameFact(
                "Instituto de la Mujer para el Estado de Morelos",
                "IMEM",
                change=NameChange.CREATION,
                instrument="Decreto por el que se crea el Instituto de la Mujer para el Estado "
                "de Morelos",
                instrument_number="4203",
                instrument_date=dt.date(2002, 8, 14),
                instrument_gazette="Periódico Oficial «Tierra y Libertad» (número 4203)",
                source=_src(
                    "Decreto por el que se crea el Instituto de la Mujer para el Estado de "
                    "Morelos, Periódico Oficial 4203 del 14/08/2002 (copia del texto publicado)",
                    "https://kipdf.com/decreto-por-el-que-se-crea-el-instituto-de-la-mujer-para-"
                    "el-estado-de-morelos_5aeb5a097f8b9a31378b4613.html",
                ),
            ),
        ),
        creation_instrument="Decreto por el que se crea el Instituto de la Mujer para el Estado "
        "de Morelos",
        creation_date=dt.date(2002, 8, 14),
        creation_gazette="Periódico Oficial «Tierra y Libertad», número 4203",
        source=_src(
            "Decreto por el que se crea el Instituto de la Mujer para el Estado de Morelos, "
            "Periódico Oficial 4203 del 14/08/2002 (copia del texto publicado)",
            "https://kipdf.com/decreto-por-el-que-se-crea-el-instituto-de-la-mujer-para-el-"
            "estado-de-morelos_5aeb5a097f8b9a31378b4613.html",
        ),
    ),
    StateInstitute(
        "18",
        "inmun-nayarit",
        (NameFact("Instituto para la Mujer Nayarita", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "19",
        "semujeres-nuevo-leon",
        (
            NameFact("Instituto Estatal de las Mujeres", change=NameChange.CREATION),
            NameFact(
                "Secretaría de las Mujeres",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "20",
        "smo-oaxaca",
        (
            NameFact("Secretaría de la Mujer Oaxaqueña", change=NameChange.CREATION),
            NameFact(
                "Secretaría de las Mujeres de Oaxaca",
                "SMO",
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "21",
        "sis-puebla",
        (
            NameFact("Instituto Poblano de las Mujeres", change=NameChange.CREATION),
            NameFact(
                "Secretaría de Igualdad Sustantiva",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "22",
        "iqm-queretaro",
        (NameFact("Instituto Queretano de las Mujeres", "IQM", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "23",
        "semujeres-quintana-roo",
        (
            NameFact(
                "Instituto Quintanarroense de la Mujer",
                "IQM",
                change=NameChange.CREATION,
                legal_form=LegalForm.DECENTRALIZED,
                instrument="Ley del Instituto Quintanarroense de la Mujer",
                instrument_date=dt.date(2008, 6, 2),
                instrument_gazette="Periódico Oficial del Estado de Quintana Roo",
                source=_src(
                    "Ley del Instituto Quintanarroense de la Mujer, Periódico Oficial del "
                    "02/06/2008 (copia del texto publicado)",
                    "https://ja.scribd.com/document/37658549/social-ley086-L1220080602",
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres del Estado de Quintana Roo",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "24",
        "semujeres-slp",
        (
            NameFact(
                "Instituto de las Mujeres del Estado de San Luis Potosí",
                change=NameChange.CREATION,
            ),
            NameFact(
                "Secretaría de las Mujeres para la Igualdad Sustantiva",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "25",
        "semujeres-sinaloa",
        (
            NameFact(
                "Instituto Sinaloense de las Mujeres",
                "ISMUJERES",
                change=NameChange.CREATION,
                legal_form=LegalForm.DECENTRALIZED,
                instrument="Ley del Instituto Sinaloense de las Mujeres",
                instrument_number="662",
                source=_src(
                    "Ley del Instituto Sinaloense de las Mujeres, Decreto 662 del Congreso de "
                    "Sinaloa, aprobado el 29/07/2004 (copia del texto)",
                    "https://d.documentop.com/el-h-congreso-del-estado-libre-y-soberano-de-"
                    "sinaloa-representado-_5996b63f1723dd82bafe1d70.html",
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "26",
        "ism-sonora",
        (NameFact("Instituto Sonorense de las Mujeres", "ISM", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "27",
        "iem-tabasco",
        (
            NameFact(
                "Instituto Estatal de las Mujeres de Tabasco", "IEM", change=NameChange.CREATION
            ),
        ),
    ),
    StateInstitute(
        "28",
        "imt-tamaulipas",
        (NameFact("Instituto de las Mujeres en Tamaulipas", "IMT", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "29",
        "iem-tlaxcala",
        (NameFact("Instituto Estatal de la Mujer de Tlaxcala", "IEM", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "30",
        "ivm-veracruz",
        (NameFact("Instituto Veracruzano de las Mujeres", "IVM", change=NameChange.CREATION),),
    ),
    StateInstitute(
        "31",
        "semujeres-yucatan",
        (
            NameFact(
                "Instituto para la Igualdad entre Mujeres y Hombres en Yucatán",
                "IPIEMH",
                change=NameChange.CREATION,
            ),
            NameFact(
                "Secretaría de las Mujeres",
                "SEMUJERES",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
    StateInstitute(
        "32",
        "semujer-zacatecas",
        (
            NameFact(
                "Instituto para las Mujeres Zacatecanas", "INMUZA", change=NameChange.CREATION
            ),
            NameFact(
                "Secretaría de las Mujeres",
                "SEMUJER",
                change=NameChange.TRANSFORMATION,
                legal_form=LegalForm.CENTRALIZED,
            ),
        ),
        legal_form=LegalForm.CENTRALIZED,
    ),
)

BY_STATE = {institute.state_code: institute for institute in INSTITUTES}
