// The warning before an idle session ends: two minutes before, a dialog with one button that keeps the
// person signed in. How long is left comes from the server (the page's data-idle-seconds, then every
// answer's X-Trygg-Idle-Seconds header); before warning, and when the time is up, it asks the server
// again as a poll (which moves nothing), since another tab may have kept the session going.
(function () {
  "use strict";
  var HEADER = "X-Trygg-Idle-Seconds";
  var timer = null;
  var endsAt = null;

  function dialog() { return document.getElementById("idle-warning"); }

  function schedule(secondsLeft) {
    var box = dialog();
    if (!box || isNaN(secondsLeft)) return;
    endsAt = Date.now() + secondsLeft * 1000;
    var warnIn = secondsLeft - (+box.dataset.warnSeconds || 120);
    clearTimeout(timer);
    if (warnIn > 0) {
      if (box.open) box.close();
      timer = setTimeout(check, warnIn * 1000);
    } else {
      warn(box);
    }
  }

  // Ask the server how long is left; an answer other than 204 means the session has ended.
  function check() {
    var box = dialog();
    if (!box) return;
    fetch(box.dataset.statusUrl, { headers: { "X-Trygg-Poll": "1" }, credentials: "same-origin" })
      .then(function (response) {
        if (response.status !== 204) return ended();
        schedule(parseInt(response.headers.get(HEADER), 10));
      }, function () { timer = setTimeout(check, 15000); });  // offline: try again soon
  }

  function warn(box) {
    var at = box.querySelector("[data-idle-at]");
    if (at) {
      at.textContent = "klokken " + new Date(endsAt).toLocaleTimeString("nb-NO", { hour: "2-digit", minute: "2-digit" });
    }
    if (!box.open) box.showModal();
    timer = setTimeout(check, Math.max(0, endsAt - Date.now()) + 1000);
  }

  // The session is over: show the log-in page rather than records nobody is signed in to see.
  function ended() { window.location.assign(window.location.href); }

  function extend(event) {
    var form = event.target.closest && event.target.closest("#idle-warning form");
    if (!form) return;
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { "X-CSRFToken": form.elements.csrf_token.value } })
      .then(function (response) {
        if (response.status !== 204) return ended();
        dialog().close();
        schedule(parseInt(response.headers.get(HEADER), 10));
      }, function () { timer = setTimeout(check, 15000); });
  }

  function fromPage() {
    var box = dialog();
    if (box) schedule(parseInt(box.dataset.idleSeconds, 10));
    else clearTimeout(timer);
  }

  document.addEventListener("submit", extend);
  document.addEventListener("DOMContentLoaded", fromPage);
  // every answer htmx gets (a boosted page, a fragment, a poll) says how long is left
  document.addEventListener("htmx:afterRequest", function (event) {
    var left = event.detail.xhr && event.detail.xhr.getResponseHeader(HEADER);
    if (left) schedule(parseInt(left, 10));
  });
})();
