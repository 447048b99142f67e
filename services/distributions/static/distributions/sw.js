// The distribution table's service worker (scope /distributions/, served by views_table):
// keeps the check-in page and its CSS and JS on the phone so the page opens with no signal.
// Pages: network first, the kept copy when offline. Static files carry their content's hash
// in their name (a new version is a new name): served from the cache with no request at
// all, kept once and never revalidated. Check-ins never pass through here: they wait in IndexedDB
// (checkin.js). Only pages the server marks as the empty shell are kept: no person's data.
"use strict";
var CACHE = "fieldapp-table-v2";
var STATIC_PATH = "/static/";
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

function isStatic(url) {
  return new URL(url, self.location.href).pathname.indexOf(STATIC_PATH) === 0;
}

// A page is fetched afresh; a static file from the browser's HTTP cache if it is there
// (the page has just loaded it), and only when it is not kept yet.
function keep(cache, url) {
  if (!isStatic(url)) {
    return fetch(new Request(url, { credentials: "same-origin", cache: "no-cache" })).then(function (response) {
      if (keepable(response)) return cache.put(url, response);
    });
  }
  return cache.match(url).then(function (kept) {
    if (kept) return;
    return fetch(new Request(url, { credentials: "same-origin" })).then(function (response) {
      if (keepable(response)) return cache.put(url, response);
    });
  });
}

// Static files of an earlier version (other hashed names) are dropped once the new ones are kept.
function forgetOld(cache, urls) {
  var wanted = urls.map(function (url) { return new URL(url, self.location.href).href; });
  return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (request) {
      return isStatic(request.url) && wanted.indexOf(request.url) < 0;
    }).map(function (request) { return cache.delete(request); }));
  });
}

// A check-in page lists what it needs offline: itself, its CSS and JS, the QR decoder.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return keep(cache, url).catch(function () { /* offline now: kept from last time */ });
    })).then(function () {
      if (event.data.complete) return forgetOld(cache, urls);
    });
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
  if (!isStatic(request.url)) return; // fragments and the API: straight to the network
  event.respondWith(caches.match(request, { ignoreVary: true }).then(function (kept) {
    return kept || fetch(request);
  }));
});
