from __future__ import annotations

import datetime as dt
import io
import re

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from transversal.accounts.access import EDIT, get_institution_for_user, scope_for
from transversal.core.access import not_found, protected, public
from transversal.core.codes import is_uuid
from transversal.core.exports import neutralise_cell
from transversal.core.forms import NO_CHANGES, perform, submit
from transversal.core.lights import format_number
from transversal.core.uploads import DOCUMENT_KINDS, UploadRejected, inspect_upload, safe_filename
from transversal.institutions.forms import ProfileForm
from transversal.institutions.models import LegalForm, NameChange
from transversal.planning import selectors
from transversal.planning.access import (
    can_edit_plan,
    check_plan,
    editable_institutions,
    get_pending_import_for_user,
    get_plan_for_user,
)
from transversal.planning.forms import (
    REVIEW_BELOW,
    SKIPPED_SHOWN,
    AlignmentForm,
    DraftItemFormSet,
    DraftPlanForm,
    ItemForm,
    PlanFilterForm,
    PlanForm,
    ProfileUploadForm,
    RemoveAlignmentForm,
    SkippedLineFormSet,
    UploadForm,
    confidence_words,
)
from transversal.planning.ingest import (
    SKIP_REASONS,
    DraftProfile,
    IngestError,
    extract_text,
    iter_items,
    parse_plan,
    parse_profile,
    profile_parts,
    reads_as_profile,
    scan_summary,
)
from transversal.planning.models import (
    Alignment,
    Plan,
    PlanItem,
    PlanKind,
    PlanStatus,
)
from transversal.planning.services import (
    HistoryStep,
    alignment_create,
    alignment_remove,
    draft_from_json,
    flat_to_tree,
    item_update,
    legal_form_choice,
    plan_archive,
    plan_create,
    plan_create_from_draft,
    plan_import_create,
    plan_import_discard,
    plan_publish,
    plan_update,
    profile_import_apply,
)
from transversal.planning.similarity import suggest

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
SUGGESTIONS = 5


def _item_or_404(plan: Plan, item_id: int) -> PlanItem:
    item = selectors.item_with_plan(plan, item_id)
    if item is None:
        raise not_found()
    return item


# --- Reading -----------------------------------------------------------------


@require_GET
@public
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET or None)
    if not scope_for(request.user).roles:
        # Only members see drafts (their own): nobody else is offered a status they cannot list.
        form.fields["status"].choices = [
            c for c in form.fields["status"].choices if c[0] != PlanStatus.DRAFT
        ]
    plans = selectors.visible_plans(request.user)
    if form.is_valid():
        if form.cleaned_data["kind"]:
            plans = plans.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["state"]:
            plans = plans.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["status"]:
            plans = plans.filter(status=form.cleaned_data["status"])
    institutions = editable_institutions(request.user) if request.user.is_authenticated else []
    return render(
        request,
        "planning/plan_list.html",
        {
            "form": form,
            "plans": plans,
            "can_import": bool(institutions),
            "editable_institutions": institutions,
        },
    )


@require_GET
@public
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan, scope = get_plan_for_user(request.user, code)
    can_edit = can_edit_plan(scope, plan)
    current = (
        selectors.national_framework_on(timezone.localdate())
        if plan.kind == PlanKind.NATIONAL_PROGRAM
        else None
    )
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "can_edit": can_edit,
            "tree": selectors.plan_tree(plan),
            "is_current_framework": current is not None and current.pk == plan.pk,
        },
    )


@require_GET
@protected
def plan_source(request: HttpRequest, code: str) -> FileResponse:
    plan, _scope = get_plan_for_user(request.user, code)
    if not plan.source_document:
        raise Http404(_("Este plan no tiene documento fuente."))
    # The name was cleaned on upload, but the ingest_plan command stores a file's own name.
    filename = safe_filename(plan.source_name) if plan.source_name else None
    return FileResponse(plan.source_document.open("rb"), as_attachment=True, filename=filename)


