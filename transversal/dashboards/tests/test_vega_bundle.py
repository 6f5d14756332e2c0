"""The Vega bundle vl-convert ships is a static file: collectstatic hashes and compresses it, and
pages never wait for it."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

from transversal.dashboards import bundle


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_the_staticfiles_finders_find_the_bundle_on_disk(data_dir):
    found = finders.find("dashboards/vega.js")
    assert found is not None
    assert found.startswith(str(data_dir / "cache"))
    body = open(found, encoding="utf-8").read()
    assert "window.vegaEmbed=" in body
    # The CSP-safe expression interpreter the page asks for with `ast: true`.
    assert "expressionInterpreter" in body


def test_collectstatic_lists_the_bundle_so_it_is_hashed_and_compressed_with_the_rest(data_dir):
    listed = list(bundle.VegaBundleFinder().list(ignore_patterns=[]))
    assert [path for path, _storage in listed] == ["dashboards/vega.js"]
    _path, storage = listed[0]
    assert storage.size("dashboards/vega.js") == len(bundle.vega_bundle().encode())


def test_it_builds_the_file_once_per_version_of_vl_convert(data_dir):
    first = bundle.bundle_file()
    written = first.stat().st_mtime_ns
    assert bundle.bundle_file() == first
    assert first.stat().st_mtime_ns == written
    assert bundle.bundle_version() in str(first)
    assert [p.name for p in first.parent.iterdir()] == ["vega.js"]  # no partial file left


def test_the_finder_knows_no_other_file(data_dir):
    assert bundle.VegaBundleFinder().find("dashboards/charts.js") == []
    assert finders.find("dashboards/charts.js").endswith("static/dashboards/charts.js")


def test_it_builds_the_bundle_once_per_process():
    assert bundle.vega_bundle() is bundle.vega_bundle()
