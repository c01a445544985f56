// Election-day saksi page: stamps each form's time and GPS position at the moment it is sent,
// registers the service worker that keeps the saksi pages usable offline, and says when the
// phone has no signal. Runs before offline-queue.js (capture phase), so the queue stores the
// stamped values.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    form.querySelectorAll("input[data-now]").forEach(function (i) { i.value = new Date().toISOString(); });
  }, true);

  // GPS: asked once when the page opens (a check-in without it is still sent).
  var geo = document.querySelector("form[data-geo]");
  if (geo && navigator.geolocation) {
    var status = geo.querySelector("[data-geo-status]");
    navigator.geolocation.getCurrentPosition(function (pos) {
      geo.elements.lat.value = pos.coords.latitude.toFixed(6);
      geo.elements.lon.value = pos.coords.longitude.toFixed(6);
      if (status) status.textContent = "GPS ±" + Math.round(pos.coords.accuracy) + " m";
    }, function () {}, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }

  var note = document.getElementById("offline-status");
  function show() {
    if (!note) return;
    note.hidden = navigator.onLine;
    note.textContent = note.dataset.tOffline;
  }
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  show();

  // Keep this page, the C.Hasil form and every static file they load for use without signal.
  var sw = document.querySelector("script[data-sw]");
  if ("serviceWorker" in navigator && sw) {
    var urls = [location.href].concat((sw.dataset.keep || "").split(" ").filter(Boolean).map(function (p) {
      return new URL(p, location.href).href;
    }));
    document.querySelectorAll("script[src], link[rel=stylesheet]").forEach(function (n) {
      urls.push(new URL(n.getAttribute("src") || n.getAttribute("href"), location.href).href);
    });
    navigator.serviceWorker.register(sw.dataset.sw, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      navigator.serviceWorker.addEventListener("message", function (ev) {
        if (ev.data && ev.data.cached && note && navigator.onLine) {
          note.hidden = false;
          note.textContent = note.dataset.tReady;
          document.documentElement.dataset.offlineReady = "1";
        }
      });
      reg.active.postMessage({ cache: urls });
    }).catch(function () {});
  }
})();
