"""Tests for core/forms.py: the one path from a POST through a service to a message or a form
error."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import ERROR, INFO, SUCCESS, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory

from transversal.core.forms import (
    NO_CHANGES,
    attach_errors,
    error_messages,
    flash_errors,
    perform,
    submit,
)


class GoalForm(forms.Form):
    number = forms.IntegerField(label="Número")
    description = forms.CharField(label="Descripción")
    code = forms.CharField(required=False, widget=forms.HiddenInput)


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _said(request) -> list[tuple[int, str]]:
    return [(m.level, str(m)) for m in get_messages(request)]


def _valid_form() -> GoalForm:
    form = GoalForm({"number": "3", "description": "Reducir la brecha"})
    assert form.is_valid()
    return form


def _refuse(error):
    def service():
        raise ValidationError(error)

    return service


# attach_errors -------------------------------------------------------------------


def test_it_puts_a_field_error_on_that_field():
    form = _valid_form()
    attach_errors(form, ValidationError({"description": "La descripción ya existe."}))
    assert form.errors == {"description": ["La descripción ya existe."]}
    assert "description" not in form.cleaned_data


def test_it_puts_an_error_of_a_field_the_form_lacks_above_the_form():
    form = _valid_form()
    attach_errors(
        form, ValidationError({"agreement": "El convenio está concluido.", "number": "Ya existe."})
    )
    assert form.non_field_errors() == ["El convenio está concluido."]
    assert form.errors["number"] == ["Ya existe."]


def test_it_puts_non_field_errors_and_a_plain_refusal_above_the_form():
    form = _valid_form()
    attach_errors(form, ValidationError({NON_FIELD_ERRORS: "Las fechas se cruzan."}))
    attach_errors(form, ValidationError(["Primero.", "Segundo."]))
    assert form.non_field_errors() == ["Las fechas se cruzan.", "Primero.", "Segundo."]


def test_it_keeps_the_parameters_of_a_message():
    form = _valid_form()
    attach_errors(form, ValidationError("Máximo %(n)s.", params={"n": 5}))
    assert form.non_field_errors() == ["Máximo 5."]


# error_messages and flash_errors -------------------------------------------------------


def test_it_flashes_a_forms_errors_led_by_their_labels():
    request = _request()
    form = GoalForm({"number": "tres", "description": ""})
    flash_errors(request, form)
    assert _said(request) == [
        (ERROR, "Número: Introduzca un número entero."),
        (ERROR, "Descripción: Este campo es obligatorio."),
    ]


def test_it_labels_a_refusal_with_the_forms_labels_and_leaves_other_errors_alone():
    error = ValidationError(
        {
            "description": ["Muy corta.", "Sin verbo."],
            "agreement": "Concluido.",
            "code": "Repetido.",
        }
    )
    assert error_messages(error, _valid_form()) == [
        "Descripción: Muy corta. Sin verbo.",
        "Concluido.",
        "Repetido.",
    ]


def test_it_joins_the_messages_of_a_refusal_without_a_form():
    assert error_messages(ValidationError(["Primero.", "Segundo."])) == ["Primero. Segundo."]
    assert error_messages(ValidationError({"description": "Muy corta."})) == ["Muy corta."]


# perform and submit -------------------------------------------------------------------


def test_it_says_the_success_message_and_returns_the_result():
    request = _request()
    outcome = submit(
        request, _valid_form(), lambda: {"number": [1, 3]}, success="Se guardó la meta."
    )
    assert outcome.ok and outcome.result == {"number": [1, 3]}
    assert _said(request) == [(SUCCESS, "Se guardó la meta.")]


def test_it_builds_the_message_from_the_result_when_given_a_function():
    request = _request()
    submit(
        request,
        _valid_form(),
        lambda: ["2024", "2025"],
        success=lambda created: f"Se agregaron {len(created)}.",
    )
    assert _said(request) == [(SUCCESS, "Se agregaron 2.")]


def test_it_says_nothing_changed_when_the_service_returns_nothing():
    request = _request()
    outcome = submit(
        request, _valid_form(), lambda: {}, success="Se guardó la meta.", unchanged=NO_CHANGES
    )
    assert outcome.ok
    assert _said(request) == [(INFO, "No hubo cambios que guardar.")]


def test_it_says_nothing_without_a_success_message():
    request = _request()
    assert perform(request, lambda: ("token", "secreto")).result == ("token", "secreto")
    assert _said(request) == []


def test_it_keeps_a_refusal_on_the_form_and_says_no_success():
    request = _request()
    form = _valid_form()
    outcome = submit(request, form, _refuse({"number": "Ya existe."}), success="Se guardó la meta.")
    assert not outcome.ok and outcome.result is None
    assert form.errors == {"number": ["Ya existe."]}
    assert _said(request) == []


def test_it_flashes_a_refusal_with_the_forms_labels_when_asked():
    request = _request()
    form = _valid_form()
    outcome = submit(
        request, form, _refuse({"number": "Ya existe."}), success="Se guardó la meta.", flash=True
    )
    assert not outcome.ok
    assert _said(request) == [(ERROR, "Número: Ya existe.")]


def test_it_flashes_a_refusal_when_there_is_no_form():
    request = _request()
    assert not perform(request, _refuse("El plan no tiene elementos."), success="Se publicó.").ok
    assert _said(request) == [(ERROR, "El plan no tiene elementos.")]


@pytest.mark.parametrize("flash", [False, True])
def test_it_does_not_run_the_service_for_an_invalid_form(flash):
    request = _request()
    form = GoalForm({"number": "", "description": "Meta"})
    ran = []
    assert not submit(request, form, lambda: ran.append(1), success="Se guardó.", flash=flash).ok
    assert ran == []
    assert _said(request) == ([(ERROR, "Número: Este campo es obligatorio.")] if flash else [])
    assert form.errors == {"number": ["Este campo es obligatorio."]}


def test_it_lets_other_exceptions_through():
    with pytest.raises(ZeroDivisionError):
        perform(_request(), lambda: 1 / 0)
