/**
 * Where an MSA's census tracts are: a disk of area population / density around the MSA centre, tract
 * centroids on a jittered sunflower (Vogel) spiral so they are evenly spaced, the first county as the
 * central core and the other counties as angular wedges of the ring around it. Coordinates are km on a
 * local plane; `kmToDegrees` maps them to lat/lon (equirectangular, fine at MSA scale).
 */
import type { Rng } from '../math/random.js';
import type { MsaSpec } from './city-spec.js';

/** Golden angle pi (3 - sqrt 5): the sunflower spiral's angular step (Vogel 1979). */
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
/** Kilometres per degree of latitude (mean Earth radius 6371.0 km: 2 pi R / 360). */
export const KM_PER_DEGREE = (2 * Math.PI * 6371.0) / 360;

export interface TractLayout {
  /** Tract centroids, km east/north of the MSA centre. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Index (into msa.counties) of each tract's county. */
  readonly county: Int32Array;
  /** Persons each tract is meant to house (sums to the MSA population). */
  readonly capacity: Int32Array;
  /** 11-digit GEOID: 5-digit county FIPS + 6-digit tract code (0001.00 -> "000100"). */
  readonly geoid: string[];
  /** Persons per county (largest-remainder allocation of population by share). */
  readonly countyPersons: Int32Array;
  /** Disk radius and typical distance between neighbouring tract centroids, km. */
  readonly radiusKm: number;
  readonly spacingKm: number;
}

/**
 * Split `total` into integer parts proportional to `shares` (Hamilton's largest-remainder method; ties
 * to the earlier index), so the parts sum exactly to `total`.
 */
export function largestRemainder(total: number, shares: readonly number[]): Int32Array {
  const sum = shares.reduce((a, b) => a + b, 0);
  const out = new Int32Array(shares.length);
  const remainders: Array<[number, number]> = [];
  let assigned = 0;
  shares.forEach((s, i) => {
    const exact = (total * s) / sum;
    out[i] = Math.floor(exact);
    assigned += out[i];
    remainders.push([exact - out[i], i]);
  });
  remainders.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - assigned; k++) out[remainders[k][1]]++;
  return out;
}

/** Lay out the tracts of one MSA (see the module comment). */
export function layoutTracts(msa: MsaSpec, personsPerKm2: number, personsPerTract: number, rng: Rng): TractLayout {
  const population = msa.population;
  const countyPersons = largestRemainder(population, msa.counties.map((c) => c.share));
  const countyTracts = msa.counties.map((c, i) => c.tracts ?? Math.max(1, Math.round(countyPersons[i] / personsPerTract)));
  const nTracts = countyTracts.reduce((a, b) => a + b, 0);
  const areaKm2 = population / personsPerKm2;
  const radiusKm = Math.sqrt(areaKm2 / Math.PI);
  const spacingKm = Math.sqrt(areaKm2 / nTracts);
  const rotation = rng.next() * 2 * Math.PI;

  // Sunflower points, innermost first, with a jitter of up to 0.3 spacing in each coordinate.
  const px = new Float64Array(nTracts);
  const py = new Float64Array(nTracts);
  for (let k = 0; k < nTracts; k++) {
    const r = radiusKm * Math.sqrt((k + 0.5) / nTracts);
    const theta = rotation + k * GOLDEN_ANGLE;
    px[k] = r * Math.cos(theta) + (rng.next() - 0.5) * 0.6 * spacingKm;
    py[k] = r * Math.sin(theta) + (rng.next() - 0.5) * 0.6 * spacingKm;
  }

  // County 0: the innermost points; the others: contiguous angular wedges of the remaining ring.
  const county = new Int32Array(nTracts);
  const core = countyTracts[0];
  const ring: number[] = [];
  for (let k = core; k < nTracts; k++) ring.push(k);
  const angleOf = (k: number) => {
    const a = Math.atan2(py[k], px[k]) - rotation;
    return ((a % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI);
  };
  ring.sort((a, b) => angleOf(a) - angleOf(b) || a - b);
  let pos = 0;
  for (let c = 1; c < countyTracts.length; c++) {
    for (let j = 0; j < countyTracts[c]; j++) county[ring[pos++]] = c;
  }

  // Per county: tracts in radial order get codes 000100, 000200, ... and equal shares of its persons.
  const capacity = new Int32Array(nTracts);
  const geoid = new Array<string>(nTracts);
  const seenInCounty = new Int32Array(msa.counties.length);
  for (let k = 0; k < nTracts; k++) {
    const c = county[k];
    const j = seenInCounty[c]++;
    const n = countyTracts[c];
    capacity[k] = Math.floor(countyPersons[c] / n) + (j < countyPersons[c] % n ? 1 : 0);
    geoid[k] = String(msa.counties[c].fips).padStart(5, '0') + String((j + 1) * 100).padStart(6, '0');
  }
  return { x: px, y: py, county, capacity, geoid, countyPersons, radiusKm, spacingKm };
}

/** Local plane (km east, km north of a centre) to degrees: lat = lat0 + y / k, lon = lon0 + x / (k cos lat0). */
export function kmToDegrees(xKm: number, yKm: number, centerLat: number, centerLon: number): { lat: number; lon: number } {
  return {
    lat: centerLat + yKm / KM_PER_DEGREE,
    lon: centerLon + xKm / (KM_PER_DEGREE * Math.cos((centerLat * Math.PI) / 180)),
  };
}
