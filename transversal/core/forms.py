"""One path for every form's POST: run the service, then say it worked or show why not.

Services refuse with ``ValidationError``. A page that shows its form again puts the refusal on
the form: an error of one of the form's fields beside that field, every other error (no field,
``NON_FIELD_ERRORS`` or a field the form does not have) above the form. A POST-only form that
redirects back flashes the errors as messages instead, one per field, led by the field's label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

# Said (as information, not success) when an edit saves nothing because nothing differed.
NO_CHANGES = gettext_lazy("No hubo cambios que guardar.")

Success = str | Callable[[Any], str] | None


@dataclass(frozen=True)
class Outcome:
    """What a submission came to: ``ok`` and, when it is, what the service returned."""

    ok: bool
    result: Any = None


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: a field's errors beside it, all others above the
    form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(
            field if field != NON_FIELD_ERRORS and field in form.fields else None, errors
        )


def error_messages(
    errors: forms.BaseForm | ValidationError, form: forms.BaseForm | None = None
) -> list[str]:
    """One sentence per field: its label, a colon and its errors; errors of no known field alone.

    ``errors`` is a form (its own errors) or a service's ValidationError, whose fields take
    their labels from ``form`` when given.
    """
    if isinstance(errors, ValidationError):
        grouped: Mapping[str, list] = (
            errors.message_dict
            if hasattr(errors, "error_dict")
            else {NON_FIELD_ERRORS: errors.messages}
        )
    else:
        form, grouped = errors, errors.errors
    fields = form.fields if form is not None else {}
    sentences = []
    for name, texts in grouped.items():
        text = " ".join(str(t) for t in texts)
        label = fields[name].label if name in fields else None
        sentences.append(f"{label}: {text}" if label else text)
    return sentences


def flash_errors(
    request: HttpRequest,
    errors: forms.BaseForm | ValidationError,
    form: forms.BaseForm | None = None,
) -> None:
    """Flash a form's errors or a service's refusal as error messages (see ``error_messages``)."""
    for sentence in error_messages(errors, form):
        messages.error(request, sentence)


def _announce(request: HttpRequest, result: Any, success: Success, unchanged: str | None) -> None:
    if unchanged is not None and not result:
        messages.info(request, unchanged)
        return
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)


def perform(
    request: HttpRequest,
    service: Callable[[], Any],
    *,
    success: Success = None,
    unchanged: str | None = None,
    form: forms.BaseForm | None = None,
    flash: bool = False,
) -> Outcome:
    """Run ``service`` (no arguments) and say how it went.

    ``success`` is the success message, or a function of the service's result that gives it.
    ``unchanged``, when given, is said instead, as information, when the service returns an
    empty result (no changes, nothing created). A refusal goes on ``form``, or is flashed when
    there is no form or ``flash`` is set (the form then lends its labels).
    """
    try:
        result = service()
    except ValidationError as exc:
        if form is None or flash:
            flash_errors(request, exc, form)
        else:
            attach_errors(form, exc)
        return Outcome(ok=False)
    _announce(request, result, success, unchanged)
    return Outcome(ok=True, result=result)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    service: Callable[[], Any],
    *,
    success: Success = None,
    unchanged: str | None = None,
    flash: bool = False,
) -> Outcome:
    """Validate the bound ``form``, then ``perform`` the service; the form's own errors are
    shown as a refusal would be (kept on the form, or flashed with ``flash``)."""
    if not form.is_valid():
        if flash:
            flash_errors(request, form)
        return Outcome(ok=False)
    return perform(request, service, success=success, unchanged=unchanged, form=form, flash=flash)
