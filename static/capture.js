// Capture form: map taps, default roles, found pupils kept, conflict answers shown. No inline script (CSP).
Trygg.module("capture", function () {
  "use strict";

  function inside(polygon, x, y) {
    var hit = false;
    for (var i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      var xi = polygon[i][0], yi = polygon[i][1], xj = polygon[j][0], yj = polygon[j][1];
      if ((yi > y) !== (yj > y) && x < xi + (y - yi) * (xj - xi) / (yj - yi)) hit = !hit;
    }
    return hit;
  }

  function drawPoint(form) {
    var figure = form.querySelector("#capture-map");
    if (!figure) return;
    var marks = figure.querySelector("g.marks");
    var x = parseFloat(form.elements.map_x.value), y = parseFloat(form.elements.map_y.value);
    while (marks.firstChild) marks.removeChild(marks.firstChild);
    if (isNaN(x) || isNaN(y)) return;
    Trygg.modules.trygg.drawMark(figure, x, y, "circle");
  }

  // A tap on the map stores the point (0..1) and chooses the zone it falls in.
  function tapMap(form, figure, event) {
    var p = Trygg.modules.trygg.relativePoint(figure, event);
    form.elements.map_x.value = p[0].toFixed(4);
    form.elements.map_y.value = p[1].toFixed(4);
    var radios = form.querySelectorAll("input[name=zone_id][data-polygon]");
    for (var i = 0; i < radios.length; i++) {
      try {
        if (inside(JSON.parse(radios[i].dataset.polygon), p[0], p[1])) { radios[i].checked = true; break; }
      } catch (e) { /* a zone without an outline */ }
    }
    drawPoint(form);
  }

  function clearPoint(form) {
    form.elements.map_x.value = ""; form.elements.map_y.value = ""; drawPoint(form);
  }

  // Chosen from the list, a zone the point is not in wins: the point is dropped.
  function zoneChosen(form, radio) {
    if (!form.elements.map_x) return;  // a school without a map, and the offline screen
    var x = parseFloat(form.elements.map_x.value), y = parseFloat(form.elements.map_y.value);
    if (isNaN(x)) return;
    var polygon = radio.dataset.polygon ? JSON.parse(radio.dataset.polygon) : [];
    if (!polygon.length || !inside(polygon, x, y)) clearPoint(form);
  }

  // A chosen pupil gets the role buttons (kept small: the page sends them once, in a template).
  function addRoles(form, option) {
    if (option.querySelector(".roles")) return;
    var roles = form.querySelector("#role-template").content.firstElementChild.cloneNode(true);
    var key = option.dataset.key, pupil = option.dataset.pupil;
    roles.querySelector("legend").textContent = "Rolle for " + option.dataset.name;
    roles.querySelectorAll("input").forEach(function (input, index) {
      input.id = key + "-" + (index + 1);
      input.name = "role_" + pupil;
      input.nextElementSibling.setAttribute("for", input.id);
    });
    option.appendChild(roles);
  }

  // The first pupil chosen is "utsatt", the next ones "utøver", unless the user picked a role.
  function pupilChosen(form, box) {
    var option = box.closest(".pupil-option");
    var list = form.querySelector("#pupil-choices");
    if (option.parentNode !== list) list.insertBefore(option, list.firstChild);  // keep it past the next search
    if (box.checked) addRoles(form, option);
    if (!box.checked || option.dataset.roleTouched) return;
    var others = form.querySelectorAll(".pupil-option .pupil-check:checked");
    var victimTaken = false;
    for (var i = 0; i < others.length; i++) {
      if (others[i] === box) continue;
      var role = form.querySelector("input[name=role_" + others[i].value + "]:checked");
      if (role && role.value === "utsatt") victimTaken = true;
    }
    var wanted = option.querySelector("input[type=radio][value=" + (victimTaken ? "utøver" : "utsatt") + "]");
    if (wanted) wanted.checked = true;
  }

  function init(root) {
    var form = (root.querySelector ? root : document).querySelector("#capture-form");
    if (!form && root.id === "capture-form") form = root;
    if (!form || form.dataset.ready) return;
    form.dataset.ready = "1";
    var figure = form.querySelector("#capture-map");
    if (figure) {
      figure.classList.add("tappable");
      figure.addEventListener("click", function (event) { tapMap(form, figure, event); });
      drawPoint(form);
      window.addEventListener("resize", function () { drawPoint(form); });  // turned phone: same size on screen
    }
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.classList.contains("pupil-check")) pupilChosen(form, target);
      else if (target.name === "zone_id") zoneChosen(form, target);
      else if (/^role_/.test(target.name)) target.closest(".pupil-option").dataset.roleTouched = "1";
    });
    form.addEventListener("click", function (event) {
      if (event.target.dataset && event.target.dataset.action === "clear-map-point") clearPoint(form);
    });
    // Enter in the search field searches; it must not save the record (the offline screen has no search).
    var search = form.querySelector("#pupil-q");
    if (search) {
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
    }
  }

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  // Found pupils already on the list are not shown twice.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.target || event.target.id !== "pupil-results") return;
    var list = document.getElementById("pupil-choices");
    event.target.querySelectorAll(".pupil-option").forEach(function (found) {
      if (list.querySelector(".pupil-option[data-pupil='" + found.dataset.pupil + "']")) found.remove();
    });
  });
  // The search leaves out pupils already on the list (recent or chosen).
  document.addEventListener("htmx:configRequest", function (event) {
    var list = document.getElementById("pupil-choices");
    if (!list || !event.detail.elt || !event.detail.elt.closest(".pupil-search")) return;
    event.detail.parameters.shown = Array.prototype.map.call(
      list.querySelectorAll(".pupil-option"), function (option) { return option.dataset.pupil; });
  });
  // A conflict (409) is a form with a message: show it like a validation error.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  return { init: init };
});

