"""The Vega, Vega-Lite and Vega-Embed bundle that vl-convert-python ships, as a static file.

No CDN and no committed third-party code: the bundle (about 900 KB) is built from the
installed package and handed to Django's staticfiles as ``dashboards/vega.js`` by
``VegaBundleFinder``. So it travels like our own assets: ``collectstatic`` builds it once at
deploy time (never inside a request), names it by its content hash (``vega.<hash>.js``) and
compresses it, and WhiteNoise serves it gzip- or brotli-encoded with a cache of a year. In
development WhiteNoise and the test server find it through the finder.

Building takes about a second, so the file is kept on disk under ``DATA_DIR/cache``, one folder
per vl-convert version: an upgrade builds a new one.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

import vl_convert
from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

STATIC_PATH = "dashboards/vega.js"


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    # The default snippet assigns vegaEmbed, vegaLite and vega to window.
    return vl_convert.javascript_bundle()


@lru_cache(maxsize=1)
def bundle_version() -> str:
    return f"{vl_convert.get_vega_version()}-{vl_convert.get_vega_embed_version()}"


def bundle_root() -> Path:
    """The folder holding ``dashboards/vega.js`` for the installed vl-convert."""
    return Path(settings.DATA_DIR) / "cache" / f"vega-{bundle_version()}"


def bundle_file() -> Path:
    """The bundle on disk, written on first use; concurrent writers each write whole files and
    the last rename wins, so a reader never sees half a bundle."""
    path = bundle_root() / STATIC_PATH
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".vega-", suffix=".js")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(vega_bundle())
            os.chmod(partial, 0o644)  # mkstemp makes it private; it is a public asset
            os.replace(partial, path)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
    return path


class VegaBundleFinder(BaseFinder):
    """Finds ``dashboards/vega.js`` (listed in ``STATICFILES_FINDERS``)."""

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path != STATIC_PATH:
            return []
        found = str(bundle_file())
        return [found] if find_all else found

    def list(self, ignore_patterns):
        bundle_file()
        yield STATIC_PATH, FileSystemStorage(location=str(bundle_root()))
