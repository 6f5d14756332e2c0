"""The shared field partial ties help texts and errors to their field, the error summary links each
error to its field, and a page with a refused form says so in its title."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string


class SampleForm(forms.Form):
    value = forms.DecimalField(label="Valor", help_text="En personas")
    note = forms.CharField(label="Nota", required=False)
    kinds = forms.MultipleChoiceField(
        label="Tipos",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Marque al menos uno",
    )

    def clean(self):
        raise forms.ValidationError("Revise el formulario completo.")


def field_html(form, name: str) -> str:
    return render_to_string("core/_field.html", {"field": form[name]})


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


def described_by(html: str) -> list[str]:
    return re.search(r'aria-describedby="([^"]+)"', html).group(1).split()


def test_the_help_text_and_the_error_carry_the_ids_the_field_names():
    form = SampleForm({"value": "abc"})
    html = field_html(form, "value")
    assert described_by(html) == ["id_value_helptext", "id_value_error"]
    assert {"id_value_helptext", "id_value_error"} <= ids_in(html)
    assert 'aria-invalid="true"' in html


def test_a_field_without_errors_is_described_by_its_help_text_alone():
    html = field_html(SampleForm(), "value")
    assert described_by(html) == ["id_value_helptext"]
    assert "id_value_helptext" in ids_in(html) and "aria-invalid" not in html


def test_the_ids_follow_the_form_prefix_and_auto_id():
    html = field_html(SampleForm({"meta-value": "abc"}, prefix="meta"), "value")
    assert described_by(html) == ["id_meta-value_helptext", "id_meta-value_error"]
    assert {"id_meta-value_helptext", "id_meta-value_error"} <= ids_in(html)
    html = field_html(SampleForm({"value": "abc"}, auto_id="meta_%s"), "value")
    assert described_by(html) == ["meta_value_helptext", "meta_value_error"]
    assert 'for="meta_value"' in html
    assert {"meta_value_helptext", "meta_value_error"} <= ids_in(html)


def test_a_group_of_checkboxes_is_a_fieldset_described_by_its_help_and_error():
    html = field_html(SampleForm({"value": "1"}), "kinds")
    assert html.strip().startswith("<fieldset") and "<legend>Tipos" in html
    assert described_by(html) == ["id_kinds_helptext", "id_kinds_error"]
    assert {"id_kinds_group", "id_kinds_helptext", "id_kinds_error"} <= ids_in(html)


def test_the_error_summary_links_each_field_error_to_its_field_and_takes_the_focus():
    form = SampleForm({"value": "abc"})
    html = render_to_string("core/_error_summary.html", {"form": form})
    assert 'tabindex="-1"' in html and "autofocus" in html and 'role="alert"' in html
    assert "Corrija lo siguiente" in html
    assert "Revise el formulario completo." in html  # the error of no field, as text
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', html)
    assert [target for target, _text in links] == ["id_value", "id_kinds_group"]
    assert links[0][1].startswith("Valor: ")


def test_a_form_without_errors_has_no_summary():
    assert render_to_string("core/_error_summary.html", {"form": SampleForm()}).strip() == ""
    assert render_to_string("core/_error_summary.html", {"form": SampleForm({})}).strip() != ""


TITLE = Template("{% load transversal %}{% error_title_prefix %}Avance")


def test_the_title_says_error_when_a_form_of_the_page_was_refused():
    refused = SampleForm({"value": "abc"})
    refused.is_valid()
    assert TITLE.render(Context({"other_form": refused})) == "Error: Avance"


def test_the_title_is_plain_for_an_empty_or_unvalidated_form():
    assert TITLE.render(Context({"form": SampleForm()})) == "Avance"
    # Bound but never validated: the tag does not run its validation.
    unvalidated = SampleForm({"value": "abc"})
    assert TITLE.render(Context({"form": unvalidated})) == "Avance"
    assert unvalidated._errors is None
