// Offline capture on the page: the service worker, the outbox's badge and list, and sending.
// No build step, no inline script (CSP). The outbox itself is outbox.js; the service worker sw.js.
//
// - A new capture made with no network (navigator.onLine is false, or the save could not reach the server)
//   goes to the outbox at once, and the screen says so in its live region; the form is ready for the next.
// - The offline capture screen (/frakoblet, data-offline-form) always saves to the outbox, then sends;
//   its own part (the user's chips from the phone, the list of items) is offline_screen.js.
// - The outbox is sent on page load, when the network returns, when the app comes to the foreground, on a
//   timer, and by the service worker's Background Sync; each time with a fresh CSRF token (outbox.js).
// - The user's recent pupils and zones are kept from each online capture form, for the offline screen.
// - Logging out is refused while the user's items wait; logging out forgets the user's recent pupils.
Trygg.module("offline", function () {
  "use strict";
  var outbox = window.TryggOutbox;
  var script = document.currentScript;  // read now: it is null once this script has run
  var SW_URL = script && script.dataset.sw;
  var SAVED = "Lagret på telefonen — sendes når nettet er tilbake";
  var FLUSH_EVERY_MS = 30 * 1000;
  var SYNC_TAG = "trygg-outbox";
  var lastUser = null;  // on the offline screen: the last user signed in on this phone (offline_screen.js)

  // The user the outbox is for: the one signed in (the log-out form names them), else, on the offline
  // screen, the last one signed in on this phone.
  function user() {
    var element = document.querySelector("[data-draft-user]");
    return element ? element.dataset.draftUser : lastUser;
  }

  function bar() { return document.querySelector("[data-outbox-bar]"); }
  function part(name) { var box = bar(); return box ? box.querySelector("[data-outbox-" + name + "]") : null; }

  // Say it in the live region (screen readers announce it).
  function announce(text) {
    var status = part("status");
    if (status) status.textContent = text;
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function two(number) { return (number < 10 ? "0" : "") + number; }

  // A new form: a new form id, and the time of this moment (the phone's clock, as the server's form does).
  function freshForm(form) {
    var now = new Date();
    form.elements.client_id.value = newClientId();
    form.elements.opened_at.value = now.toISOString();
    form.elements.observed_date.value = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate());
    form.elements.observed_time.value = two(now.getHours()) + ":" + two(now.getMinutes());
  }

  function isNewCapture(form) {
    return form && form.id === "capture-form" && form.elements.client_id && !form.elements.version;
  }

  function labelOf(form, input) {
    var label = input && form.querySelector("label[for='" + input.id + "']");
    return label ? label.firstChild.textContent.trim() : "";
  }

  // A line to know the item by: kind, when, who.
  function summaryOf(form) {
    var pupils = Array.prototype.map.call(form.querySelectorAll(".pupil-check:checked"), function (box) {
      return box.closest(".pupil-option").dataset.name;
    });
    return {
      kind: labelOf(form, form.querySelector("input[name=kind]:checked")),
      when: form.elements.observed_date.value.split("-").reverse().join(".") + " kl. " +
        form.elements.observed_time.value,
      pupils: pupils.join(", ") || "Uklart hvem",
    };
  }

  // ----------------------------------------------------------------- saving on the phone

  function keepOnPhone(form) {
    var who = user();
    if (!who) { announce("Logg inn igjen når du har nett, så kan du lagre."); return; }
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") fields.push([name, value]);
    });
    var item = { client_id: form.elements.client_id.value, user: String(who), fields: fields, saved: Date.now(),
      state: "waiting", reason: "", summary: summaryOf(form) };
    outbox.put(item).then(function () {
      announce(SAVED);
      var drafts = Trygg.modules.drafts;
      if (drafts) drafts.remove("capture:" + item.client_id);  // the outbox has it now
      form.reset();
      freshForm(form);
      window.scrollTo(0, 0);
      askForSync();
      return refresh().then(function () { if (navigator.onLine !== false) return send(false); });
    }, function () {
      announce("Telefonen kunne ikke lagre registreringen. Prøv «Lagre» igjen når du har nett.");
    });
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(SYNC_TAG);
      return null;
    }).catch(function () { /* no Background Sync: the page's own triggers send it */ });
  }

  // ----------------------------------------------------------------- sending

  var sending = null;

  // Send the user's waiting items, if any; `poll`: on a timer (does not keep an idle session alive).
  function send(poll) {
    var who = user();
    if (!bar() || !who || !outbox) return Promise.resolve();
    if (sending) return sending;
    sending = outbox.list(who).then(function (items) {
      if (!items.some(function (item) { return item.state === "waiting"; })) return null;
      return outbox.flush({ poll: poll }).then(answered);
    }).catch(function () { return null; }).then(function () {
      sending = null;
      return refresh();
    });
    return sending;
  }

  function plural(count, one, many) { return count + " " + (count === 1 ? one : many); }

  // What became of a sending, on the screen.
  function answered(summary) {
    var session = part("session");
    if (summary.state === "logged-out") {
      if (session) session.hidden = false;
      announce("Du er logget ut. Logg inn igjen, så sendes det som ligger på telefonen.");
      return;
    }
    if (session && summary.state === "ok") session.hidden = true;
    if (summary.user && summary.user !== user()) return;  // someone else is signed in: theirs only
    var said = [];
    if (summary.sent) said.push(plural(summary.sent, "registrering er sendt.", "registreringer er sendt."));
    if (summary.refused) {
      said.push(plural(summary.refused, "registrering", "registreringer") +
        " ble ikke tatt imot. Se «Ikke sendt» for hvorfor, og rett eller forkast.");
    }
    if (said.length) announce(said.join(" "));
  }

  // ----------------------------------------------------------------- the badge and the list

  function refresh() {
    var who = user();
    if (!bar() || !who || !outbox) return Promise.resolve();
    return outbox.list(who).then(function (items) {
      var badge = part("badge");
      if (badge) {
        badge.hidden = items.length === 0;
        part("count").textContent = String(items.length);
      }
      var logout = part("logout");
      if (logout && !logout.hidden && items.length === 0) {
        logout.hidden = true;
        announce("Alt er sendt. Nå kan du logge ut.");
      }
      var screenModule = Trygg.modules.offlineScreen;  // the offline screen's list (offline_screen.js)
      if (screenModule) screenModule.showList(items);
      return items;
    }, function () { return []; });
  }

  // ----------------------------------------------------------------- log-out

  // Refused while the user's items wait; else the user's recent pupils are forgotten, then the log-out goes on.
  function logoutAsked(event, form) {
    if (form.dataset.outboxChecked) return;
    event.preventDefault();
    event.stopImmediatePropagation();  // drafts.js and the double-submit guard wait for the answer
    var who = form.dataset.draftUser, submitter = event.submitter;
    var goOn = function () {
      form.dataset.outboxChecked = "1";
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    };
    if (!outbox) { goOn(); return; }
    outbox.list(who).then(function (items) {
      if (!items.length) {
        return Promise.all([outbox.forgetRecent(who), outbox.forgetLastUser()]).then(goOn, goOn);
      }
      var box = part("logout");
      box.querySelector("[data-outbox-logout-count]").textContent =
        plural(items.length, "registrering som ikke er sendt,", "registreringer som ikke er sendt,");
      box.hidden = false;
      box.focus();
      announce("Du kan ikke logge ut ennå: noe er ikke sendt.");
      return null;
    }, goOn);  // no IndexedDB here: nothing is kept on the phone, so nothing is lost
  }

  // ----------------------------------------------------------------- what the page holds

  // An online capture form: keep its recent pupils and zones for the offline screen, for this user only.
  function keepRecent(form) {
    var who = user();
    if (!who || !outbox || form.hasAttribute("data-offline-form")) return;
    var pupils = Array.prototype.map.call(form.querySelectorAll("#pupil-choices .pupil-option"), function (option) {
      var className = option.querySelector(".class-name");
      return { id: option.dataset.pupil, name: option.dataset.name,
        class_name: className ? className.textContent : "" };
    });
    var zones = Array.prototype.filter.call(form.querySelectorAll("input[name=zone_id]"), function (radio) {
      return radio.value;
    }).map(function (radio) { return { id: radio.value, name: labelOf(form, radio) }; });
    outbox.saveRecent(who, { pupils: pupils, zones: zones, saved: Date.now() }).catch(function () {});
  }

  function init(root) {
    if (!outbox) return;
    var scope = root && root.querySelector ? root : document;
    var form = scope.querySelector("#capture-form") || (root && root.id === "capture-form" ? root : null);
    if (form && !form.dataset.offline && isNewCapture(form)) {
      form.dataset.offline = "1";
      keepRecent(form);
    }
    var saved = scope.querySelectorAll("[data-capture-saved]");  // a receipt: that form id is on the server
    var removed = Array.prototype.map.call(saved, function (element) {
      return outbox.remove(element.dataset.captureSaved).catch(function () {});
    });
    // a page put in by boosted navigation brings an empty bar (htmx:load on it, or on what holds it)
    var hasBar = (scope.matches && scope.matches("[data-outbox-bar]")) || scope.querySelector("[data-outbox-bar]");
    if (hasBar || removed.length) Promise.all(removed).then(refresh);
  }

  // ----------------------------------------------------------------- set up once per page

  if (outbox) {
    window.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.hasAttribute("data-clear-drafts")) { logoutAsked(event, form); return; }
      if (!isNewCapture(form)) return;
      if (form.hasAttribute("data-offline-form") || navigator.onLine === false) {
        event.preventDefault();
        event.stopImmediatePropagation();  // htmx does not try a network that is not there
        keepOnPhone(form);
      }
    }, true);  // on window, capturing: before htmx and the other scripts see the submit
    // the save could not reach the server (the network or the server is down): the outbox keeps it
    ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
      document.addEventListener(name, function (event) {
        var form = event.detail && event.detail.elt;
        if (isNewCapture(form)) keepOnPhone(form);
      });
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("[data-action=outbox-send]");
      if (!button) return;
      if (navigator.onLine === false) announce("Ingen nett nå. Det sendes når nettet er tilbake.");
      else send(false);
    });
    document.addEventListener("htmx:load", function (event) { init(event.target); });
    window.addEventListener("online", function () { send(false); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") send(false);
    });
    setInterval(function () { send(true); }, FLUSH_EVERY_MS);
    if ("serviceWorker" in navigator) {
      if (SW_URL) navigator.serviceWorker.register(SW_URL, { scope: "/" }).catch(function () {});
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.outbox) { answered(event.data.outbox); refresh(); }
      });
    }
    if (user()) outbox.setLastUser(user()).catch(function () {});
    // ask the phone to keep the outbox even when storage runs low (iOS still clears sites unused for 7 days)
    if (user() && navigator.storage && navigator.storage.persist) {
      navigator.storage.persisted().then(function (kept) { return kept || navigator.storage.persist(); })
        .catch(function () {});
    }
    send(false);  // page load
  }

  // for the offline screen (offline_screen.js): whose outbox it shows, and the shared pieces
  function setUser(who) { lastUser = who || null; }

  return { init: init, send: send, refresh: refresh, announce: announce, answered: answered,
    freshForm: freshForm, labelOf: labelOf, setUser: setUser, user: user };
});
