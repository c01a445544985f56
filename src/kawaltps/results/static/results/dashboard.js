// Results dashboard: refresh the numbers every 5 s from the page's JSON (no library).
(function () {
  var root = document.querySelector(".dash[data-json]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-json");
  function get(obj, path) {
    return path.split(".").reduce(function (o, k) { return o == null ? undefined : o[k]; }, obj);
  }
  function fill(el, row) {
    el.querySelectorAll("[data-f]").forEach(function (node) {
      var v = get(row, node.getAttribute("data-f"));
      if (v === undefined || v === null) v = node.hasAttribute("data-pct") ? 0 : "–";
      if (typeof v === "number") v = node.hasAttribute("data-pct") ? v.toLocaleString("id-ID", {minimumFractionDigits: 1, maximumFractionDigits: 1}) + "%" : v.toLocaleString("id-ID");
      if (node.textContent !== String(v)) node.textContent = v;
    });
    el.querySelectorAll("[data-w]").forEach(function (node) {
      node.style.width = (get(row, node.getAttribute("data-w")) || 0) + "%";
    });
  }
  function fillScoped(scope, row) {  // the summary section holds nested fields of the total only
    fill(scope, row);
  }
  function refresh() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var summary = root.querySelector(".summary");
        if (summary) fillScoped(summary, data.total);
        (data.rows || []).forEach(function (row) {
          var tr = root.querySelector('tr[data-row="' + row.code + '"]');
          if (tr) fill(tr, row);
        });
        (data.tps || []).forEach(function (row) {
          var tr = root.querySelector('tr[data-tps="' + row.code + '"]');
          if (tr) fill(tr, row);
        });
        var t = root.querySelector("[data-updated]");
        if (t && data.updated_text) t.textContent = data.updated_text;  // WIB, formatted by the server
      })
      .catch(function () {});
  }
  setInterval(refresh, 5000);
})();
