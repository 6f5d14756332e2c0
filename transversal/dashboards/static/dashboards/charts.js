// Renders every chart on the page from the Vega-Lite spec embedded next to it
// (<script type="application/json" id="…">).
//
// The page's text and data tables come first: the chart library (about 900 KB, the
// static file dashboards/vega.js named on this script's tag as data-library) is fetched
// only when a chart comes near the screen, then every chart is drawn. Until then each
// chart shows "Cargando gráfica…", and if the library cannot load it says to read the
// table instead.
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
  // No ARIA on marks, axes and legends: Vega writes their descriptions in English whatever
  // the page's language; the data table beside each chart says the same in it.
  config: { aria: false },
};

// Vega marks its container as a "graphics-document" with the English role description
// "visualization" and the spec's description (or "Vega visualization") as its label. The
// container is already an image named in the page's language: keep that, and hide the
// drawing inside it.
function keepName(container, role, label) {
  if (role) container.setAttribute("role", role);
  else container.removeAttribute("role");
  if (label) container.setAttribute("aria-label", label);
  container.removeAttribute("aria-roledescription");
  container.querySelectorAll("svg, canvas").forEach((drawing) => {
    drawing.setAttribute("aria-hidden", "true");
  });
}

const charts = [...document.querySelectorAll(".chart[data-spec]")];
const tag = document.querySelector("script[data-library]");

function fail(container) {
  container.textContent = container.dataset.error;
}

// On a phone the section's heading already names the chart: a title as long as the
// indicator's name and a legend at the side would leave the plot a sliver.
function fit(spec, container) {
  if (container.clientWidth >= 480) return spec;
  const { title, ...narrow } = spec;
  const config = spec.config || {};
  return { ...narrow, config: { ...config, legend: { ...config.legend, orient: "bottom" } } };
}

function draw(container) {
  const source = document.getElementById(container.dataset.spec);
  if (!source) {
    fail(container);
    return;
  }
  const spec = fit(JSON.parse(source.textContent), container);
  const role = container.getAttribute("role");
  const label = container.getAttribute("aria-label");
  window
    .vegaEmbed(container, spec, options)
    .then(() => {
      keepName(container, role, label);
      container.classList.add("rendered");
      const loading = container.querySelector(".chart-loading");
      if (loading) loading.remove();
    })
    .catch(() => fail(container));
}

let started = false;

function start() {
  if (started) return;
  started = true;
  // The bundle assigns window.vegaEmbed when it runs.
  import(tag.dataset.library)
    .then(() => {
      if (typeof window.vegaEmbed !== "function") throw new Error("vegaEmbed");
      charts.forEach(draw);
    })
    .catch(() => charts.forEach(fail));
}

if (charts.length && !tag) {
  charts.forEach(fail);
} else if (charts.length && "IntersectionObserver" in window) {
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        start();
      }
    },
    { rootMargin: "300px 0px" },
  );
  charts.forEach((container) => observer.observe(container));
} else if (charts.length) {
  start();
}
