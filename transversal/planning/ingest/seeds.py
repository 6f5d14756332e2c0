"""Where the seed documents live (tests and the demo loader share this)."""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[3]


def seeds_dir() -> Path | None:
    """`TRANSVERSAL_SEEDS_DIR` if set, else `<repo>/../shared/seeds`; None if absent."""
    configured = os.environ.get("TRANSVERSAL_SEEDS_DIR")
    folder = Path(configured) if configured else _REPO.parent / "shared" / "seeds"
    return folder if folder.is_dir() else None


def find_seed(prefix: str) -> Path | None:
    """The first seed whose file name starts with `prefix` (e.g. "004_")."""
    folder = seeds_dir()
    if folder is None:
        return None
    matches = sorted(path for path in folder.iterdir() if path.name.startswith(prefix))
    return matches[0] if matches else None
