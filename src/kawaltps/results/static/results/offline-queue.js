// Offline queue for the saksi's C.Hasil form (no library, no CDN).
//
// Each submission carries the client_id the server put in the form. It is kept in IndexedDB
// (photos included, as Blobs) and sent until the server ACKNOWLEDGES THAT EXACT ID: the answer is
// JSON {"ack": client_id, "status": outcome, "message": ...}. Nothing else deletes an item:
//
//   no network / 5xx / unknown answer  -> "menunggu"                    resent automatically
//   401, login redirect, CSRF 403      -> "masuk lagi untuk mengirim"   resent after the next login,
//                                          with a fresh CSRF token (token.json) and the same id
//   400 (invalid), 403 (not allowed)   -> "gagal: <reason>"            NOT resent: the saksi corrects
//                                          it (Perbaiki), retries it (Coba lagi) or deletes it (Hapus)
//
// Acknowledged sendings move to a second store ("done") and stay listed with the server's
// message until the saksi closes them, so a resend made in the background is confirmed too.
// The server dedupes by client_id, so a resend never counts twice.
//
// Direct photo uploads (the page has data-presign-url: the server keeps photos in S3-compatible
// storage): before the form is sent, each photo goes straight to the storage. The queue asks for a
// presigned URL (photo id = item id + field name, so asking again returns the same upload), PUTs
// the bytes, and tells the server it is done (the server then checks it in the background). The URL
// is kept with the item: a resend after a long time offline finds it expired (the storage answers
// 403), asks for a new one and uploads again. The form is then sent with upload_N instead of the file.
(function () {
  "use strict";
  var form = document.getElementById("saksi-form");
  var box = document.getElementById("queue");
  if (!form || !box || !window.fetch || !window.indexedDB || !window.Promise) return;
  var T = box.dataset, list = document.getElementById("queue-list"), result = document.getElementById("queue-result");
  var QUEUE = "submissions", DONE = "done", LOGIN = "login";
  box.hidden = false;

  function openDb() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open("kawaltps-queue", 2);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "id" });
        if (!db.objectStoreNames.contains(DONE)) db.createObjectStore(DONE, { keyPath: "id" });
      };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }
  function run(stores, mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(stores, mode), req = fn(t);
        t.oncomplete = function () { db.close(); ok(req && req.result); };
        t.onerror = function () { db.close(); fail(t.error); };
      });
    });
  }
  function put(store, item) { return run([store], "readwrite", function (t) { return t.objectStore(store).put(item); }); }
  function drop(store, id) { return run([store], "readwrite", function (t) { return t.objectStore(store).delete(id); }); }
  function get(store, id) { return run([store], "readonly", function (t) { return t.objectStore(store).get(id); }); }
  function all(store) { return run([store], "readonly", function (t) { return t.objectStore(store).getAll(); }); }
  function acknowledge(item, answer) {  // one transaction: recorded as done AND removed from the queue
    var refused = Object.keys(item.uploads || {}).filter(function (k) {
      return item.uploads[k] && item.uploads[k].status === "refused";
    }).map(function (k) { return T.tPhotoRefused.replace("{page}", k.slice(5)) + ": " + item.uploads[k].reason; });
    var done = { id: item.id, tps: item.tps, created: item.created, sent: Date.now(), status: answer.status,
                 message: [answer.message].concat(refused).join(" "), url: answer.url };
    return run([QUEUE, DONE], "readwrite", function (t) {
      t.objectStore(DONE).put(done);
      return t.objectStore(QUEUE).delete(item.id);
    });
  }
  function mark(item, status, reason, errors) {
    item.status = status; item.reason = reason || ""; item.errors = errors || null;
    return put(QUEUE, item);
  }

  // --- talking to the server -------------------------------------------------------------
  function isLogin(url) {
    try { return new URL(url, location.href).pathname === T.loginPath; } catch (e) { return false; }
  }
  function token() {  // {csrf, user}; LOGIN when the session is gone; null when offline
    return fetch(T.tokenUrl, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
      .then(function (resp) {
        if (resp.status === 401 || resp.status === 403 || (resp.redirected && isLogin(resp.url))) return LOGIN;
        return resp.ok ? resp.json() : null;
      }, function () { return null; });
  }
  function verdict(item, resp) {
    var json = (resp.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    return (json ? resp.json().catch(function () { return null; }) : Promise.resolve(null)).then(function (data) {
      if (data && data.ack && data.ack === item.id) return { kind: "ack", data: data };
      if ((resp.redirected && isLogin(resp.url)) || resp.status === 401 || (data && data.status === "login")) {
        return { kind: LOGIN };
      }
      if (data && (data.status === "invalid" || data.status === "forbidden")) {
        return { kind: data.status, message: data.message, errors: data.errors };
      }
      if (resp.status === 403) return { kind: "csrf" };  // Django's CSRF refusal: the session changed
      if (resp.status >= 500) return { kind: "waiting", message: T.tServerBusy };
      if (resp.status >= 400) return { kind: "invalid", message: T.tRefused + " (" + resp.status + ")" };
      return { kind: "waiting", message: T.tUnknown };  // e.g. a 200 page without an ack: keep it
    });
  }
  function jsonPost(url, csrf, data) {
    return fetch(url, { method: "POST", credentials: "same-origin", body: data ? JSON.stringify(data) : null,
                        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf } });
  }
  function presign(item, name, csrf) {  // the upload and a fresh URL; null: no direct upload for it
    return jsonPost(T.presignUrl, csrf, { client_id: item.id + "-" + name, election: T.election, tps: item.tps,
                                          page: parseInt(name.slice(5), 10) })
      .then(function (resp) { return resp.ok ? resp.json() : null; });
  }
  function putBlob(url, blob) { return fetch(url, { method: "PUT", body: blob }).then(function (r) { return r.ok; }); }
  function uploadOne(item, name, blob, csrf) {
    var known = item.uploads[name];
    if (known && known.done) return Promise.resolve();
    var got = known && known.url ? Promise.resolve(known) : presign(item, name, csrf);
    return got.then(function (a) {
      if (!a) { item.uploads[name] = null; return null; }  // sent inside the form instead
      item.uploads[name] = { upload: a.upload, url: a.url };
      if (!a.url) return a;  // already uploaded and checked
      return putBlob(a.url, blob).then(function (ok) {
        if (ok) return a;
        return presign(item, name, csrf).then(function (b) {  // expired (403): a new URL, once
          if (!b) { item.uploads[name] = null; return null; }
          item.uploads[name] = { upload: b.upload, url: b.url };
          return !b.url ? b : putBlob(b.url, blob).then(function (again) {
            if (!again) throw new Error("upload");
            return b;
          });
        });
      });
    }).then(function (a) {
      if (!a) return null;
      return jsonPost(T.doneUrl.replace("00000000-0000-0000-0000-000000000000", a.upload), csrf).then(function (resp) {
        if (!resp.ok) throw new Error("done");
        return resp.json();
      }).then(function (st) { item.uploads[name] = { upload: a.upload, done: true, status: st.status, reason: st.reason }; });
    });
  }
  function uploadPhotos(item, csrf) {  // one photo after the other; progress kept with the item
    if (!T.presignUrl) return Promise.resolve();
    item.uploads = item.uploads || {};
    return item.fields.reduce(function (p, kv) {
      if (!/^foto_\d+$/.test(kv[0]) || !kv[1] || !kv[1].size || item.uploads[kv[0]] === null) return p;
      return p.then(function () { return uploadOne(item, kv[0], kv[1], csrf); });
    }, Promise.resolve()).then(function () { return put(QUEUE, item); });
  }
  function send(item, csrf) {
    return uploadPhotos(item, csrf).then(function () { return sendForm(item, csrf); });
  }
  function sendForm(item, csrf) {
    var body = new FormData(), up = item.uploads || {};
    item.fields.forEach(function (kv) {
      if (kv[0] === "csrfmiddlewaretoken") return;
      if (up[kv[0]] && up[kv[0]].done) { body.append("upload_" + kv[0].slice(5), up[kv[0]].upload); return; }
      body.append(kv[0], kv[1]);
    });
    body.append("csrfmiddlewaretoken", csrf);
    return fetch(item.url, { method: "POST", body: body, credentials: "same-origin",
                             headers: { "Accept": "application/json", "X-CSRFToken": csrf } });
  }
  function attempt(item, csrf, again) {
    return send(item, csrf).then(function (resp) { return verdict(item, resp); }).then(function (v) {
      if (v.kind === "ack") return acknowledge(item, v.data);
      if (v.kind === "csrf" && again) {  // a stale token: fetch a fresh one once, then give up for now
        return token().then(function (t) {
          return t && t !== LOGIN ? attempt(item, t.csrf, false) : mark(item, LOGIN);
        });
      }
      if (v.kind === "csrf" || v.kind === LOGIN) return mark(item, LOGIN);
      return mark(item, v.kind, v.message, v.errors);
    }, function () { return mark(item, "waiting", T.tNoSignal); });
  }

  var running = null;
  function flushOnce() {
    return all(QUEUE).then(function (items) {
      // Refused items ("invalid", "forbidden") wait for the saksi; the rest is sent.
      var due = items.filter(function (i) { return i.status === "waiting" || i.status === LOGIN; });
      if (!due.length) return null;
      return token().then(function (t) {
        if (t === LOGIN) return Promise.all(due.map(function (i) { return mark(i, LOGIN); }));
        if (!t) return Promise.all(due.map(function (i) { return mark(i, "waiting", T.tNoSignal); }));
        return due.reduce(function (p, item) {
          return p.then(function () { return item.user && item.user !== t.user ? null : attempt(item, t.csrf, true); });
        }, Promise.resolve());
      });
    });
  }
  function flush() {  // one flush at a time; a call during a flush runs again after it
    var next = (running || Promise.resolve()).then(flushOnce).catch(function () {}).then(render);
    running = next;
    return next;
  }

  // --- showing it ---------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }
  function button(label, fn) {
    var b = el("button", { type: "button", "class": "link" }, label);
    b.addEventListener("click", fn);
    return b;
  }
  function when(ms) { return new Date(ms).toLocaleString("id-ID", { dateStyle: "short", timeStyle: "short" }); }
  function line(item) {
    var li = el("li", { "data-id": item.id, "data-state": item.status }), label;
    li.appendChild(el("span", { "class": "muted" }, "TPS " + item.tps + " · " + when(item.created) + " · "));
    if (item.user && item.user !== T.user) {
      label = T.tOtherUser.replace("{user}", item.user);
    } else if (item.status === LOGIN) {
      label = T.tLogin;
    } else if (item.status === "invalid" || item.status === "forbidden") {
      label = T.tFailed + ": " + item.reason;
    } else {
      label = T.tWaiting + (item.reason ? ": " + item.reason : "");
    }
    li.appendChild(el("strong", { "class": item.status === "waiting" ? "" : "error" }, label));
    li.appendChild(document.createTextNode(" "));
    if (item.status === LOGIN) li.appendChild(el("a", { href: T.loginUrl }, T.tLoginLink));
    if (item.status === "invalid" && item.url === form.action) li.appendChild(button(T.tFix, function () { fix(item); }));
    if (item.status === "invalid" || item.status === "forbidden") {
      li.appendChild(button(T.tRetry, function () { mark(item, "waiting").then(flush); }));
      li.appendChild(button(T.tDelete, function () {
        if (window.confirm(T.tConfirmDelete)) drop(QUEUE, item.id).then(render);
      }));
    }
    return li;
  }
  function doneLine(d) {
    var li = el("li", { "data-id": d.id, "data-state": "sent", "data-outcome": d.status });
    li.appendChild(el("span", { "class": "muted" }, "TPS " + d.tps + " · " + when(d.sent) + " · "));
    li.appendChild(el("strong", { "class": d.status === "disputed" || d.status === "kept" ? "warn" : "ok" },
                      T.tSent + ": "));
    li.appendChild(document.createTextNode(d.message + " "));
    if (d.url) li.appendChild(el("a", { href: d.url }, T.tSee));
    li.appendChild(button(T.tClose, function () { drop(DONE, d.id).then(render); }));
    return li;
  }
  function render() {
    return Promise.all([all(QUEUE), all(DONE)]).then(function (got) {
      list.textContent = "";
      got[0].sort(function (a, b) { return a.created - b.created; }).forEach(function (i) { list.appendChild(line(i)); });
      got[1].sort(function (a, b) { return b.sent - a.sent; }).forEach(function (d) { list.appendChild(doneLine(d)); });
      list.parentNode.querySelector("h2").hidden = !(got[0].length || got[1].length);
    }).catch(function () { say(T.tQueued); });  // stored; the list shows where it stands
  }
  function say(text, cls, link) {
    result.textContent = "";
    if (!text) return;
    var p = el("p", { "class": "notice " + (cls || "") }, text + " ");
    if (link) p.appendChild(el("a", { href: link[0] }, link[1]));
    result.appendChild(p);
  }
  function clearErrors() {
    form.querySelectorAll("[data-queue-error]").forEach(function (n) { n.remove(); });
    form.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
  }
  function showErrors(item) {
    clearErrors();
    var errors = item.errors || {}, general = [];
    Object.keys(errors).forEach(function (name) {
      var input = form.elements[name];
      if (!input || !input.closest) { general = general.concat(errors[name]); return; }
      input.setAttribute("aria-invalid", "true");
      var row = input.closest(".row") || input.parentNode;
      row.appendChild(el("span", { "class": "error", "data-queue-error": "" }, errors[name].join(" ")));
    });
    var alert = el("p", { "class": "error", role: "alert", "data-queue-error": "" }, T.tFixErrors);
    form.insertBefore(alert, form.firstChild);
    general.forEach(function (m) { form.insertBefore(el("p", { "class": "error", "data-queue-error": "" }, m), alert.nextSibling); });
  }
  function fix(item) {  // put the refused sending back into the form, with the reasons, to correct it
    item.fields.forEach(function (kv) {
      var input = form.elements[kv[0]];
      if (!input || kv[0] === "csrfmiddlewaretoken") return;
      if (typeof kv[1] === "string") { input.value = kv[1]; return; }
      if (kv[1] && kv[1].size && window.DataTransfer) {
        try { var dt = new DataTransfer(); dt.items.add(kv[1]); input.files = dt.files; } catch (e) { /* re-pick */ }
      }
    });
    form.elements.client_id.value = item.id;  // the corrected form replaces this item, same id
    showErrors(item);
    form.scrollIntoView();
  }

  // --- the form ----------------------------------------------------------------------------
  function newId() {  // a UUID v4 (crypto.randomUUID exists only on https)
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)), h = [];
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    b.forEach(function (x) { h.push((x + 256).toString(16).slice(1)); });
    return [h.slice(0, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10)].map(function (p) {
      return p.join("");
    }).join("-");
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (v, k) { fields.push([k, v]); });
    var item = { id: form.elements.client_id.value, url: form.action, tps: T.tps, user: T.user,
                 created: Date.now(), status: "waiting", reason: "", fields: fields };
    clearErrors();
    say(T.tSending);
    put(QUEUE, item).then(function () {
      return flush().then(function () { return Promise.all([get(DONE, item.id), get(QUEUE, item.id)]); });
    }, function () {
      form.submit();  // this browser cannot store it (e.g. private mode): a plain POST, as without JavaScript
      return null;
    }).then(function (got) {
      if (!got) return;
      var done = got[0], left = got[1];
      if (done) {  // acknowledged: sending the form again is a new sending (as reopening the page is)
        form.elements.client_id.value = newId();
        say(done.message, done.status === "disputed" || done.status === "kept" || done.message.indexOf(T.tPhotoRefused.split("{")[0]) >= 0
          ? "warn" : "ok", [done.url, T.tSee]);
      } else if (left && left.status === LOGIN) {
        say(T.tLoginLong, "error", [T.loginUrl, T.tLoginLink]);
      } else if (left && left.status === "invalid") {
        say(T.tFailed + ": " + left.reason, "error");
        showErrors(left);
      } else if (left && left.status === "forbidden") {
        say(T.tFailed + ": " + left.reason, "error");
      } else {
        say(T.tQueued);
      }
    }).catch(function () { say(T.tQueued); });  // stored; the list shows where it stands
  });
  window.addEventListener("online", flush);
  setInterval(flush, 20000);
  flush();
})();
