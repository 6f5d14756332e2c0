"""Pages of the registers: the home with the four registers, each register's filtered list
with its totals and XLSX export, an entry's page (its figures, the check of its totals, its
evidence) and the forms that record, change and delete entries.

Members of an institution read its entries (national members read every state's); its
editors and admins write them. Outsiders get 404, read-only members 403."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, scope_for
from transversal.accounts.models import Role
from transversal.core.access import forbidden, not_found, protected
from transversal.core.exports import neutralise_cell
from transversal.core.forms import NO_CHANGES, submit
from transversal.core.pagination import page_query, paginate
from transversal.core.templatetags.transversal import format_mx
from transversal.core.uploads import attachment_response
from transversal.registers import selectors, services
from transversal.registers.access import (
    can_write,
    get_entry_for_user,
    model_for,
    writable_institutions,
)
from transversal.registers.apps import REGISTER_SLUGS
from transversal.registers.forms import DeleteForm, EntryForm, EvidenceForm
from transversal.registers.models import (
    AGE_FIELDS,
    GROUP_FIELDS,
    PEOPLE_WORDS,
    REGISTER_MODELS,
    EntryEvidence,
    RegisterKind,
)
from transversal.registers.selectors import CATEGORY_FILTERS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An export holds at most this many rows; the page says so when the filtered set is larger.
EXPORT_LIMIT = 20_000


def _reader_scope(request: HttpRequest):
    """The person's scope, or 404 for someone who belongs to no institution."""
    scope = scope_for(request.user)
    if not scope.roles and not scope.is_national:
        raise not_found()
    return scope


def _records(scope) -> bool:
    """Whether the person records entries for some institution (an editor or admin role)."""
    return any(role in (Role.ADMIN, Role.EDITOR) for role in scope.roles.values())


def _register_info(register: str) -> dict:
    model = REGISTER_MODELS[register]
    return {
        "key": register,
        "title": RegisterKind(register).label,
        "singular": model._meta.verbose_name,
        "people": PEOPLE_WORDS[register],
    }


@require_GET
@protected
def home(request: HttpRequest) -> HttpResponse:
    """The four registers, each with its entries and people in the person's scope."""
    scope = _reader_scope(request)
    totals = selectors.register_totals(scope)
    cards = [
        {**_register_info(key), "totals": totals[key].totals, "year": totals[key].year}
        for key in REGISTER_MODELS
    ]
    return render(
        request,
        "registers/home.html",
        {"cards": cards, "can_record": _records(scope)},
    )


@require_GET
@protected
def entry_list(request: HttpRequest, register: str) -> HttpResponse:
    scope = _reader_scope(request)
    model_for(register)
    filters = selectors.read_filters(scope, register, request.GET)
    years = selectors.year_totals(scope, register, filters)  # settles the year shown
    rows = selectors.entries(scope, register, filters)
    page = paginate(request, rows)
    categories = [
        {
            "param": param,
            "label": capfirst(REGISTER_MODELS[register]._meta.get_field(name).verbose_name),
            "choices": choices.choices,
            "chosen": filters.categories.get(param, ""),
        }
        for param, (name, choices) in CATEGORY_FILTERS[register].items()
    ]
    return render(
        request,
        "registers/entry_list.html",
        {
            "register": _register_info(register),
            "page": page,
            "page_query": page_query(request),
            "totals": years.totals,
            "year_totals": years,
            "year_choices": _year_choices(years),
            "period": _period_label(years, filters.month),
            "year_rows": _year_rows(request, years) if years.all_years else [],
            "years_with_entries": _years_with_entries(request, years),
            "chosen": filters.chosen(),
            "ignored": _ignored_notices(scope, register, filters),
            "categories": categories,
            "months": [(n, formats.date_format(dt.date(2000, n, 1), "F")) for n in range(1, 13)],
            "national": scope.is_national,
            "can_record": _records(scope),
            "query": _export_query(request, filters),
            **selectors.filter_choices(scope, filters),
        },
    )


