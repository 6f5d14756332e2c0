// Renders every chart on the page from the Vega-Lite spec embedded next to it
// (<script type="application/json" id="…">), with the bundle served at
// /tableros/vega.js (loaded before this module, it sets window.vegaEmbed).
//
// CSP: `ast: true` makes Vega evaluate expressions with its interpreter
// instead of `new Function`, so the page works under script-src 'self'
// without 'unsafe-eval'. `defaultStyle: false` and a tooltip without its
// default style keep vega-embed from injecting <style> (style-src 'self');
// dashboards.css styles the tooltip instead.

const options = {
  ast: true,
  actions: false,
  renderer: "svg",
  defaultStyle: false,
  tooltip: { disableDefaultStyle: true },
};

function render(container) {
  const source = document.getElementById(container.dataset.spec);
  if (!source || typeof window.vegaEmbed !== "function") {
    container.textContent = container.dataset.error;
    return;
  }
  const spec = JSON.parse(source.textContent);
  window
    .vegaEmbed(container, spec, options)
    .then(() => {
      container.classList.add("rendered");
      const loading = container.querySelector(".chart-loading");
      if (loading) loading.remove();
    })
    .catch(() => {
      container.textContent = container.dataset.error;
    });
}

document.querySelectorAll(".chart[data-spec]").forEach(render);
