"""The draft acta of a session as DOCX (python-docx), in the house style of the reports:
Liberation Sans 10 pt, 2 cm margins, bold header rows repeated on each page. The secretariat
edits it, has it signed and uploads the signed acta."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from transversal.coordination import selectors
from transversal.coordination.models import Session
from transversal.core.wordfiles import new_document


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, title in enumerate(header):
        cell = table.rows[0].cells[index]
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    flag = OxmlElement("w:tblHeader")  # repeat the header row on every page
    flag.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(flag)
    for values in rows:
        cells = table.add_row().cells
        for index, value in enumerate(values):
            cells[index].paragraphs[0].add_run(str(value))
    return table


def minutes_docx(session: Session) -> bytes:
    system = session.system
    members, quorum = selectors.attendance_rows(session)
    resolutions = selectors.session_resolutions(session)
    document = new_document(_("Acta de la sesión %(label)s") % {"label": session.label})
    section = document.sections[0]
    section.footer.paragraphs[0].text = _("Borrador del acta · %(system)s") % {
        "system": system.acronym
    }

    document.add_heading(str(system.name), level=0)
    document.add_heading(
        _("Acta de la sesión %(kind)s %(label)s de %(year)s")
        % {
            "kind": session.get_kind_display().lower(),
            "label": session.label,
            "year": session.year,
        },
        level=1,
    )
    facts = [
        (_("Fecha"), _date(session.date)),
        (_("Modalidad"), session.get_modality_display()),
        (_("Lugar"), session.place or "—"),
        (
            _("Instrumento jurídico"),
            f"{system.legal_instrument} ({_date(system.legal_date)})"
            if system.legal_date
            else system.legal_instrument,
        ),
        (_("Presidencia"), system.presidency or "—"),
        (_("Secretaría técnica"), str(system.secretariat)),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)

    document.add_heading(_("Lista de asistencia y quórum"), level=2)
    _table(
        document,
        [_("Integrante"), _("Voto"), _("Asistencia"), _("Representada por")],
        [
            [
                m.display_name,
                _("Sí") if m.has_vote else _("No"),
                _("Presente") if m.present else _("Ausente"),
                m.represented_by or "—",
            ]
            for m in members
        ],
    )
    document.add_paragraph(
        _(
            "Integrantes con voto presentes: %(present)s de %(voting)s; quórum requerido: "
            "%(required)s. %(verdict)s"
        )
        % {
            "present": quorum.present,
            "voting": quorum.voting,
            "required": quorum.required,
            "verdict": _("Hay quórum.") if quorum.met else _("No hay quórum."),
        }
    )

    document.add_heading(_("Orden del día"), level=2)
    agenda = list(session.agenda.all())
    if agenda:
        for item in agenda:
            document.add_paragraph(f"{item.position}. {item.text}")
    else:
        document.add_paragraph(_("Sin puntos registrados."))

    document.add_heading(_("Acuerdos"), level=2)
    if resolutions:
        _table(
            document,
            [_("Número"), _("Acuerdo"), _("Responsable"), _("Fecha compromiso")],
            [
                [
                    r.folio,
                    r.followup.text,
                    ", ".join(
                        [str(r.followup.owner), *(str(i) for i in r.followup.co_owners.all())]
                    )
                    + (
                        f" ({r.followup.responsible_person})"
                        if r.followup.responsible_person
                        else ""
                    ),
                    _date(r.followup.due_date),
                ]
                for r in resolutions
            ],
        )
    else:
        document.add_paragraph(_("Sin acuerdos registrados."))

    document.add_heading(_("Firmas"), level=2)
    document.add_paragraph(_("Presidencia: ______________________________"))
    document.add_paragraph(_("Secretaría técnica: ______________________________"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
