#!/usr/bin/env bash
# Re-fetch the browser assets vendored under src/wayhome/web/static/vendor/ from npm.
#
# The web UI must work with no internet at all, so every script, stylesheet, image
# and basemap it loads is shipped inside the package. This script is what produced
# vendor/leaflet/, vendor/htmx/ and vendor/world-atlas/; re-running it with the same
# pinned versions gives byte-identical files.
#
#   scripts/vendor-assets.sh          rebuild the vendored files in the tree
#   scripts/vendor-assets.sh --check  rebuild in a temp dir, diff against the tree,
#                                     exit 1 if they differ (changes nothing)
#
# Needs: bash, node (>= 18), npm, tar, diff. Reaches only the npm registry.
# To bump a package: change its version below, run once, copy the new
# "integrity" value the script prints into the table, update vendor/README.md.
set -euo pipefail

LEAFLET_VERSION=1.9.4
HTMX_VERSION=2.0.11
WORLD_ATLAS_VERSION=2.0.2
SWAGGER_UI_VERSION=5.35.0        # the API documentation page (/api/docs)
# Build tools for the TopoJSON -> GeoJSON conversion (run here, never shipped):
TOPOJSON_CLIENT_VERSION=3.1.0
D3_GEO_VERSION=3.1.2
D3_ARRAY_VERSION=3.2.5
INTERNMAP_VERSION=2.0.3
D3_GEO_PROJECTION_VERSION=4.0.0
GEOJSON_DECIMALS=4              # coordinate rounding; world-atlas's grid is ~0.0017-0.0036 deg

# sha512 of each npm tarball, as `npm pack --json` reports it.
declare -A INTEGRITY=(
  ["leaflet@${LEAFLET_VERSION}"]="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
  ["htmx.org@${HTMX_VERSION}"]="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
  ["swagger-ui-dist@${SWAGGER_UI_VERSION}"]="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="
  ["world-atlas@${WORLD_ATLAS_VERSION}"]="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
  ["topojson-client@${TOPOJSON_CLIENT_VERSION}"]="sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw=="
  ["d3-geo@${D3_GEO_VERSION}"]="sha512-5R8ZgDQorIxmauv7R6gpE/ndz+Z0qAZssigq0aXFdvPHdY41RqtW02jrRUQAL724NdPABYXo1+gQEGBBr7uKNg=="
  ["d3-array@${D3_ARRAY_VERSION}"]="sha512-Th8qGXoBalmWsstpkuhmBuTsBQIFqYOJtjlBvNVvBfJ8E3uYusBUwUR8HU20U0qKKQkgCvKyR1YjiozWadk5QA=="
  ["internmap@${INTERNMAP_VERSION}"]="sha512-5Hh7Y1wQbvY5ooGgPbDaL5iYLAPzMTUrjMulskHLH6wnv/A+1q5rgEaiuqEjB+oxGXIVZs1FF+R/KPN3ZSQYYg=="
  ["d3-geo-projection@${D3_GEO_PROJECTION_VERSION}"]="sha512-p0bK60CEzph1iqmnxut7d/1kyTmm3UWtPlwdkM31AU+LW+BXazd5zJdoCn7VFxNCHXRngPHRnsNn5uGjLRGndg=="
)

mode=write
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

for tool in node npm tar diff; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' not found" >&2; exit 1; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/src/wayhome/web/static/vendor"
work="$(mktemp -d "${TMPDIR:-/tmp}/wayhome-vendor.XXXXXX")"
trap 'rm -rf "$work"' EXIT
out="$work/out"
mkdir -p "$out"

# --- fetch: npm pack downloads the tarball only (no install, no lifecycle scripts) ---
fetch() {  # fetch NAME@VERSION -> prints the directory holding the unpacked package/
  local spec="$1" json integrity dir
  json="$(cd "$work" && npm pack --silent --json "$spec")"
  integrity="$(node -e 'process.stdout.write(JSON.parse(process.argv[1])[0].integrity)' "$json")"
  if [[ "$integrity" != "${INTEGRITY[$spec]}" ]]; then
    echo "error: $spec integrity mismatch" >&2
    echo "  expected ${INTEGRITY[$spec]}" >&2
    echo "  got      $integrity" >&2
    exit 1
  fi
  dir="$work/src/$spec"
  mkdir -p "$dir"
  tar -xzf "$work/$(node -e 'process.stdout.write(JSON.parse(process.argv[1])[0].filename)' "$json")" -C "$dir"
  echo "fetched $spec ($integrity)" >&2
  printf '%s\n' "$dir/package"
}

