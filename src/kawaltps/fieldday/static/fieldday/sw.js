// Service worker for the saksi pages (served at /hari-h/sw.js with Service-Worker-Allowed: /).
//
// What it keeps: the pages a saksi needs with no signal (their /hari-h/tps/<code>/ page and the
// C.Hasil form /hasil/kirim/<code>/) and the static files those pages load. The page tells it
// which URLs to keep (postMessage {cache: [...]}) because static names carry content hashes.
// How: network first, the cached copy when the network fails; each successful GET of a kept path
// refreshes its copy. Never cached: POSTs (the offline queue in IndexedDB sends them), JSON
// answers (token.json, acks), anything outside the kept paths.
"use strict";
var CACHE = "kawaltps-saksi-v1";
var KEPT = [/^\/hari-h\/tps\/[^/]+\/$/, /^\/hasil\/kirim\/[^/]+\/$/, /^\/static\//];

function kept(url) {
  var u = new URL(url);
  if (u.origin !== self.location.origin || u.pathname.slice(-5) === ".json") return false;
  return KEPT.some(function (re) { return re.test(u.pathname); });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });

self.addEventListener("message", function (ev) {
  var urls = (ev.data && ev.data.cache) || [];
  ev.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(kept).map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (resp) {
        if (resp.ok && !resp.redirected) return cache.put(url, resp);
        return null;
      }).catch(function () { return null; });
    }));
  }).then(function () {
    if (ev.source) ev.source.postMessage({ cached: urls.length });
  }));
});

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  if (req.method !== "GET" || !kept(req.url)) return;
  ev.respondWith(fetch(req).then(function (resp) {
    if (resp.ok && !resp.redirected && resp.type === "basic") {
      var copy = resp.clone();
      caches.open(CACHE).then(function (cache) { cache.put(req, copy); });
    }
    return resp;
  }, function () {
    return caches.match(req).then(function (hit) {
      return hit || new Response("Tanpa sinyal dan halaman ini belum tersimpan.", {
        status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    });
  }));
});
