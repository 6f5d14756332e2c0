"""Writes to plans. Each service runs in one transaction and leaves one audit event."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from transversal.audit.services import audit_record, diff, snapshot
from transversal.core.text import clean_text
from transversal.core.typing import Actor
from transversal.institutions.models import Institution, InstitutionKind, LegalForm, NameChange
from transversal.institutions.services import (
    institution_name_add,
    institution_name_add_past,
    institution_update_profile,
)
from transversal.planning.ingest import SKIP_REASONS, DraftItem, DraftPlan, SkippedLine
from transversal.planning.models import (
    Alignment,
    ImportStatus,
    ItemLevel,
    Plan,
    PlanImport,
    PlanItem,
    PlanKind,
    PlanStatus,
)
from transversal.planning.national_frameworks import FRAMEWORKS, NationalFramework

NATIONAL_KINDS = frozenset({PlanKind.PND, PlanKind.NATIONAL_PROGRAM})
PLAN_FIELDS = ("title", "issuer_name", "start_year", "end_year")
# What plan_update may change: the kind too, which also decides the plan's state.
PLAN_EDITABLE = ("kind", *PLAN_FIELDS)
ITEM_FIELDS = ("level", "code", "text", "note")
KIND_PREFIX = {
    PlanKind.PND: "pnd",
    PlanKind.NATIONAL_PROGRAM: "programa",
    PlanKind.PED: "ped",
    PlanKind.STATE_EQUALITY_PROGRAM: "programa-igualdad",
    PlanKind.INSTITUTIONAL_PROGRAM: "programa-institucional",
    PlanKind.MUNICIPAL_PLAN: "pmd",
}


# --- Drafts as JSON (pending imports are stored this way) -------------------


def draft_to_json(draft: DraftPlan) -> dict:
    return dataclasses.asdict(draft)


def draft_from_json(data: dict) -> DraftPlan:
    def item(row: dict) -> DraftItem:
        return DraftItem(
            code=row.get("code", ""),
            level=row.get("level", "item"),
            text=row.get("text", ""),
            note=row.get("note", ""),
            children=[item(child) for child in row.get("children", [])],
            confidence=row.get("confidence", 1.0),
        )

    return DraftPlan(
        title=data.get("title"),
        period_start=data.get("period_start"),
        period_end=data.get("period_end"),
        items=[item(row) for row in data.get("items", [])],
        skipped=[
            SkippedLine(row["text"], row["reason"])
            for row in data.get("skipped", [])
            if row.get("reason") in SKIP_REASONS
        ],
    )


def flat_to_tree(rows: Iterable[dict]) -> list[DraftItem]:
    """Rows with a ``depth`` in document order back into a tree: each row hangs
    under the nearest earlier row that is shallower."""
    roots: list[DraftItem] = []
    stack: list[tuple[int, DraftItem]] = []
    for row in rows:
        node = DraftItem(
            code=row["code"], level=row["level"], text=row["text"], note=row.get("note", "")
        )
        depth = int(row.get("depth", 0))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((depth, node))
    return roots


# --- Plans -------------------------------------------------------------------


def _state_for(institution: Institution | None, kind: str):
    if kind in NATIONAL_KINDS or institution is None:
        return None
    return institution.state


def _check_kind(institution: Institution | None, kind: str) -> None:
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Elija un tipo de plan válido.")})
    is_national = institution is None or institution.is_national
    if kind in NATIONAL_KINDS and not is_national:
        raise ValidationError(
            {"kind": _("Los planes y programas nacionales los registra la institución nacional.")}
        )
    if kind not in NATIONAL_KINDS and is_national:
        raise ValidationError(
            {
                "kind": _(
                    "Los planes estatales, institucionales y municipales los registra la "
                    "institución de la entidad."
                )
            }
        )


def _unique_code(kind: str, state, start_year: int | None, end_year: int | None, title: str) -> str:
    parts = [KIND_PREFIX.get(kind, "plan")]
    if state is not None:
        parts.append(state.short_name)
    if start_year and end_year:
        parts.append(f"{start_year}-{end_year}")
    elif not (start_year or end_year):
        parts.append(title[:40])
    base = slugify(" ".join(str(p) for p in parts))[:70] or "plan"
    code, n = base, 2
    while Plan.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


def _new_plan(
    *, institution, kind, title, start_year, end_year, issuer_name, code, source_citation=""
) -> Plan:
    _check_kind(institution, kind)
    state = _state_for(institution, kind)
    plan = Plan(
        code=code or _unique_code(kind, state, start_year, end_year, title),
        kind=kind,
        title=(title or "").strip(),
        institution=institution,
        state=state,
        start_year=start_year,
        end_year=end_year,
        issuer_name=(issuer_name or "").strip(),
        source_citation=(source_citation or "").strip(),
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    institution: Institution | None,
    kind: str,
    title: str,
    start_year: int | None = None,
    end_year: int | None = None,
    issuer_name: str = "",
    code: str | None = None,
) -> Plan:
    plan = _new_plan(
        institution=institution,
        kind=kind,
        title=title,
        start_year=start_year,
        end_year=end_year,
        issuer_name=issuer_name,
        code=code,
    )
    audit_record(
        actor=actor,
        verb="plan.create",
        target=plan,
        changes={k: [None, v] for k, v in snapshot(plan, ("kind", *PLAN_FIELDS)).items()},
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, plan: Plan, **fields) -> dict:
    """Change the plan's own fields. A new kind is checked against the keeping
    institution and moves the plan between national and state scope."""
    unknown = set(fields) - set(PLAN_EDITABLE)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("institution__state", "state")
        .get(pk=plan.pk)
    )
    audited = (*PLAN_EDITABLE, "state")
    before = snapshot(plan, audited)
    for key, value in fields.items():
        setattr(plan, key, value.strip() if isinstance(value, str) else value)
    if "kind" in fields:
        _check_kind(plan.institution, plan.kind)
        plan.state = _state_for(plan.institution, plan.kind)
    plan.full_clean()
    changes = diff(before, snapshot(plan, audited))
    if changes:
        plan.save()
        audit_record(actor=actor, verb="plan.update", target=plan, changes=changes)
    return changes


def _set_status(*, actor: Actor, plan: Plan, status: str, verb: str) -> Plan:
    plan = Plan.objects.select_for_update(of=("self",)).get(pk=plan.pk)
    if plan.status == status:
        return plan
    old = plan.status
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, verb=verb, target=plan, changes={"status": [old, status]})
    return plan


@transaction.atomic
def plan_publish(*, actor: Actor, plan: Plan) -> Plan:
    if not plan.items.exists():
        raise ValidationError(_("Un plan sin elementos no se puede publicar."))
    return _set_status(actor=actor, plan=plan, status=PlanStatus.PUBLISHED, verb="plan.publish")


@transaction.atomic
def plan_archive(*, actor: Actor, plan: Plan) -> Plan:
    return _set_status(actor=actor, plan=plan, status=PlanStatus.ARCHIVED, verb="plan.archive")


def _check_draft_items(items: list[DraftItem]) -> int:
    seen: set[str] = set()
    count = 0
    stack = list(items)
    while stack:
        item = stack.pop()
        count += 1
        if not (item.text or "").strip():
            raise ValidationError(
                _("El elemento %(code)s no tiene texto.") % {"code": item.code or "—"}
            )
        if item.level not in ItemLevel.values:
            raise ValidationError(
                _("El elemento %(code)s tiene un nivel no válido.") % {"code": item.code or "—"}
            )
        code = (item.code or "").strip()
        if code:
            if code in seen:
                raise ValidationError(
                    _("El número %(code)s aparece dos veces en el plan.") % {"code": code}
                )
            seen.add(code)
        stack.extend(item.children)
    return count


def _create_items(plan: Plan, roots: list[DraftItem]) -> int:
    """Create the tree one depth at a time: one INSERT per depth, whatever its size."""
    order = 0
    rows: list[tuple[PlanItem, DraftItem, int | None]] = []  # flat, document order

    def walk(items, depth, parent_index):
        nonlocal order
        for item in items:
            order += 1
            model = PlanItem(
                plan=plan,
                level=item.level,
                code=(item.code or "").strip()[:40],
                text=item.text.strip(),
                note=(item.note or "").strip(),
                order=order,
                depth=depth,
            )
            rows.append((model, item, parent_index))
            walk(item.children, depth + 1, len(rows) - 1)

    walk(roots, 0, None)
    for model, _draft, _parent in rows:
        model.full_clean(
            exclude=["plan", "parent"], validate_unique=False, validate_constraints=False
        )
    for depth in sorted({model.depth for model, _d, _p in rows}):
        batch = []
        for model, _draft, parent in rows:
            if model.depth == depth:
                model.parent = rows[parent][0] if parent is not None else None
                batch.append(model)
        PlanItem.objects.bulk_create(batch)
    return len(rows)


@transaction.atomic
def plan_create_from_draft(
    *,
    actor: Actor,
    institution: Institution | None,
    kind: str,
    draft: DraftPlan,
    source: bytes = b"",
    source_name: str = "",
    title: str | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    issuer_name: str = "",
    code: str | None = None,
    plan_import: PlanImport | None = None,
    source_citation: str = "",
    included_lines: int = 0,
) -> Plan:
    """A plan and all its items from a reviewed draft, keeping the source document (and, for a
    published plan, where it was published: ``source_citation``). ``included_lines`` counts the
    lines the reader had left out that the person included during review (for the trail)."""
    count = _check_draft_items(draft.items)
    if count == 0:
        raise ValidationError(_("El borrador no tiene elementos que guardar."))
    plan = _new_plan(
        institution=institution,
        kind=kind,
        title=title or draft.title or source_name or _("Plan sin título"),
        start_year=start_year if start_year is not None else draft.period_start,
        end_year=end_year if end_year is not None else draft.period_end,
        issuer_name=issuer_name,
        code=code,
        source_citation=source_citation,
    )
    if source:
        plan.source_sha256 = hashlib.sha256(source).hexdigest()
        plan.source_name = source_name[:200]
        plan.source_document.save(source_name or "documento", ContentFile(source), save=False)
        plan.save(update_fields=["source_document", "source_sha256", "source_name"])
    _create_items(plan, draft.items)
    if plan_import is not None:
        PlanImport.objects.filter(pk=plan_import.pk, status=ImportStatus.PENDING).update(
            status=ImportStatus.SAVED, plan=plan
        )
    audit_record(
        actor=actor,
        verb="plan.import",
        target=plan,
        changes={
            "title": [None, plan.title],
            "item_count": [None, count],
            "source_sha256": [None, plan.source_sha256],
            **({"source_citation": [None, plan.source_citation]} if plan.source_citation else {}),
            **({"included_lines": [None, included_lines]} if included_lines else {}),
        },
        note=plan.source_name,
    )
    return plan


@transaction.atomic
def national_frameworks_load(
    *, actor: Actor, frameworks: Iterable[NationalFramework] | None = None
) -> list[str]:
    """Publish the national frameworks of the reference module that are missing, as national
    programmes of the national institution with their objectives and source; never touch a plan
    that exists (people may have edited it). Returns the codes created; repeating it changes
    nothing."""
    frameworks = list(frameworks if frameworks is not None else FRAMEWORKS)
    existing = set(
        Plan.objects.filter(code__in=[f.code for f in frameworks]).values_list("code", flat=True)
    )
    national = Institution.objects.filter(kind=InstitutionKind.NATIONAL).order_by("pk").first()
    created = []
    for framework in frameworks:
        if framework.code in existing:
            continue
        draft = DraftPlan(
            framework.title,
            framework.start_year,
            framework.end_year,
            [
                DraftItem(code=number, level="objective", text=title)
                for number, title in framework.objectives
            ],
        )
        plan = plan_create_from_draft(
            actor=actor,
            institution=national,
            kind=PlanKind.NATIONAL_PROGRAM,
            draft=draft,
            code=framework.code,
            title=framework.title,
            source_citation=framework.source_citation,
        )
        plan_publish(actor=actor, plan=plan)
        created.append(framework.code)
    return created


@transaction.atomic
def plan_import_create(
    *,
    actor: Actor,
    institution: Institution,
    kind: str,
    draft: DraftPlan,
    source: bytes,
    source_name: str,
) -> PlanImport:
    """Keep an uploaded document and its draft until someone reviews and saves it."""
    _check_kind(institution, kind)
    pending = PlanImport(
        institution=institution,
        state=_state_for(institution, kind),
        kind=kind,
        source_name=source_name[:200],
        source_sha256=hashlib.sha256(source).hexdigest(),
        draft=draft_to_json(draft),
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    pending.source_document.save(source_name or "documento", ContentFile(source), save=False)
    pending.save()
    audit_record(
        actor=actor,
        verb="plan_import.create",
        target=pending,
        institution=institution,
        changes={"source_name": [None, pending.source_name], "kind": [None, kind]},
    )
    return pending


@transaction.atomic
def plan_import_discard(*, actor: Actor, plan_import: PlanImport) -> None:
    PlanImport.objects.filter(pk=plan_import.pk).update(status=ImportStatus.DISCARDED)
    audit_record(
        actor=actor,
        verb="plan_import.discard",
        target=plan_import,
        institution=plan_import.institution,
        changes={"status": [plan_import.status, ImportStatus.DISCARDED]},
    )


# --- Items ---------------------------------------------------------------------


@transaction.atomic
def item_update(*, actor: Actor, item: PlanItem, **fields) -> dict:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown item fields: {sorted(unknown)}")
    item = PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
    before = snapshot(item, ITEM_FIELDS)
    for key, value in fields.items():
        setattr(item, key, (value or "").strip())
    item.full_clean(exclude=["plan", "parent"], validate_constraints=False)
    if (
        item.code
        and PlanItem.objects.filter(plan=item.plan_id, code=item.code).exclude(pk=item.pk).exists()
    ):
        raise ValidationError(
            {
                "code": _("Ya hay un elemento con el número %(code)s en este plan.")
                % {"code": item.code}
            }
        )
    changes = diff(before, snapshot(item, ITEM_FIELDS))
    if changes:
        item.save()
        audit_record(
            actor=actor,
            verb="plan_item.update",
            target=item,
            institution=item.plan.institution,
            state=item.plan.state,
            changes=changes,
        )
    return changes


# --- Alignments ----------------------------------------------------------------


def active_alignments():
    return Alignment.objects.filter(removed_at__isnull=True)


@transaction.atomic
def alignment_create(
    *, actor: Actor, from_item: PlanItem, to_item: PlanItem, note: str = ""
) -> Alignment:
    """``from_item`` contributes to ``to_item``. Refuses self links, links inside one
    plan and a second link between the same two items in either direction."""
    if from_item.pk == to_item.pk:
        raise ValidationError(_("Un elemento no puede alinearse consigo mismo."))
    if from_item.plan_id == to_item.plan_id:
        raise ValidationError(
            _(
                "La alineación une elementos de planes distintos; ambos elementos son del mismo "
                "plan."
            )
        )
    pair = Q(from_item=from_item, to_item=to_item) | Q(from_item=to_item, to_item=from_item)
    if active_alignments().filter(pair).exists():
        raise ValidationError(_("Estos dos elementos ya están alineados."))
    alignment = Alignment(
        from_item=from_item,
        to_item=to_item,
        from_plan_id=from_item.plan_id,
        to_plan_id=to_item.plan_id,
        note=clean_text(note, field="note"),
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    alignment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            alignment.save()
    except IntegrityError:  # a concurrent request created the same link
        raise ValidationError(_("Estos dos elementos ya están alineados.")) from None
    plan = from_item.plan
    audit_record(
        actor=actor,
        verb="alignment.create",
        target=alignment,
        institution=plan.institution,
        state=plan.state,
        changes={
            "from": [None, str(from_item)],
            "to": [None, str(to_item)],
            "note": [None, alignment.note],
        },
    )
    return alignment


@transaction.atomic
def alignment_remove(*, actor: Actor, alignment: Alignment, reason: str = "") -> Alignment:
    """End a link; the row stays, with who removed it, when and why."""
    reason = clean_text(reason, field="reason")
    alignment = (
        Alignment.objects.select_for_update(of=("self",))
        .select_related("from_item", "to_item", "from_plan")
        .get(pk=alignment.pk)
    )
    if alignment.removed_at is not None:
        raise ValidationError(_("Esta alineación ya se había retirado."))
    alignment.removed_at = timezone.now()
    alignment.removed_by = actor if actor is not None and actor.is_authenticated else None
    alignment.removal_reason = reason
    alignment.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit_record(
        actor=actor,
        verb="alignment.remove",
        target=alignment,
        institution=alignment.from_plan.institution,
        state=alignment.from_plan.state,
        changes={"removed": [False, True]},
        note=alignment.removal_reason,
    )
    return alignment


def profile_apply(*, actor: Actor, institution: Institution, profile) -> dict:
    """Apply a parsed profile as read, without review (the management command)."""
    creation = profile.creation
    fields = {
        k: v
        for k, v in {
            "mission": profile.mission,
            "vision": profile.vision,
            "creation_instrument": creation.law_name or creation.kind,
            "creation_number": creation.number,
            "creation_date": creation.date,
            "creation_gazette": creation.gazette,
        }.items()
        if v
    }
    return profile_import_apply(
        actor=actor,
        institution=institution,
        objectives=profile.objectives or None,
        current_name=profile.current_name or "",
        **fields,
    )


def legal_form_choice(text: str | None) -> tuple[str, str]:
    """The registry's legal form (code, other text) for a legal form as a document names it."""
    words = (text or "").casefold()
    if not words.strip():
        return "", ""
    for cue, code in (
        ("descentraliz", LegalForm.DECENTRALIZED),
        ("desconcentrad", LegalForm.DECONCENTRATED),
        ("unidad administrativa", LegalForm.ADMINISTRATIVE_UNIT),
        ("secretar", LegalForm.CENTRALIZED),
        ("dependencia", LegalForm.CENTRALIZED),
    ):
        if cue in words:
            return code, ""
    return LegalForm.OTHER, (text or "").strip()[:200]


