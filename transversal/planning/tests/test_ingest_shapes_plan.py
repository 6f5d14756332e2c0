"""The plan reader on each document shape of issue 20, one behaviour per test.

Texts are synthetic: they copy the shape (numbering, punctuation, layout) of real
plans, never their wording.
"""

from __future__ import annotations

from transversal.planning.ingest import iter_items, parse_plan

from .ingest_shapes import fixture_text


def _outline(text: str) -> list[tuple[str, str, str]]:
    return [(i.code, i.level, i.text) for i in iter_items(parse_plan(text).items)]


# --- 1. Headings with a prefix before the code --------------------------------


def test_a_prefixed_heading_is_the_item_its_keyword_names_not_the_section():
    text = "6.1.- Relevancia del Objetivo prioritario 1: Cerrar las brechas de ingreso\n"

    assert _outline(text) == [("1", "objective", "Cerrar las brechas de ingreso")]


def test_a_prefixed_heading_does_not_swallow_the_paragraph_below_it():
    text = (
        "6.2.- Relevancia del Objetivo prioritario 2: Reconocer el trabajo de cuidados en "
        "todos los hogares del estado y en las comunidades\n"
        "Las horas dedicadas al cuidado no remunerado siguen recayendo en las mujeres de "
        "cada hogar.\n"
    )

    [item] = parse_plan(text).items
    assert item.text == (
        "Reconocer el trabajo de cuidados en todos los hogares del estado y en las comunidades"
    )


def test_prose_that_names_an_objective_without_a_separator_is_no_heading():
    text = "La relevancia del objetivo 3 del programa es evidente.\n"

    assert parse_plan(text).items == []


# --- 2. Tables of contents ----------------------------------------------------


def test_an_index_with_leaders_and_the_body_give_each_item_once_with_the_body_text():
    plan = parse_plan(fixture_text("plan_toc_leaders.txt"))

    codes = [item.code for item in iter_items(plan.items)]
    assert len(codes) == len(set(codes)) == 11
    assert {line.reason for line in plan.skipped} == {"index_entry"}
    assert len(plan.skipped) == 4


def test_an_index_entry_wrapped_over_a_blank_line_ends_at_its_page_number():
    text = (
        "Objetivo 2.1. Incrementar la participación de las mujeres en los cargos de\n\n"
        "decisión de la administración ........ 33\n"
        "Objetivo 2.2. Reducir la violencia política . . . . . . . 38\n"
    )

    assert _outline(text) == [
        (
            "2.1",
            "objective",
            "Incrementar la participación de las mujeres en los cargos de "
            "decisión de la administración",
        ),
        ("2.2", "objective", "Reducir la violencia política"),
    ]


def test_a_line_led_by_a_page_number_is_an_index_entry():
    text = "ÍNDICE\n14 EJE 1: Autonomía económica\n16 Objetivo 1.1 Aumentar el empleo\n"

    items = list(iter_items(parse_plan(text).items))
    assert [(i.code, i.level, i.text) for i in items] == [
        ("1", "axis", "Autonomía económica"),
        ("1.1", "objective", "Aumentar el empleo"),
    ]
    # Only an index names them: less sure than the body would be.
    assert all(item.confidence < 0.8 for item in items)


def test_a_number_that_starts_prose_is_no_page_number():
    text = "3 objetivos prioritarios y 12 estrategias forman el programa.\n"

    assert parse_plan(text).items == []


# --- 3. Flat numbered axes ------------------------------------------------------


def test_a_flat_list_of_headings_is_a_plan_level():
    plan = parse_plan(fixture_text("plan_flat_axes.txt"))

    assert [(i.code, i.level) for i in plan.items] == [(str(n), "axis") for n in range(1, 6)]
    assert all(not item.children for item in plan.items)
    assert {line.reason for line in plan.skipped} == {"list_in_prose"}


def test_a_flat_list_of_sentences_stays_prose():
    text = (
        "1. Honestidad, todo servidor público rinde cuentas.\n"
        "2. Austeridad, para destinar los recursos a quien más los necesita.\n"
        "3. Cercanía, el gobierno escucha a la gente.\n"
    )

    plan = parse_plan(text)

    assert plan.items == []
    assert [line.text[:13] for line in plan.skipped] == [
        "1. Honestidad",
        "2. Austeridad",
        "3. Cercanía, ",
    ]


def test_a_numbered_outline_of_chapters_is_no_plan_level():
    text = "1. Introducción\n2. Diagnóstico\n3. Marco normativo\n"

    assert parse_plan(text).items == []


def test_two_headings_are_a_flat_level_only_after_a_cue():
    assert parse_plan("1. Municipio seguro\n2. Municipio próspero\n").items == []
    cued = parse_plan("Ejes rectores\n1. Municipio seguro\n2. Municipio próspero\n")
    assert [(i.code, i.level) for i in cued.items] == [("1", "axis"), ("2", "axis")]


