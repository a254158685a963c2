// Skolegårdsundersøkelsen: the pupil's marks on a fresh map, one kind at a time. No inline script (CSP).
// Each tap adds a hidden "mark" field (kind:x:y); the server works out the zone. The map is the page's
// own: a new talk is a new page, so no pupil ever sees another's marks.
Trygg.module("survey", function () {
  "use strict";
  var SHAPES = { leke: "circle", utrygt: "cross", voksne: "triangle" };

  function redraw(form, figure) {
    var marks = figure.querySelector("g.marks");
    while (marks.firstChild) marks.removeChild(marks.firstChild);
    var fields = form.querySelectorAll("#survey-marks input[name=mark]");
    fields.forEach(function (field) {
      var parts = field.value.split(":");
      Trygg.modules.trygg.drawMark(figure, +parts[1], +parts[2], SHAPES[parts[0]], "survey-" + parts[0]);
    });
    var count = form.querySelector("#survey-mark-count");
    if (count) count.textContent = fields.length + " kryss på kartet";
  }

  function init(root) {
    var form = (root.querySelector ? root : document).querySelector("#survey-form");
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var figure = form.querySelector("#survey-map");
    if (!figure) return;
    figure.classList.add("tappable");
    figure.addEventListener("click", function (event) {
      var kind = form.querySelector("input[name=merke]:checked");
      var p = Trygg.modules.trygg.relativePoint(figure, event);
      var field = document.createElement("input");
      field.type = "hidden"; field.name = "mark";
      field.value = (kind ? kind.value : "leke") + ":" + p[0].toFixed(4) + ":" + p[1].toFixed(4);
      form.querySelector("#survey-marks").appendChild(field);
      redraw(form, figure);
    });
    form.addEventListener("click", function (event) {
      if (!event.target.dataset || event.target.dataset.action !== "undo-mark") return;
      var fields = form.querySelectorAll("#survey-marks input[name=mark]");
      if (fields.length) fields[fields.length - 1].remove();
      redraw(form, figure);
    });
    window.addEventListener("resize", function () { redraw(form, figure); });
    redraw(form, figure);
  }

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  return { init: init };
});
