// Offline queue for the saksi's C.Hasil form (no library, no CDN).
// Each submission carries the client_id the server put in the form; it is kept in IndexedDB
// (photos included, as Blobs) and re-sent until the server answers, so nothing typed is lost
// when the signal drops, and a retry never duplicates: the server dedupes by client_id.
(function () {
  "use strict";
  var form = document.getElementById("saksi-form");
  var status = document.getElementById("queue-status");
  if (!form || !window.fetch || !window.indexedDB || !window.Promise) return;
  var STORE = "submissions";

  function open() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open("kawaltps-queue", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "id" }); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }
  function run(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(STORE, mode), req = fn(t.objectStore(STORE));
        t.oncomplete = function () { ok(req && req.result); };
        t.onerror = function () { fail(t.error); };
      });
    });
  }
  function put(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function drop(id) { return run("readwrite", function (s) { return s.delete(id); }); }
  function all() { return run("readonly", function (s) { return s.getAll(); }); }
  function show() {
    return all().then(function (items) {
      status.textContent = items.length ? status.dataset.waiting.replace("{n}", items.length) : "";
    });
  }
  function send(item) {
    var body = new FormData();
    item.fields.forEach(function (kv) { body.append(kv[0], kv[1]); });
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin" }).then(function (resp) {
      if (resp.status >= 500) throw new Error("server " + resp.status);
      return drop(item.id).then(function () { return resp; });  // answered: acknowledged or refused
    });
  }
  var flushing = false;
  function flush() {
    if (flushing) return;
    flushing = true;
    all().then(function (items) {
      return items.reduce(function (p, item) {
        return p.then(function () { return send(item).catch(function () {}); });
      }, Promise.resolve());
    }).then(show, show).then(function () { flushing = false; });
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (v, k) { fields.push([k, v]); });
    var item = { id: form.elements.client_id.value, url: form.action, fields: fields };
    status.textContent = status.dataset.sending;
    put(item).then(function () { return send(item); }).then(function (resp) {
      // Show the page the server answered with (it carries the one-time confirmation message).
      return resp.text().then(function (html) {
        if (resp.redirected) history.replaceState(null, "", resp.url);
        document.open(); document.write(html); document.close();
      });
    }).catch(function () { show(); });
  });
  window.addEventListener("online", flush);
  setInterval(flush, 20000);
  flush();
})();
