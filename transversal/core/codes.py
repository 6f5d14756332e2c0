"""Public codes in URLs and query strings are UUIDs: checked before they reach a query."""

from __future__ import annotations

import uuid


def is_uuid(value: object) -> bool:
    """Whether ``value`` reads as a UUID (a malformed code is simply "not found", never an
    error)."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
