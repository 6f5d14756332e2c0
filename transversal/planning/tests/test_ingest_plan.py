from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transversal.planning.ingest import LEVELS, DraftItem, iter_items, parse_plan
from transversal.planning.ingest.seeds import find_seed


def _seed_text(prefix: str) -> str:
    path = find_seed(prefix)
    if path is None:
        pytest.skip("seed documents folder not found (set TRANSVERSAL_SEEDS_DIR)")
    return path.read_text(encoding="utf-8")


def _outline(items: list[DraftItem]) -> list[tuple[str, str, str]]:
    return [(item.code, item.level, item.text) for item in iter_items(items)]


# --- Seed 004: Zacatecas, PED 2022-2027 --------------------------------------

ZACATECAS_STRATEGIES = [
    (
        "2.10.1",
        "Impulsar mecanismos para el empoderamiento socioeconómico, cultural y político de "
        "las mujeres, con el fin de potenciar su propio desarrollo y como agente de cambio para "
        "la transformación estatal.",
    ),
    (
        "2.10.2",
        "Fortalecer la coordinación interinstitucional en los tres órdenes de gobierno, y "
        "promover la perspectiva de género en la administración pública.",
    ),
    (
        "2.10.3",
        "Promover y aplicar acciones de protección para prevenir y atender a mujeres víctimas "
        "de violencia, sus hijas e hijos.",
    ),
    (
        "2.10.4",
        "Establecer y operar un programa de capacitación que contribuya a fomentar procesos de "
        "reeducación.",
    ),
    (
        "2.10.5",
        "Promover la armonización legislativa en materia de los derechos humanos de las mujeres.",
    ),
    (
        "2.10.6",
        "Crear mecanismos de participación ciudadana para incrementar la sensibilización e "
        "incorporación de liderazgos comprometidos en las políticas públicas con perspectiva de "
        "género.",
    ),
]


def test_it_reads_the_zacatecas_policy_with_its_six_strategies():
    plan = parse_plan(_seed_text("004_"))

    [policy] = plan.items
    assert (policy.code, policy.level, policy.text) == (
        "2.10",
        "policy",
        "Mujeres Zacatecanas Transformando la Historia",
    )
    assert [(item.code, item.text) for item in policy.children] == ZACATECAS_STRATEGIES
    assert {item.level for item in policy.children} == {"strategy"}
    assert all(not item.children for item in policy.children)


def test_it_keeps_the_footnote_of_the_last_zacatecas_strategy_as_its_note():
    plan = parse_plan(_seed_text("004_"))

    notes = {item.code: item.note for item in iter_items(plan.items)}
    assert (
        notes["2.10.6"]
        == "Plan Estatal de Desarrollo del Estado de Zacatecas 2022-2027, página 167."
    )
    assert {code for code, note in notes.items() if note} == {"2.10.6"}


def test_it_reads_the_zacatecas_title_and_period():
    plan = parse_plan(_seed_text("004_"))

    assert (plan.title, plan.period_start, plan.period_end) == (
        "Plan Estatal de Desarrollo 2022-2027",
        2022,
        2027,
    )


@pytest.mark.parametrize("prefix", ["000_", "002_"])
def test_it_finds_no_items_in_seeds_that_are_prose(prefix):
    assert parse_plan(_seed_text(prefix)).items == []


# --- Synthetic documents -----------------------------------------------------


def test_it_nests_keyword_items_by_their_codes():
    text = """Programa Estatal para la Igualdad entre Mujeres y Hombres 2023-2028

EJE 1: Autonomía económica
Objetivo 1.1. Aumentar los ingresos de las mujeres
Estrategia 1.1.1 - Impulsar el empleo formal
Línea de acción 1.1.1.1: Certificar competencias laborales.
LINEA DE ACCION 1.1.1.2 Otorgar becas de capacitación.
Estrategia 1.1.2 Promover el emprendimiento
Eje 2 Vida libre de violencia
Objetivo 2.1 Prevenir la violencia
"""
    plan = parse_plan(text)

    assert plan.title == "Programa Estatal para la Igualdad entre Mujeres y Hombres 2023-2028"
    assert _outline(plan.items) == [
        ("1", "axis", "Autonomía económica"),
        ("1.1", "objective", "Aumentar los ingresos de las mujeres"),
        ("1.1.1", "strategy", "Impulsar el empleo formal"),
        ("1.1.1.1", "action_line", "Certificar competencias laborales."),
        ("1.1.1.2", "action_line", "Otorgar becas de capacitación."),
        ("1.1.2", "strategy", "Promover el emprendimiento"),
        ("2", "axis", "Vida libre de violencia"),
        ("2.1", "objective", "Prevenir la violencia"),
    ]
    assert [len(axis.children) for axis in plan.items] == [1, 1]


