/* Transversal's own script: small keyboard and screen-reader aids; every page works without it. */
(function () {
  "use strict";

  var counter = 0;

  /* The name of a table's scroll box: its caption, or else the heading just before it. */
  function nameSource(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption;
    var node = box;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous;
        var inner = previous.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) return inner[inner.length - 1];
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return null;
  }

  /* A table wider than its box scrolls sideways: the box becomes a named region reachable with
     the keyboard (Tab, then the arrow keys), and stops being one when it no longer scrolls. */
  function labelScrollBoxes(root) {
    var boxes = (root || document).querySelectorAll(".table-wrap");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("aria-labelledby") && !box.hasAttribute("aria-label")) {
          var source = nameSource(box);
          if (source) {
            if (!source.id) source.id = "tabla-nombre-" + (++counter);
            box.setAttribute("aria-labelledby", source.id);
          } else {
            box.setAttribute("aria-label", document.documentElement.lang === "en" ? "Table" : "Tabla");
          }
        }
        box.setAttribute("role", "region");
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  }

  /* A refused form's error summary takes the focus (autofocus does it too where it is honoured). */
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector(".error-summary[autofocus]");
    if (summary && document.activeElement !== summary) summary.focus();
  }

  /* A link of the error summary puts the focus in its field, not only the field in view. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    if (target.tagName === "FIELDSET") target = target.querySelector("input, select, textarea");
    if (!target) return;
    event.preventDefault();
    target.focus();
    target.scrollIntoView({block: "center"});
  });

  function init(root) {
    labelScrollBoxes(root);
    focusErrorSummary(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
  var resizing = null;
  window.addEventListener("resize", function () {
    if (resizing) window.cancelAnimationFrame(resizing);
    resizing = window.requestAnimationFrame(function () { labelScrollBoxes(document); });
  });
})();
