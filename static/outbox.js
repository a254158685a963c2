// The outbox: records made on the phone wait here (IndexedDB) until the server has them. Used by the pages
// (offline.js) and by the service worker (sw.js, for Background Sync), so it touches no page: only IndexedDB
// and fetch. No build step, no inline script (CSP).
//
// An item is {client_id, user, fields: [[name, value], …], saved: ms, state: "waiting" | "refused",
// reason, summary: {kind, when, pupils}}. Its client_id is the form id it got when the form opened, so
// sending it again (after a timeout, from two tabs at once, from the page and the service worker) gives the
// server's one record, never two (webapp/submissions.py). Nothing is dropped but by the user: a record the
// server refuses is kept with the server's reason until the user corrects or discards it.
//
// The phone also keeps, per user, the pupils and zones of the user's last online capture form ("recent"),
// and who signed in last, so the offline screen can offer them; offline.js clears them at log-out.
(function (scope) {
  "use strict";
  var DB_NAME = "trygg";
  var OUTBOX = "outbox", RECENT = "recent", LAST_USER = "last-user";
  var STATUS_URL = "/frakoblet/nokkel", SEND_URL = "/registrer/ny";
  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = scope.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var db = request.result;
          db.createObjectStore(OUTBOX, { keyPath: "client_id" }).createIndex("user", "user");
          db.createObjectStore(RECENT, { keyPath: "user" });
          db.createObjectStore(LAST_USER);  // one entry: the last user signed in on this phone
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opening = null; reject(request.error); };
      });
    }
    return opening;
  }

  // Run `work(store)` in one transaction; resolves with what work's request gave, once it is on disk.
  function inStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name, mode), result;
        var request = work(transaction.objectStore(name));
        if (request) request.onsuccess = function () { result = request.result; };
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function put(item) { return inStore(OUTBOX, "readwrite", function (store) { return store.put(item); }); }
  function get(clientId) { return inStore(OUTBOX, "readonly", function (store) { return store.get(clientId); }); }
  function remove(clientId) {
    return inStore(OUTBOX, "readwrite", function (store) { return store.delete(clientId); });
  }

  // The user's items, oldest first.
  function list(user) {
    return inStore(OUTBOX, "readonly", function (store) {
      return store.index("user").getAll(String(user));
    }).then(function (items) {
      return (items || []).sort(function (a, b) { return a.saved - b.saved; });
    });
  }

  function saveRecent(user, recent) {
    recent.user = String(user);
    return inStore(RECENT, "readwrite", function (store) { return store.put(recent); });
  }
  function recent(user) {
    return inStore(RECENT, "readonly", function (store) { return store.get(String(user)); });
  }
  function forgetRecent(user) {
    return inStore(RECENT, "readwrite", function (store) { return store.delete(String(user)); });
  }

  // The last user signed in on this phone, for the offline screen (which knows nobody by itself).
  function setLastUser(user) {
    return inStore(LAST_USER, "readwrite", function (store) { return store.put(String(user), "user"); });
  }
  function lastUser() { return inStore(LAST_USER, "readonly", function (store) { return store.get("user"); }); }
  function forgetLastUser() {
    return inStore(LAST_USER, "readwrite", function (store) { return store.delete("user"); });
  }

  // Who is signed in, with a fresh CSRF token: {state: "ok", user, token}, {state: "logged-out"} or
  // {state: "offline"}. `poll`: sent on a timer, so it must not keep an idle session alive (auth/user.py).
  function status(poll) {
    var headers = { Accept: "application/json" };
    if (poll) headers["X-Trygg-Poll"] = "1";
    return scope.fetch(STATUS_URL, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) return { state: "logged-out" };
        if (!response.ok) return { state: "offline" };
        return response.json().then(function (body) {
          return { state: "ok", user: String(body.user), token: body.csrf_token };
        });
      }, function () { return { state: "offline" }; });
  }

  // The server's reasons as one line of text.
  function reasonOf(body) {
    var errors = (body && body.errors) || {};
    var reasons = Object.keys(errors).map(function (name) { return errors[name]; });
    return reasons.join(" ") || "Serveren tok ikke imot registreringen.";
  }

  // Send one item: "saved", "refused" (with reason), "logged-out", "stale-token", or "later" (no network,
  // or the server could not answer now: kept, sent again later).
  function send(item, token, poll) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { if (pair[0] !== "csrf_token") body.append(pair[0], pair[1]); });
    body.append("csrf_token", token);
    var headers = { Accept: "application/json", "X-CSRFToken": token };
    if (poll) headers["X-Trygg-Poll"] = "1";
    return scope.fetch(SEND_URL, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 201) return { result: "saved" };
        if (response.status === 401 || response.status === 403) return { result: "logged-out" };
        if (response.status === 400) return { result: "stale-token" };  // flask-wtf's CSRF error
        if (response.status === 422 || response.status === 409) {
          return response.json().then(function (answer) {
            return { result: "refused", reason: reasonOf(answer) };
          }, function () { return { result: "refused", reason: reasonOf(null) }; });
        }
        return { result: "later" };
      }, function () { return { result: "later" }; });
  }

  // Send every waiting item of the user signed in. Resolves with {state, sent, refused, left}: state is
  // "ok", "offline" or "logged-out". One flush at a time per browser (Web Locks where there are some).
  function flush(options) {
    var poll = !!(options && options.poll);
    var run = function () { return flushOnce(poll); };
    if (scope.navigator && scope.navigator.locks) return scope.navigator.locks.request("trygg-outbox", run);
    return run();
  }

  function flushOnce(poll) {
    var summary = { state: "ok", sent: 0, refused: 0, left: 0, user: null };
    return status(poll).then(function (signedIn) {
      summary.state = signedIn.state;
      if (signedIn.state !== "ok") return summary;
      summary.user = signedIn.user;
      var token = signedIn.token;
      return list(signedIn.user).then(function (items) {
        var waiting = items.filter(function (item) { return item.state === "waiting"; });
        // one after another, oldest first: the order they happened in
        return waiting.reduce(function (previous, item) {
          return previous.then(function () {
            if (summary.state !== "ok") { summary.left++; return null; }
            return sendKept(item, token, poll, true);
          });
        }, Promise.resolve());
      }).then(function () { return summary; });

      function sendKept(item, currentToken, pollNow, retry) {
        return send(item, currentToken, pollNow).then(function (answer) {
          if (answer.result === "saved") { summary.sent++; return remove(item.client_id); }
          if (answer.result === "refused") {
            summary.refused++;
            item.state = "refused";
            item.reason = answer.reason;
            return put(item);
          }
          if (answer.result === "stale-token" && retry) {  // a token gone stale between the two: once more
            return status(pollNow).then(function (again) {
              if (again.state !== "ok") { summary.state = again.state; summary.left++; return null; }
              token = again.token;
              return sendKept(item, token, pollNow, false);
            });
          }
          summary.left++;
          if (answer.result === "logged-out") summary.state = "logged-out";
          else if (answer.result === "later") summary.state = "offline";
          return null;
        });
      }
    });
  }

  scope.TryggOutbox = {
    put: put, get: get, remove: remove, list: list, send: send, status: status, flush: flush,
    saveRecent: saveRecent, recent: recent, forgetRecent: forgetRecent,
    setLastUser: setLastUser, lastUser: lastUser, forgetLastUser: forgetLastUser,
  };
})(self);
