// Trygg's small client, on every page: the one loaded-twice guard (Trygg.module), map taps, the zone
// editor, the double-submit guard, poll marking, the print button. No build step, no inline script (CSP).
(function () {
  "use strict";
  var modules = {};

  // A page's own script (capture.js, observation_log.js) runs again each time htmx puts in a page or
  // fragment that includes it (hx-boost runs the <script> tags it swaps in). A module is set up once
  // (its listeners, its state); every run hands the page now shown to its init.
  function module(name, setup) {
    if (!modules[name]) modules[name] = setup();
    if (modules[name].init) modules[name].init(document);
    return modules[name];
  }

  window.Trygg = { module: module, modules: modules };
})();

Trygg.module("trygg", function () {
  "use strict";

  // A map point from a click, relative to the image (0..1).
  function relativePoint(figure, event) {
    var box = figure.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width;
    var y = (event.clientY - box.top) / box.height;
    return [Math.min(1, Math.max(0, x)), Math.min(1, Math.max(0, y))];
  }

  function svgOf(figure) { return figure.querySelector("svg"); }

  // A mark on a map at (x, y) in 0..1, sized in screen pixels (PIN_PX across) whatever the map's scale:
  // a circle (capture's pin, a place to play), a cross (unsafe) or a triangle (where adults should be).
  var SVG = "http://www.w3.org/2000/svg";
  var PIN_PX = 28;
  function drawMark(figure, x, y, shape, className) {
    var shown = figure.getBoundingClientRect().width;
    var perPixel = shown ? +figure.dataset.width / shown : 1;
    var cx = x * +figure.dataset.width, cy = y * +figure.dataset.height, r = PIN_PX / 2 * perPixel;
    var mark;
    if (shape === "cross") {
      mark = document.createElementNS(SVG, "path");
      mark.setAttribute("d", "M" + (cx - r) + "," + (cy - r) + "L" + (cx + r) + "," + (cy + r) +
        "M" + (cx - r) + "," + (cy + r) + "L" + (cx + r) + "," + (cy - r));
    } else if (shape === "triangle") {
      mark = document.createElementNS(SVG, "polygon");
      mark.setAttribute("points", cx + "," + (cy - r) + " " + (cx + r) + "," + (cy + r * 0.8) + " " +
        (cx - r) + "," + (cy + r * 0.8));
    } else {
      mark = document.createElementNS(SVG, "circle");
      mark.setAttribute("cx", cx.toFixed(0)); mark.setAttribute("cy", cy.toFixed(0)); mark.setAttribute("r", r.toFixed(1));
    }
    mark.setAttribute("class", "mark" + (className ? " " + className : ""));
    mark.style.strokeWidth = ((shape === "cross" ? 6 : 3) * perPixel).toFixed(1);
    figure.querySelector("g.marks").appendChild(mark);
    return mark;
  }

  // Zone editor: taps on the map append "x,y" (percent) lines to the polygon field.
  function initZoneEditor(form) {
    var figure = document.getElementById(form.dataset.zoneEditor);
    var field = form.querySelector("textarea[name=polygon]");
    if (!figure || !field || figure.dataset.ready) return;
    figure.dataset.ready = "1";
    figure.classList.add("tappable");
    var width = +figure.dataset.width, height = +figure.dataset.height;
    var ns = "http://www.w3.org/2000/svg";
    var draft = document.createElementNS(ns, "polygon");
    draft.setAttribute("class", "zone highlight");
    svgOf(figure).appendChild(draft);
    function points() {
      return field.value.split(/\n|;/).map(function (line) {
        var parts = line.replace(/\s/g, "").split(",");
        return parts.length === 2 ? [parseFloat(parts[0]) / 100, parseFloat(parts[1]) / 100] : null;
      }).filter(function (p) { return p && !isNaN(p[0]) && !isNaN(p[1]); });
    }
    function redraw() {
      draft.setAttribute("points", points().map(function (p) {
        return (p[0] * width).toFixed(0) + "," + (p[1] * height).toFixed(0);
      }).join(" "));
    }
    figure.addEventListener("click", function (event) {
      var p = relativePoint(figure, event);
      var line = (p[0] * 100).toFixed(1) + "," + (p[1] * 100).toFixed(1);
      field.value = field.value.trim() ? field.value.trim() + "\n" + line : line;
      redraw();
    });
    field.addEventListener("input", redraw);
    form.addEventListener("click", function (event) {
      var action = event.target.dataset && event.target.dataset.action;
      if (action === "undo-point") {
        var lines = field.value.trim().split("\n"); lines.pop(); field.value = lines.join("\n"); redraw();
      } else if (action === "clear-points") {
        field.value = ""; redraw();
      }
    });
    redraw();
  }

  // Plain (non-htmx) forms: one submit only, so a double tap makes one record.
  function guardSubmit(event) {
    var form = event.target;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    setTimeout(function () {
      delete form.dataset.submitted;
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    }, 8000);
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-zone-editor]").forEach(initZoneEditor);
  }

  // A request the page makes on its own timer is not someone at the screen: the server
  // lets such a poll end an idle session but never refresh it (auth/user.py, enforce_idle_timeout).
  // htmx polls ("every …", also after "load, ") with no event; a click on the same element has one.
  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    var trigger = elt.getAttribute("hx-trigger") || elt.getAttribute("data-hx-trigger") || "";
    if (!event.detail.triggeringEvent && /(^|,)\s*every\s/.test(trigger)) {
      event.detail.headers["X-Trygg-Poll"] = "1";
    }
  });

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("hx-post") && event.target.getAttribute("hx-boost") === "false") {
      guardSubmit(event);
    }
  }, true);
  // The print pages' button (the tilsynsplan on A4, an observation put together).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  // After boosted navigation, move focus to the new page for screen readers.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.boosted) {
      var main = document.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    }
  });

  return { init: init, relativePoint: relativePoint, drawMark: drawMark };
});