put() {  # put SRC DEST_RELATIVE_TO_OUT
  install -D -m 0644 "$1" "$out/$2"
}

leaflet="$(fetch "leaflet@$LEAFLET_VERSION")"
htmx="$(fetch "htmx.org@$HTMX_VERSION")"
atlas="$(fetch "world-atlas@$WORLD_ATLAS_VERSION")"
swagger="$(fetch "swagger-ui-dist@$SWAGGER_UI_VERSION")"
# Build tools go into a throwaway node_modules/ so node resolves their imports.
mkdir -p "$work/node_modules"
for spec in "topojson-client@$TOPOJSON_CLIENT_VERSION" "d3-geo@$D3_GEO_VERSION" \
            "d3-array@$D3_ARRAY_VERSION" "internmap@$INTERNMAP_VERSION" \
            "d3-geo-projection@$D3_GEO_PROJECTION_VERSION"; do
  pkg="$(fetch "$spec")"
  mv "$pkg" "$work/node_modules/${spec%@*}"
done

# --- leaflet ---
put "$leaflet/dist/leaflet.js"  leaflet/leaflet.js
put "$leaflet/dist/leaflet.css" leaflet/leaflet.css
for img in "$leaflet"/dist/images/*; do
  put "$img" "leaflet/images/$(basename "$img")"
done
put "$leaflet/LICENSE" leaflet/LICENSE

# --- htmx ---
put "$htmx/dist/htmx.min.js" htmx/htmx.min.js
put "$htmx/LICENSE"          htmx/LICENSE

# --- swagger-ui: the OpenAPI page at /api/docs, served from here instead of a CDN ---
put "$swagger/swagger-ui-bundle.js"             swagger-ui/swagger-ui-bundle.js
put "$swagger/swagger-ui-bundle.js.LICENSE.txt" swagger-ui/swagger-ui-bundle.js.LICENSE.txt
put "$swagger/swagger-ui.css"                   swagger-ui/swagger-ui.css
put "$swagger/LICENSE"                          swagger-ui/LICENSE
put "$swagger/NOTICE"                           swagger-ui/NOTICE

# --- world-atlas: TopoJSON -> GeoJSON FeatureCollection, converted here so the
#     browser needs no TopoJSON library. world-atlas 2.x is not cut at the
#     antimeridian (it is meant for d3's spherical rendering), so Russia, Fiji and
#     Antarctica would draw stripes across a flat Leaflet map: cut them at +/-180
#     with d3-geo's spherical antimeridian clipping (equirectangular projection in
#     degrees, no resampling), which gives plain lon/lat back. ---
cat > "$work/topo2geojson.mjs" <<'JS'
// usage: node topo2geojson.mjs IN.topojson OUT.geojson DECIMALS
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoArea, geoEquirectangular } from 'd3-geo';
import { geoProject } from 'd3-geo-projection';

const require = createRequire(import.meta.url);
const topojson = require('topojson-client');
const [input, output, decimals] = process.argv.slice(2);
const topology = JSON.parse(readFileSync(input, 'utf8'));
const spherical = topojson.feature(topology, topology.objects.countries);

// d3 reads ring winding on the sphere: a ring wound the wrong way means "the whole
// globe except this". A few islets in world-atlas (e.g. one Maldives ring at 10m)
// are flipped by quantization; no country is bigger than a hemisphere, so re-wind
// any polygon whose spherical area is over 2*pi steradians.
let rewound = 0;
const fix = (rings) => {
  if (geoArea({ type: 'Polygon', coordinates: rings }) <= 2 * Math.PI) return rings;
  rewound += 1;
  return rings.map((ring) => ring.slice().reverse());
};
for (const { geometry: g } of spherical.features) {
  if (g && g.type === 'Polygon') g.coordinates = fix(g.coordinates);
  if (g && g.type === 'MultiPolygon') g.coordinates = g.coordinates.map(fix);
}
console.error(`${input.split('/').pop()}: re-wound ${rewound} inverted polygon(s)`);

// x = longitude, y = -latitude (d3's y points down; geoProject's ring
// orientation logic expects that, so latitude is flipped back below).
const degrees = geoEquirectangular().scale(180 / Math.PI).translate([0, 0]).precision(0);
const planar = geoProject(spherical, degrees);

const k = 10 ** Number(decimals);
const r = (v) => Math.round(v * k) / k + 0; // + 0 turns -0 into 0
const lonLat = (c) => (typeof c[0] === 'number' ? [r(c[0]), r(-c[1])] : c.map(lonLat));
const features = planar.features.map((f) => ({
  type: 'Feature',
  id: f.id, // ISO 3166-1 numeric; absent for a few disputed/minor areas (dropped by JSON)
  properties: { name: f.properties.name },
  geometry: f.geometry && { type: f.geometry.type, coordinates: lonLat(f.geometry.coordinates) },
}));
writeFileSync(output, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
JS

mkdir -p "$out/world-atlas"
for res in 50m 10m; do
  node "$work/topo2geojson.mjs" \
    "$atlas/countries-$res.json" "$out/world-atlas/countries-$res.geojson" "$GEOJSON_DECIMALS"
  chmod 0644 "$out/world-atlas/countries-$res.geojson"
done
put "$atlas/LICENSE" world-atlas/LICENSE

cat > "$out/world-atlas/NOTICE.md" <<EOF
# world-atlas basemap data

- **Data:** [Natural Earth](https://www.naturalearthdata.com/) Admin 0 countries,
  1:50m and 1:10m scale. Natural Earth is in the **public domain**.
- **Packaged by:** the npm package \`world-atlas@${WORLD_ATLAS_VERSION}\` (Mike Bostock),
  **ISC** licence; see \`LICENSE\` in this folder.

## How these files were made

\`countries-50m.geojson\` and \`countries-10m.geojson\` are converted from
world-atlas's \`countries-50m.json\` and \`countries-10m.json\` (TopoJSON) with
\`topojson-client@${TOPOJSON_CLIENT_VERSION}\` (\`topojson.feature(topology, topology.objects.countries)\`),
so the browser needs no TopoJSON library. world-atlas is not cut at the
antimeridian, so the polygons that cross it (Russia, Fiji, Antarctica) are cut
at +/-180 degrees with \`d3-geo@${D3_GEO_VERSION}\` antimeridian clipping through
\`d3-geo-projection@${D3_GEO_PROJECTION_VERSION}\` \`geoProject\`. The projection is an
equirectangular one in degrees with no resampling, so the output is plain longitude
and latitude for a flat (Leaflet) map. Before the cut, any polygon whose
spherical area is more than a hemisphere is re-wound. Quantization flipped a few
islet rings, such as one Maldives ring at 10m, and d3 would otherwise read each of
them as the whole globe minus the islet. Each feature keeps its \`name\`
property and its ISO 3166-1 numeric \`id\` (absent for a few disputed or minor
areas). Coordinates are rounded to ${GEOJSON_DECIMALS} decimals (about 11 m), finer than
world-atlas's own quantization grid (about 0.002-0.004 degrees), and the files are
written minified.

Regenerate with \`scripts/vendor-assets.sh\` from the repository root.
EOF
chmod 0644 "$out/world-atlas/NOTICE.md"

# --- install into the tree, or compare with it ---
packages=(leaflet htmx swagger-ui world-atlas)
if [[ "$mode" == check ]]; then
  status=0
  for p in "${packages[@]}"; do
    diff -r "$out/$p" "$dest/$p" || status=1
  done
  if [[ $status -eq 0 ]]; then
    echo "vendored assets match npm (leaflet@$LEAFLET_VERSION htmx.org@$HTMX_VERSION swagger-ui-dist@$SWAGGER_UI_VERSION world-atlas@$WORLD_ATLAS_VERSION)"
  else
    echo "error: vendored assets differ from what scripts/vendor-assets.sh produces" >&2
  fi
  exit "$status"
fi

mkdir -p "$dest"
for p in "${packages[@]}"; do
  rm -rf "${dest:?}/$p"
  cp -R "$out/$p" "$dest/$p"
done
echo "wrote $dest/{$(IFS=,; echo "${packages[*]}")}"
du -sh "$dest"
