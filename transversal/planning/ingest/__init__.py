"""Document ingestion: read uploaded plans and profiles into reviewable drafts.

Pure Python, no Django models: the planning services turn drafts into rows.
"""

from __future__ import annotations

from .errors import IngestError
from .extract import ExtractedText, extract_text
from .plan_parser import (
    LEVELS,
    SKIP_REASONS,
    DraftItem,
    DraftPlan,
    ScanSummary,
    SkippedLine,
    iter_items,
    parse_plan,
    scan_summary,
)
from .profile_parser import (
    CreationInstrument,
    DraftProfile,
    TransversalPolicy,
    parse_profile,
    profile_parts,
    reads_as_profile,
)

__all__ = [
    "LEVELS",
    "SKIP_REASONS",
    "CreationInstrument",
    "DraftItem",
    "DraftPlan",
    "DraftProfile",
    "ExtractedText",
    "IngestError",
    "ScanSummary",
    "SkippedLine",
    "TransversalPolicy",
    "extract_text",
    "iter_items",
    "parse_plan",
    "parse_profile",
    "profile_parts",
    "reads_as_profile",
    "scan_summary",
]
