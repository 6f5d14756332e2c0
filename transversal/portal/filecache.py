"""Open-data files kept on disk between changes of the data.

A national CSV takes a third of a second of CPU at size M, and people and harvesters download
the same file again and again. Each file is written once per data stamp (``audit.stamp``: the
newest audit event), day and language into ``DATA_DIR/cache/datos/`` and served from there by
every worker of the server until the data changes, or for ``PAGE_CACHE_SECONDS`` at most (a
write that bypasses the services is seen then, as for the page fragments). A file is written
beside its final name and moved into place, so a reader never sees half of one; older files of
the same dataset are removed when a new one lands. ``PAGE_CACHE_SECONDS=0`` streams every
request from the database, as before.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, StreamingHttpResponse

from transversal.audit.stamp import cache_key, cache_seconds


def folder() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "datos"


def _fresh(path: Path, seconds: int) -> bool:
    try:
        return time.time() - path.stat().st_mtime < seconds
    except FileNotFoundError:
        return False


def _write(path: Path, chunks: Iterable[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in path.parent.glob(f"{path.name.split('--')[0]}--*"):
        if old != path and not _fresh(old, 1):
            old.unlink(missing_ok=True)


def cached_response(
    request: HttpRequest,
    name: str,
    extension: str,
    produce: Callable[[], Iterable[str]],
    content_type: str,
) -> FileResponse | StreamingHttpResponse:
    """The file ``name.extension`` as ``produce`` writes it, from disk when the data has not
    changed since it was written."""
    seconds = cache_seconds()
    if seconds <= 0:
        return StreamingHttpResponse(produce(), content_type=content_type)
    digest = hashlib.sha256(cache_key("datos", name, extension, request=request).encode())
    path = folder() / f"{name}.{extension}--{digest.hexdigest()[:24]}"
    if not _fresh(path, seconds):
        _write(path, produce())
    return FileResponse(path.open("rb"), content_type=content_type)
