// C.Hasil typing help (issue 13.7): while the form is typed, show the sums it must satisfy and mark
// a mismatch before sending, without blocking the sending. Which fields add up to which comes from
// the page (results.checks.LIVE_SUMS); the server's checks still decide.
(function () {
  var box = document.querySelector("[data-live-sums]");
  if (!box) return;
  var form = box.closest("form") || document;
  var sums = JSON.parse(box.getAttribute("data-live-sums"));
  var list = box.querySelector("ul");
  function inputs(name) {
    if (name.slice(-1) === "*") return Array.prototype.slice.call(form.querySelectorAll('input[name^="' + name.slice(0, -1) + '"]'));
    var el = form.querySelector('input[name="' + name + '"]');
    return el ? [el] : [];
  }
  function value(el) {
    var t = el.value.trim().replace(/\./g, "");
    return /^[0-9]+$/.test(t) ? parseInt(t, 10) : null;
  }
  function fmt(n) { return n.toLocaleString("id-ID"); }
  function check() {
    list.textContent = "";
    form.querySelectorAll("input.mismatch").forEach(function (el) { el.classList.remove("mismatch"); });
    sums.forEach(function (s) {
      var parts = [];
      s.add.forEach(function (n) { parts = parts.concat(inputs(n)); });
      var total = inputs(s.equals);
      if (!parts.length || !total.length) return;
      var values = parts.map(value), want = value(total[0]);
      if (want === null || values.some(function (v) { return v === null; })) return;
      var got = values.reduce(function (a, b) { return a + b; }, 0);
      var li = document.createElement("li");
      li.className = got === want ? "ok" : "flag";
      li.textContent = (got === want ? "✔ " : "✖ ") + s.name + ": " + fmt(got) + (got === want ? " = " : " ≠ ") + fmt(want)
        + (got === want ? "" : " — " + s.message);
      list.appendChild(li);
      if (got !== want) parts.concat(total).forEach(function (el) { el.classList.add("mismatch"); });
    });
    box.hidden = !list.children.length;
  }
  form.addEventListener("input", check);
  check();
})();