@dataclass(frozen=True)
class HistoryStep:
    """A dated step of the institution's history, as the person confirmed it."""

    date: dt.date
    name: str
    legal_form: str = ""  # as the document names it
    change: str = NameChange.RENAME


def profile_import_apply(
    *,
    actor: Actor,
    institution: Institution,
    objectives: list[str] | None = None,
    current_name: str = "",
    history: Sequence[HistoryStep] = (),
    source: str = "",
    **fields,
) -> dict:
    """A reviewed profile, all or nothing, through the institutions' own services (each
    audits itself). A current name other than the registered one becomes the new name,
    so the registered one is kept as the former name. Each confirmed ``history`` step whose
    name is not recorded yet becomes a dated name in its place (the step naming the current
    name dates it)."""

    current_name = (current_name or "").strip()
    with transaction.atomic():
        changes = institution_update_profile(
            actor=actor, institution=institution, objectives=objectives, **fields
        )
        recorded = {n.name.casefold() for n in institution.names.all()}
        current = institution.names.order_by("-sequence").first()
        steps = sorted(history, key=lambda step: step.date)
        if current_name and (current is None or current.name != current_name):
            step = next((s for s in steps if s.name.casefold() == current_name.casefold()), None)
            form, other = legal_form_choice(step.legal_form if step else "")
            institution_name_add(
                actor=actor,
                institution=institution,
                name=current_name,
                change=step.change if step else NameChange.RENAME,
                valid_from=step.date if step else None,
                legal_form=form,
                legal_form_other=other,
                source=source,
            )
            recorded.add(current_name.casefold())
            changes["name"] = [str(current) if current else None, current_name]
        added = []
        for step in steps:
            if step.name.casefold() in recorded:
                continue
            form, other = legal_form_choice(step.legal_form)
            institution_name_add_past(
                actor=actor,
                institution=institution,
                name=step.name,
                valid_from=step.date,
                change=step.change,
                legal_form=form,
                legal_form_other=other,
                source=source,
            )
            recorded.add(step.name.casefold())
            added.append(step.name)
        if added:
            changes["former_names"] = [None, added]
    return changes


def item_baseline_source_set(*, actor: Actor, item: PlanItem, source) -> dict:
    """Cite an official statistic (a ``genderstats.ContextIndicator``, or None to stop citing
    one) as the source of the item's baseline; the public state page shows the link."""
    with transaction.atomic():
        item = (
            PlanItem.objects.select_for_update(of=("self",)).select_related("plan").get(pk=item.pk)
        )
        before = item.baseline_source
        if (before.pk if before else None) == (source.pk if source else None):
            return {}
        item.baseline_source = source
        item.save(update_fields=["baseline_source"])
        changes = {
            "baseline_source": [str(before) if before else None, str(source) if source else None]
        }
        audit_record(
            actor=actor,
            verb="plan_item.update",
            target=item,
            institution=item.plan.institution,
            state=item.plan.state,
            changes=changes,
        )
    return changes