# --- 4. Roman and lettered blocks; restarted codes -------------------------------


def test_roman_and_lettered_blocks_neither_become_items_nor_join_one():
    plan = parse_plan(fixture_text("plan_roman_blocks.txt"))

    texts = {item.code: item.text for item in iter_items(plan.items)}
    assert texts["1"] == "Eliminar la discriminación en el acceso al empleo"
    assert texts["1.1"] == "Sancionar la exigencia de pruebas de embarazo"
    assert [i.code for i in plan.items[0].children] == ["1.1", "1.2"]
    assert "a) Revisar los reglamentos de contratación." in {s.text for s in plan.skipped}


def test_codes_that_restart_inside_each_axis_get_the_axis_code_in_front():
    plan = parse_plan(fixture_text("plan_restart_codes.txt"))

    second = plan.items[1]
    assert [(o.code, [s.code for s in o.children]) for o in second.children] == [
        ("2.1", ["2.1.1"]),
        ("2.2", ["2.2.1", "2.2.2"]),
    ]
    codes = [item.code for item in iter_items(plan.items)]
    assert len(codes) == len(set(codes))


def test_codes_that_never_clash_are_left_as_written():
    text = (
        "EJE I. Igualdad\nObjetivo 1. Empleo\nObjetivo 2. Salud\n"
        "EJE II. Paz\nObjetivo 3. Prevenir\n"
    )

    codes = [i.code for i in iter_items(parse_plan(text).items)]
    assert codes == ["I", "1", "2", "II", "3"]


# --- 5. Glued words and hyphenation ---------------------------------------------


def test_words_glued_by_pdf_extraction_are_split_and_hyphenation_is_undone():
    texts = {
        i.code: i.text for i in iter_items(parse_plan(fixture_text("plan_glued_pdf.txt")).items)
    }

    assert texts["3"] == "Desarrollo Sustentable e Igualdad"
    assert texts["3.1"].startswith("Garantizar la igualdad de oportunidades para")


def test_acronyms_and_short_prefixes_are_not_split():
    text = "Objetivo 1. Coordinar con ONUMujeres y el INMUJERES a McAllen.\n"

    [item] = parse_plan(text).items
    assert item.text == "Coordinar con ONUMujeres y el INMUJERES a McAllen."


def test_an_index_with_tabs_before_its_pages_gives_way_to_the_body():
    plan = parse_plan(fixture_text("plan_toc_tabs.txt"))

    texts = {item.code: item.text for item in iter_items(plan.items)}
    assert texts["1"] == "Igualdad en el trabajo"
    assert texts["1.2"] == "Ampliar la seguridad social de las mujeres"
    assert len(texts) == 8


def test_index_entries_out_of_a_pdf_lose_their_page_numbers():
    text = (
        "Eje 1. Igualdad en el trabajo 10\n"
        "Objetivo 1.1 Reducir la segregación ocupacional 11\n"
        "Objetivo 1.2 Ampliar la seguridad social 14\n"
    )

    items = list(iter_items(parse_plan(text).items))
    assert [i.text for i in items] == [
        "Igualdad en el trabajo",
        "Reducir la segregación ocupacional",
        "Ampliar la seguridad social",
    ]


def test_an_item_that_merely_ends_in_a_number_keeps_it():
    text = "Objetivo 1. Reducir la brecha salarial en 10\nObjetivo 2. Abrir refugios\n"

    assert [i.text for i in parse_plan(text).items] == [
        "Reducir la brecha salarial en 10",
        "Abrir refugios",
    ]


def test_action_lines_ending_in_their_targets_are_no_index():
    text = (
        "Línea de acción 1.1.1 Capacitar a 500\n"
        "Línea de acción 1.1.2 Certificar a 200\n"
        "Línea de acción 1.1.3 Reducir la espera en 30\n"
        "Línea de acción 1.1.4 Abrir albergues 12\n"
        "Línea de acción 1.1.5 Abrir refugios 4\n"
    )

    texts = [i.text for i in iter_items(parse_plan(text).items)]
    assert texts[:3] == ["Capacitar a 500", "Certificar a 200", "Reducir la espera en 30"]
    # 12 then 4: numbers that go down are no page numbers.
    assert texts[3:] == ["Abrir albergues 12", "Abrir refugios 4"]


