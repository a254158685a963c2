// Trygg's service worker, served as /sw.js (webapp/offline/views.py) so its scope is the whole app.
// It keeps the app shell (the offline capture screen, /frakoblet) and the static files it needs, listed by
// /frakoblet/filer.json, and nothing else: pages with personal data are never stored, only fetched.
// A page that cannot be fetched (no network, or the server is down) is answered with the offline screen.
// Background Sync sends the outbox (outbox.js) when the network returns, also with no page open.
"use strict";

// ?shell= is the version of what is kept (offline_version): a new one installs a new worker and a new cache
var VERSION = new URL(self.location).searchParams.get("shell") || "0";
var CACHE = "trygg-shell-" + VERSION;
var SHELL_URL = "/frakoblet";
var SYNC_TAG = "trygg-outbox";

importScripts("/static/outbox.js?v=" + VERSION);

self.addEventListener("install", function (event) {
  event.waitUntil(
    fetch("/frakoblet/filer.json", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (files) {
        return caches.open(CACHE).then(function (cache) {
          // the shell without cookies: it is the same for everyone and must hold nobody's data
          var requests = files.urls.map(function (url) {
            return new Request(url, { credentials: url === SHELL_URL ? "omit" : "same-origin", cache: "no-cache" });
          });
          return Promise.all(requests.map(function (request) {
            return fetch(request).then(function (response) {
              if (!response.ok) throw new Error("Trygg: could not keep " + request.url);
              return cache.put(request.url, response);
            });
          }));
        });
      })
      .then(function () { return self.skipWaiting(); })
  );
});

// The previous versions' caches go; this worker takes the open pages at once.
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("trygg-shell-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;  // saves go to the server (or the outbox), never through a cache
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // the network first, always: a page is never served stale; without it, the offline capture screen
    event.respondWith(fetch(request).catch(function () {
      return caches.open(CACHE).then(function (cache) { return cache.match(SHELL_URL, { ignoreVary: true }); });
    }));
  } else if (url.pathname.indexOf("/static/") === 0) {
    // static files are versioned (?v=<hash>): what is kept is what the page asks for
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreVary: true }).then(function (kept) { return kept || fetch(request); });
    }));
  }
});

// Tell the open pages the outbox changed, so their badge and list follow.
function tellPages(summary) {
  return self.clients.matchAll({ type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage({ outbox: summary }); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(self.TryggOutbox.flush({ poll: true }).then(function (summary) {
    return tellPages(summary).then(function () {
      // still no network: the browser tries the sync again later
      if (summary.state === "offline") throw new Error("Trygg: the outbox waits for the network");
    });
  }));
});
