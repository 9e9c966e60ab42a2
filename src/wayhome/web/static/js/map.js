/* wayhome maps: an offline basemap (Natural Earth countries as GeoJSON, no tiles) with places on top.
 *
 * #map[data-mode=full]  the map page: places loaded by bounding box on every move, a layer per place type,
 *                        a legend, a filter box and popups loaded from the server.
 * .minimap[data-lat]     the small map of one place on its page.
 */
(function () {
  "use strict";

  var LAND = "#f7f4ee";
  var BORDER = "#a9a395";
  var DETAIL_ZOOM = 6;
  var STYLES = {
    country: { color: "#6b3fa0", radius: 9 },
    region: { color: "#2d6cb5", radius: 7.5 },
    district: { color: "#1b8a83", radius: 6.5 },
    settlement: { color: "#1f5f7a", radius: 4.5 },
    camp: { color: "#c4572a", radius: 6 },
    collective_centre: { color: "#b07d00", radius: 6 }
  };
  var FALLBACK = { color: "#555", radius: 5 };
  var geojsonCache = {};

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function json(el, name) {
    try {
      return JSON.parse(el.getAttribute(name) || "{}");
    } catch (e) {
      return {};
    }
  }

  function fetchGeojson(url) {
    if (!geojsonCache[url]) {
      geojsonCache[url] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(url + ": " + r.status);
        return r.json();
      });
    }
    return geojsonCache[url];
  }

  /* Countries drawn on a canvas in their own pane below everything; the sea is the container's background. */
  function addBasemap(map, el) {
    var pane = map.createPane("basemap");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    var renderer = L.canvas({ pane: "basemap", padding: 0.3 });
    var style = { color: BORDER, weight: 0.7, fillColor: LAND, fillOpacity: 1, opacity: 1 };
    var coarse = null;
    var fine = null;
    var wantFine = false;

    function layer(data) {
      return L.geoJSON(data, { pane: "basemap", renderer: renderer, interactive: false, style: style });
    }

    function show() {
      var detail = map.getZoom() >= DETAIL_ZOOM && fine;
      if (detail) {
        if (coarse && map.hasLayer(coarse)) map.removeLayer(coarse);
        if (!map.hasLayer(fine)) fine.addTo(map);
      } else {
        if (fine && map.hasLayer(fine)) map.removeLayer(fine);
        if (coarse && !map.hasLayer(coarse)) coarse.addTo(map);
      }
    }

    function maybeFine() {
      var url = el.getAttribute("data-basemap-detail");
      if (!url || wantFine || map.getZoom() < DETAIL_ZOOM) return show();
      wantFine = true; /* loaded once, the first time someone zooms in */
      fetchGeojson(url).then(function (data) {
        fine = layer(data);
        show();
      }, function () { wantFine = false; });
    }

    var loaded = fetchGeojson(el.getAttribute("data-basemap")).then(function (data) {
      coarse = layer(data);
      show();
      el.setAttribute("data-basemap-ready", "1");
    });
    map.on("zoomend", maybeFine);
    maybeFine();
    map.attributionControl.addAttribution("Natural Earth");
    return loaded;
  }

  function isRtl(el) {
    return (el.closest("[dir]") || document.documentElement).getAttribute("dir") === "rtl";
  }

  function baseMap(el, options) {
    var rtl = isRtl(el);
    var map = L.map(el, Object.assign({
      zoomControl: false,
      attributionControl: false,
      minZoom: 2,
      maxZoom: 14,
      worldCopyJump: true,
      maxBounds: [[-85, -540], [85, 540]]
    }, options || {}));
    /* Mirror the controls in right-to-left languages. */
    L.control.zoom({
      position: rtl ? "topright" : "topleft",
      zoomInTitle: el.getAttribute("data-zoom-in") || "+",
      zoomOutTitle: el.getAttribute("data-zoom-out") || "−"
    }).addTo(map);
    L.control.attribution({ position: rtl ? "bottomleft" : "bottomright" }).addTo(map);
    return { map: map, rtl: rtl };
  }

  function style(type) {
    return STYLES[type] || FALLBACK;
  }

  function swatch(type) {
    var s = style(type);
    var size = Math.round(s.radius * 2);
    return '<span class="map-swatch" style="background:' + s.color + ";width:" + size + "px;height:" + size + 'px"></span>';
  }

  /* ---- the small map of one place ---- */
  function initMini(el) {
    var lat = parseFloat(el.getAttribute("data-lat"));
    var lon = parseFloat(el.getAttribute("data-lon"));
    if (isNaN(lat) || isNaN(lon)) return;
    var made = baseMap(el, { scrollWheelZoom: false });
    made.map.setView([lat, lon], 5);
    addBasemap(made.map, el);
    L.circleMarker([lat, lon], {
      radius: 7, color: "#fff", weight: 2, fillColor: "#c4572a", fillOpacity: 1
    }).bindTooltip(esc(el.getAttribute("data-label") || "")).addTo(made.map);
  }

  /* ---- the map page ---- */
  function initFull(el) {
    var labels = {};
    var order = [];
    (JSON.parse(el.getAttribute("data-types") || "[]")).forEach(function (pair) {
      order.push(pair[0]);
      labels[pair[0]] = pair[1];
    });
    var msg = json(el, "data-messages");
    var made = baseMap(el);
    var map = made.map;
    var rtl = made.rtl;
    var status = document.getElementById("map-status");
    var search = document.getElementById("map-q");
    var renderer = L.canvas({ padding: 0.3, tolerance: 4 });
    var groups = {};
    var overlays = {};
    var counts = {};
    var request = null;
    var timer = null;

    order.forEach(function (type) {
      groups[type] = L.featureGroup().addTo(map);
      overlays[swatch(type) + " " + esc(labels[type])] = groups[type];
    });
    L.control.layers(null, overlays, {
      position: rtl ? "topleft" : "topright",
      collapsed: false
    }).addTo(map);

    var legend = L.control({ position: rtl ? "bottomright" : "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-control map-legend");
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    legend.addTo(map);

    function drawLegend() {
      var rows = order.map(function (type) {
        var off = !map.hasLayer(groups[type]);
        return '<li class="' + (off ? "off" : "") + '">' + swatch(type) + " " + esc(labels[type]) +
          ' <span class="count">' + (counts[type] || 0) + "</span></li>";
      });
      legend.getContainer().innerHTML = "<strong>" + esc(msg.legend || "") + "</strong><ul>" + rows.join("") + "</ul>";
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function visibleTypes() {
      var on = Object.keys(groups).filter(function (t) { return map.hasLayer(groups[t]); });
      return on.length === Object.keys(groups).length ? [] : on;
    }

    function bboxOf(bounds) {
      var west = bounds.getWest(), east = bounds.getEast();
      if (east - west >= 360) { west = -180; east = 180; }
      return [west, Math.max(bounds.getSouth(), -90), east, Math.min(bounds.getNorth(), 90)]
        .map(function (v) { return v.toFixed(5); }).join(",");
    }

    function marker(feature) {
      var c = feature.geometry.coordinates;
      var p = feature.properties;
      var s = style(p.type);
      var m = L.circleMarker([c[1], c[0]], {
        renderer: renderer, radius: s.radius, color: "#fff", weight: 1.2, fillColor: s.color, fillOpacity: 0.92
      });
      m.bindTooltip(esc(p.name) + " · " + esc(p.code), { direction: "top", offset: [0, -s.radius] });
      m.bindPopup(msg.loading || "…", { minWidth: 180, maxWidth: 320 });
      m.on("popupopen", function (e) {
        if (m._loaded) return;
        var url = el.getAttribute("data-popup").replace("{id}", encodeURIComponent(feature.id));
        fetch(url, { credentials: "same-origin" }).then(function (r) {
          return r.ok ? r.text() : Promise.reject(r.status);
        }).then(function (html) {
          m._loaded = true;
          e.popup.setContent(html); /* rendered and escaped by the server */
        }, function () {
          e.popup.setContent(esc(p.name) + ' · <a href="/places/' + encodeURIComponent(feature.id) + '">' + esc(p.code) + "</a>");
        });
      });
      return m;
    }

    function load(fit) {
      if (request) request.abort();
      request = new AbortController();
      var params = new URLSearchParams();
      if (!fit) params.set("bbox", bboxOf(map.getBounds()));
      visibleTypes().forEach(function (t) { params.append("type", t); });
      var q = search ? search.value.trim() : "";
      if (q) params.set("q", q);
      say(msg.loading || "…");
      return fetch(el.getAttribute("data-features") + "?" + params.toString(), {
        credentials: "same-origin", signal: request.signal
      }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (data) {
        Object.keys(groups).forEach(function (t) { groups[t].clearLayers(); counts[t] = 0; });
        var all = [];
        data.features.forEach(function (f) {
          var group = groups[f.properties.type];
          if (!group) return;
          var m = marker(f);
          group.addLayer(m);
          all.push(m.getLatLng());
          counts[f.properties.type] += 1;
        });
        drawLegend();
        if (!data.features.length) say(msg.none || "");
        else if (data.truncated) say(msg.truncated || "");
        else say((msg.count || "%(num)s").replace("%(num)s", data.features.length));
        el.setAttribute("data-places-loaded", String(data.features.length));
        if (fit && all.length) {
          map.fitBounds(L.latLngBounds(all), { padding: [30, 30], maxZoom: 10 });
        }
      }).catch(function (err) {
        if (err && err.name === "AbortError") return;
        say(msg.failed || "!");
      });
    }

    function later(fit, delay) {
      clearTimeout(timer);
      timer = setTimeout(function () { load(fit); }, delay);
    }

    var params = new URLSearchParams(window.location.search);
    var lat = parseFloat(params.get("lat"));
    var lon = parseFloat(params.get("lon"));
    var first = true;
    if (!isNaN(lat) && !isNaN(lon)) {
      map.setView([lat, lon], parseInt(params.get("zoom"), 10) || 9);
      first = false;
    } else {
      map.setView([30, 20], 2);
    }
    addBasemap(map, el);
    drawLegend();
    load(first).then(function () {
      map.on("moveend", function () { later(false, 250); });
    });
    map.on("overlayadd overlayremove", function () { drawLegend(); later(false, 50); });

    if (search) {
      var form = search.form;
      function searchNow() {
        var url = new URL(window.location.href);
        if (search.value.trim()) url.searchParams.set("q", search.value.trim());
        else url.searchParams.delete("q");
        url.searchParams.delete("lat");
        url.searchParams.delete("lon");
        url.searchParams.delete("zoom");
        window.history.replaceState(null, "", url);
        later(true, 0);
      }
      search.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(searchNow, 400);
      });
      if (form) {
        form.addEventListener("submit", function (e) {
          e.preventDefault();
          searchNow();
        });
      }
    }
  }

  function start() {
    if (typeof L === "undefined") return;
    var full = document.querySelector("#map[data-mode=full]");
    if (full) initFull(full);
    document.querySelectorAll(".minimap[data-lat]").forEach(initMini);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
