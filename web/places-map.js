// The map of a city's places, drawn in the page as SVG. One linear transform takes (lat, lon) to the
// drawing's (x, y) and back: x = x0 + (lon - lonMin) * cos(latMid) * s, y = y0 + (latMax - lat) * s
// (an equirectangular projection: east-west degrees shrunk by the cosine of the middle latitude, so a
// km is about as long across as up and down over the few km of a city). A click is turned into
// {lat, lon} by the inverse of the same transform.

const SVG = 'http://www.w3.org/2000/svg';
export const MAP_WIDTH = 560;
export const MAP_HEIGHT = 420;
const PAD = 24;
const KM_PER_DEGREE_LAT = 111.32;

export const CATEGORY_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/**
 * The transform that fits the points (and any extra points, e.g. hubs) into the drawing.
 * Returns { toXY(lat, lon) -> [x, y], toLatLon(x, y) -> {lat, lon}, pxPerDegreeLat }.
 */
export function mapFrame(points, width = MAP_WIDTH, height = MAP_HEIGHT, pad = PAD) {
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  let latMin = Math.min(...lats);
  let latMax = Math.max(...lats);
  let lonMin = Math.min(...lons);
  let lonMax = Math.max(...lons);
  // a single place (or one line of them) still gets a frame of about 1 km
  if (latMax - latMin < 0.01) [latMin, latMax] = [(latMin + latMax) / 2 - 0.005, (latMin + latMax) / 2 + 0.005];
  const kx = Math.cos((((latMin + latMax) / 2) * Math.PI) / 180);
  if ((lonMax - lonMin) * kx < 0.01) [lonMin, lonMax] = [(lonMin + lonMax) / 2 - 0.005 / kx, (lonMin + lonMax) / 2 + 0.005 / kx];
  const spanX = (lonMax - lonMin) * kx;
  const spanY = latMax - latMin;
  const s = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const x0 = pad + (width - 2 * pad - spanX * s) / 2;
  const y0 = pad + (height - 2 * pad - spanY * s) / 2;
  return {
    toXY: (lat, lon) => [x0 + (lon - lonMin) * kx * s, y0 + (latMax - lat) * s],
    toLatLon: (x, y) => ({ lat: latMax - (y - y0) / s, lon: lonMin + (x - x0) / (kx * s) }),
    pxPerDegreeLat: s,
  };
}

function el(name, attrs = {}, parent = null) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (parent) parent.appendChild(e);
  return e;
}

/** A round length (km) about a fifth of the drawing's width, for the scale bar. */
function scaleBarKm(pxPerKm) {
  const target = MAP_WIDTH / 5 / pxPerKm;
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500];
  return steps.reduce((best, k) => (Math.abs(Math.log(k / target)) < Math.abs(Math.log(best / target)) ? k : best), steps[0]);
}

/**
 * Draw the places of one area and the hubs on `svg`. `places` is the server's column arrays, `area`
 * the MSA to show (null: all), `hubs` [{step, lat, lon, label}]. Returns the frame (for clicks), or
 * null when there is nothing to draw.
 */
export function drawPlaces(svg, places, area, categories, hubs) {
  svg.replaceChildren();
  const points = [];
  for (let q = 0; q < places.ids.length; q++) {
    if (places.lat[q] === null || places.lon[q] === null) continue;
    if (area !== null && places.msa[q] !== area) continue;
    points.push({ id: places.ids[q], lat: places.lat[q], lon: places.lon[q], category: places.category[q], msa: places.msa[q] });
  }
  if (points.length === 0) {
    el('text', { x: MAP_WIDTH / 2, y: MAP_HEIGHT / 2, 'text-anchor': 'middle', fill: '#777' }, svg).textContent = places.note ?? 'no places with coordinates in this area';
    return null;
  }
  const frame = mapFrame(points);
  el('rect', { x: 0, y: 0, width: MAP_WIDTH, height: MAP_HEIGHT, fill: '#fbfbfc', class: 'map-background' }, svg);
  const dots = el('g', { class: 'places' }, svg);
  // many places: smaller dots, so the city's shape shows through
  const radius = points.length > 300 ? 3.2 : 4.5;
  for (const p of points) {
    const [x, y] = frame.toXY(p.lat, p.lon);
    const k = categories.indexOf(p.category);
    const c = el('circle', { cx: x.toFixed(2), cy: y.toFixed(2), r: radius, fill: k >= 0 ? CATEGORY_COLOURS[k % CATEGORY_COLOURS.length] : '#999', stroke: '#333', 'stroke-width': 0.5, 'fill-opacity': 0.8, 'data-place': p.id, 'data-lat': p.lat, 'data-lon': p.lon, 'data-msa': p.msa ?? '' }, dots);
    el('title', {}, c).textContent = `${p.id} (${p.category ?? 'no category'}; ${p.msa ?? 'no MSA'})`;
  }
  const hubLayer = el('g', { class: 'hubs' }, svg);
  for (const h of hubs) {
    const [x, y] = frame.toXY(h.lat, h.lon);
    if (x < -20 || x > MAP_WIDTH + 20 || y < -20 || y > MAP_HEIGHT + 20) continue; // in another area
    const g = el('g', { class: 'hub', 'data-step': h.step, transform: `translate(${x.toFixed(2)} ${y.toFixed(2)})` }, hubLayer);
    el('rect', { x: -7, y: -7, width: 14, height: 14, transform: 'rotate(45)', fill: '#d9480f', stroke: '#fff', 'stroke-width': 1.5 }, g);
    // a white halo keeps the label readable over the dots
    el('text', { x: 11, y: 4, 'font-size': 12, 'font-weight': 700, fill: '#d9480f', stroke: '#fff', 'stroke-width': 3, 'paint-order': 'stroke' }, g).textContent = h.label;
    el('title', {}, g).textContent = `${h.label}: ${h.lat.toFixed(5)}, ${h.lon.toFixed(5)}`;
  }
  // scale bar, bottom left
  const pxPerKm = frame.pxPerDegreeLat / KM_PER_DEGREE_LAT;
  const km = scaleBarKm(pxPerKm);
  const bar = el('g', { class: 'scale-bar', transform: `translate(12 ${MAP_HEIGHT - 12})` }, svg);
  el('line', { x1: 0, y1: 0, x2: (km * pxPerKm).toFixed(1), y2: 0, stroke: '#333', 'stroke-width': 2 }, bar);
  el('text', { x: 0, y: -5, 'font-size': 11, fill: '#333' }, bar).textContent = `${km} km`;
  return frame;
}

/** The drawing's (x, y) of a mouse event on the SVG (whatever the CSS size of the SVG). */
export function eventPoint(svg, event) {
  const pt = svg.createSVGPoint();
  pt.x = event.clientX;
  pt.y = event.clientY;
  const p = pt.matrixTransform(svg.getScreenCTM().inverse());
  return [p.x, p.y];
}