def test_it_nests_by_keyword_when_each_level_restarts_its_numbering():
    text = """Objetivo prioritario 1. Igualdad económica
Estrategia prioritaria 1 Empleo
Acción puntual 1 Capacitar.
Acción puntual 2 Certificar.
Estrategia prioritaria 2 Cuidados
Objetivo prioritario 2. Vida libre de violencia
Estrategia prioritaria 1 Prevención
"""
    plan = parse_plan(text)

    first, second = plan.items
    # Codes that restart under each parent get the parent's code in front: a plan
    # keeps one code per item (issue 20, shape 4).
    assert [(s.code, [a.code for a in s.children]) for s in first.children] == [
        ("1.1", ["1.1.1", "1.1.2"]),
        ("1.2", []),
    ]
    assert [s.text for s in second.children] == ["Prevención"]
    assert first.children[0].children[0].level == "action_line"


def test_it_infers_levels_of_bare_codes_from_keyword_siblings_and_parents():
    text = """Objetivo 3. Salud de las mujeres
Estrategia 3.1 Atención médica
3.2 Salud sexual y reproductiva
3.2.1 Distribuir anticonceptivos.
"""
    plan = parse_plan(text)

    assert _outline(plan.items) == [
        ("3", "objective", "Salud de las mujeres"),
        ("3.1", "strategy", "Atención médica"),
        ("3.2", "strategy", "Salud sexual y reproductiva"),
        ("3.2.1", "action_line", "Distribuir anticonceptivos."),
    ]


def test_it_reads_roman_axes_and_bullets():
    text = """Eje II. Bienestar
• 2.1 Reducir la pobreza de las mujeres
 * 2.1.1 Ampliar los programas sociales.
– 2.2 Garantizar el acceso a la salud
\uf0b7 2.2.1 Abrir clínicas.
"""
    plan = parse_plan(text)

    [axis] = plan.items
    assert (axis.code, axis.level) == ("II", "axis")
    assert [c.code for c in axis.children] == ["2.1", "2.2"]
    assert [c.level for c in iter_items(axis.children)] == [
        "objective",
        "strategy",
        "objective",
        "strategy",
    ]


def test_it_joins_an_item_wrapped_over_several_lines():
    text = """Líneas de acción:

1.1.1 Establecer y operar un programa estatal de capacitación que
contribuya a fomentar procesos de reeducación de los agresores
en todos los municipios.
1.1.2 Promover la armonización legislativa.
Este párrafo ya no es parte del programa de capacitación anterior y
habla de otra cosa.
"""
    plan = parse_plan(text)

    assert [(item.code, item.level, item.text) for item in plan.items] == [
        (
            "1.1.1",
            "action_line",
            "Establecer y operar un programa estatal de capacitación que contribuya a fomentar "
            "procesos de reeducación de los agresores en todos los municipios.",
        ),
        ("1.1.2", "action_line", "Promover la armonización legislativa."),
    ]


def test_it_takes_the_text_of_a_code_alone_on_its_line_from_the_next_line():
    text = "Estrategia 4.1\nGarantizar la paridad en los cargos públicos.\nEstrategia 4.2\nMedir."

    plan = parse_plan(text)

    assert [(i.code, i.text) for i in plan.items] == [
        ("4.1", "Garantizar la paridad en los cargos públicos."),
        ("4.2", "Medir."),
    ]


def test_it_merges_items_repeated_by_a_table_of_contents():
    text = """Índice
Objetivo 1. Igualdad ........ 4
Objetivo 2. Paz ........ 9

Objetivo 1. Igualdad
1.1 Promover la igualdad salarial.
Objetivo 2. Paz
"""
    plan = parse_plan(text)

    assert _outline(plan.items) == [
        ("1", "objective", "Igualdad"),
        ("1.1", "strategy", "Promover la igualdad salarial."),
        ("2", "objective", "Paz"),
    ]


def test_it_ignores_prose_that_merely_mentions_numbers_or_plans():
    text = """En 2022 se atendieron 2.5 millones de mujeres.
1.5 millones recibieron apoyos del objetivo 3 del programa.
1. Derechos humanos, toda acción de gobierno los garantiza.
2. Igualdad de género, para evitar la discriminación.
"""
    assert parse_plan(text).items == []


def test_it_keeps_a_numbered_heading_that_has_numbered_children():
    text = "1. Autonomía económica\n1.1 Impulsar el empleo.\n1.2 Promover el ahorro.\n"

    [heading] = parse_plan(text).items

    assert (heading.code, heading.text, [c.code for c in heading.children]) == (
        "1",
        "Autonomía económica",
        ["1.1", "1.2"],
    )


def test_it_cleans_conversion_artefacts_and_keeps_markdown_footnotes_as_notes():
    text = """## **Estrategia 5.1** Fortalecer las instancias municipales {#estrategia-51}
[bookmark: _Toc123]5.1.1 Capacitar a las titulares.[^a]

[^a]: Meta sexenal del PED 2022-2027.
"""
    plan = parse_plan(text)

    assert _outline(plan.items) == [
        ("5.1", "strategy", "Fortalecer las instancias municipales"),
        ("5.1.1", "action_line", "Capacitar a las titulares."),
    ]
    assert plan.items[0].children[0].note == "Meta sexenal del PED 2022-2027."