@require_GET
@public
def item_detail(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan, scope = get_plan_for_user(request.user, code)
    can_edit = can_edit_plan(scope, plan)
    item = _item_or_404(plan, item_id)
    up, down, side = selectors.item_links(item, request.user)
    context = {
        "plan": plan,
        "item": item,
        "can_edit": can_edit,
        "ancestors": selectors.ancestors(item),
        "up": up,
        "down": down,
        "side": side,
        "chains": selectors.alignment_chain(item, request.user),
        "indicators": selectors.item_indicators(request.user, item),
        "other_plans": selectors.visible_plans(request.user).exclude(pk=plan.pk)
        if can_edit
        else [],
        "alignment_form": AlignmentForm() if can_edit else None,
    }
    return render(request, "planning/item_detail.html", context)


@require_GET
@protected
def item_suggestions(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan, scope = get_plan_for_user(request.user, code)
    can_edit = can_edit_plan(scope, plan)
    item = _item_or_404(plan, item_id)
    others = selectors.visible_plans(request.user).exclude(pk=plan.pk)
    target = None
    results = []
    target_code = request.GET.get("plan", "")
    on = _day_asked(request, plan)
    framework = None
    if target_code:
        target, _target_scope = get_plan_for_user(request.user, target_code)
        if target.pk == plan.pk:
            raise not_found()
    elif plan.kind != PlanKind.NATIONAL_PROGRAM:
        # Without a choice, the national framework in force on the date in question.
        target = framework = selectors.national_framework_on(on, others)
    if target is not None:
        candidates = list(target.items.order_by("order"))
        results = [
            (candidates[s.index], s)
            for s in suggest(item.text, [c.text for c in candidates], top=SUGGESTIONS)
        ]
    return render(
        request,
        "planning/item_suggestions.html",
        {
            "plan": plan,
            "item": item,
            "can_edit": can_edit,
            "other_plans": others,
            "target": target,
            "results": results,
            "framework": framework,
            "on": on,
        },
    )


@require_GET
@public
def plan_coverage(request: HttpRequest, code: str) -> HttpResponse:
    plan, scope = get_plan_for_user(request.user, code)
    can_edit = can_edit_plan(scope, plan)
    return render(
        request,
        "planning/plan_coverage.html",
        {
            "plan": plan,
            "can_edit": can_edit,
            "coverage": selectors.plan_coverage(request.user, plan, _day_asked(request, plan)),
            "fecha": request.GET.get("fecha", ""),
        },
    )


def _day_asked(request: HttpRequest, plan) -> dt.date:
    """The date in question: ``?fecha=dd/mm/aaaa``, or the plan's reference day
    (``selectors.reference_day``). A date that does not parse is said so and not used."""
    text = request.GET.get("fecha", "").strip()
    if text:
        try:
            return dt.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            messages.warning(
                request,
                _("La fecha «%(text)s» no es válida: escríbala como dd/mm/aaaa.") % {"text": text},
            )
    return selectors.reference_day(plan, timezone.localdate())


@require_GET
@public
def plan_coverage_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    from openpyxl import Workbook

    plan, _scope = get_plan_for_user(request.user, code)
    coverage = selectors.plan_coverage(request.user, plan, _day_asked(request, plan))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sin alinear")[:31]
    sheet.append([_("Número"), _("Nivel"), _("Texto")])
    for item in coverage.unaligned:
        sheet.append(
            [neutralise_cell(item.code), item.get_level_display(), neutralise_cell(item.text)]
        )
    if plan.state_id:
        national = book.create_sheet(_("Programa nacional sin cubrir")[:31])
        national.append([_("Plan"), _("Número"), _("Nivel"), _("Texto")])
        for item in coverage.uncovered_national:
            national.append(
                [
                    neutralise_cell(item.plan.title),
                    neutralise_cell(item.code),
                    item.get_level_display(),
                    neutralise_cell(item.text),
                ]
            )
    missing = book.create_sheet(_("Sin meta ni indicador")[:31])
    missing.append([_("Número"), _("Nivel"), _("Texto")])
    for item in coverage.without_indicator:
        missing.append(
            [neutralise_cell(item.code), item.get_level_display(), neutralise_cell(item.text)]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="cobertura-{plan.code}.xlsx"'
    return response


# --- Writing -----------------------------------------------------------------


def _plan_fields(form: PlanForm) -> dict:
    return {
        name: form.cleaned_data[name]
        for name in ("kind", "title", "issuer_name", "start_year", "end_year")
    }


@require_http_methods(["GET", "POST"])
@protected
def plan_new(request: HttpRequest, slug: str) -> HttpResponse:
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        outcome = submit(
            request,
            form,
            lambda: plan_create(actor=request.user, institution=institution, **_plan_fields(form)),
            success=_("Se creó el plan. Está en borrador hasta que lo publique."),
        )
        if outcome.ok:
            return redirect("planning:detail", code=outcome.result.code)
    return render(
        request, "planning/plan_form.html", {"form": form, "institution": institution, "plan": None}
    )


@require_http_methods(["GET", "POST"])
@protected
def plan_edit(request: HttpRequest, code: str) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    initial = {
        "kind": plan.kind,
        "title": plan.title,
        "issuer_name": plan.issuer_name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
    }
    form = PlanForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: plan_update(actor=request.user, plan=plan, **_plan_fields(form)),
            success=_("Se guardó el plan."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("planning:detail", code=plan.code)
    return render(
        request,
        "planning/plan_form.html",
        {"form": form, "institution": plan.institution, "plan": plan},
    )


@require_POST
@protected
def plan_archive_view(request: HttpRequest, code: str) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    plan_archive(actor=request.user, plan=plan)
    messages.success(request, _("El plan quedó archivado; sigue a la vista como referencia."))
    return redirect("planning:detail", code=plan.code)


@require_POST
@protected
def plan_publish_view(request: HttpRequest, code: str) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    perform(
        request,
        lambda: plan_publish(actor=request.user, plan=plan),
        success=_("El plan quedó publicado."),
    )
    return redirect("planning:detail", code=plan.code)


@require_http_methods(["GET", "POST"])
@protected
def item_edit(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    item = _item_or_404(plan, item_id)
    initial = {"level": item.level, "code": item.code, "text": item.text, "note": item.note}
    form = ItemForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and submit(
            request,
            form,
            lambda: item_update(actor=request.user, item=item, **form.cleaned_data),
            success=_("Se guardó el elemento."),
            unchanged=NO_CHANGES,
        ).ok
    ):
        return redirect("planning:item", code=plan.code, item_id=item.pk)
    return render(request, "planning/item_edit.html", {"plan": plan, "item": item, "form": form})


def _target_item(user, form: AlignmentForm) -> PlanItem | None:
    data = form.cleaned_data
    if data["to_item"]:
        target = PlanItem.objects.select_related("plan").filter(pk=data["to_item"]).first()
        if target is None:
            return None
        check_plan(user, target.plan)
        return target
    if data["to_plan"] and data["to_code"]:
        try:
            target_plan, _scope = get_plan_for_user(user, data["to_plan"])
        except Http404:  # unknown or not readable: the same answer, so nothing is revealed
            return None
        return target_plan.items.select_related("plan").filter(code=data["to_code"].strip()).first()
    return None


@require_POST
@protected
def alignment_create_view(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    item = _item_or_404(plan, item_id)
    form = AlignmentForm(request.POST)

    def align():
        target = _target_item(request.user, form)
        if target is None:
            raise ValidationError(_("No se encontró el elemento con el que quiere alinear."))
        return alignment_create(
            actor=request.user, from_item=item, to_item=target, note=form.cleaned_data["note"]
        )

    submit(request, form, align, success=_("Se registró la alineación."), flash=True)
    return redirect("planning:item", code=plan.code, item_id=item.pk)


@require_POST
@protected
def alignment_remove_view(request: HttpRequest, code: str, alignment_code: str) -> HttpResponse:
    plan, _scope = get_plan_for_user(request.user, code, EDIT)
    alignment = (
        Alignment.objects.filter(
            code=alignment_code, from_plan=plan, removed_at__isnull=True
        ).first()
        if is_uuid(alignment_code)
        else None
    )
    if alignment is None:
        raise not_found()
    form = RemoveAlignmentForm(request.POST)
    submit(
        request,
        form,
        lambda: alignment_remove(
            actor=request.user, alignment=alignment, reason=form.cleaned_data["reason"]
        ),
        success=_("Se retiró la alineación; queda en el historial."),
        flash=True,
    )
    return redirect("planning:item", code=plan.code, item_id=alignment.from_item_id)


# --- Ingestion -----------------------------------------------------------------


def _read_document(upload) -> tuple[bytes, str]:
    """Checked bytes and a safe name, or UploadRejected / IngestError with a Spanish message."""
    info = inspect_upload(upload, upload.name, allowed=DOCUMENT_KINDS, max_bytes=MAX_DOCUMENT_BYTES)
    upload.seek(0)
    return upload.read(), info.filename


# The text of a profile uploaded to the plan import travels, signed, to the profile import
# (nothing is stored): an hour to click, and small enough to keep the page light.
CARRY_SALT = "planning.profile-from-plan-upload"
CARRY_MAX_AGE = 60 * 60
CARRY_MAX_CHARS = 512 * 1024


class ProfileNotPlan(IngestError):
    """The plan import got an institutional profile: the page offers the profile import."""

    def __init__(self, message: str, *, institution, carried: str | None, name: str) -> None:
        super().__init__("profile_not_plan", message)
        self.institution = institution
        self.carried = carried
        self.name = name


def _carry(text: str, name: str) -> str | None:
    token = signing.dumps({"text": text, "name": name}, salt=CARRY_SALT, compress=True)
    return token if len(token) <= CARRY_MAX_CHARS else None


def _carried(token: str) -> tuple[str, str] | None:
    """The text and file name signed by ``_carry``, or None if altered or too old."""
    try:
        data = signing.loads(token, salt=CARRY_SALT, max_age=CARRY_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return None
    return data["text"], str(data.get("name") or "")


def _spanish_list(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return _("%(most)s y %(last)s") % {"most": ", ".join(words[:-1]), "last": words[-1]}


def _profile_found(profile: DraftProfile) -> str:
    objectives, policies = len(profile.objectives), len(profile.transversal_policies)
    labels = {
        "creation": _("el instrumento de creación"),
        "mission": _("la misión"),
        "vision": _("la visión"),
        "objectives": ngettext(
            "%(n)d objetivo institucional", "%(n)d objetivos institucionales", objectives
        )
        % {"n": objectives},
        "policies": ngettext(
            "%(n)d política transversal", "%(n)d políticas transversales", policies
        )
        % {"n": policies},
    }
    return _spanish_list([labels[part] for part in profile_parts(profile)])


def _no_items_message(text: str) -> str:
    """Why no item was found: what the reader looks for and what it saw instead."""
    seen = scan_summary(text)
    sentences = [
        _(
            "No se encontraron elementos numerados en el documento. Se buscan renglones que "
            "empiezan con el número del elemento, como «2.10.1 Impulsar…», o con su nivel y "
            "número, como «Eje 1», «Objetivo 2.», «Estrategia 2.3» o «Línea de acción 2.3.1»."
        )
    ]
    if seen.numbered_lines:
        sentences.append(
            ngettext(
                "De %(paragraphs)s renglones leídos, %(n)s empieza con un número sencillo "
                "(«1.»), pero no tiene elementos numerados debajo (como «1.1»), así que se leyó "
                "como una lista del texto y no como parte del plan.",
                "De %(paragraphs)s renglones leídos, %(n)s empiezan con un número sencillo "
                "(«1.», «2.»…), pero ninguno tiene elementos numerados debajo (como «1.1»), así "
                "que se leyeron como una lista del texto y no como parte del plan.",
                seen.numbered_lines,
            )
            % {
                "paragraphs": format_number(seen.paragraphs),
                "n": format_number(seen.numbered_lines),
            }
        )
    else:
        sentences.append(
            ngettext(
                "Se leyó %(paragraphs)s renglón y no empieza así.",
                "Se leyeron %(paragraphs)s renglones y ninguno empieza así.",
                seen.paragraphs,
            )
            % {"paragraphs": format_number(seen.paragraphs)}
        )
    if seen.title:
        sentences.append(
            _(
                "El documento menciona «%(title)s»; si es ese plan, revise que tenga sus "
                "elementos numerados."
            )
            % {"title": seen.title}
        )
    return " ".join(sentences)


def _import_document(request: HttpRequest, form: UploadForm):
    """The uploaded document read into a pending import, or UploadRejected / IngestError
    (ProfileNotPlan when it is an institutional profile)."""
    data, name = _read_document(form.cleaned_data["document"])
    extracted = extract_text(data, name)
    draft = parse_plan(extracted.text, extracted.footnotes)
    if not draft.items:
        profile = parse_profile(extracted.text)
        if reads_as_profile(profile):
            raise ProfileNotPlan(
                _(
                    "Este documento no es un plan sino un perfil institucional: no tiene "
                    "elementos numerados, pero sí %(found)s."
                )
                % {"found": _profile_found(profile)},
                institution=form.institutions[form.cleaned_data["institution"]],
                carried=_carry(extracted.text, name),
                name=name,
            )
        raise IngestError("no_items", _no_items_message(extracted.text))
    return plan_import_create(
        actor=request.user,
        institution=form.institutions[form.cleaned_data["institution"]],
        kind=form.cleaned_data["kind"],
        draft=draft,
        source=data,
        source_name=name,
    )


@require_http_methods(["GET", "POST"])
@protected
def plan_upload(request: HttpRequest) -> HttpResponse:
    institutions = editable_institutions(request.user)
    if not institutions:
        raise not_found()
    form = UploadForm(request.POST or None, request.FILES or None, institutions=institutions)
    profile_offer = None
    if request.method == "POST":
        try:
            outcome = submit(request, form, lambda: _import_document(request, form))
        except (UploadRejected, IngestError) as exc:
            form.add_error("document", exc.message)
            if isinstance(exc, ProfileNotPlan):
                profile_offer = exc
        else:
            if outcome.ok:
                return redirect("planning:import_preview", code=outcome.result.code)
    return render(
        request, "planning/plan_upload.html", {"form": form, "profile_offer": profile_offer}
    )


@require_http_methods(["GET", "POST"])
@protected
def import_preview(request: HttpRequest, code: str) -> HttpResponse:
    pending, _scope = get_pending_import_for_user(request.user, code)
    draft = draft_from_json(pending.draft)
    flat = _flatten(draft.items)
    parents = [(str(i), _parent_label(row)) for i, row in enumerate(flat)]
    skipped_kwargs = {"prefix": "skipped", "form_kwargs": {"parents": parents}}
    if request.method == "POST":
        plan_form = DraftPlanForm(request.POST)
        formset = DraftItemFormSet(request.POST, prefix="items")
        # A form posted without the skipped lines (an older page) includes none of them.
        skipped = SkippedLineFormSet(
            request.POST if "skipped-TOTAL_FORMS" in request.POST else None, **skipped_kwargs
        )
    else:
        plan_form = DraftPlanForm(
            initial={
                "title": draft.title,
                "start_year": draft.period_start,
                "end_year": draft.period_end,
            }
        )
        formset = DraftItemFormSet(prefix="items", initial=flat)
        skipped = SkippedLineFormSet(initial=_skipped_rows(draft), **skipped_kwargs)
    if request.method == "POST" and formset.is_valid() and _skipped_valid(skipped):
        outcome = submit(
            request,
            plan_form,
            lambda: _save_preview(request, pending, draft, plan_form, formset, skipped),
            success=_(
                "Se guardó el plan con sus elementos. Está en borrador hasta que lo publique."
            ),
        )
        if outcome.ok:
            return redirect("planning:detail", code=outcome.result.code)
    return render(
        request,
        "planning/import_preview.html",
        {
            "pending": pending,
            "plan_form": plan_form,
            "formset": formset,
            "rows": [(form, _confidence_view(form)) for form in formset],
            "skipped": skipped,
            "skipped_rows": [(form, _skip_reason(form)) for form in skipped],
            "skipped_more": max(0, len(draft.skipped) - SKIPPED_SHOWN),
            "to_review": sum(1 for row in flat if row["confidence"] < REVIEW_BELOW),
        },
    )


def _parent_label(row: dict) -> str:
    text = row["text"] if len(row["text"]) <= 60 else row["text"][:59] + "…"
    return f"{row['code']} {text}".strip()


def _skipped_rows(draft) -> list[dict]:
    rows = []
    for line in draft.skipped[:SKIPPED_SHOWN]:
        match = _LEADING_CODE.match(line.text)
        code, text = (match.group(1), line.text[match.end() :]) if match else ("", line.text)
        rows.append(
            {
                "text": text.strip() or line.text,
                "code": code,
                "reason": line.reason,
                "level": "item",
            }
        )
    return rows


# "6.1. Texto", "III. Texto", "a) Texto": the code a skipped line starts with.
_LEADING_CODE = re.compile(r"^\s*((?:\d+(?:\.\d+)*)|[IVXLC]+|[a-zA-Z])[.)]-?\s+")


def _skip_reason(form) -> str:
    reason = form["reason"].value() or ""
    return _(SKIP_REASONS[reason]) if reason in SKIP_REASONS else ""


def _confidence_view(form) -> dict:
    try:
        value = float(form["confidence"].value())
    except (TypeError, ValueError):
        return {"words": "", "review": False}
    return {"words": confidence_words(value), "review": value < REVIEW_BELOW}


def _skipped_valid(skipped) -> bool:
    return not skipped.is_bound or skipped.is_valid()


def _with_included(formset, skipped) -> tuple[list[dict], int]:
    """The item rows in order, with each skipped line the person included placed as the last
    child of the row it was put under (or at the end, on the first level)."""
    rows = [dict(f.cleaned_data) for f in formset.forms if f.cleaned_data]
    if not skipped.is_bound:
        return rows, 0
    included = [f.cleaned_data for f in skipped.forms if f.cleaned_data.get("include")]
    # Placed from the last parent backwards so earlier positions stay valid.
    tagged = [(int(line["parent"]) if line.get("parent") else None, line) for line in included]
    for parent, line in sorted(tagged, key=lambda t: -1 if t[0] is None else t[0], reverse=True):
        row = {
            "level": line["level"],
            "code": line["code"],
            "text": line["text"],
            "note": "",
            "DELETE": False,
        }
        if parent is None or parent >= len(rows):
            rows.append({**row, "depth": 0})
            continue
        depth = int(rows[parent]["depth"])
        end = parent + 1
        while end < len(rows) and int(rows[end]["depth"]) > depth:
            end += 1
        rows.insert(end, {**row, "depth": depth + 1})
    return rows, len(included)


def _save_preview(
    request: HttpRequest, pending, draft, plan_form: DraftPlanForm, formset, skipped
) -> Plan:
    """The reviewed draft (the formset's rows, in order, and the skipped lines the person
    included) saved as a plan."""
    rows, included = _with_included(formset, skipped)
    draft.items = flat_to_tree(row for row in rows if not row.get("DELETE"))
    data = plan_form.cleaned_data
    return plan_create_from_draft(
        actor=request.user,
        institution=pending.institution,
        kind=pending.kind,
        draft=draft,
        source=pending.source_document.read(),
        source_name=pending.source_name,
        title=data["title"],
        start_year=data["start_year"],
        end_year=data["end_year"],
        issuer_name=data["issuer_name"],
        plan_import=pending,
        included_lines=included,
    )


@require_POST
@protected
def import_discard(request: HttpRequest, code: str) -> HttpResponse:
    pending, _scope = get_pending_import_for_user(request.user, code)
    plan_import_discard(actor=request.user, plan_import=pending)
    messages.success(request, _("Se descartó la importación; no se guardó ningún plan."))
    return redirect("planning:list")


def _flatten(items) -> list[dict]:
    rows = []

    def walk(nodes, depth):
        for node in nodes:
            rows.append(
                {
                    "depth": depth,
                    "level": node.level,
                    "code": node.code,
                    "text": node.text,
                    "note": node.note,
                    "confidence": node.confidence,
                }
            )
            walk(node.children, depth + 1)

    walk(items, 0)
    return rows


@require_http_methods(["GET", "POST"])
@protected
def profile_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Read an institutional profile document into the profile form; nothing is saved until
    confirmed."""
    institution, _scope = get_institution_for_user(request.user, slug, EDIT)
    upload_form = ProfileUploadForm()
    profile_form = None
    carried_name = None
    plan_offer = False
    if request.method == "POST" and "document" in request.FILES:
        upload_form = ProfileUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            try:
                data, name = _read_document(upload_form.cleaned_data["document"])
                extracted = extract_text(data, name)
                profile = parse_profile(extracted.text)
                if not _read_something(profile):
                    raise IngestError("no_profile", _no_profile_message(extracted))
            except (UploadRejected, IngestError) as exc:
                upload_form.add_error("document", exc.message)
                plan_offer = getattr(exc, "code", "") == "no_profile"
            else:
                profile_form = _review_form(institution, profile)
    elif request.method == "POST" and "carried" in request.POST:
        carried = _carried(request.POST["carried"])
        if carried is None:
            messages.error(
                request,
                _(
                    "El documento que subió en «Importar un plan» ya no está disponible (pasó "
                    "más de una hora o se alteró). Súbalo de nuevo aquí."
                ),
            )
        else:
            text, carried_name = carried
            profile_form = _review_form(institution, parse_profile(text))
    elif request.method == "POST":
        profile_form = ProfileForm(request.POST, instance=institution)
        profile_form.current_name = request.POST.get("current_name", "").strip()
        _read_back(profile_form, institution, request.POST)
        if profile_form.history is None:
            profile_form.add_error(
                None,
                _(
                    "La historia leída del documento ya no está disponible (pasó más de una "
                    "hora o se alteró). Suba el documento de nuevo."
                ),
            )
        elif submit(
            request,
            profile_form,
            lambda: _apply_profile(request, institution, profile_form),
            success=_("Se aplicó el perfil importado."),
        ).ok:
            return redirect("directory:institution", slug=institution.slug)
    return render(
        request,
        "planning/profile_import.html",
        {
            "institution": institution,
            "upload_form": upload_form,
            "profile_form": profile_form,
            "carried_name": carried_name,
            "plan_offer": plan_offer,
        },
    )


def _read_something(profile: DraftProfile) -> bool:
    """Whether anything of an institutional profile was read (a name or a dated step counts)."""
    return bool(
        profile_parts(profile)
        or profile.current_name
        or profile.legal_form
        or profile.purpose
        or profile.transformations
    )


def _no_profile_message(extracted) -> str:
    """Nothing of a profile was read: say what is looked for, and send a plan to its import."""
    sentences = [
        _(
            "En este documento no se leyó nada de un perfil institucional: se buscan la misión, "
            "la visión, los objetivos institucionales, el decreto o la ley de creación, la "
            "naturaleza jurídica y los cambios de nombre con su fecha."
        )
    ]
    items = sum(1 for _item in iter_items(parse_plan(extracted.text, extracted.footnotes).items))
    if items:
        sentences.append(
            ngettext(
                "En cambio, tiene %(n)s elemento numerado, como los de un plan: súbalo en "
                "«Importar un plan».",
                "En cambio, tiene %(n)s elementos numerados, como los de un plan: súbalo en "
                "«Importar un plan».",
                items,
            )
            % {"n": format_number(items)}
        )
    return " ".join(sentences)


def _review_form(institution, profile: DraftProfile) -> ProfileForm:
    form = ProfileForm(initial=_profile_initial(institution, profile))
    form.current_name = profile.current_name or ""
    form.former_names = profile.former_names
    read = {
        "legal_form": profile.legal_form or "",
        "purpose": profile.purpose or "",
        "history": [
            {
                "date": step.date.isoformat(),
                "name": step.name,
                "legal_form": step.legal_form or "",
                "change": _history_change(profile.transformations, index),
            }
            for index, step in enumerate(profile.transformations)
        ],
    }
    form.read_token = signing.dumps(read, salt=READ_SALT, compress=True)
    _show_read(form, institution, read, taken=None)
    return form


READ_SALT = "planning.profile-read"


def _history_change(steps, index: int) -> str:
    """The first step creates; a step whose legal form differs from the last one named before
    transforms; any other step renames."""
    if index == 0:
        return NameChange.CREATION
    known = [s.legal_form for s in steps[:index] if s.legal_form]
    before, step = (known[-1] if known else None), steps[index].legal_form
    if step and before and step.casefold() != before.casefold():
        return NameChange.TRANSFORMATION
    return NameChange.RENAME


def _show_read(form, institution, read: dict, taken: set[int] | None) -> None:
    """What the reader found beyond the form's fields, for the review: the legal form and the
    purpose as written, and each dated step with whether it is already recorded."""
    recorded = {name.name.casefold() for name in institution.names.all()}
    form.legal_form_read = read.get("legal_form", "")
    form.purpose = read.get("purpose", "")
    form.history = []
    for index, step in enumerate(read.get("history", [])):
        date = dt.date.fromisoformat(step["date"])
        form.history.append(
            {
                "index": index,
                "date": date,
                "name": step["name"],
                "legal_form": step.get("legal_form", ""),
                "change": NameChange(step["change"]).label,
                "recorded": step["name"].casefold() in recorded,
                "taken": taken is None or index in taken,
                "step": HistoryStep(date, step["name"], step.get("legal_form", ""), step["change"]),
            }
        )


def _read_back(form, institution, post) -> None:
    """The review's read-only findings, signed in the page, read back on confirmation;
    ``form.history`` is None when the token was altered or is too old."""
    form.read_token = post.get("read", "")
    if "read" not in post:
        # A review posted without the findings (an older page) records no history.
        form.legal_form_read, form.purpose, form.history = "", "", []
        return
    try:
        read = signing.loads(form.read_token, salt=READ_SALT, max_age=CARRY_MAX_AGE)
    except signing.BadSignature:
        read = None
    if not isinstance(read, dict):
        form.legal_form_read, form.purpose, form.history = "", "", None
        return
    taken = {int(i) for i in post.getlist("history") if i.isdigit()}
    _show_read(form, institution, read, taken)


def _apply_profile(request: HttpRequest, institution, form: ProfileForm) -> None:
    fields = {name: form.cleaned_data[name] for name in ProfileForm.Meta.fields}
    # The model form wrote the typed values on it; the service compares with the database.
    institution.refresh_from_db()
    profile_import_apply(
        actor=request.user,
        institution=institution,
        current_name=form.current_name,
        objectives=form.objective_list(),
        history=[row["step"] for row in form.history if row["taken"] and not row["recorded"]],
        source=_("Perfil importado de un documento"),
        **fields,
    )


def _profile_initial(institution, profile) -> dict:
    creation = profile.creation
    read_form = legal_form_choice(profile.legal_form)[0]
    return {
        "creation_instrument": creation.law_name
        or creation.kind
        or institution.creation_instrument,
        "creation_number": creation.number or institution.creation_number,
        "creation_date": creation.date or institution.creation_date,
        "creation_gazette": creation.gazette or institution.creation_gazette,
        # A form the registry names; any other stays as written, shown above the form.
        "legal_form": read_form
        if read_form not in ("", LegalForm.OTHER)
        else institution.legal_form,
        # The object a creation law gives is the closest field to a mission: it fills an
        # empty one and never replaces a recorded one.
        "mission": profile.mission or institution.mission or profile.purpose or "",
        "vision": profile.vision or institution.vision,
        "objectives": "\n".join(profile.objectives),
    }
