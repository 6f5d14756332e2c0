"""The Vega, Vega-Lite and Vega-Embed bundle that vl-convert-python ships, served by our own view.

No CDN and no committed third-party code: the bundle is built from the installed
package once per process and cached by the browser for a year (the URL carries
the versions, so an upgrade changes the URL).
"""

from __future__ import annotations

from functools import lru_cache

import vl_convert


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    # The default snippet assigns vegaEmbed, vegaLite and vega to window.
    return vl_convert.javascript_bundle()


@lru_cache(maxsize=1)
def bundle_version() -> str:
    return f"{vl_convert.get_vega_version()}-{vl_convert.get_vega_embed_version()}"
