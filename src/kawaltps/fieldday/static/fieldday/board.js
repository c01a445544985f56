// The board's totals refresh every 30 s from data.json without reloading the page.
(function () {
  "use strict";
  var box = document.getElementById("board-total");
  if (!box || !window.fetch) return;
  var fmt = new Intl.NumberFormat("id-ID");
  function refresh() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data) return;
        box.querySelectorAll("[data-k]").forEach(function (n) { n.textContent = fmt.format(data.total[n.dataset.k]); });
        data.rows.forEach(function (row) {
          var tr = document.querySelector('#board tr[data-code="' + row.code + '"]');
          if (!tr) return;
          var cells = tr.querySelectorAll("td");
          [row.tps, row.none, row.some, row.all, row.far].forEach(function (v, i) { cells[i + 1].textContent = fmt.format(v); });
        });
      }).catch(function () {});
  }
  setInterval(refresh, 30000);
})();
