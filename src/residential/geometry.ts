/**
 * Planar polygon geometry for the spatial indices: area and centroid of GeoJSON Polygon / MultiPolygon
 * geometries, and the join of units to features. Coordinates are used as given (planar): for lon/lat
 * input this is what pysal/segregation's tests do (areas in square degrees, distances in degrees), and
 * what EXPECTED.md's spatial values assume. Project the geometry first for metric areas and distances.
 */
import { InputError } from '../io/errors.js';

export type Position = readonly number[];
export type PolygonCoordinates = readonly (readonly Position[])[];

export interface PolygonGeometry {
  readonly type: 'Polygon';
  readonly coordinates: PolygonCoordinates;
}
export interface MultiPolygonGeometry {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly PolygonCoordinates[];
}
export type ArealGeometry = PolygonGeometry | MultiPolygonGeometry;

export interface AreaCentroid {
  /** planar area (square coordinate units) */
  area: number;
  /** area centroid */
  x: number;
  y: number;
}

/**
 * Signed area and first moments of a ring by the shoelace formula, relative to an origin (ox, oy) for
 * precision: A = 1/2 sum (x_i y_{i+1} - x_{i+1} y_i), C = 1/(6A) sum (v_i + v_{i+1})(x_i y_{i+1} -
 * x_{i+1} y_i) (Bourke, "Calculating the area and centroid of a polygon", 1988). Counter-clockwise
 * rings have positive area. The closing vertex may be repeated or not.
 */
export function ringMoments(ring: readonly Position[], ox = 0, oy = 0): { signedArea: number; mx: number; my: number } {
  let n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n--;
  let a = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    const x0 = p[0] - ox;
    const y0 = p[1] - oy;
    const x1 = q[0] - ox;
    const y1 = q[1] - oy;
    const c = x0 * y1 - x1 * y0;
    a += c;
    mx += (x0 + x1) * c;
    my += (y0 + y1) * c;
  }
  // mx, my are 6 A times the centroid (relative to the origin), in the ring's own orientation
  return { signedArea: a / 2, mx: mx / 6, my: my / 6 };
}

/**
 * Area and centroid of a Polygon (first ring the shell, the others holes, whatever their orientation)
 * or a MultiPolygon (the parts' areas add; the centroid is their area-weighted mean), as GEOS/shapely
 * compute `area` and `centroid`.
 */
export function areaAndCentroid(geometry: ArealGeometry): AreaCentroid {
  const polygons: readonly PolygonCoordinates[] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let ox = NaN;
  let oy = NaN;
  let area = 0;
  let mx = 0;
  let my = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      if (ring.length < 3) return;
      if (Number.isNaN(ox)) {
        ox = ring[0][0];
        oy = ring[0][1];
      }
      const m = ringMoments(ring, ox, oy);
      // shell adds, holes subtract, whichever way each ring is wound
      const sign = (r === 0 ? 1 : -1) * Math.sign(m.signedArea);
      area += sign * m.signedArea;
      mx += sign * m.mx;
      my += sign * m.my;
    });
  }
  if (!(area > 0)) return { area: 0, x: NaN, y: NaN };
  return { area, x: ox + mx / area, y: oy + my / area };
}

/** Euclidean distance sqrt((x1 - x2)^2 + (y1 - y2)^2) in coordinate units. */
export function euclideanDistance(x1: number, y1: number, x2: number, y2: number): number {
  return Math.hypot(x1 - x2, y1 - y2);
}

/** Per-unit geometry: planar areas and centroids, aligned with the units. */
export interface UnitGeometry {
  area: Float64Array;
  x: Float64Array;
  y: Float64Array;
}

interface FeatureLike {
  properties?: Record<string, unknown> | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

/**
 * Match units to the features of a parsed GeoJSON FeatureCollection by `properties[idProperty]`
 * (compared as strings) and compute each unit's area and centroid. Units without a feature, features
 * with a non-areal geometry, and duplicate feature ids are InputErrors naming the units; features that
 * match no unit are ignored (their count is returned for a note).
 */
export function unitGeometryFromGeoJson(unitIds: readonly string[], collection: unknown, idProperty: string, file = 'geometry'): UnitGeometry & { unusedFeatures: number } {
  const fc = collection as { type?: string; features?: FeatureLike[] };
  if (!fc || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InputError(`${file}: not a GeoJSON FeatureCollection`, file);
  }
  const byId = new Map<string, FeatureLike>();
  const duplicates: string[] = [];
  for (const f of fc.features) {
    const raw = f?.properties?.[idProperty];
    if (raw === undefined || raw === null) continue;
    const id = String(raw);
    if (byId.has(id)) duplicates.push(id);
    byId.set(id, f);
  }
  if (byId.size === 0) throw new InputError(`${file}: no feature has the property "${idProperty}" (choose it with --geometry-id)`, file, [], idProperty);
  if (duplicates.length) throw new InputError(`${file}: duplicate feature id${duplicates.length === 1 ? '' : 's'} ${duplicates.slice(0, 10).map((d) => `"${d}"`).join(', ')} in property "${idProperty}"`, file, [], idProperty);
  const n = unitIds.length;
  const out = { area: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n) };
  const missing: string[] = [];
  const badGeometry: string[] = [];
  let used = 0;
  for (let i = 0; i < n; i++) {
    const f = byId.get(unitIds[i]);
    if (!f) {
      missing.push(unitIds[i]);
      continue;
    }
    used++;
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon') || !Array.isArray(g.coordinates)) {
      badGeometry.push(unitIds[i]);
      continue;
    }
    const ac = areaAndCentroid(g as ArealGeometry);
    out.area[i] = ac.area;
    out.x[i] = ac.x;
    out.y[i] = ac.y;
    if (!(ac.area > 0)) badGeometry.push(unitIds[i]);
  }
  const list = (ids: string[]) => `${ids.slice(0, 10).map((d) => `"${d}"`).join(', ')}${ids.length > 10 ? ` (and ${ids.length - 10} more)` : ''}`;
  if (missing.length) {
    throw new InputError(`${file}: unit${missing.length === 1 ? '' : 's'} ${list(missing)} missing from the geometry (no feature with ${idProperty} equal to the unit id)`, file, [], idProperty, 'unit missing from the geometry');
  }
  if (badGeometry.length) {
    throw new InputError(`${file}: unit${badGeometry.length === 1 ? '' : 's'} ${list(badGeometry)} without a Polygon or MultiPolygon of positive area`, file, [], idProperty, 'bad geometry');
  }
  return { ...out, unusedFeatures: byId.size - used };
}
