"""The women's institutes of the 32 states (IMEF): reference facts with their sources.

One record per state: the names it has had (oldest first, the last one is today's), the legal
form and the creation instrument where a source gives them. Each name and each set of creation
facts carries its source (title and address). Where no source was found the field stays blank
and the pages say "sin fuente" or "fecha no conocida": nothing here is guessed, and a date a
source does not give is left out even when the year is known from the news.

A source marked "nota periodística" is a news report, not an official publication: the name is
recorded because the institute is referred to by it, and a national coordinator should confirm
it against the state's official gazette (the registry keeps every later correction in history).

Dates and instrument numbers come only from official publications or copies of their text
(Durango, Morelos, Puebla, Quintana Roo, Sinaloa); a date that only the news gives is left out.
A "Secretaría" is recorded as a centralised department (what the word means in every state's
organic law); an institute's legal form only where its law or official site states it.

``load_state_institutes`` (``services.state_institutes_load``) creates the missing ones and
never touches a record that already exists. The slugs are stable public keys; Durango's and
Zacatecas's are the demo's (``iem-durango``, ``semujer-zacatecas``).
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


C = NameChange.CREATION
T = NameChange.TRANSFORMATION
SECRETARIA = LegalForm.CENTRALIZED  # a secretaría is a centralised department by definition

# Sources used more than once.
BC_OFFICIAL = _src(
    "Gobierno de Baja California, INMUJER: Atribuciones",
    "https://www.bajacalifornia.gob.mx/inmujer/Conocenos/Atribuciones",
)
DURANGO_OFFICIAL = _src(
    "Instituto Estatal de las Mujeres de Durango: Antecedentes",
    "https://iemujer.durango.gob.mx/antecedentes",
)
MORELOS_DECREE = _src(
    "Decreto por el que se crea el Instituto de la Mujer para el Estado de Morelos, Periódico "
    "Oficial 4203 del 14/08/2002 (copia del texto publicado)",
    "https://kipdf.com/decreto-por-el-que-se-crea-el-instituto-de-la-mujer-para-el-estado-de-"
    "morelos_5aeb5a097f8b9a31378b4613.html",
)
PUEBLA_OFFICIAL = _src(
    "Secretaría de Igualdad Sustantiva de Puebla: Antecedentes",
    "https://sis.puebla.gob.mx/antecedentes",
)
QROO_LAW = _src(
    "Ley del Instituto Quintanarroense de la Mujer, Periódico Oficial del 02/06/2008 (copia del "
    "texto publicado)",
    "https://ja.scribd.com/document/37658549/social-ley086-L1220080602",
)
SINALOA_LAW = _src(
    "Ley del Instituto Sinaloense de las Mujeres, Decreto 662 del Congreso de Sinaloa, aprobado "
    "el 29/07/2004 (copia del texto)",
    "https://d.documentop.com/el-h-congreso-del-estado-libre-y-soberano-de-sinaloa-representado-"
    "_5996b63f1723dd82bafe1d70.html",
)
EDOMEX_NEWS = _src(
    "La Jornada Estado de México, Secretaría de la Mujer buscará erradicar desigualdad de género",
    "https://lajornadaestadodemexico.com/secretaria-de-la-mujer-edomex-buscara-erradicar-"
    "desigualdad-de-genero",
    news=True,
)

INSTITUTES: tuple[StateInstitute, ...] = (
    StateInstitute(
        "01",
        "iam-aguascalientes",
        (
            NameFact(
                "Instituto Aguascalentense de las Mujeres",
                "IAM",
                change=C,
                source=_src(
                    "AM Informa, nombramientos de la Junta de Gobierno del Instituto "
                    "Aguascalentense de las Mujeres",
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
                change=C,
                instrument=BC_LAW,
                source=BC_OFFICIAL,
            ),
            NameFact(
                "Secretaría de las Mujeres del Estado de Baja California",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Gobierno de Baja California, Secretaría de las Mujeres: Antecedentes",
                    "https://www.bajacalifornia.gob.mx/mujeres/Conocenos/Antecedentes",
                ),
            ),
        ),
        legal_form=SECRETARIA,
        creation_instrument=BC_LAW,
        source=BC_OFFICIAL,
    ),
    StateInstitute(
        "03",
        "ismujeres-bcs",
        (
            NameFact(
                "Instituto Sudcaliforniano de las Mujeres",
                "ISMujeres",
                change=C,
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
                change=C,
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
                change=C,
                source=_src(
                    "Secretaría de las Mujeres de Coahuila: Historia",
                    "http://secretariadelasmujeres.gob.mx/Historia.html",
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Secretaría de las Mujeres de Coahuila: Historia",
                    "http://secretariadelasmujeres.gob.mx/Historia.html",
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "06",
        "icm-colima",
        (
            NameFact(
                "Instituto Colimense de la Mujer",
                change=C,
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
                change=C,
                legal_form=SECRETARIA,
                source=_src(
                    "Congreso de Chiapas, informe de la Secretaría de Igualdad de Género "
                    "(21/12/2023)",
                    "https://www.congresochiapas.gob.mx/legislaturalxvii/organizacion/diputados/"
                    "1867-eduwiges-cabanez-cruz",
                ),
            ),
            NameFact(
                "Secretaría de la Mujer e Igualdad de Género",
                legal_form=SECRETARIA,
                source=_src(
                    "Cuarto Poder, invitan a mujeres a denunciar (03/03/2026)",
                    "https://www.cuartopoder.mx/chiapas/invitan-a-mujeres-a-denunciar-cualquier-"
                    "acto-de-violencia/569326",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "08",
        "ichmujeres-chihuahua",
        (
            NameFact(
                "Instituto Chihuahuense de la Mujer",
                change=C,
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
                "INMUJERES CDMX",
                change=C,
                source=_src(
                    "Paco Zea, festival del Día Internacional de la Mujer del GCDMX",
                    "https://pacozea.com/gcdmx-conmemora-dia-internacional-la-mujer-festival-"
                    "zocalo",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres de la Ciudad de México",
                "SEMUJERES",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "El Economista, el Instituto de las Mujeres de la capital se convertirá en "
                    "la Secretaría de las Mujeres (10/2018)",
                    "https://www.eleconomista.com.mx/politica/Unificar-servicios-para-atender-"
                    "violencia-de-genero-20181004-0141.html",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "10",
        "iem-durango",
        (
            NameFact(
                "Instituto de la Mujer Duranguense",
                change=C,
                valid_from=dt.date(2000, 6, 18),
                instrument="Ley que crea el Instituto de la Mujer Duranguense",
                instrument_number="298",
                instrument_date=dt.date(2000, 6, 18),
                instrument_gazette="Periódico Oficial del Gobierno del Estado de Durango",
                source=DURANGO_OFFICIAL,
            ),
            NameFact("Instituto Estatal de las Mujeres", "IEM", source=DURANGO_OFFICIAL),
        ),
        creation_instrument="Ley que crea el Instituto de la Mujer Duranguense",
        creation_number="298",
        creation_date=dt.date(2000, 6, 18),
        creation_gazette="Periódico Oficial del Gobierno del Estado de Durango",
        source=DURANGO_OFFICIAL,
    ),
    StateInstitute(
        "11",
        "semujeres-guanajuato",
        (
            NameFact(
                "Instituto para las Mujeres Guanajuatenses",
                "IMUG",
                change=C,
                source=_src(
                    "Ojo Cívico, Guanajuato crea Secretaría de la Mujer",
                    "https://ojocivico.mx/guanajuato-crea-secretaria-de-la-mujer-para-"
                    "fortalecer-politicas-de-genero/amp",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres",
                change=T,
                legal_form=SECRETARIA,
                instrument="Reforma a la Ley Orgánica del Poder Ejecutivo para el Estado de "
                "Guanajuato y a otras 14 leyes",
                source=_src(
                    "Notus, avala el Congreso la creación de la Secretaría de las Mujeres",
                    "https://notus.com.mx/avala-el-congreso-la-creacion-de-la-secretaria-de-las-"
                    "mujeres",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "12",
        "semujer-guerrero",
        (
            NameFact(
                "Secretaría de la Mujer",
                "SEMUJER",
                change=C,
                legal_form=SECRETARIA,
                source=_src(
                    "La Razón, Evelyn Salgado refuerza políticas de protección a las mujeres "
                    "(06/02/2026)",
                    "https://www.razon.com.mx/estados/2026/02/06/evelyn-salgado-refuerza-"
                    "politicas-y-programas-de-proteccion-a-las-mujeres-en-guerrero/",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "13",
        "ihm-hidalgo",
        (
            NameFact(
                "Instituto Hidalguense de las Mujeres",
                "IHM",
                change=C,
                source=_src(
                    "Huastecas News, IHM: 21 años al servicio de las mujeres",
                    "https://huastecasnews.com/ihm-21-anos-al-servicio-de-las-mujeres/",
                    news=True,
                ),
            ),
        ),
        creation_instrument="Decreto de creación del Instituto Hidalguense de las Mujeres; "
        "Ley del Instituto Hidalguense de las Mujeres (2015)",
    ),
    StateInstitute(
        "14",
        "sisemh-jalisco",
        (
            NameFact(
                "Instituto Jalisciense de las Mujeres",
                "IJM",
                change=C,
                source=_src(
                    "Gabriel Torres, Instituto de las Mujeres: ¿desaparecerlo?",
                    "http://gabrieltorres.mx/columna/instituto-de-las-mujeres-desaparecerlo/",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de Igualdad Sustantiva entre Mujeres y Hombres",
                "SISEMH",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Marcatextos, un año sin el Instituto Jalisciense de las Mujeres",
                    "https://marcatextos.com/un-ano-sin-el-instituto-jalisciense-se-la-mujer-y-"
                    "sin-avances/",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "15",
        "semujeres-edomex",
        (
            NameFact(
                "Consejo Estatal de la Mujer y Bienestar Social", change=C, source=EDOMEX_NEWS
            ),
            NameFact("Secretaría de la Mujer", change=T, legal_form=SECRETARIA, source=EDOMEX_NEWS),
            NameFact(
                "Secretaría de las Mujeres",
                "SeMujeres",
                legal_form=SECRETARIA,
                source=_src(
                    "El Valle, la Secretaria de las Mujeres en el Observatorio de Participación "
                    "Política (23/02/2026)",
                    "https://elvalle.com.mx/2026/02/23/secretaria-de-las-mujeres-participa-en-"
                    "toma-de-protesta-del-observatorio-de-participacion-politica-2026/",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "16",
        "seimujer-michoacan",
        (
            NameFact(
                "Secretaría de Igualdad Sustantiva y Desarrollo de las Mujeres Michoacanas",
                "SEIMUJER",
                change=C,
                legal_form=SECRETARIA,
                source=_src(
                    "Seimujer, unidades de igualdad sustantiva en dependencias estatales "
                    "(20/09/2024)",
                    "https://mujer.michoacan.gob.mx/noticias/avanza-instalacion-de-unidades-de-"
                    "igualdad-sustantiva-en-dependencias-estatales-seimujer/",
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "17",
        "semujeres-morelos",
        (
            NameFact(
                "Instituto de la Mujer para el Estado de Morelos",
                "IMEM",
                change=C,
                instrument="Decreto por el que se crea el Instituto de la Mujer para el Estado "
                "de Morelos",
                instrument_date=dt.date(2002, 8, 14),
                instrument_gazette="Periódico Oficial «Tierra y Libertad», número 4203",
                source=MORELOS_DECREE,
            ),
            NameFact(
                "Secretaría de las Mujeres",
                change=T,
                legal_form=SECRETARIA,
                instrument="Reforma constitucional que extingue el Instituto de la Mujer para "
                "el Estado de Morelos",
                source=_src(
                    "Gobierno de Morelos, la Secretaría de las Mujeres en el foro de programas "
                    "presupuestarios con perspectiva de género",
                    "https://morelos.gob.mx/?q=prensa%2Fnota%2Fgana-cecyte-morelos-concurso-"
                    "nacional-de-creatividad-e-innovacion-tecnologica-2022",
                )
                + "; "
                + _src(
                    "RTV Noticias Morelos, mesa de transición tras la desaparición del IMEM "
                    "(16/07/2025)",
                    "https://rtvnoticiasmorelos.mx/preparan-mesa-de-transicion-tras-"
                    "desaparicion-del-instituto-de-la-mujer-en-morelos",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
        creation_instrument="Decreto por el que se crea el Instituto de la Mujer para el Estado "
        "de Morelos",
        creation_date=dt.date(2002, 8, 14),
        creation_gazette="Periódico Oficial «Tierra y Libertad», número 4203",
        source=MORELOS_DECREE,
    ),
    StateInstitute(
        "18",
        "inmunay-nayarit",
        (
            NameFact(
                "Instituto para la Mujer Nayarita",
                "INMUNAY",
                change=C,
                source=_src(
                    "Inmujeres, reinstalación del Consejo de Igualdad entre Mujeres y Hombres "
                    "del Estado de Nayarit",
                    "https://www.gob.mx/inmujeres/articulos/reinstalacion-del-consejo-de-"
                    "igualdad-entre-mujeres-y-hombres-del-estado-de-nayarit",
                ),
            ),
        ),
    ),
    StateInstitute(
        "19",
        "iem-nuevo-leon",
        (
            NameFact(
                "Instituto Estatal de las Mujeres",
                "IEM",
                change=C,
                source=_src(
                    "EIT Media, una década de Unidades de Igualdad de Género en NL (14/04/2025)",
                    "https://eitmedia.tech/2025/04/14/una-decada-rompiendo-barreras-unidades-de-"
                    "igualdad-de-genero-marcan-huella-en-nl",
                    news=True,
                ),
            ),
        ),
        notes=(
            "Nuevo León tuvo además una Secretaría de las Mujeres, hoy Secretaría de Igualdad e "
            "Inclusión; se registra el Instituto Estatal de las Mujeres, que sigue en operación.",
        ),
    ),
    StateInstitute(
        "20",
        "smo-oaxaca",
        (
            NameFact(
                "Secretaría de la Mujer Oaxaqueña",
                change=C,
                legal_form=SECRETARIA,
                source=_src(
                    "Azul Cristal FM, la Secretaría de la Mujer Oaxaqueña con las instancias "
                    "municipales (14/03/2018)",
                    "https://www.azulcristalfm.com.mx/2018/03/14/encabeza-ana-vasquez-colmenares-"
                    "trabajos-con-instancias-municipales-de-la-mujer/",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres de Oaxaca",
                "SMO",
                legal_form=SECRETARIA,
                source=_src(
                    "Mujer es Más, Centros LIBRE en Oaxaca (01/08/2025)",
                    "https://mujeresmas.com.mx/2025/08/01/citlalli-hernandez-inaugura-dos-"
                    "centros-libre-mas-en-oaxaca",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "21",
        "semujeres-puebla",
        (
            NameFact(
                "Instituto Poblano de las Mujeres",
                "IPM",
                change=C,
                legal_form=LegalForm.DECENTRALIZED,
                source=PUEBLA_OFFICIAL,
            ),
            NameFact(
                "Secretaría de Igualdad Sustantiva",
                "SIS",
                change=T,
                legal_form=SECRETARIA,
                instrument="Ley Orgánica de la Administración Pública del Estado de Puebla",
                instrument_date=dt.date(2019, 7, 31),
                instrument_gazette="Periódico Oficial del Estado de Puebla",
                source=PUEBLA_OFFICIAL,
            ),
            NameFact(
                "Secretaría de las Mujeres",
                legal_form=SECRETARIA,
                source=_src(
                    "24 Horas Puebla, la Secretaría de las Mujeres, antes Secretaría de Igualdad "
                    "Sustantiva",
                    "https://24horaspuebla.com/2025/03/casas-carmen-serdan-autonomia-y-"
                    "empoderamiento-femenino",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
        source=PUEBLA_OFFICIAL,
    ),
    StateInstitute(
        "22",
        "semujer-queretaro",
        (
            NameFact("Instituto Queretano de las Mujeres", "IQM", change=C),
            NameFact(
                "Secretaría de la Mujer",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "SM Radio, la Secretaría de la Mujer iniciará operación el 1 de enero del "
                    "2025 (anuncio del gobernador)",
                    "https://smradio.com.mx/politica/secretaria-de-la-mujer-iniciara-operacion-"
                    "el-1-de-enero-del-2025",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "23",
        "semujeres-quintana-roo",
        (
            NameFact(
                "Instituto Quintanarroense de la Mujer",
                "IQM",
                change=C,
                legal_form=LegalForm.DECENTRALIZED,
                instrument="Ley del Instituto Quintanarroense de la Mujer",
                instrument_date=dt.date(2008, 6, 2),
                instrument_gazette="Periódico Oficial del Estado de Quintana Roo",
                source=QROO_LAW,
            ),
            NameFact(
                "Secretaría de las Mujeres del Estado de Quintana Roo",
                "SEMUJERES",
                change=T,
                legal_form=SECRETARIA,
                instrument="Decreto de reformas a la Ley Orgánica de la Administración Pública "
                "del Estado de Quintana Roo (abroga la Ley del Instituto)",
                source=_src(
                    "Quintana Roo Hoy, el Congreso aprueba la creación de la Secretaría de las "
                    "Mujeres (10/10/2024)",
                    "http://quintanaroohoy.com/quintanaroo/congreso-de-quintana-roo-aprueba-"
                    "unanimemente-la-creacion-de-la-secretaria-de-las-mujeres-en-quintana-roo",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
        creation_instrument="Ley del Instituto Quintanarroense de la Mujer",
        creation_date=dt.date(2008, 6, 2),
        creation_gazette="Periódico Oficial del Estado de Quintana Roo",
        source=QROO_LAW,
    ),
    StateInstitute(
        "24",
        "semujeres-slp",
        (
            NameFact(
                "Instituto de las Mujeres del Estado de San Luis Potosí",
                "IMES",
                change=C,
                source=_src(
                    "Punto de Vista, Sistema Estatal de Indicadores de Género del IMES",
                    "https://revistapuntodevista.com.mx/dep-estatales/avanza-la-creacion-del-"
                    "sistema-estatal-de-indicadores-de-genero-evg/444282",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres e Igualdad Sustantiva",
                "Semujeres",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Global Media, la Secretaría de las Mujeres cierra su primer año (01/01/2026)",
                    "https://vallartabahia.globalmedia.mx/articles/secretaria_de_las_mujeres_"
                    "cierra_su_primer_ano_con_avances_normativos",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "25",
        "semujeres-sinaloa",
        (
            NameFact(
                "Instituto Sinaloense de las Mujeres",
                "ISMUJERES",
                change=C,
                legal_form=LegalForm.DECENTRALIZED,
                instrument="Ley del Instituto Sinaloense de las Mujeres",
                instrument_number="662",
                source=SINALOA_LAW,
            ),
            NameFact(
                "Secretaría de las Mujeres",
                "SEMUJERES",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "The Mazatlán Post, Sinaloa legislature approves the creation of new "
                    "Secretariat for Women (30/10/2021)",
                    "https://themazatlanpost.com/2021/10/30/sinaloa-legislature-approves-the-"
                    "creation-of-new-secretariat-for-women/",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
        creation_instrument="Ley del Instituto Sinaloense de las Mujeres",
        creation_number="662",
        source=SINALOA_LAW,
    ),
    StateInstitute(
        "26",
        "semujeres-sonora",
        (
            NameFact("Instituto Sonorense de las Mujeres", "ISM", change=C),
            NameFact(
                "Secretaría de las Mujeres",
                "Semujeres",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Gobierno de Sonora, Secretaría de las Mujeres: Acciones",
                    "https://mujeres.sonora.gob.mx/acciones",
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "27",
        "iem-tabasco",
        (
            NameFact(
                "Instituto Estatal de las Mujeres",
                "IEM",
                change=C,
                source=_src(
                    "Rumbo Nuevo, Constructoras por la Paz en Cárdenas (17/08/2022)",
                    "https://www.rumbonuevo.com.mx/constructoras-por-la-paz-en-cardenas/",
                    news=True,
                ),
            ),
        ),
    ),
    StateInstitute(
        "28",
        "imt-tamaulipas",
        (
            NameFact(
                "Instituto de las Mujeres en Tamaulipas",
                "IMT",
                change=C,
                source=_src(
                    "Gobierno de Tamaulipas, Instituto de las Mujeres: atribuciones",
                    "https://www.tamaulipas.gob.mx/en/mujeres/atribuciones-especificas/",
                ),
            ),
        ),
    ),
    StateInstitute(
        "29",
        "smet-tlaxcala",
        (
            NameFact(
                "Instituto Estatal de la Mujer",
                "IEM",
                change=C,
                source=_src(
                    "e-Tlaxcala, erradicar la violencia de género (15/01/2024)",
                    "https://da9w.e-tlaxcala.mx/articulo/2024-01-15/erradicar-la-violencia-de-"
                    "genero",
                    news=True,
                ),
            ),
            NameFact(
                "Secretaría de las Mujeres",
                "SMET",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Gente Tlx, la Secretaría de las Mujeres tras el cambio de Instituto a "
                    "Secretaría (16/01/2026)",
                    "https://gentetlx.com.mx/2026/01/16/con-36-millones-de-pesos-la-secretaria-"
                    "de-las-mujeres-busca-consolidarse-como-rectora-de-la-politica-de-genero-en-"
                    "tlaxcala",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "30",
        "ivm-veracruz",
        (
            NameFact(
                "Instituto Veracruzano de las Mujeres",
                "IVM",
                change=C,
                source=_src(
                    "El Demócrata, municipios veracruzanos sin institutos municipales de las "
                    "mujeres (19/11/2025)",
                    "https://www.eldemocrata.com/cuatro-municipios-veracruzanos-siguen-sin-"
                    "institutos-municipales-de-las-mujeres/",
                    news=True,
                ),
            ),
        ),
    ),
    StateInstitute(
        "31",
        "semujeres-yucatan",
        (
            NameFact(
                "Secretaría de las Mujeres",
                "Semujeres",
                change=C,
                legal_form=SECRETARIA,
                source=_src(
                    "Yucatán Independiente, Cartilla de Derechos de las Mujeres",
                    "https://www.yucatanindependiente.mx/?p=5583",
                    news=True,
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
    StateInstitute(
        "32",
        "semujer-zacatecas",
        (
            NameFact("Instituto para las Mujeres Zacatecanas", "INMUZA", change=C),
            NameFact(
                "Secretaría de las Mujeres",
                "SEMUJER",
                change=T,
                legal_form=SECRETARIA,
                source=_src(
                    "Gobierno de Zacatecas, Secretaría de las Mujeres: acerca de la Secretaría",
                    "https://semujer.zacatecas.gob.mx/acerca-de-la-secretaria",
                ),
            ),
        ),
        legal_form=SECRETARIA,
    ),
)

BY_STATE = {institute.state_code: institute for institute in INSTITUTES}