def test_an_index_and_a_body_whose_codes_restart_give_each_item_once():
    text = (
        "ÍNDICE\n"
        "EJE 1. Igualdad económica ........ 5\n"
        "Objetivo 1. Incrementar el ingreso ........ 6\n"
        "EJE 2. Vida libre de violencias ........ 10\n"
        "Objetivo 1. Prevenir la violencia ........ 11\n\n"
        "EJE 1. Igualdad económica\n"
        "Objetivo 1. Incrementar el ingreso\n"
        "Estrategia 1. Financiar proyectos\n"
        "EJE 2. Vida libre de violencias\n"
        "Objetivo 1. Prevenir la violencia\n"
        "Estrategia 1. Formar redes\n"
    )

    assert [(i.code, i.text) for i in iter_items(parse_plan(text).items)] == [
        ("1", "Igualdad económica"),
        ("1.1", "Incrementar el ingreso"),
        ("1.1.1", "Financiar proyectos"),
        ("2", "Vida libre de violencias"),
        ("2.1", "Prevenir la violencia"),
        ("2.1.1", "Formar redes"),
    ]


# --- Shapes met in the public evaluation corpus (scripts/eval_docs) ---------------


def test_a_flat_list_whose_numbers_close_with_dash_and_parenthesis_is_a_plan_level():
    text = (
        "El plan se organiza así:\n\nTres ejes:\n\n"
        "1.-) Gobierno honesto “Cuentas claras”\n"
        "2.-) Agua para todas las regiones\n"
        "3.-) Trabajo digno y bien pagado\n"
    )

    assert _outline(text) == [
        ("1", "axis", "Gobierno honesto “Cuentas claras”"),
        ("2", "axis", "Agua para todas las regiones"),
        ("3", "axis", "Trabajo digno y bien pagado"),
    ]


def test_under_zero_padded_chapters_only_the_list_of_the_chapter_naming_a_level_is_kept():
    text = (
        "Contenido\n"
        "01. Marco del programa\n"
        "1. Origen del programa\n2. Principios del programa\n3. Alcance territorial\n"
        "02. Ejes de acción del programa\n"
        "1. Trabajo remunerado para todas\n2. Cuidados compartidos\n3. Ciudades seguras\n"
        "03. Gestión\n"
        "1. Comité de seguimiento\n2. Calendario de trabajo\n3. Tablero público\n"
    )

    assert _outline(text) == [
        ("1", "axis", "Trabajo remunerado para todas"),
        ("2", "axis", "Cuidados compartidos"),
        ("3", "axis", "Ciudades seguras"),
    ]


def test_a_zero_padded_index_with_leaders_keeps_the_list_of_the_chapter_naming_a_level():
    text = (
        "Tabla de contenido\n"
        "01 Marco del programa ................................ 2\n"
        "1. Origen del programa ................................ 2\n"
        "2. Alcance territorial ................................ 4\n"
        "02 Ejes de acción del programa ........................ 9\n"
        "1. Trabajo remunerado para todas ...................... 9\n"
        "2. Cuidados compartidos ............................... 12\n"
        "03 Gestión ............................................ 20\n"
        "1. Comité de seguimiento .............................. 20\n"
        "2. Calendario de trabajo .............................. 22\n"
    )

    assert _outline(text) == [
        ("1", "axis", "Trabajo remunerado para todas"),
        ("2", "axis", "Cuidados compartidos"),
    ]


def test_a_level_abbreviation_glued_before_the_code_is_no_part_of_it():
    text = (
        "O.T2.1. Reducir las brechas de género en el gobierno estatal.\n"
        "E.T2.1.1. Igualar las condiciones de ingreso al servicio público.\n"
        "L.A2.1.1.1. Revisar los perfiles de puesto con perspectiva de género.\n"
        "L.A2.1.1.2. publicar las convocatorias en lenguaje incluyente.\n"
        "L.A2.1.1.3.Capacitar a los comités de selección.\n"
        "ET2.1.2. Prevenir el acoso en las oficinas públicas.\n"
        "O.T. 2.2. Garantizar servicios de cuidado al personal.\n"
    )

    assert [(code, text) for code, _level, text in _outline(text)] == [
        ("2.1", "Reducir las brechas de género en el gobierno estatal."),
        ("2.1.1", "Igualar las condiciones de ingreso al servicio público."),
        ("2.1.1.1", "Revisar los perfiles de puesto con perspectiva de género."),
        ("2.1.1.2", "publicar las convocatorias en lenguaje incluyente."),
        ("2.1.1.3", "Capacitar a los comités de selección."),
        ("2.1.2", "Prevenir el acoso en las oficinas públicas."),
        ("2.2", "Garantizar servicios de cuidado al personal."),
    ]


def test_prose_that_starts_with_a_two_part_figure_in_lower_case_stays_prose():
    assert parse_plan("2.5 millones de mujeres trabajan sin contrato.\n").items == []


def test_a_motto_in_quotes_does_not_make_an_axis_heading_read_as_prose():
    text = (
        "Ejes:\n"
        "1. Bienestar de las familias “Salud, escuela y vivienda para todas las personas de cada "
        "comunidad”\n"
        "2. Economía local “Empleo digno en los municipios”\n"
    )

    assert [(code, level) for code, level, _text in _outline(text)] == [
        ("1", "axis"),
        ("2", "axis"),
    ]


