/* The kelurahan choropleth of /peta/ (Leaflet from our own static files, no tiles from elsewhere).
 *
 * Draws the boundaries (batas.json), colours them by the chosen layer (data.json), puts the value
 * on every polygon big enough to hold it, TPS as circles, and redraws legend, tile map and table
 * when the layer changes. Errors are never swallowed: any error or rejected promise is shown in
 * #peta-error (and stays in the console); #peta gets data-state="drawn" only after a full draw.
 */
(function () {
  "use strict";
  var root = document.getElementById("peta");
  if (!root) return;
  var errorBox = document.getElementById("peta-error");

  function show(err) {
    errorBox.hidden = false;
    errorBox.textContent = root.dataset.errorText + " " + ((err && err.message) || String(err));
    root.dataset.state = "error";
  }
  window.addEventListener("error", function (e) { show(e.error || e.message); });
  window.addEventListener("unhandledrejection", function (e) { show(e.reason); });

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        return r.text().then(function (body) {
          var msg = body;
          try { msg = JSON.parse(body).error || body; } catch (ignored) { /* not JSON: keep the text */ }
          throw new Error(url.split("?")[0] + ": HTTP " + r.status + " " + String(msg).slice(0, 200));
        });
      }
      return r.json();
    });
  }

  function text(tag, content, cls) {
    var el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  var map = null, shapes = {}, labels = null, markers = null, current = null;
  var drill = parseInt(root.dataset.drill, 10);

  function drillUrl(code) {
    var u = new URL(window.location.href);
    u.searchParams.set("wilayah", code.slice(0, drill));
    u.searchParams.set("layer", current.layer);
    return u.toString();
  }

  function drawShapes(collection) {
    if (typeof L === "undefined") throw new Error("Leaflet tidak termuat (leaflet/leaflet.js)");
    map = L.map(root, { zoomSnap: 0.25, preferCanvas: false, attributionControl: true });
    map.attributionControl.setPrefix(false);
    var geo = L.geoJSON(collection, {
      style: function () { return { color: "#4a4f55", weight: 1, fillOpacity: 0.85, fillColor: "#d0d4d9" }; },
      onEachFeature: function (feature, layer) {
        shapes[feature.id] = { layer: layer, feature: feature };
        layer.on("click", function () { window.location.href = drillUrl(feature.id); });
      }
    }).addTo(map);
    if (!collection.features.length) throw new Error("batas.json tidak berisi kelurahan");
    map.fitBounds(geo.getBounds(), { padding: [8, 8] });
    labels = L.layerGroup().addTo(map);
    markers = L.layerGroup().addTo(map);
    map.on("zoomend moveend", placeLabels);
  }

  function placeLabels() {
    if (!map || !current) return;
    labels.clearLayers();
    var bounds = map.getBounds().pad(0.1);
    current.rows.forEach(function (row) {
      var s = shapes[row.code];
      if (!s || row.value === null) return; // no data: the grey says it, a "–" on every polygon would not
      var b = s.layer.getBounds();
      if (!bounds.intersects(b)) return;
      var a = map.latLngToContainerPoint(b.getNorthWest()), z = map.latLngToContainerPoint(b.getSouthEast());
      var wide = Math.abs(z.x - a.x), high = Math.abs(z.y - a.y);
      if (wide < 44 || high < 22) return; // too small to hold a label: hover, the tiles and the table tell
      var html = text("span", row.label);
      if (wide > 110 && high > 44) html.appendChild(text("small", s.feature.properties.name));
      var p = s.feature.properties.label;
      L.marker([p[0], p[1]], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "peta-label", html: html, iconSize: null })
      }).addTo(labels);
    });
  }

  function tooltip(row) {
    var el = text("div", row.name + (row.kecamatan ? " (" + row.kecamatan + ")" : ""), "peta-tip");
    el.appendChild(text("strong", row.label));
    if (row.detail) el.appendChild(text("div", row.detail));
    return el;
  }

  function paintMap(data) {
    if (!map) return;
    Object.keys(shapes).forEach(function (code) {
      shapes[code].layer.setStyle({ fillColor: "#d0d4d9" });
      shapes[code].layer.unbindTooltip();
    });
    data.rows.forEach(function (row) {
      var s = shapes[row.code];
      if (!s) return;
      s.layer.setStyle({ fillColor: row.colour });
      s.layer.bindTooltip(tooltip(row), { sticky: true });
    });
    markers.clearLayers();
    data.tps.forEach(function (t) {
      var colour = t.cls === null ? "#ffffff" : data.classes[t.cls].colour;
      var tip = text("div", "TPS " + t.code.slice(10) + " · " + t.code, "peta-tip");
      if (t.label) tip.appendChild(text("strong", t.label));
      L.circleMarker([t.lat, t.lon], { radius: 5, color: "#1b1f23", weight: 1, fillColor: colour, fillOpacity: 1 })
        .bindTooltip(tip).addTo(markers);
    });
    placeLabels();
  }

  function paintPage(data) {
    var legend = document.getElementById("peta-legend");
    legend.replaceChildren.apply(legend, data.classes.map(function (c) {
      var li = document.createElement("li"), i = document.createElement("i");
      i.style.background = c.colour;
      li.appendChild(i);
      li.appendChild(document.createTextNode(c.label));
      return li;
    }));
    document.getElementById("peta-explain").textContent = data.explain;
    document.getElementById("peta-col").textContent = data.title;
    document.getElementById("peta-count").textContent = data.rows.length.toLocaleString("id-ID");
    var byCode = {};
    data.rows.forEach(function (r) { byCode[r.code] = r; });
    document.querySelectorAll("#peta-tiles rect[data-code]").forEach(function (rect) {
      var r = byCode[rect.dataset.code];
      rect.setAttribute("fill", r ? r.colour : "#d0d4d9");
      var title = rect.querySelector("title");
      if (title && r) title.textContent = r.name + " (" + r.kecamatan + "): " + r.label;
    });
    var body = document.querySelector("#peta-table tbody");
    var head = document.querySelectorAll("#peta-table thead th");
    body.replaceChildren.apply(body, data.rows.map(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.code = r.code;
      var name = document.createElement("td"), sw = document.createElement("i"), a = document.createElement("a");
      sw.className = "sw";
      sw.style.background = r.colour;
      a.href = (function () {
        var u = new URL(window.location.href);
        u.searchParams.set("wilayah", r.code);
        u.searchParams.set("layer", data.layer);
        return u.toString();
      })();
      a.textContent = r.name;
      name.appendChild(sw);
      name.appendChild(a);
      var cells = [name, text("td", r.kecamatan), text("td", r.label, "num"), text("td", r.detail)];
      cells.forEach(function (td, i) { td.dataset.label = head[i].textContent; tr.appendChild(td); });
      return tr;
    }));
  }

  function apply(data) {
    current = data;
    paintMap(data);
    paintPage(data);
    root.dataset.layer = data.layer;
    root.dataset.state = "drawn";
  }

  var select = document.getElementById("peta-layer");
  select.addEventListener("change", function () {
    root.dataset.state = "loading";
    var u = new URL(root.dataset.dataUrl, window.location.href);
    u.searchParams.set("layer", select.value);
    return getJSON(u.toString()).then(function (data) {
      apply(data);
      var page = new URL(window.location.href);
      page.searchParams.set("layer", data.layer);
      window.history.replaceState(null, "", page.toString());
    });
  });

  var first = new URL(root.dataset.dataUrl, window.location.href);
  first.searchParams.set("layer", root.dataset.layer);
  var start = root.hidden ? Promise.resolve(null) : getJSON(root.dataset.shapesUrl).then(drawShapes);
  start.then(function () { return getJSON(first.toString()); }).then(apply);
})();
