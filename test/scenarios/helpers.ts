/** Small hand-made worlds for the intervention tests, with positions given in km on a local plane. */
import { columnTable, type Column } from '../../src/io/column-table.js';
import { worldFromTables, type World } from '../../src/estimate/world.js';
import { visitColumns } from '../../src/scenarios/world-index.js';
import { KM_PER_DEGREE } from '../../src/simulation/tract-layout.js';

/** Reference point of the hand-made worlds; x km east, y km north of it. */
export const LAT0 = 40;
export const LON0 = -100;

/** lat/lon of the point (x km east, y km north) on the plane the interventions use for an area at LAT0. */
export function latLon(x: number, y: number): { lat: number; lon: number } {
  return { lat: LAT0 + y / KM_PER_DEGREE, lon: LON0 + x / (KM_PER_DEGREE * Math.cos((LAT0 * Math.PI) / 180)) };
}

export interface HandPerson {
  id: string;
  ses: number;
  msa?: string;
  /** home position, km */
  home?: [number, number];
  tract?: string;
  household?: string;
  county?: number;
}

export interface HandPlace {
  id: string;
  category?: string;
  at?: [number, number];
  msa?: string;
}

export interface HandVisit {
  person: string;
  place: string;
  start: number;
  end?: number;
}

/** A world from hand-made rows (columns are present when any row gives them). */
export function handWorld(persons: HandPerson[], places: HandPlace[], visits: HandVisit[]): World {
  const personColumns: Column[] = [
    { name: 'person_id', values: persons.map((p) => p.id) },
    { name: 'ses', values: Float64Array.from(persons, (p) => p.ses) },
  ];
  if (persons.some((p) => p.msa)) personColumns.push({ name: 'msa', values: persons.map((p) => p.msa ?? null) });
  if (persons.some((p) => p.county !== undefined)) personColumns.push({ name: 'county_fips', values: Float64Array.from(persons, (p) => p.county ?? NaN) });
  if (persons.some((p) => p.tract)) personColumns.push({ name: 'home_tract', values: persons.map((p) => p.tract ?? null) });
  if (persons.some((p) => p.home)) {
    personColumns.push({ name: 'home_lat', values: Float64Array.from(persons, (p) => (p.home ? latLon(...p.home).lat : NaN)) });
    personColumns.push({ name: 'home_lon', values: Float64Array.from(persons, (p) => (p.home ? latLon(...p.home).lon : NaN)) });
  }
  if (persons.some((p) => p.household)) personColumns.push({ name: 'home_id', values: persons.map((p) => p.household ?? null) });
  const placeColumns: Column[] = [{ name: 'place_id', values: places.map((q) => q.id) }];
  if (places.some((q) => q.category)) placeColumns.push({ name: 'category', values: places.map((q) => q.category ?? null) });
  if (places.some((q) => q.at)) {
    placeColumns.push({ name: 'lat', values: Float64Array.from(places, (q) => (q.at ? latLon(...q.at).lat : NaN)) });
    placeColumns.push({ name: 'lon', values: Float64Array.from(places, (q) => (q.at ? latLon(...q.at).lon : NaN)) });
  }
  if (places.some((q) => q.msa)) placeColumns.push({ name: 'msa', values: places.map((q) => q.msa ?? null) });
  const visitTable = columnTable([
    { name: 'person_id', values: visits.map((v) => v.person) },
    { name: 'place_id', values: visits.map((v) => v.place) },
    { name: 'start', values: Float64Array.from(visits, (v) => v.start) },
    { name: 'end', values: Float64Array.from(visits, (v) => v.end ?? v.start + 1800) },
  ]);
  return worldFromTables({ persons: columnTable(personColumns), places: columnTable(placeColumns), visits: visitTable }, 'hand-made world');
}

/** The visits of a world as sorted "person|place|start|end" strings (a multiset, by ids). */
export function visitMultiset(world: World): string[] {
  const v = visitColumns(world);
  const out: string[] = [];
  for (let r = 0; r < v.person.length; r++) out.push(`${world.persons.ids.idOf(v.person[r])}|${world.places.ids.idOf(v.place[r])}|${v.start[r]}|${v.end[r]}`);
  return out.sort();
}

/** Visits per place id. */
export function visitsPerPlace(world: World): Map<string, number> {
  const v = visitColumns(world);
  const out = new Map<string, number>();
  for (let r = 0; r < v.place.length; r++) {
    const id = String(world.places.ids.idOf(v.place[r]));
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** A seeded permutation of 0..n-1 (a small LCG: tests need a shuffle, not quality). */
export function permutation(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