def test_it_prefers_footnotes_passed_in_and_ignores_unknown_references():
    text = "2.1 Crear refugios.[footnoteRef:3]\n2.2 Abrir centros.[footnoteRef:9]"

    plan = parse_plan(text, footnotes={"3": "  Ver anexo  3. "})

    assert [(i.text, i.note) for i in plan.items] == [
        ("Crear refugios.", "Ver anexo 3."),
        ("Abrir centros.", ""),
    ]


@pytest.mark.parametrize(
    ("text", "title", "period"),
    [
        ("Alineado al PED del 2016-2022.", "PED 2016-2022", (2016, 2022)),
        (
            "Introducción\nPrograma Sectorial de las Mujeres 2025-2030\nSegún el PND 2025-2030…",
            "Programa Sectorial de las Mujeres 2025-2030",
            (2025, 2030),
        ),
        ("Conforme al Plan Nacional de Desarrollo 2019 – 2024 y al PED 2021-2027", None, None),
        ("Sin plan alguno; 2019-2024 no basta.", None, (None, None)),
    ],
)
def test_it_reads_the_title_and_period_of_the_plan_named_first_or_as_heading(text, title, period):
    plan = parse_plan(text)

    if title is None and period is None:
        assert (plan.title, plan.period_start) == ("Plan Nacional de Desarrollo 2019-2024", 2019)
    else:
        assert plan.title == title
        assert (plan.period_start, plan.period_end) == period


# --- Properties --------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    [
        "Eje 1",
        "Eje II",
        "Objetivo 3.1",
        "Estrategia 3.1.1",
        "Línea de acción 3.1.1.1",
        "LÍNEA DE ACCIÓN 2.",
        "Política pública 2.10",
        "política pública 2.10 Mujeres",
        "2.10.1",
        "2.10",
        "1.",
        "1)",
        "·",
        "•",
        "-",
        "*",
        "–",
        "\uf0b7",
        ":",
        ".",
        " ",
        "\n",
        "\n\n",
        "Texto",
        "texto en minúsculas",
        "[footnoteRef:1]",
        "[1: nota]",
        "[bookmark: x]",
        "{#id}",
        "[^n]",
        "[^n]: nota",
        "Plan Estatal de Desarrollo 2022-2027",
        "PED 2016-2022",
        "estrategias:",
        "........ 12",
        "|",
        "**",
        # Shapes of issue 20: prefixed headings, indexes, blocks, flat lists, PDF glue.
        "6.1.- Relevancia del Objetivo prioritario 1: ",
        "14 ",
        "14 EJE 1: ",
        "I. ",
        "a) ",
        ". . . . . 7",
        "Ejes rectores",
        "Introducción",
        "oportuni-",
        "DesarrolloSustentable",
    ]
)
_PLAN_TEXT = st.one_of(st.text(max_size=400), st.lists(_FRAGMENTS, max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=_PLAN_TEXT)
# An inline mention cut "[footnoteRef:0]" at its colon, and the bare "EJE0"
# below merged into it, leaving an item whose whole text was "[footnoteRef".
@example(text=":EJE 0[^0]\nEJE0")
@example(text="Estrategia 1.1 [footnoteRef:2\nEstrategia 1.2 [bookmark: _Toc9")
@example(text="Eje 1 {#eje\n1.1 Texto")
def test_parse_plan_never_raises_and_keeps_its_invariants(text):
    plan = parse_plan(text, footnotes={"1": "nota"})

    _check_siblings(plan.items)
    # A plan saves one code per item (restarted codes get their parent's code in front).
    codes = [item.code for item in iter_items(plan.items)]
    assert len(codes) == len(set(codes)), codes
    for item in iter_items(plan.items):
        assert item.level in LEVELS
        assert item.code and item.code == item.code.strip()
        assert item.text == " ".join(item.text.split())
        assert (
            "[footnoteRef" not in item.text
            and "[bookmark" not in item.text
            and "{#" not in item.text
        )
        # An item with no text of its own is only kept as the heading of others.
        assert item.text or item.children
    if plan.period_start is not None:
        assert plan.period_start <= plan.period_end <= plan.period_start + 30


def test_it_drops_an_item_left_with_only_a_cut_footnote_marker():
    assert parse_plan(":EJE 0[^0]\nEJE0").items == []


def test_it_strips_unterminated_markers_and_keeps_a_textless_heading_with_children():
    plan = parse_plan(
        "Estrategia 1.1 Crear refugios.[footnoteRef:2\nEje 2 {#eje-2\n2.1 Abrir centros."
    )

    assert _outline(plan.items) == [
        ("1.1", "strategy", "Crear refugios."),
        ("2", "axis", ""),
        ("2.1", "objective", "Abrir centros."),
    ]


def _check_siblings(items: list[DraftItem]) -> None:
    codes = [item.code for item in items]
    assert len(codes) == len(set(codes)), codes
    for item in items:
        _check_siblings(item.children)


def test_it_bridges_a_blank_line_left_mid_sentence_by_a_pdf_converter():
    text = (
        "Objetivo 1: Reducir las desigualdades entre mujeres y\n\n\nhombres en el empleo.\n\nNota."
    )

    [item] = parse_plan(text).items

    assert item.text == "Reducir las desigualdades entre mujeres y hombres en el empleo."
