/**
 * Geometry (shoelace area and centroid, holes, MultiPolygon, ring orientation) and the spatial indices on
 * cases worked out by hand. Sacramento's published values are in reference-values.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { areaAndCentroid, unitGeometryFromGeoJson, type UnitGeometry } from '../../src/residential/geometry.js';
import { absoluteCentralization, absoluteClustering, delta, proximityKernel, regionCentre, spatialProximity } from '../../src/residential/spatial.js';
import { InputError } from '../../src/io/errors.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

const square = (x0: number, y0: number, s: number) => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];

describe('polygon area and centroid', () => {
  it('unit square: area 1, centroid (0.5, 0.5); clockwise gives the same', () => {
    const ccw = areaAndCentroid({ type: 'Polygon', coordinates: [square(0, 0, 1)] });
    expect(ccw).toEqual({ area: 1, x: 0.5, y: 0.5 });
    const cw = areaAndCentroid({ type: 'Polygon', coordinates: [square(0, 0, 1).reverse()] });
    expect(cw).toEqual({ area: 1, x: 0.5, y: 0.5 });
  });

  it('triangle (0,0) (4,0) (0,3): area 6, centroid (4/3, 1)', () => {
    const r = areaAndCentroid({ type: 'Polygon', coordinates: [[[0, 0], [4, 0], [0, 3], [0, 0]]] });
    close(r.area, 6);
    close(r.x, 4 / 3);
    close(r.y, 1);
  });

  it('4x4 square with a 2x2 hole at its top-right corner: area 12, centroid (22/12, 22/12)', () => {
    // moments: 16 * (2, 2) - 4 * (3, 3) = (20, 20); / 12
    const r = areaAndCentroid({ type: 'Polygon', coordinates: [square(0, 0, 4), square(2, 2, 2)] });
    close(r.area, 12);
    close(r.x, 20 / 12);
    close(r.y, 20 / 12);
  });

  it('MultiPolygon of a 1x1 square at the origin and a 2x2 square at (3, 0): area 5, centroid ((0.5 + 4 * 4) / 5, (0.5 + 4) / 5)', () => {
    const r = areaAndCentroid({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(3, 0, 2)]] });
    close(r.area, 5);
    close(r.x, (0.5 + 4 * 4) / 5);
    close(r.y, (0.5 + 4 * 1) / 5);
  });

  it('far from the origin (lon/lat-like coordinates) keeps precision', () => {
    const r = areaAndCentroid({ type: 'Polygon', coordinates: [square(-121.5, 38.5, 0.01)] });
    close(r.area, 1e-4, 1e-9);
    close(r.x, -121.495, 1e-12);
    close(r.y, 38.505, 1e-12);
  });
});

describe('joining units to features', () => {
  const fc = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Polygon', coordinates: [square(0, 0, 1)] } },
      { type: 'Feature', properties: { id: 'b' }, geometry: { type: 'Polygon', coordinates: [square(1, 0, 1)] } },
      { type: 'Feature', properties: { id: 'z' }, geometry: { type: 'Point', coordinates: [0, 0] } },
    ],
  };
  it('matches by property and counts unused features', () => {
    const g = unitGeometryFromGeoJson(['b', 'a'], fc, 'id');
    expect(Array.from(g.x)).toEqual([1.5, 0.5]);
    expect(g.unusedFeatures).toBe(1);
  });
  it('a unit missing from the geometry is an error naming it', () => {
    expect(() => unitGeometryFromGeoJson(['a', 'c'], fc, 'id', 'tracts.geojson')).toThrowError(/tracts\.geojson: unit "c" missing from the geometry/);
    expect(() => unitGeometryFromGeoJson(['a', 'c'], fc, 'id')).toThrowError(InputError);
  });
  it('a non-areal geometry is an error naming the unit', () => {
    expect(() => unitGeometryFromGeoJson(['z'], fc, 'id')).toThrowError(/unit "z" without a Polygon or MultiPolygon/);
  });
  it('an id property no feature has', () => {
    expect(() => unitGeometryFromGeoJson(['a'], fc, 'GEOID')).toThrowError(/no feature has the property "GEOID"/);
  });
});

describe('spatial indices by hand', () => {
  it('delta: x = (10, 0), areas (1, 3): 1/2 (|1 - 1/4| + |0 - 3/4|) = 0.75', () => {
    close(delta(Float64Array.of(10, 0), Float64Array.of(1, 3)), 0.75);
  });

  it('absolute centralization: three unit-area units at distances 0, 1, 2 with x = (6, 3, 1)', () => {
    // cumulative X = 0.6, 0.9, 1; A = 1/3, 2/3, 1:
    // ACE = (0 * 1/3 - 0.6 * 0) + (0.6 * 2/3 - 0.9 * 1/3) + (0.9 * 1 - 1 * 2/3) = 0.1 + 0.2333... = 1/3
    const g: UnitGeometry = { area: Float64Array.of(1, 1, 1), x: Float64Array.of(0, 1, 2), y: Float64Array.of(0, 0, 0) };
    close(absoluteCentralization(Float64Array.of(6, 3, 1), g, { x: 0, y: 0 }), 1 / 3);
    // the group spread like the area: 0; the group all in the outermost unit: -(2/3)
    close(absoluteCentralization(Float64Array.of(1, 1, 1), g, { x: 0, y: 0 }), 0);
    close(absoluteCentralization(Float64Array.of(0, 0, 1), g, { x: 0, y: 0 }), -2 / 3);
  });

  it('centres: mean, median, population-weighted, largest population, given point', () => {
    const g: UnitGeometry = { area: Float64Array.of(1, 1, 1), x: Float64Array.of(0, 1, 5), y: Float64Array.of(0, 0, 3) };
    const t = Float64Array.of(10, 30, 10);
    expect(regionCentre(g, t, 'mean')).toEqual({ x: 2, y: 1 });
    expect(regionCentre(g, t, 'median')).toEqual({ x: 1, y: 0 });
    expect(regionCentre(g, t, 'population-weighted-mean')).toEqual({ x: (0 + 30 + 50) / 50, y: 30 / 50 });
    expect(regionCentre(g, t, 'largest-population')).toEqual({ x: 1, y: 0 });
    expect(regionCentre(g, t, [7, 8])).toEqual({ x: 7, y: 8 });
  });

  // Two units one distance unit apart with area a = 0.25 / 0.6, so (0.6 a)^0.5 = 0.5:
  // c_ii = exp(-0.5), c_12 = exp(-1).
  const g2: UnitGeometry = { area: Float64Array.of(0.25 / 0.6, 0.25 / 0.6), x: Float64Array.of(0, 1), y: Float64Array.of(0, 0) };
  const cii = Math.exp(-0.5);
  const c12 = Math.exp(-1);

  it('absolute clustering: x = (10, 0), t = (10, 10)', () => {
    // numerator: (10/10) * c_ii * 10 - (10 / 2^2) * (2 c_ii + 2 c_12) = 5 (c_ii - c_12);
    // denominator: (10/10) * 10 (c_ii + c_12) - the same = 5 (c_ii + c_12)
    const expected = (cii - c12) / (cii + c12); // 0.24491866...
    close(absoluteClustering(Float64Array.of(10, 0), Float64Array.of(10, 10), proximityKernel(g2)), expected);
  });

  it('spatial proximity: x = (10, 0), y = (0, 10): SP = 2 c_ii / (c_ii + c_12)', () => {
    // Pxx = Pyy = c_ii; Ptt = 100 (2 c_ii + 2 c_12) / 400; SP = (10 c_ii + 10 c_ii) / (20 Ptt)
    close(spatialProximity(Float64Array.of(10, 0), Float64Array.of(10, 10), proximityKernel(g2)), (2 * cii) / (cii + c12));
    // an even mix: SP = 1
    close(spatialProximity(Float64Array.of(5, 5), Float64Array.of(10, 10), proximityKernel(g2)), 1);
  });

  it('the cached and the uncached kernel agree', () => {
    const n = 2100; // above the cache limit
    const g: UnitGeometry = { area: new Float64Array(n).fill(0.5), x: Float64Array.from({ length: n }, (_, i) => (i % 50) * 0.3), y: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 50) * 0.3) };
    const sub: UnitGeometry = { area: g.area.subarray(0, 1000), x: g.x.subarray(0, 1000), y: g.y.subarray(0, 1000) };
    const big = proximityKernel(g);
    const v = Float64Array.from({ length: n }, (_, i) => (i < 1000 ? (i * 7) % 13 : 0));
    const small = proximityKernel(sub);
    const a = big.multiply([v])[0];
    const b = small.multiply([v.subarray(0, 1000)])[0];
    for (let i = 0; i < 1000; i += 97) close(a[i], b[i], 1e-12);
  });
});
