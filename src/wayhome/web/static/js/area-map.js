/* wayhome area maps: the small map of a hazard area (its outline, the land released from it and
 * the land remaining) or of a heritage site, and the live preview of a GeoJSON polygon typed into a
 * form. No basemap tiles (the server is offline): outlines on a plain background with a scale bar.
 *
 * .area-map[data-layers]  layers: [{kind, geometry}], kinds hazard | remaining | cancelled |
 *                         reduced | cleared | site | point; data-labels names them for the legend.
 * .area-map[data-source]  the id of a textarea holding GeoJSON; redrawn as the text changes;
 *                         data-context is a geometry drawn underneath (the hazard of a release).
 */
(function () {
  "use strict";

  var STYLES = {
    hazard: { color: "#b3261e", weight: 2, dashArray: "6 4", fillOpacity: 0.04 },
    remaining: { color: "#b3261e", weight: 1, fillColor: "#e0584f", fillOpacity: 0.45 },
    cancelled: { color: "#a86b00", weight: 1, fillColor: "#f2c14e", fillOpacity: 0.55 },
    reduced: { color: "#1c4a8f", weight: 1, fillColor: "#6b9be0", fillOpacity: 0.55 },
    cleared: { color: "#1e5a35", weight: 1, fillColor: "#4caf72", fillOpacity: 0.55 },
    site: { color: "#4b2a8a", weight: 2, fillColor: "#8e6cd1", fillOpacity: 0.3 },
    point: { color: "#c4572a" },
    preview: { color: "#1f5f7a", weight: 2, fillColor: "#1f5f7a", fillOpacity: 0.25 },
    context: { color: "#b3261e", weight: 1.5, dashArray: "6 4", fillOpacity: 0 }
  };

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function isRtl(el) {
    return (el.closest("[dir]") || document.documentElement).getAttribute("dir") === "rtl";
  }

  function makeMap(el) {
    var rtl = isRtl(el);
    var map = L.map(el, { zoomControl: false, attributionControl: false, scrollWheelZoom: false, maxZoom: 20 });
    L.control.zoom({ position: rtl ? "topright" : "topleft" }).addTo(map);
    L.control.scale({ position: rtl ? "bottomright" : "bottomleft", imperial: false }).addTo(map);
    map.setView([20, 20], 2);
    return { map: map, rtl: rtl };
  }

  function layerOf(geometry, kind) {
    if (!geometry || typeof geometry !== "object") return null;
    var style = STYLES[kind] || STYLES.preview;
    try {
      return L.geoJSON(geometry, {
        style: function () { return style; },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2, fillColor: style.color, fillOpacity: 1 });
        }
      });
    } catch (e) {
      return null;
    }
  }

  /* Fit the outlines, keeping clear of the legend (top right, or top left in right-to-left pages). */
  function fit(map, group, legendWidth, rtl) {
    var bounds = group.getBounds();
    if (!bounds.isValid()) return;
    var side = [(legendWidth || 0) + 16, 16];
    var options = { padding: [16, 16], maxZoom: 17 };
    if (legendWidth) options[rtl ? "paddingTopLeft" : "paddingTopRight"] = side;
    map.fitBounds(bounds, options);
  }

  function legend(made, kinds, labels) {
    var seen = [];
    kinds.forEach(function (k) { if (labels[k] && seen.indexOf(k) < 0) seen.push(k); });
    if (!seen.length) return null;
    var control = L.control({ position: made.rtl ? "topleft" : "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-control map-legend area-legend");
      div.innerHTML = seen.map(function (k) {
        return '<div><span class="key seg-' + esc(k) + '"></span>' + esc(labels[k]) + "</div>";
      }).join("");
      return div;
    };
    control.addTo(made.map);
    return control.getContainer();
  }

  function initLayers(el) {
    var layers = parse(el.getAttribute("data-layers")) || [];
    var labels = parse(el.getAttribute("data-labels") || "{}") || {};
    var made = makeMap(el);
    var group = L.featureGroup().addTo(made.map);
    var kinds = [];
    layers.forEach(function (item) {
      var layer = layerOf(item.geometry, item.kind);
      if (!layer) return;
      if (labels[item.kind]) layer.bindTooltip(esc(labels[item.kind] + (item.date ? " · " + item.date : "")));
      group.addLayer(layer);
      kinds.push(item.kind);
    });
    /* The hazard's outline goes on top so that it stays visible over released parts. */
    group.eachLayer(function (layer) { if (layer.options && layer.options.style && layer.options.style().dashArray) layer.bringToFront(); });
    var box = legend(made, kinds, labels);
    fit(made.map, group, box ? box.offsetWidth : 0, made.rtl);
    el.setAttribute("data-ready", String(kinds.length));
  }

  function initPreview(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source) return;
    var made = makeMap(el);
    var context = parse(el.getAttribute("data-context") || "null");
    var contextLayer = context ? layerOf(context, "context") : null;
    if (contextLayer) contextLayer.addTo(made.map);
    var current = null;
    var note = document.createElement("p");
    note.className = "muted preview-note";
    el.insertAdjacentElement("afterend", note);

    function draw() {
      if (current) { made.map.removeLayer(current); current = null; }
      var geometry = parse(source.value);
      var layer = geometry ? layerOf(geometry, "preview") : null;
      var group = L.featureGroup();
      if (contextLayer) group.addLayer(L.geoJSON(context));
      if (layer) {
        current = layer.addTo(made.map);
        group.addLayer(L.geoJSON(geometry));
        note.textContent = "";
      } else if (source.value.trim()) {
        note.textContent = el.getAttribute("data-invalid") || "";
      }
      fit(made.map, group);
      el.setAttribute("data-ready", layer ? "1" : "0");
    }

    var timer = null;
    source.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(draw, 300);
    });
    draw();
  }

  function start() {
    if (typeof L === "undefined") return;
    document.querySelectorAll(".area-map[data-layers]").forEach(initLayers);
    document.querySelectorAll(".area-map[data-source]").forEach(initPreview);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
