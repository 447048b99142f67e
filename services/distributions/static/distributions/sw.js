// The distribution table's service worker (scope /distributions/, served by views_table):
// keeps the check-in page and its CSS and JS on the phone so the page opens with no signal.
// Pages: network first, the kept copy when offline. CSS and JS: the kept copy first,
// refreshed in the background. Check-ins never pass through here: they wait in IndexedDB
// (checkin.js). Only pages the server marks as the empty shell are kept: no person's data.
"use strict";
var CACHE = "fieldapp-table-v1";
var SHELL_HEADER = "X-Fieldapp-Shell";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("fieldapp-table-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function keepable(response) {
  if (!response.ok || response.redirected || response.type !== "basic") return false;
  var html = (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
  return !html || response.headers.get(SHELL_HEADER) === "1";
}

function refresh(cache, url) {
  return fetch(new Request(url, { credentials: "same-origin", cache: "no-cache" })).then(function (response) {
    if (keepable(response)) return cache.put(url, response);
  });
}

// A check-in page lists what it needs offline: itself and its CSS and JS.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return refresh(cache, url).catch(function () { /* offline now: kept from last time */ });
    }));
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).then(function (response) {
      if (!url.search && keepable(response)) {
        var copy = response.clone();
        event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(url.pathname, copy); }));
      }
      return response;
    }).catch(function () {
      // ?code=… offline: the empty page; checkin.js sees the code and offers the offline form.
      return caches.match(url.pathname, { ignoreVary: true }).then(function (kept) { return kept || Response.error(); });
    }));
    return;
  }
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      if (!kept) return fetch(request);
      event.waitUntil(refresh(cache, request.url).catch(function () {}));
      return kept;
    });
  }));
});
