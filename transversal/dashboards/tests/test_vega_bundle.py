"""The Vega bundle is served from our host, as JavaScript, cached for long."""

from __future__ import annotations


def test_it_serves_the_bundle_as_javascript_with_a_long_cache(client):
    response = client.get("/tableros/vega.js?v=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "max-age=31536000" in response["Cache-Control"]
    body = response.content.decode()
    assert "window.vegaEmbed=" in body
    # The CSP-safe expression interpreter the page asks for with `ast: true`.
    assert "expressionInterpreter" in body


def test_it_builds_the_bundle_once_per_process():
    from transversal.dashboards import bundle

    assert bundle.vega_bundle() is bundle.vega_bundle()
