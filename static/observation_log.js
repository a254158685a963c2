// Observation logs: nothing typed is lost. Every keystroke in an autosaving form
// (data-autosave="<key>") is kept as a draft on the phone (drafts.js) until the
// server has confirmed it; htmx sends the form as the user types; a failed send is
// retried when the network is back, and a page opened again puts unsent text back and sends it.
// An answer that a retry cannot change (400/403/404/409/422) stops the retries
// for that draft: the text is kept and the user is told what went wrong.
// A field marked data-draft-base (e.g. the analysis' version) is remembered with
// the draft, so text restored later is still sent as based on what it was based on.
// Drafts are the user's own and go when they log out (drafts.js).
// Loaded by the observation pages that write.
Trygg.module("observationLog", function () {
  "use strict";
  var drafts = Trygg.modules.drafts;
  var RETRY_MS = 15000;
  var BASE = "__base", STOPPED = "__stopped";
  var KEPT = " Teksten din er tatt vare på på denne telefonen, men sendes ikke på nytt av seg selv.";
  var OFFLINE = "Ikke lagret: ingen forbindelse. Teksten er tatt vare på på denne telefonen " +
                "og sendes når nettet er tilbake.";
  var PROBLEMS = {
    400: "Ikke lagret: siden er for gammel eller du er logget ut. Last siden på nytt eller logg inn igjen, og lagre.",
    403: "Ikke lagret: du har ikke lov til å skrive her (lenger). Kopier teksten om du trenger den.",
    404: "Ikke lagret: finner ikke det du skriver i – det kan være slettet. Kopier teksten om du trenger den.",
    409: "Ikke lagret: noen andre har lagret mens du skrev. Trykk «Lagre» for å se den andre teksten og velge.",
    422: "Ikke lagret: noe i teksten må rettes (for eksempel for lang tekst eller ugyldig dato)."
  };

  function nameOf(form) { return "observation:" + form.dataset.autosave; }

  function readDraft(form) { return drafts.get(nameOf(form)) || {}; }

  // The names of typed fields in a draft (not the bookkeeping).
  function textNames(draft) {
    return Object.keys(draft).filter(function (name) { return name.indexOf("__") !== 0; });
  }

  function writeDraft(form, draft) {
    if (textNames(draft).length) drafts.put(nameOf(form), draft);
    else drafts.remove(nameOf(form));
  }

  function baseFields(form) { return form.querySelectorAll("[data-draft-base]"); }

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

  function isPending(form) { return textNames(readDraft(form)).length > 0; }

  function isStopped(form) { return !!readDraft(form)[STOPPED]; }

  function resend(form) {
    if (form.dataset.sending || !window.htmx) return;
    window.htmx.trigger(form, "resend");
  }

  // Put unsent text back into the fields and send it (unless the server refused it before).
  function restore(form) {
    if (form.dataset.autosaveReady) return;
    form.dataset.autosaveReady = "1";
    var draft = readDraft(form);
    var names = textNames(draft);
    if (!names.length) return;
    names.forEach(function (name) {
      var field = form.elements[name];
      if (field && field.value !== draft[name]) field.value = draft[name];
    });
    var base = draft[BASE] || {};
    Object.keys(base).forEach(function (name) {
      var field = form.elements[name];
      if (field) field.value = base[name];
    });
    var details = form.closest("details");
    if (details) details.open = true;
    if (draft[STOPPED]) {
      setStatus(form, "Fant tekst som ikke ble lagret. " + (PROBLEMS[draft[STOPPED]] || "") + KEPT, true);
      return;
    }
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
    if (!textNames(draft).length) {
      // the first unsent keystroke: remember what this text is based on
      draft[BASE] = {};
      baseFields(form).forEach(function (field) { draft[BASE][field.name] = field.value; });
    }
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

  // The server explains a refusal with its own save-status line (e.g. a conflict to resolve):
  // show it, where htmx would otherwise drop an error answer.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event.detail.elt), xhr = event.detail.xhr;
    if (!form || !xhr || xhr.status < 400 || xhr.status >= 500) return;
    if ((xhr.responseText || "").indexOf("save-status") !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) return;
    delete form.dataset.sending;
    var xhr = event.detail.xhr;
    var draft = readDraft(form);
    if (xhr && xhr.status === 200) {
      // forget only what the server has now; text typed meanwhile stays pending
      var sent = form._sentValues || {};
      Object.keys(sent).forEach(function (name) {
        if (draft[name] === sent[name]) delete draft[name];
      });
      delete draft[STOPPED];
      var base = xhr.getResponseHeader("X-Draft-Base");
      if (base !== null) {
        // what is left to send is now based on what the server just saved
        draft[BASE] = {};
        baseFields(form).forEach(function (field) { field.value = base; draft[BASE][field.name] = base; });
      }
      writeDraft(form, draft);
      if (textNames(draft).length) resend(form);
    } else if (xhr && xhr.status >= 400 && xhr.status < 500) {
      // a retry gets the same answer: keep the text, stop resending it
      draft[STOPPED] = xhr.status;
      writeDraft(form, draft);
      var status = statusOf(form);
      if ((xhr.responseText || "").indexOf("save-status") === -1 || !status) {
        setStatus(form, (PROBLEMS[xhr.status] || "Ikke lagret (feil " + xhr.status + ").") + KEPT, true);
      }
    } else if (!xhr || xhr.status === 0 || xhr.status >= 500) {
      setStatus(form, OFFLINE, true);
    }
  });

  // htmx does not swap on network errors or timeouts; say so where the user looks
  function offline(event) {
    var form = autosaveForm(event.detail.elt);
    if (form) {
      delete form.dataset.sending;
      setStatus(form, OFFLINE, true);
    }
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);

  function resendAll() {
    if (navigator.onLine === false) return;
    document.querySelectorAll("form[data-autosave]").forEach(function (form) {
      if (isPending(form) && !isStopped(form)) resend(form);
    });
  }
  window.addEventListener("online", resendAll);
  // not marked as a poll (trygg.js): it sends only what the person typed and has not reached the
  // server yet, and stops at the first refusal
  setInterval(resendAll, RETRY_MS);

  document.addEventListener("htmx:load", function (event) { init(event.target); });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    // after a conflict: take the text someone else saved and drop one's own draft
    var useSaved = target && target.closest("[data-use-saved]");
    if (useSaved) {
      var form = autosaveForm(useSaved), saved = document.getElementById(useSaved.dataset.useSaved);
      if (!form || !saved) return;
      var textarea = form.querySelector("textarea");
      if (textarea) textarea.value = saved.dataset.empty ? "" : saved.textContent;
      baseFields(form).forEach(function (field) { field.value = useSaved.dataset.savedVersion; });
      writeDraft(form, {});
      var status = statusOf(form);
      if (status) {
        var line = document.createElement("p");
        line.className = "save-status";
        line.id = status.id;
        line.setAttribute("role", "status");
        line.textContent = "Du bruker den lagrede teksten.";
        status.replaceWith(line);
      }
    }
  });

  return { init: init };
});
