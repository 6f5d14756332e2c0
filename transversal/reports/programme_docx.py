"""The DOCX renderer of a work programme's quarterly report: the document tree
(``reports.programme``) → a Word document, with the state and national reports' tables and
marks (``reports.docx``)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from transversal.core.wordfiles import new_document
from transversal.reports.docx import MONOSPACE, _synthetic, _table
from transversal.reports.programme import Cell, Paragraph, ProgrammeDocument, Row, Table

PURPLE = RGBColor(0x6B, 0x4C, 0x8F)
WARNING = RGBColor(0x9B, 0x1C, 0x16)
NOTICE = RGBColor(0x6B, 0x45, 0x00)
TOTAL_FILL = "F7F4FA"
# Columns' widths (cm) on a Letter page with 1.8 cm margins (17.9 cm), as the PDF's: without
# them LibreOffice gives every column the same width and splits file names.
WIDTHS = {
    "facts": (5.0, 12.9),
    "goals": (4.3, 3.8, 2.6, 2.4, 2.4, 2.4),
    "resources": (2.6, 3.0, 3.1, 3.1, 3.0, 3.1),
    "observations": (2.6, 3.0, 6.4, 5.9),
    "evidence": (4.4, 3.0, 5.2, 2.0, 3.3),
}


def _cell(paragraph, cell: Cell) -> None:
    run = paragraph.add_run(cell.text)
    run.bold = cell.strong or cell.warning
    if cell.warning:
        run.font.color.rgb = WARNING
    if cell.mono:
        run.font.name = MONOSPACE
        run.font.size = Pt(7)
    if cell.synthetic:
        _synthetic(paragraph)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _widths(table, row, kind: str) -> None:
    widths = WIDTHS.get(kind)
    if widths is None:
        return
    table.autofit = False
    # LibreOffice reads the table's grid, Word the cells' widths: both are set.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for cell, width in zip(row.cells, widths, strict=True):
        cell.width = Cm(width)


def _write_table(document, block: Table) -> None:
    table = _table(document, block.header, [], numeric=set(block.numeric))
    _widths(table, table.rows[0], block.kind)
    for index in block.numeric:
        table.rows[0].cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in block.rows:
        _write_row(table, block, row)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    if run.font.size is None:
                        run.font.size = Pt(8.5)


def _write_row(table, block: Table, row: Row) -> None:
    added = table.add_row()
    _widths(table, added, block.kind)
    cells = added.cells
    for index, cell in enumerate(row.cells):
        paragraph = cells[index].paragraphs[0]
        _cell(paragraph, cell)
        if index in block.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if row.total:
            _shade(cells[index], TOTAL_FILL)
    if row.detail is not None:
        line = table.add_row().cells
        merged = line[0].merge(line[-1])
        merged.width = Cm(sum(WIDTHS.get(block.kind, ())) or 17.9)
        _cell(merged.paragraphs[0], row.detail)


def _write_paragraph(document, block: Paragraph) -> None:
    if block.style == "subhead":
        document.add_heading(block.text, level=3)
        return
    paragraph = document.add_paragraph()
    if block.label:
        paragraph.add_run(f"{block.label}: ").bold = True
    run = paragraph.add_run(block.text)
    if block.style == "muted":
        run.italic = True
    elif block.style == "meta":
        run.font.size = Pt(8)


def render_programme_docx(doc: ProgrammeDocument) -> bytes:
    document = new_document(doc.title, margin_cm=1.8)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)  # Letter, as the PDF
    section.footer.paragraphs[0].text = doc.footer

    kicker = document.add_paragraph(doc.kicker.upper())
    kicker.runs[0].font.color.rgb = PURPLE
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.subtitle)
    for notice in doc.notices:
        run = document.add_paragraph().add_run(notice)
        run.bold = True
        run.font.color.rgb = NOTICE
    facts = _table(
        document, [_("Dato"), _("Valor")], [[label, value] for label, value in doc.facts]
    )
    facts.rows[0]._tr.getparent().remove(facts.rows[0]._tr)  # a list of facts needs no header
    for row in facts.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
        _widths(facts, row, "facts")
    for block_section in doc.sections:
        document.add_heading(block_section.title, level=1)
        for block in block_section.blocks:
            if isinstance(block, Table):
                _write_table(document, block)
            else:
                _write_paragraph(document, block)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