def test_an_outline_entry_read_as_body_does_not_take_the_place_of_the_axis_with_its_number():
    # Out of a PDF, the outline's entries wrap and lose their leaders, so they look like
    # body lines; the chapter naming the axes still decides which list is the plan.
    text = (
        "01 Marco del programa y de su\n"
        "elaboración ........................................ 2\n"
        "1. Origen del programa y de su\n"
        "elaboración ........................................ 2\n"
        "2. Alcance territorial del programa en el\n"
        "estado ............................................. 4\n"
        "02 Ejes de acción del programa ........................ 9\n"
        "1. Trabajo remunerado para todas ...................... 9\n"
        "2. Cuidados compartidos ............................... 12\n"
    )

    plan = parse_plan(text)

    assert [(i.code, i.text) for i in plan.items] == [
        ("1", "Trabajo remunerado para todas"),
        ("2", "Cuidados compartidos"),
    ]
    assert {line.reason for line in plan.skipped} == {"list_in_prose"}
    assert len(plan.skipped) == 2


def test_a_section_numbered_like_the_prefixed_headings_is_no_item():
    text = (
        "4. Objetivos\n"
        "4.1 Relevancia del objetivo 1: Ampliar la red de refugios\n"
        "4.2 Relevancia del objetivo 2: Medir la violencia en cada municipio\n"
        "4.3 Vinculación de los objetivos con el plan estatal\n"
        "5. Estrategias y líneas de acción\n"
    )

    plan = parse_plan(text)

    assert [(i.code, i.text) for i in iter_items(plan.items)] == [
        ("1", "Ampliar la red de refugios"),
        ("2", "Medir la violencia en cada municipio"),
    ]
    assert ("4.3 Vinculación de los objetivos con el plan estatal", "section_number") in {
        (line.text, line.reason) for line in plan.skipped
    }


def test_a_prefixed_heading_cut_after_a_little_word_goes_on_in_the_next_line():
    text = (
        "6.1 Relevancia del objetivo 1: Ampliar la cobertura de los servicios de la\n"
        "Red Estatal de Refugios en todas las regiones\n"
        "6.2 Relevancia del objetivo 2: Medir la violencia en cada municipio\n"
    )

    assert [(i.code, i.text) for i in iter_items(parse_plan(text).items)] == [
        (
            "1",
            "Ampliar la cobertura de los servicios de la Red Estatal de Refugios en todas "
            "las regiones",
        ),
        ("2", "Medir la violencia en cada municipio"),
    ]


def test_a_plural_level_word_followed_by_its_page_in_an_index_is_no_item():
    text = (
        "ÍNDICE\n-\nOBJETIVO GENERAL DEL PROGRAMA 30\n-\nOBJETIVOS ESPECÍFICOS 31\n-\n"
        "MATRIZ DE METAS 33\n"
    )

    assert parse_plan(text).items == []
    # The singular with its text on the next line is still an item.
    assert _outline("Objetivo 2\nReducir la brecha salarial\n") == [
        ("2", "objective", "Reducir la brecha salarial")
    ]


def test_an_index_run_together_in_one_paragraph_is_read_entry_by_entry():
    text = (
        "CONTENIDO\n"
        "1. PRESENTACIÓN...... 2 2. DIAGNÓSTICO...... 4 3. EJES...... 8 "
        "EJE 1. CAMPO PRODUCTIVO...... 8 EJE 2. AGUA PARA TODAS...... 11 "
        "4. SEGUIMIENTO...... 20\n"
    )

    assert _outline(text) == [
        ("1", "axis", "CAMPO PRODUCTIVO"),
        ("2", "axis", "AGUA PARA TODAS"),
    ]


def test_a_numbered_chapter_of_the_document_and_its_sections_are_no_items():
    text = "Índice\n1. Introducción\n2. Valores\n5. Anexos\n5.1 Bibliografía\n5.2 Siglas\n"

    plan = parse_plan(text)

    assert plan.items == []
    assert {line.reason for line in plan.skipped} >= {"document_section"}


def test_a_bare_numbered_line_of_the_body_does_not_reword_an_axis_the_index_names():
    text = (
        "EJE 1. CAMPO PRODUCTIVO ........ 8\n"
        "EJE 2. AGUA PARA TODAS ........ 11\n"
        "EJE 3. CIUDADES SEGURAS ........ 15\n\n"
        "1. INTEGRACIÓN DEL CABILDO MUNICIPAL.\n"
        "Nombre Cargo\n"
    )

    assert [(i.code, i.text) for i in parse_plan(text).items] == [
        ("1", "CAMPO PRODUCTIVO"),
        ("2", "AGUA PARA TODAS"),
        ("3", "CIUDADES SEGURAS"),
    ]
