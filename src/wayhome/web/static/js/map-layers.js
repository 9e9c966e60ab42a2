/* wayhome thematic map layers: settlements by readiness, hazard areas by status, heritage sites by condition.
 *
 * Loaded before map.js on the map page. A Leaflet init hook finds the page's map (#map[data-layers]) as
 * map.js creates it, then adds the three layers, a layer control to toggle them and a legend. Each layer
 * is reloaded for the visible box and zoom whenever the map stops moving (the server simplifies outlines
 * for the zoom). Popups are built here from the features' few properties, escaped, with a link to the
 * record's page. No request leaves the server: Leaflet and the basemap are vendored.
 */
(function () {
  "use strict";

  if (typeof L === "undefined") return;

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function json(el, name, fallback) {
    try {
      return JSON.parse(el.getAttribute(name) || "");
    } catch (e) {
      return fallback;
    }
  }

  function number(value) {
    return typeof value === "number" ? value.toLocaleString(document.documentElement.lang || undefined) : "—";
  }

  function isRtl(el) {
    return (el.closest("[dir]") || document.documentElement).getAttribute("dir") === "rtl";
  }

  function bboxOf(bounds) {
    var west = bounds.getWest(), east = bounds.getEast();
    if (east - west >= 360) { west = -180; east = 180; }
    /* Leaflet's longitudes run on past ±180 when the world repeats; the server wraps them. */
    return [west, Math.max(bounds.getSouth(), -90), east, Math.min(bounds.getNorth(), 90)]
      .map(function (v) { return v.toFixed(5); }).join(",");
  }

  function attach(map, el) {
    el.wayhomeMap = map; /* for the browser test, which clicks features at their pixel */
    var layers = json(el, "data-layers", []);
    var msg = json(el, "data-layer-messages", {});
    var rtl = isRtl(el);
    var status = document.getElementById("layer-status");
    /* SVG in panes that let clicks through, above map.js's canvas of places (z-index 400): a canvas
     * takes every click over the whole map, so a canvas here would hide the places below it,
     * while with SVG only the drawn shapes are clickable and the rest reaches the places. */
    var hazardPane = map.createPane("hazards");
    hazardPane.style.zIndex = 410;
    hazardPane.style.pointerEvents = "none";
    var pointPane = map.createPane("thematic");
    pointPane.style.zIndex = 420;
    pointPane.style.pointerEvents = "none";
    var renderers = {
      hazards: L.svg({ pane: "hazards", padding: 0.3 }),
      points: L.svg({ pane: "thematic", padding: 0.3 })
    };
    var overlays = {};
    var state = {};

    layers.forEach(function (layer) {
      var classes = {};
      layer.classes.forEach(function (c) { classes[c[0]] = { label: c[1], colour: c[2] }; });
      state[layer.key] = { layer: layer, classes: classes, group: L.featureGroup().addTo(map), request: null, count: 0, truncated: false };
      overlays['<span class="map-layer-name" data-layer="' + esc(layer.key) + '">' + esc(layer.title) + "</span>"] = state[layer.key].group;
    });
    L.control.layers(null, overlays, { position: rtl ? "topleft" : "topright", collapsed: false }).addTo(map);

    var legend = L.control({ position: rtl ? "bottomright" : "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-control map-legend map-layers-legend");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    legend.addTo(map);

    function drawLegend() {
      var html = layers.map(function (layer) {
        var s = state[layer.key];
        if (!map.hasLayer(s.group)) return "";
        var rows = layer.classes.map(function (c) {
          return '<li><span class="map-swatch" style="background:' + esc(c[2]) + ';width:11px;height:11px"></span> ' + esc(c[1]) + "</li>";
        }).join("");
        return '<div class="legend-group" data-layer="' + esc(layer.key) + '"><strong>' + esc(layer.title) +
          ' <span class="count">' + s.count + (s.truncated ? "+" : "") + "</span></strong><ul>" + rows + "</ul></div>";
      }).join("");
      legend.getContainer().innerHTML = html;
      legend.getContainer().style.display = html ? "" : "none";
    }

    function colour(s, value) {
      return (s.classes[value] || { colour: "#555" }).colour;
    }

    function labelOf(s, value) {
      return (s.classes[value] || { label: value }).label;
    }

    function link(layer, id) {
      return '<a href="' + esc(layer.link.replace("{id}", encodeURIComponent(id))) + '">' + esc(layer.link_text) + "</a>";
    }

    function popup(key, feature) {
      var s = state[key];
      var p = feature.properties;
      var rows = [];
      if (key === "settlements") {
        rows.push([msg.score, p.score == null ? "—" : number(p.score)]);
        rows.push([msg.ready, p.ready ? msg.yes : msg.no]);
        if (p.blocking) rows.push([msg.blocking, number(p.blocking)]);
      } else if (key === "hazards") {
        rows.push([msg.type, String(p.hazard_type || "").toUpperCase()]);
        rows.push([msg.remaining, number(p.remaining_m2)]);
      } else {
        rows.push([msg.condition, labelOf(s, p.condition)]);
      }
      var value = key === "settlements" ? p["class"] : key === "hazards" ? p.status : p.condition;
      var head = '<strong dir="auto">' + esc(p.name) + "</strong>" + (p.ref ? ' <span class="muted">' + esc(p.ref) + "</span>" : "");
      var badge = '<div><span class="map-swatch" style="background:' + esc(colour(s, value)) + ';width:10px;height:10px"></span> ' + esc(labelOf(s, value)) + "</div>";
      var table = "<dl class=\"map-popup\">" + rows.map(function (r) {
        return "<dt>" + esc(r[0]) + "</dt><dd>" + esc(r[1]) + "</dd>";
      }).join("") + "</dl>";
      var note = p.precision === "coarse" ? '<p class="muted">' + esc(msg.coarse) + "</p>" : "";
      return '<div class="layer-popup" data-layer="' + esc(key) + '">' + head + badge + table + note + "<p>" + link(s.layer, feature.id) + "</p></div>";
    }

    function draw(key, data) {
      var s = state[key];
      s.group.clearLayers();
      var layer;
      if (key === "hazards") {
        layer = L.geoJSON(data, {
          pane: "hazards",
          renderer: renderers.hazards,
          style: function (f) {
            var c = colour(s, f.properties.status);
            return {
              /* far out an area is smaller than a pixel: a thick outline keeps it visible */
              color: c, weight: map.getZoom() < 11 ? 4 : 1.5, fillColor: c,
              fillOpacity: f.properties.status === "open" ? 0.35 : 0.15,
              dashArray: f.properties.hazard_type === "sha" ? "4 3" : null
            };
          }
        });
      } else {
        layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) {
            var value = key === "settlements" ? f.properties["class"] : f.properties.condition;
            var heritage = key === "heritage";
            return L.circleMarker(latlng, {
              pane: "thematic",
              renderer: renderers.points,
              radius: heritage ? 5 : 6.5,
              color: heritage ? "#222" : "#fff",
              weight: heritage ? 2 : 1.3,
              fillColor: colour(s, value),
              fillOpacity: 0.95
            });
          }
        });
      }
      layer.eachLayer(function (item) {
        var f = item.feature;
        item.bindTooltip(esc(f.properties.name), { direction: "top" });
        /* A popup of its own, not bound to the shape: the layer is redrawn after every move (the
         * popup's own autopan is one), and a bound popup would close with the shape it came from. */
        item.on("click", function (e) {
          var at = item.getLatLng ? item.getLatLng() : e.latlng;
          L.popup({ minWidth: 200, maxWidth: 320 }).setLatLng(at).setContent(popup(key, f)).openOn(map);
        });
      });
      s.group.addLayer(layer);
      s.count = data.features.length;
      s.truncated = !!data.truncated;
      el.setAttribute("data-layer-" + key, String(s.count));
    }

    function say() {
      if (!status) return;
      var cut = layers.some(function (l) { return map.hasLayer(state[l.key].group) && state[l.key].truncated; });
      status.textContent = cut ? msg.truncated : "";
    }

    function load(key) {
      var s = state[key];
      if (s.request) s.request.abort();
      if (!map.hasLayer(s.group)) { drawLegend(); return; }
      s.request = new AbortController();
      var params = new URLSearchParams({ bbox: bboxOf(map.getBounds()), zoom: String(Math.round(map.getZoom())) });
      fetch(s.layer.url + "?" + params.toString(), { credentials: "same-origin", signal: s.request.signal })
        .then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.json();
        })
        .then(function (data) {
          draw(key, data);
          drawLegend();
          say();
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          if (status) status.textContent = msg.failed + " (" + s.layer.title + ")";
        });
    }

    var timer = null;
    function loadAll(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () { Object.keys(state).forEach(load); }, delay);
    }

    map.on("moveend", function () { loadAll(200); });
    map.on("overlayadd overlayremove", function (e) {
      Object.keys(state).forEach(function (key) {
        if (state[key].group === e.layer) {
          if (e.type === "overlayadd") load(key);
          else { state[key].group.clearLayers(); drawLegend(); say(); }
        }
      });
    });
    drawLegend();
    loadAll(0);
  }

  L.Map.addInitHook(function () {
    var map = this;
    var el = map.getContainer();
    if (!el || !el.hasAttribute("data-layers")) return;
    map.whenReady(function () { attach(map, el); });
  });
})();
