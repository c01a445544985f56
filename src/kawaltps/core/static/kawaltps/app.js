// Behaviour shared by every page (no inline scripts: the Content-Security-Policy forbids them).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("select[data-autosubmit]")) el.form.submit();
});

// Region filters: <input data-suggest="/wilayah/cari/" list="ID"> fills its <datalist> with regions
// whose name contains what was typed (a kelurahan, kecamatan or kota name; a code works as it is).
(function () {
  var timer = null;
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input[data-suggest]") || !window.fetch) return;
    var list = document.getElementById(el.getAttribute("list"));
    var q = el.value.trim();
    if (!list || q.length < 2 || /^[0-9.]+$/.test(q)) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(el.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : {results: []}; })
        .then(function (data) {
          list.textContent = "";
          data.results.forEach(function (r) {
            var o = document.createElement("option");
            o.value = r.name;
            o.label = r.name + (r["in"] ? " · " + r["in"] : "") + " · " + r.dotted;
            list.appendChild(o);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();