def _ignored_notices(scope, register: str, filters: selectors.Filters) -> list[str]:
    """A sentence for each filter given a value the list could not use, in the form's order:
    the list shows what it would without it, and the person should know (the value is quoted
    back as text; the template escapes it)."""
    ignored = filters.ignored
    notices = []
    if "entidad" in ignored:
        notices.append(
            _("Se ignoró el filtro de entidad: «%(value)s» no es una entidad.")
            % {"value": ignored["entidad"]}
            if scope.is_national
            else _(
                "Se ignoró el filtro de entidad: solo la institución nacional elige entidad; "
                "la lista muestra los registros de sus instituciones."
            )
        )
    if "institucion" in ignored:
        notices.append(
            _(
                "Se ignoró el filtro de institución: «%(value)s» no es una institución cuyos "
                "registros usted consulte."
            )
            % {"value": ignored["institucion"]}
        )
    if "anio" in ignored:
        value = ignored["anio"]
        notices.append(
            (
                _("Se ignoró el filtro de año: «%(value)s» no es un año entre 2000 y 2100.")
                if value.isdigit()
                else _(
                    "Se ignoró el filtro de año: «%(value)s» no es un año (se escribe con cuatro "
                    "cifras, como 2025)."
                )
            )
            % {"value": value}
        )
    if "mes" in ignored:
        notices.append(
            _("Se ignoró el filtro de mes: «%(value)s» no es un mes (del 1 al 12).")
            % {"value": ignored["mes"]}
        )
    model = REGISTER_MODELS[register]
    for param, (name, _choices) in CATEGORY_FILTERS[register].items():
        if param in ignored:
            notices.append(
                _("Se ignoró el filtro de %(filter)s: «%(value)s» no es una de sus opciones.")
                % {"filter": model._meta.get_field(name).verbose_name, "value": ignored[param]}
            )
    if "municipio" in ignored:
        if scope.is_national and not (filters.state or filters.institution):
            notices.append(_("Se ignoró el filtro de municipio: elija primero una entidad."))
        else:
            notices.append(
                _(
                    "Se ignoró el filtro de municipio: «%(value)s» no es un municipio de las "
                    "entidades que consulta."
                )
                % {"value": ignored["municipio"]}
            )
    return notices


def _year_choices(years: selectors.YearTotals) -> list[int]:
    """The years the filter offers: those with entries, and one asked for without any."""
    if years.year is not None and years.year not in years.years:
        return sorted([*years.years, years.year], reverse=True)
    return years.years


