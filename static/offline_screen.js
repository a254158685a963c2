// The offline capture screen (/frakoblet, templates/offline/shell.html): the user's recent pupils and zones
// from the phone as chips, and the list of what is not sent, each item to open, correct or discard.
// Saving and sending are offline.js's; the outbox is outbox.js. No build step, no inline script (CSP).
Trygg.module("offlineScreen", function () {
  "use strict";
  var outbox = window.TryggOutbox;
  var offline = Trygg.modules.offline;
  // what an item's page shows of it, in the form's words
  var SHOWN_FIELDS = [["observed_date", "Dato"], ["observed_time", "Klokkeslett"], ["context", "Sammenheng"],
    ["facts", "Hva så du?"], ["comment", "Kommentar"], ["adult_involved", "Den voksne"]];

  // The offline screen's form: the user's recent pupils and zones from the phone, the kind from the address.
  function offlineScreen(form) {
    outbox.lastUser().then(function (who) {
      offline.setUser(who);
      var note = document.querySelector("[data-offline-note]");
      if (!who) {
        document.querySelector("[data-offline-nobody]").hidden = false;
        if (note) note.hidden = true;
        return null;
      }
      form.hidden = false;
      if (/\/ny\/positiv/.test(location.pathname)) form.querySelector("#kind-positive").checked = true;
      offline.freshForm(form);
      offline.send(false);  // the page load's sending, now that the screen knows whose outbox it is
      return outbox.recent(who).then(function (recent) { fillRecent(form, recent); });
    });
  }

  // The recent pupils and zones as chips, as the online form draws them.
  function fillRecent(form, recent) {
    if (!recent) return;
    var list = form.querySelector("#pupil-choices");
    recent.pupils.forEach(function (pupil) { list.appendChild(pupilOption(pupil)); });
    var none = form.querySelector("label[for=zone-none]");
    recent.zones.slice().reverse().forEach(function (zone) {
      var radio = document.createElement("input"), label = document.createElement("label");
      radio.className = "toggle"; radio.type = "radio"; radio.name = "zone_id";
      radio.id = "zone-" + zone.id; radio.value = zone.id;
      label.className = "chip"; label.htmlFor = radio.id; label.textContent = zone.name;
      none.after(radio, label);
    });
  }

  // A pupil chip, as capture/_pupil_options.html draws one (capture.js adds the roles when chosen).
  function pupilOption(pupil) {
    var key = "pupil-" + pupil.id;
    var option = document.createElement("li"), box = document.createElement("input");
    var label = document.createElement("label");
    option.className = "pupil-option";
    option.dataset.pupil = pupil.id; option.dataset.name = pupil.name; option.dataset.key = key;
    box.className = "toggle pupil-check"; box.type = "checkbox"; box.id = key; box.name = "pupil";
    box.value = pupil.id;
    label.className = "chip"; label.htmlFor = key; label.textContent = pupil.name;
    if (pupil.class_name) {
      var className = document.createElement("span");
      className.className = "class-name";
      className.textContent = pupil.class_name;
      label.append(" ", className);
    }
    option.append(box, label);
    return option;
  }

  function showList(items) {
    var section = document.querySelector("[data-outbox-list-section]");
    var template = document.getElementById("outbox-item-template");
    if (!section || !template) return;
    var list = section.querySelector("[data-outbox-list]");
    while (list.firstChild) list.removeChild(list.firstChild);
    section.hidden = items.length === 0;
    items.forEach(function (item) {
      var entry = template.content.firstElementChild.cloneNode(true);
      entry.dataset.clientId = item.client_id;
      entry.querySelector("[data-item-summary]").textContent = item.summary.kind + " · " + item.summary.when +
        " · " + item.summary.pupils + (item.state === "refused" ? " – ikke tatt imot" : " – venter");
      var fields = entry.querySelector("[data-item-fields]");
      var values = {};
      item.fields.forEach(function (pair) { values[pair[0]] = pair[1]; });
      SHOWN_FIELDS.forEach(function (shown) {
        if (!values[shown[0]]) return;
        var term = document.createElement("dt"), value = document.createElement("dd");
        term.textContent = shown[1];
        value.textContent = values[shown[0]];
        fields.appendChild(term);
        fields.appendChild(value);
      });
      if (item.state === "refused") {
        var reason = entry.querySelector("[data-item-reason]");
        reason.textContent = "Ikke tatt imot: " + item.reason;
        reason.hidden = false;
        entry.querySelector("[data-action=outbox-correct]").hidden = false;
      }
      list.appendChild(entry);
    });
  }

  // Open a refused item in the server's capture form, its form id kept (POST /registrer/utkast, as a draft).
  function correct(clientId) {
    outbox.get(clientId).then(function (item) {
      if (!item) return null;
      return outbox.status(false).then(function (signedIn) {
        if (signedIn.state === "logged-out") { offline.answered(signedIn); return; }
        if (signedIn.state !== "ok") {
          offline.announce("Du trenger nett for å rette. Prøv igjen når nettet er tilbake.");
          return;
        }
        var post = document.createElement("form");
        post.method = "post";
        post.action = "/registrer/utkast";
        item.fields.concat([["csrf_token", signedIn.token]]).forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
          post.appendChild(input);
        });
        document.body.appendChild(post);
        post.submit();
      });
    });
  }

  // Discarding takes two taps: the first asks, the second discards.
  function discard(button, clientId) {
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = "Trykk igjen for å forkaste for godt";
      return;
    }
    outbox.remove(clientId).then(function () {
      offline.announce("Registreringen er forkastet.");
      return offline.refresh();
    });
  }

  function init(root) {
    var scope = root && root.querySelector ? root : document;
    var form = scope.querySelector("#capture-form[data-offline-form]");
    if (!outbox || !form || form.dataset.offlineScreen) return;
    form.dataset.offlineScreen = "1";
    offlineScreen(form);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest &&
      event.target.closest("[data-action=outbox-correct], [data-action=outbox-discard]");
    if (!button) return;
    var clientId = button.closest("[data-client-id]").dataset.clientId;
    if (button.dataset.action === "outbox-correct") correct(clientId);
    else discard(button, clientId);
  });

  return { init: init, showList: showList };
});
