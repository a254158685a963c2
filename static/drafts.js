// Drafts: text about pupils typed into a form, kept in this browser (localStorage) until the server
// has it, so a lost connection, a closed tab or a session that ended meanwhile loses nothing. The
// capture form (capture.js) and the observation logs (observation_log.js) keep theirs here.
// A draft belongs to the user signed in (data-draft-user, on the log-out form in every page's header),
// stored as "trygg-draft:<user id>:<name>" = {saved: ms, data}: a user is given only their own.
// Logging out (a form marked data-clear-drafts) removes that user's drafts; another user's, left on
// a shared phone when their session ended by itself, stay for them.
Trygg.module("drafts", function () {
  "use strict";
  var PREFIX = "trygg-draft:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }  // blocked: the forms work, nothing is kept
  }

  // The user signed in: the log-out form comes before any form of the page that asks.
  function user() {
    var element = document.querySelector("[data-draft-user]");
    return element ? element.dataset.draftUser : null;
  }

  function keyOf(who, name) { return PREFIX + who + ":" + name; }

  function parse(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  // The data of this user's draft `name`, or null.
  function get(name) {
    var store = storage(), who = user();
    var draft = store && who ? parse(store.getItem(keyOf(who, name))) : null;
    return draft ? draft.data : null;
  }

  function put(name, data) {
    var store = storage(), who = user();
    if (!store || !who) return;
    try {
      store.setItem(keyOf(who, name), JSON.stringify({ saved: Date.now(), data: data }));
    } catch (e) { /* storage full: the form still sends */ }
  }

  function remove(name) {
    var store = storage(), who = user();
    if (store && who) store.removeItem(keyOf(who, name));
  }

  // This user's drafts whose names start with `start`: [{name, saved, data}].
  function list(start) {
    var store = storage(), who = user(), found = [];
    if (!store || !who) return found;
    var mine = keyOf(who, "");
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (!key || key.indexOf(mine + start) !== 0) continue;
      var draft = parse(store.getItem(key));
      if (draft) found.push({ name: key.slice(mine.length), saved: draft.saved, data: draft.data });
    }
    return found;
  }

  // The user's drafts, and any Trygg kept without a user (older versions did), which no one else may get.
  function clear(who) {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf("trygg-") === 0 && (key.indexOf(PREFIX) !== 0 || key.indexOf(keyOf(who, "")) === 0)) {
        store.removeItem(key);
      }
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-clear-drafts") && form.dataset.draftUser) clear(form.dataset.draftUser);
  }, true);

  return { get: get, put: put, remove: remove, list: list };
});