// Drafts: what is typed into a new capture form is kept on the phone (drafts.js, named by the
// form's id) until the server has saved it, so an idle log-out (401 → log-in) loses nothing.
// The receipt page (data-capture-saved) removes the saved form's draft; log-out removes them all.
Trygg.module("captureDrafts", function () {
  "use strict";
  var drafts = Trygg.modules.drafts;
  var NAME = "capture:";
  var MAX_AGE = 7 * 24 * 3600 * 1000;  // older drafts are dropped, not offered

  function worthKeeping(fields) {
    return fields.some(function (pair) {
      return (pair[0] === "facts" || pair[0] === "comment" || pair[0] === "pupil" || pair[0] === "label") &&
        String(pair[1]).trim() !== "";
    });
  }

  function save(form) {
    var id = form.elements.client_id && form.elements.client_id.value;
    if (!id) return;
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") fields.push([name, value]);
    });
    if (worthKeeping(fields)) drafts.put(NAME + id, fields);
    else drafts.remove(NAME + id);
  }

  // The user's newest draft other than the form now open (old ones are removed).
  function newest(form) {
    var current = NAME + form.elements.client_id.value, best = null;
    drafts.list(NAME).forEach(function (draft) {
      if (draft.name === current) return;
      if (Date.now() - draft.saved > MAX_AGE) drafts.remove(draft.name);
      else if (!best || draft.saved > best.saved) best = draft;
    });
    return best;
  }

  // The server renders the form again from the draft (pupils, roles, map point and all).
  function restore(form, found) {
    var post = document.createElement("form");
    post.method = "post";
    post.action = form.dataset.restoreUrl;
    var fields = found.data.concat([["csrf_token", form.elements.csrf_token.value]]);
    fields.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      post.appendChild(input);
    });
    document.body.appendChild(post);
    post.submit();
  }

  function offer(form) {
    var box = form.querySelector("#draft-offer");
    if (!box || !form.elements.client_id) return;
    var found = newest(form);
    if (!found) return;
    var when = new Date(found.saved);
    box.querySelector("[data-draft-when]").textContent =
      when.toLocaleDateString("nb-NO") + " kl. " + when.toLocaleTimeString("nb-NO", { hour: "2-digit", minute: "2-digit" });
    box.hidden = false;
    box.addEventListener("click", function (event) {
      var action = event.target.dataset && event.target.dataset.action;
      if (action === "restore-draft") restore(form, found);
      else if (action === "discard-draft") {
        drafts.remove(found.name);
        box.hidden = true;
      }
    });
  }

  function init(root) {
    var scope = root.querySelector ? root : document;
    scope.querySelectorAll("[data-capture-saved]").forEach(function (saved) {
      drafts.remove(NAME + saved.dataset.captureSaved);
    });
    var form = scope.querySelector("#capture-form[data-draft-user]");
    if (!form && root.id === "capture-form" && root.dataset.draftUser) form = root;
    if (!form || form.dataset.drafts) return;
    form.dataset.drafts = "1";
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
    if (form.dataset.restored) save(form);  // the restored text is kept under its own form id again
    else offer(form);
  }

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  return { init: init };
});