def _period_label(years: selectors.YearTotals, month: int | None) -> str:
    """What the totals add up: «En 2025», «En 03/2025» (a month, as the services write it),
    or for every year «Suma de 2024, 2025 y 2026» (a figure nobody reports unless it says
    so), «Suma del mes 03 de 2025 y 2026»."""
    if years.year is None and not years.years:
        return ""
    if years.year is not None:
        if month:
            return _("En %(month)02d/%(year)s") % {"month": month, "year": years.year}
        return _("En %(year)s") % {"year": years.year}
    names = [str(year) for year in sorted(years.years)]
    listed = (
        names[0]
        if len(names) == 1
        else _("%(first)s y %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}
    )
    if month:
        return _("Suma del mes %(month)02d de %(years)s") % {"month": month, "years": listed}
    return _("Suma de %(years)s") % {"years": listed}


def _year_query(request: HttpRequest, year: int) -> str:
    """The list's query for another year: the same filters (those given), its first page."""
    params = request.GET.copy()
    params.pop("pagina", None)
    for name in [name for name, value in params.items() if not value.strip()]:
        del params[name]
    params["anio"] = str(year)
    return params.urlencode()


def _year_rows(request: HttpRequest, years: selectors.YearTotals) -> list[dict]:
    """Each year's totals beside the sum of every year, each linked to its own list."""
    return [
        {"year": year, "totals": totals, "query": _year_query(request, year)}
        for year, totals in years.by_year.items()
    ]


def _years_with_entries(request: HttpRequest, years: selectors.YearTotals) -> list[dict] | None:
    """For a year asked for that has no entries under the filters, the years that have (each
    linked to its list; empty when none has); None when the year shown has entries."""
    if years.year is None or years.year in years.by_year:
        return None
    return [{"year": year, "query": _year_query(request, year)} for year in years.years]


def _export_query(request: HttpRequest, filters: selectors.Filters) -> str:
    """The list's query with the year it shows written out, so that the download holds the
    rows the page adds up even if a later year gets entries in between."""
    params = request.GET.copy()
    params.pop("pagina", None)
    params.pop("anio", None)
    year = selectors.ALL_YEARS if filters.all_years else filters.year
    if year:
        params["anio"] = str(year)
    return params.urlencode()


# Export -------------------------------------------------------------------------------------


def _cell(entry, name: str):
    """A field's value as an export cell: a choice's label, a place's name, a plain figure."""
    model = type(entry)
    if name == "municipalities":
        return "; ".join(m.name for m in entry.municipalities.all())
    field = model._meta.get_field(name)
    if field.choices:
        return str(getattr(entry, f"get_{name}_display")())
    value = getattr(entry, name)
    if field.is_relation:
        return str(value) if value is not None else None
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    return value


def _export_columns(register: str) -> list[tuple[str, str]]:
    model = REGISTER_MODELS[register]
    names = list(services.ENTRY_FIELDS[register])
    if register == RegisterKind.AFFIRMATIVE:
        names.insert(names.index("resources"), "municipalities")
    return [(name, str(capfirst(model._meta.get_field(name).verbose_name))) for name in names]


@require_GET
@protected
def entry_export(request: HttpRequest, register: str) -> FileResponse:
    """The filtered list as an XLSX workbook: one row per entry, every field; text written
    through the formula guard (``core.exports``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    scope = _reader_scope(request)
    filters = selectors.read_filters(scope, register, request.GET)
    if filters.year is None and not filters.all_years:
        selectors.year_totals(scope, register, filters)  # the list's default year
    rows = selectors.entries(scope, register, filters)[:EXPORT_LIMIT]
    columns = _export_columns(register)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(RegisterKind(register).label)[:31])
    sheet.append(
        [
            _("Clave"),
            _("Entidad"),
            _("Institución que registra"),
            _("Fecha en que se contabiliza"),
            *[label for _name, label in columns],
            _("Total de personas"),
            _("Dato sintético"),
        ]
    )
    for entry in rows:
        values = [
            str(entry.code),
            entry.institution.state.short_name if entry.institution.state_id else "",
            str(entry.institution),
            entry.counted_on,
            *[_cell(entry, name) for name, _label in columns],
            entry.total,
            _("Sí") if entry.is_synthetic else _("No"),
        ]
        line = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise_cell(value))
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(value, Decimal):
                cell.number_format = "#,##0.##"
            line.append(cell)
        sheet.append(line)
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"registro-{_slug(register)}-{filters.year or 'todos-los-anios'}.xlsx",
        content_type=XLSX_MIME,
    )


def _slug(register: str) -> str:
    return REGISTER_SLUGS[register]


# Writing ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@protected
def entry_new(request: HttpRequest, register: str) -> HttpResponse:
    _reader_scope(request)
    model_for(register)
    institutions = writable_institutions(request.user)
    if not institutions:
        raise forbidden()
    form = EntryForm(request.POST or None, register=register, institutions=institutions)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: services.entry_save(
                actor=request.user, register=register, **form.service_kwargs()
            ),
            success=_("Se guardó el registro."),
        )
        if outcome.ok:
            return redirect("registers:detail", register, outcome.result.code)
    return _form_page(request, register, form, None)


@require_http_methods(["GET", "POST"])
@protected
def entry_edit(request: HttpRequest, register: str, code) -> HttpResponse:
    entry, _scope = get_entry_for_user(request.user, register, code, EDIT)
    form = EntryForm(request.POST or None, register=register, entry=entry)
    if request.method == "POST":
        before = entry.updated_at

        def save():
            saved = services.entry_save(
                actor=request.user, register=register, entry=entry, **form.service_kwargs()
            )
            return saved.updated_at != before

        outcome = submit(
            request, form, save, success=_("Se guardaron los cambios."), unchanged=NO_CHANGES
        )
        if outcome.ok:
            return redirect("registers:detail", register, entry.code)
    return _form_page(request, register, form, entry)


def _form_page(request: HttpRequest, register: str, form: EntryForm, entry) -> HttpResponse:
    info = _register_info(register)
    title = (
        _("Cambiar %(what)s") % {"what": info["singular"]}
        if entry
        else _("Registrar %(what)s") % {"what": info["singular"]}
    )
    return render(
        request,
        "registers/entry_form.html",
        {"register": info, "form": form, "entry": entry, "title": title},
    )


@require_POST
@protected
def entry_delete(request: HttpRequest, register: str, code) -> HttpResponse:
    entry, _scope = get_entry_for_user(request.user, register, code, EDIT)
    form = DeleteForm(request.POST)
    outcome = submit(
        request,
        form,
        lambda: services.entry_delete(
            actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
        ),
        success=_("Se dio de baja el registro; el motivo queda en su historial."),
        flash=True,
    )
    if outcome.ok:
        return redirect("registers:list", register)
    return redirect("registers:detail", register, entry.code)


# An entry's page ----------------------------------------------------------------------------


def _shown(entry, name: str) -> str:
    """A field as the entry's page shows it ("—" for a count that was not recorded)."""
    if name == "municipalities":
        return ", ".join(m.name for m in entry.municipalities.all()) or _("Toda la entidad")
    value = _cell(entry, name)
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return format_mx(value)
    return str(value)


def _entry_sections(entry, register: str) -> list[tuple[str, list[tuple[str, str]]]]:
    model = type(entry)
    form_sets = EntryForm(register=register, entry=entry).fieldsets
    sections = []
    for legend, fields in form_sets:
        rows = [
            (capfirst(model._meta.get_field(f.name).verbose_name), _shown(entry, f.name))
            for f in fields
            if f.name != "notes"
        ]
        if rows:
            # Optional counts never recorded read as one line, not a column of dashes.
            recorded = any(value != "—" for _label, value in rows)
            sections.append((legend, rows if recorded else []))
    return sections


def count_checks(entry) -> list[str]:
    """What does not add up in the entry (its totals against their parts); empty if all do."""
    try:
        entry.clean()
    except ValidationError as error:
        return [message for messages in error.message_dict.values() for message in messages]
    return []


@require_GET
@protected
def entry_detail(request: HttpRequest, register: str, code) -> HttpResponse:
    entry, scope = get_entry_for_user(request.user, register, code)
    writer = can_write(scope, entry.institution)
    counted = selectors.counted_by_reports(entry)
    ages = sum(getattr(entry, name) or 0 for name, _key in AGE_FIELDS)
    return render(
        request,
        "registers/entry_detail.html",
        {
            "register": _register_info(register),
            "entry": entry,
            "sections": _entry_sections(entry, register),
            "checks": count_checks(entry),
            "has_ages": entry.has_ages,
            "ages": ages,
            "groups_given": any(getattr(entry, name) is not None for name, _k in GROUP_FIELDS),
            "evidence": list(EntryEvidence.objects.filter(entry_code=entry.code)),
            "can_write": writer,
            "evidence_form": EvidenceForm(auto_id="evidence_%s") if writer else None,
            "counted": counted,
            "delete_form": DeleteForm(auto_id="delete_%s") if writer and not counted else None,
            "history_kind": _slug(register),
        },
    )


@require_POST
@protected
def evidence_add(request: HttpRequest, register: str, code) -> HttpResponse:
    entry, _scope = get_entry_for_user(request.user, register, code, EDIT)
    form = EvidenceForm(request.POST, request.FILES)
    submit(
        request,
        form,
        lambda: services.evidence_add(
            actor=request.user,
            entry=entry,
            upload=form.cleaned_data["file"],
            filename=form.cleaned_data["file"].name,
            description=form.cleaned_data["description"],
        ),
        success=_("Se adjuntó la evidencia."),
        flash=True,
    )
    return redirect("registers:detail", register, entry.code)


@require_GET
@protected
def evidence_download(request: HttpRequest, code) -> FileResponse:
    """An entry's file, for the members who read the entry (never public: an attendance list
    carries names)."""
    evidence = EntryEvidence.objects.filter(code=code).first()
    if evidence is None:
        raise not_found()
    get_entry_for_user(request.user, evidence.register, evidence.entry_code)
    return attachment_response(evidence.file.open("rb"), evidence.original_name, evidence.mime_type)
