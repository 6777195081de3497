/**
 * The places of a scenario's base for the page's map (where a hub can go): a synthetic city as drawn
 * for the scenario's first seed (each seed draws the city anew; the areas stay where they are, the
 * places move a little), or a data base's places table. Columns as arrays, small enough for a page
 * (the bundled default city has about 1,200 places).
 */
import { IdIndex } from '../io/id-index.js';
import { loadPlaces, placesFromIds, type PlaceTable } from '../io/load-places.js';
import type { CodedColumn } from '../io/load-entities.js';
import { worldFromTables } from '../estimate/world.js';
import { scenarioCityDraw, scenarioCitySpec } from '../pipeline/scenario-run.js';
import { scenarioSeeds, type Scenario } from '../scenarios/scenario-file.js';
import { spawnModuleWorker } from '../parallel/spawn-worker.js';
import { InputError } from '../io/errors.js';
import type { Worker } from 'node:worker_threads';

export interface CityPlaces {
  /** what was drawn, in words */
  source: string;
  ids: string[];
  category: Array<string | null>;
  msa: Array<string | null>;
  /** degrees; null where missing */
  lat: Array<number | null>;
  lon: Array<number | null>;
  /** the distinct categories and MSAs, sorted */
  categories: string[];
  areas: string[];
  /** why there is nothing to draw, when there is not */
  note: string | null;
}

function codedText(c: CodedColumn | null, n: number): Array<string | null> {
  return Array.from({ length: n }, (_, q) => (c && c.codes[q] >= 0 ? c.names[c.codes[q]] : null));
}

function finiteOrNull(v: Float64Array | null, n: number): Array<number | null> {
  return Array.from({ length: n }, (_, q) => (v && Number.isFinite(v[q]) ? v[q] : null));
}

const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))].sort();

export function placesForMap(places: PlaceTable, source: string): CityPlaces {
  const n = places.count;
  const category = codedText(places.category, n);
  const msa = codedText(places.msa, n);
  const note = n === 0 ? 'the base has no places table' : !places.lat || !places.lon ? 'the places table has no lat/lon columns' : null;
  return {
    source,
    ids: Array.from({ length: n }, (_, q) => String(places.ids.idOf(q))),
    category,
    msa,
    lat: finiteOrNull(places.lat, n),
    lon: finiteOrNull(places.lon, n),
    categories: distinct(category),
    areas: distinct(msa),
    note,
  };
}

/** The places of a validated scenario's base (its paths already checked against the allowed folders). */
export async function cityPlaces(scenario: Scenario): Promise<CityPlaces> {
  const base = scenario.base;
  if ('city' in base) {
    const { spec, citySeed } = scenarioCitySpec(base);
    const seed = scenarioSeeds(scenario)[0];
    const world = worldFromTables(scenarioCityDraw(spec, citySeed, seed), `city ${spec.name}`);
    return placesForMap(world.places, `synthetic city ${spec.name}, as drawn for scenario seed ${seed}`);
  }
  if (!base.places) return placesForMap(placesFromIds(new IdIndex()), 'no places file');
  return placesForMap(await loadPlaces(base.places, { remap: base.columns }), base.places);
}

type WorkerAnswer = { id: number; ok: true; places: CityPlaces } | { id: number; ok: false; known: boolean; message: string };

/**
 * The maps' places, computed in one long-lived worker thread (city-places-worker.ts; drawing the
 * default city takes a second or two, during which the server must keep answering) and kept for the
 * last few bases and seeds asked for. A bad data file is an InputError, as it would be in this thread.
 */
export class PlacesService {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (p: CityPlaces) => void; reject: (e: Error) => void }>();
  private readonly cache = new Map<string, Promise<CityPlaces>>();

  constructor(private readonly cacheSize = 8) {}

  get(scenario: Scenario): Promise<CityPlaces> {
    const key = JSON.stringify([scenario.base, scenarioSeeds(scenario)[0]]);
    let p = this.cache.get(key);
    if (!p) {
      p = this.compute(scenario);
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
      while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    }
    return p;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private compute(scenario: Scenario): Promise<CityPlaces> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    // a waiting request keeps the worker (and the process) alive; an idle worker does not
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, scenario });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnModuleWorker(import.meta.url, 'city-places-worker');
    worker.on('message', (m: WorkerAnswer) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (!p) return;
      if (m.ok) p.resolve(m.places);
      else p.reject(m.known ? new InputError(m.message) : new Error(m.message));
    });
    const fail = (e: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the places worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
