// Observation logs: nothing typed is lost. Every keystroke in an autosaving form
// (data-autosave="<key>") is kept in localStorage until the server has confirmed
// it; htmx sends the form as the user types; a failed send is retried when the
// network is back, and a page opened again puts unsent text back and sends it.
// Loaded by the observation pages only; safe to load more than once.
(function () {
  "use strict";
  if (window.TryggAutosave) { window.TryggAutosave.init(document); return; }

  var PREFIX = "trygg-utkast:";
  var RETRY_MS = 15000;

  function storageKey(form) { return PREFIX + form.dataset.autosave; }

  function readDraft(form) {
    try { return JSON.parse(window.localStorage.getItem(storageKey(form)) || "{}"); }
    catch (e) { return {}; }
  }

  function writeDraft(form, draft) {
    try {
      if (Object.keys(draft).length) window.localStorage.setItem(storageKey(form), JSON.stringify(draft));
      else window.localStorage.removeItem(storageKey(form));
    } catch (e) { /* storage full or blocked: the send still goes */ }
  }

  function autosaveForm(element) {
    var form = element && (element.form || element.closest && element.closest("form"));
    return form && form.dataset && form.dataset.autosave ? form : null;
  }

  function statusOf(form) {
    var target = form.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }

  function setStatus(form, text, isError) {
    var status = statusOf(form);
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function isPending(form) { return Object.keys(readDraft(form)).length > 0; }

  function resend(form) {
    if (form.dataset.sending || !window.htmx) return;
    window.htmx.trigger(form, "resend");
  }

  // Put unsent text back into the fields and send it.
  function restore(form) {
    if (form.dataset.autosaveReady) return;
    form.dataset.autosaveReady = "1";
    var draft = readDraft(form);
    var names = Object.keys(draft);
    if (!names.length) return;
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value !== draft[name]) field.value = draft[name];
    });
    var details = form.closest("details");
    if (details) details.open = true;
    setStatus(form, "Fant tekst som ikke var lagret. Lagrer nå …");
    // htmx must have processed the form before it can send it
    setTimeout(function () { resend(form); }, 0);
  }

  function init(root) {
    (root || document).querySelectorAll("form[data-autosave]").forEach(restore);
  }

  document.addEventListener("input", function (event) {
    var form = autosaveForm(event.target);
    if (!form || !event.target.name) return;
    var draft = readDraft(form);
    draft[event.target.name] = event.target.value;
    writeDraft(form, draft);
    setStatus(form, "Ikke lagret ennå …");
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    var sent = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.type !== "hidden" && field.type !== "submit") sent[field.name] = field.value;
    });
    form._sentValues = sent;
    form.dataset.sending = "1";
    setStatus(form, "Lagrer …");
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    delete form.dataset.sending;
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 200) {
      // forget only what the server has now; text typed meanwhile stays pending
      var draft = readDraft(form), sent = form._sentValues || {};
      Object.keys(sent).forEach(function (name) {
        if (draft[name] === sent[name]) delete draft[name];
      });
      writeDraft(form, draft);
      if (Object.keys(draft).length) resend(form);
    } else if (!xhr || xhr.status === 0 || xhr.status >= 500) {
      setStatus(form, "Ikke lagret: ingen forbindelse. Teksten er tatt vare på på denne telefonen " +
                      "og sendes når nettet er tilbake.", true);
    }
  });

  // htmx does not swap on network errors or timeouts; say so where the user looks
  function offline(event) {
    var form = autosaveForm(event.detail.elt);
    if (form) {
      delete form.dataset.sending;
      setStatus(form, "Ikke lagret: ingen forbindelse. Teksten er tatt vare på på denne telefonen " +
                      "og sendes når nettet er tilbake.", true);
    }
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);

  function resendAll() {
    if (navigator.onLine === false) return;
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (isPending(form)) resend(form);
    });
  }
  window.addEventListener("online", resendAll);
  setInterval(resendAll, RETRY_MS);

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });

  window.TryggAutosave = { init: init, readDraft: readDraft };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
