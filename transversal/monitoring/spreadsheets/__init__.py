"""Indicator workbooks: the XLSX an institution fills in, and reading it back.

The module moved here whole (``template.py``) so its history follows; the next commit splits it
into template, reader, validation and apply.
"""

from transversal.monitoring.spreadsheets.template import *  # noqa: F403
from transversal.monitoring.spreadsheets.template import _cell_parser, _sheet_values  # noqa: F401
