"""Indicator workbooks: the XLSX an institution fills in, and reading it back.

Four steps, one module each, so each can be tested alone:

* ``template``: the columns and ``build_workbook``, the template of the indicators
  ``indicator_set`` loads (four queries whatever the number of rows).
* ``reader``: ``check_upload`` looks at the file by content, ``open_sheet`` streams a sheet
  (openpyxl read-only, cached values only, never formulas) into dictionaries keyed by column,
  ``parse_number`` and friends read a cell.
* ``validation``: ``validate_updates`` and ``validate_targets`` check those rows against the
  institution's indicators with the checks the services apply (``update_check``,
  ``validate_value``). They write nothing: they return the changes and every problem.
* ``apply``: ``import_apply`` writes an import that had no problems, in one transaction,
  through the services (``targets_update``, ``update_save``): any conflict or error rolls
  back everything.
* ``jobs``: an import of more than ``QUEUE_ABOVE_ROWS`` rows is confirmed into a background
  job (``transversal.jobs``) whose worker runs ``import_apply`` and marks the job done in the
  same transaction.

The names below are the ones the views, the benchmark and the tests use.
"""

from transversal.core.cells import CellError, parse_text
from transversal.monitoring.spreadsheets.apply import ImportFailed, import_apply
from transversal.monitoring.spreadsheets.reader import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    SheetRejected,
    SheetRows,
    check_upload,
    open_sheet,
    parse_label,
    parse_number,
)
from transversal.monitoring.spreadsheets.template import (
    TARGET_COLUMNS,
    TARGETS,
    UPDATE_COLUMNS,
    UPDATES,
    XLSX_MIME,
    Column,
    build_workbook,
    help_lines,
    indicator_set,
)
from transversal.monitoring.spreadsheets.validation import (
    Change,
    Problem,
    Validation,
    validate_targets,
    validate_updates,
    validate_upload,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "TARGETS",
    "TARGET_COLUMNS",
    "UPDATES",
    "UPDATE_COLUMNS",
    "XLSX_MIME",
    "CellError",
    "Change",
    "Column",
    "ImportFailed",
    "Problem",
    "SheetRejected",
    "SheetRows",
    "Validation",
    "build_workbook",
    "check_upload",
    "help_lines",
    "import_apply",
    "indicator_set",
    "open_sheet",
    "parse_label",
    "parse_number",
    "parse_text",
    "validate_targets",
    "validate_updates",
    "validate_upload",
]
