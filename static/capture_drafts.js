// Capture drafts (kept on the phone by capture.js, keys "trygg-capture-draft:<form id>") must not
// outlive the session: logging out removes them. Loaded on every page, as the logout form is.
(function () {
  "use strict";
  var PREFIX = "trygg-capture-draft:";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !/\/logg-ut$/.test(form.getAttribute("action") || "")) return;
    try {
      var store = window.localStorage;
      for (var i = store.length - 1; i >= 0; i--) {
        var key = store.key(i);
        if (key && key.indexOf(PREFIX) === 0) store.removeItem(key);
      }
    } catch (e) { /* storage blocked: nothing was kept either */ }
  }, true);
})();
