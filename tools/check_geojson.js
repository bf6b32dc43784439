// RFC 7946 check of a GeoJSON file with @mapbox/geojsonhint (structure, the
// right-hand rule, no crs member), plus what it does not check: every
// coordinate a longitude/latitude. Prints each finding; exit 1 if any.
//   NODE_PATH=.../node_modules node tools/check_geojson.js targets.geojson
const fs = require('fs');
const geojsonhint = require('@mapbox/geojsonhint');

const path = process.argv[2];
const text = fs.readFileSync(path, 'utf8');
const findings = geojsonhint.hint(text).map((e) => e.message);

const walk = (c) => {
  if (typeof c[0] === 'number') {
    if (!(c[0] >= -180 && c[0] <= 180 && c[1] >= -90 && c[1] <= 90))
      findings.push(`coordinate ${c} is not longitude/latitude`);
    return;
  }
  c.forEach(walk);
};
const doc = JSON.parse(text);
if (doc.crs !== undefined) findings.push('has a crs member');
for (const f of doc.features || []) if (f.geometry) walk(f.geometry.coordinates);

for (const f of findings) console.log(`${path}: ${f}`);
console.log(`${path}: ${doc.features ? doc.features.length : 0} feature(s), ${findings.length} finding(s)`);
process.exit(findings.length ? 1 : 0);
