/**
 * The scenario runner (SPEC section 8), in memory: for each seed s,
 *   baseline world W_s (a synthetic base is generated anew per seed; a data base is the same world)
 *   -> estimateWorld(W_s)                        baseline estimates
 *   -> applyInterventions(W_s, steps, seed s)    the rewritten person-place graph W'_s
 *   -> estimateWorld(W'_s)                       counterfactual estimates
 * then per area, level and measure the differences d_s = counterfactual_s - baseline_s and their
 * 2.5/50/97.5 percentiles over seeds (type 7), and per place the visits, visitors and cross-SES
 * co-presences before and after. Inputs are never re-read per seed; the estimators are the ones of
 * `mobiseg run`, unchanged. Every random choice is keyed by (seed, step, stable id), so the numbers do
 * not depend on the thread count or on the order of the input rows.
 */
import type { EncounterOptions } from '../estimate/encounter-stage.js';
import { estimateWorld, type EstimateContext, type EstimateOptions, type WorldEstimate } from '../estimate/estimate-world.js';
import { silentProgress } from '../estimate/progress.js';
import type { World } from '../estimate/world.js';
import { quantile } from '../math/stats.js';
import { placeCrossCopresences } from '../measures/place-cross.js';
import { placeVisitorSes } from '../measures/place-metrics.js';
import { applyInterventions, withOneVisitChunk } from './apply.js';
import { validateInterventions } from './validate-interventions.js';
import { scenarioSeeds, type Scenario } from './scenario-file.js';

/** Where the worlds of a scenario come from. */
export interface ScenarioBase {
  /** the baseline world of seed s */
  world(seed: number | string): World;
  /** true when each seed has its own baseline world (a synthetic city drawn per seed) */
  perSeed: boolean;
  /** what the base is, in words */
  label: string;
}

/** The measures compared per area: ES, BI, ec, then the residential indices (SPEC section 7). */
export type AreaMeasures = Map<string, number>;

export interface AreaKey {
  level: 'msa' | 'county';
  /** MSA title or county FIPS */
  area: string;
  /** MSA title or county name */
  name: string;
}

export interface PlaceValues {
  id: string;
  category: string | null;
  msa: string | null;
  lat: number;
  lon: number;
  visits: number;
  visitors: number;
  cross: number;
}

export interface SeedResult {
  seed: number | string;
  /** key `${level}\t${area}` -> measures */
  baseline: Map<string, AreaMeasures>;
  counterfactual: Map<string, AreaMeasures>;
  baselinePlaces: PlaceValues[];
  counterfactualPlaces: PlaceValues[];
  /** what each intervention did (visits moved, households moved, ...), in order */
  counts: Array<Record<string, number>>;
  seconds: { baseline: number; interventions: number; counterfactual: number };
}

export interface ScenarioResult {
  scenario: Scenario;
  base: string;
  seeds: Array<number | string>;
  areas: AreaKey[];
  perSeed: SeedResult[];
}

export interface ScenarioContext extends EstimateContext {
  /** county centroids for smoothing (as `run`); null = residents' mean homes only */
  centroids: EstimateOptions['centroids'];
  /** called after each seed (done, total) */
  onSeed?: (done: number, total: number) => void;
  /** stops the run between stages (the planner page's cancel button): rejects with the signal's reason */
  signal?: AbortSignal;
}

/** The estimator options of a scenario for one seed. */
export function scenarioEstimateOptions(s: Scenario, seed: number | string, centroids: EstimateOptions['centroids']): EstimateOptions {
  const o = s.options;
  return {
    mode: o.mode,
    binSeconds: o.bin_seconds,
    minDays: o.min_days,
    excludeSameHome: o.exclude_same_home,
    dayOffsetSeconds: o.day_offset_seconds,
    maxPeople: o.max_people,
    seed,
    bootstrap: o.bootstrap,
    permutations: 0,
    smoothK: 5,
    smoothWeight: 0.5,
    centroids,
    places: o.places,
  };
}

export async function runScenario(scenario: Scenario, base: ScenarioBase, context: ScenarioContext): Promise<ScenarioResult> {
  const progress = context.progress ?? silentProgress;
  const seeds = scenarioSeeds(scenario);
  const perSeed: SeedResult[] = [];
  const areaKeys = new Map<string, AreaKey>();
  // a data base without sampling has one baseline, whatever the seed (bootstrap intervals aside)
  const oneBaseline = !base.perSeed && scenario.options.max_people === undefined;
  let shared: BaselineMeasures | null = null;
  const stopIfAborted = () => context.signal?.throwIfAborted();
  for (let k = 0; k < seeds.length; k++) {
    stopIfAborted();
    const seed = seeds[k];
    progress.note(`seed ${seed} (${k + 1} of ${seeds.length})`);
    const options = scenarioEstimateOptions(scenario, seed, context.centroids);
    let t = performance.now();
    // one visit chunk per world, concatenated once (a data base is the same world for every seed)
    const world = withOneVisitChunk(base.world(seed));
    // every step checked against the world before the first estimate (errors name the JSON path)
    if (k === 0 || base.perSeed) validateInterventions(world, scenario.interventions, 'interventions');
    let baseline: BaselineMeasures | null = shared;
    if (baseline === null) {
      const estimate = await estimateWorld(world, options, context);
      baseline = { estimate, areas: areaMeasures(estimate, areaKeys), places: placeValues(world, estimate), seconds: (performance.now() - t) / 1000 };
      if (oneBaseline) shared = baseline;
    }
    stopIfAborted();
    t = performance.now();
    const changed = applyInterventions(world, scenario.interventions, { seed, baseline: baseline.estimate, dayOffsetSeconds: options.dayOffsetSeconds });
    const tInterventions = (performance.now() - t) / 1000;
    stopIfAborted();
    t = performance.now();
    const cfOptions: EstimateOptions = { ...options, ...(changed.estimateOptions as Partial<EncounterOptions>) };
    const cf = await estimateWorld(changed.world, cfOptions, context);
    perSeed.push({
      seed,
      baseline: baseline.areas,
      counterfactual: areaMeasures(cf, areaKeys),
      baselinePlaces: baseline.places,
      counterfactualPlaces: placeValues(changed.world, cf),
      counts: changed.counts,
      seconds: { baseline: k > 0 && oneBaseline ? 0 : baseline.seconds, interventions: tInterventions, counterfactual: (performance.now() - t) / 1000 },
    });
    context.onSeed?.(k + 1, seeds.length);
  }
  return { scenario, base: base.label, seeds, areas: [...areaKeys.values()], perSeed };
}

/** ES, BI, ec and the residential indices of every area of both levels, keyed `${level}\t${area}`. */
function areaMeasures(e: WorldEstimate, keys: Map<string, AreaKey>): Map<string, AreaMeasures> {
  const out = new Map<string, AreaMeasures>();
  const levels = [
    e.msa && { level: 'msa' as const, est: e.msa, area: (k: number) => e.msa!.names[k], name: (k: number) => e.msa!.names[k] },
    e.county && { level: 'county' as const, est: e.county, area: (k: number) => String(e.county!.fips[k]), name: (k: number) => e.county!.names[k] ?? '' },
  ];
  for (const l of levels) {
    if (!l) continue;
    l.est.level.areas.forEach((a, k) => {
      const key = `${l.level}\t${l.area(k)}`;
      if (!keys.has(key)) keys.set(key, { level: l.level, area: l.area(k), name: l.name(k) });
      // ES is 1 by definition on a boundary fit (tau^2 = 0, SPEC section 3) however small the slope: the
      // naive estimate, the slope a and the boundary flag say what happened in such a case
      const m: AreaMeasures = new Map([
        ['es', a.exposure.es],
        ['es_naive', a.exposure.esNaive],
        ['a', a.exposure.a],
        ['tau2', a.exposure.tau2],
        ['boundary_fit', Number.isFinite(a.exposure.es) ? Number(a.exposure.boundary) : NaN],
        ['bi', a.bridging?.bi ?? NaN],
        ['ec', a.bridging?.ec ?? NaN],
      ]);
      const r = l.est.residential;
      if (r) r.names.forEach((name, j) => m.set(name, r.values[j][k]));
      out.set(key, m);
    });
  }
  return out;
}

/**
 * Visits, distinct visitors and cross-SES co-presences of every place (NaN cross without a graph or
 * without an estimated area). The split is that of the MSA level's bridging index, else the county's.
 */
function placeValues(world: World, e: WorldEstimate): PlaceValues[] {
  const { places } = world;
  const g = e.encounters.graph;
  const level = e.msa?.level ?? e.county?.level ?? null;
  const vs = g ? placeVisitorSes(g, world.persons.ses) : null;
  const cross = g && e.encounters.groups && level ? placeCrossCopresences(e.encounters.groups, world.persons.ses, level.thresholds, places.count) : null;
  const text = (c: { codes: Int32Array; names: string[] } | null, q: number) => (c && c.codes[q] >= 0 ? c.names[c.codes[q]] : null);
  const out: PlaceValues[] = new Array(places.count);
  for (let q = 0; q < places.count; q++) {
    out[q] = {
      id: String(places.ids.idOf(q)),
      category: text(places.category, q),
      msa: text(places.msa, q),
      lat: places.lat ? places.lat[q] : NaN,
      lon: places.lon ? places.lon[q] : NaN,
      visits: vs ? vs.visits[q] : NaN,
      visitors: vs ? vs.visitors[q] : NaN,
      cross: cross ? cross[q] : NaN,
    };
  }
  return out;
}

interface BaselineMeasures {
  estimate: WorldEstimate;
  areas: Map<string, AreaMeasures>;
  places: PlaceValues[];
  seconds: number;
}

/** Summary of one measure of one area over seeds. */
export interface MeasureSummary {
  key: AreaKey;
  measure: string;
  nSeeds: number;
  baseline: [number, number, number];
  counterfactual: [number, number, number];
  delta: [number, number, number];
}

/** 2.5, 50 and 97.5 percentiles (type 7) of the finite values; NaN when there are none. */
export function seedInterval(values: number[]): [number, number, number] {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return [NaN, NaN, NaN];
  return [quantile(v, 0.025), quantile(v, 0.5), quantile(v, 0.975)];
}

/** Per area, level and measure: baseline, counterfactual and difference over seeds. */
export function summariseAreas(r: ScenarioResult): MeasureSummary[] {
  const out: MeasureSummary[] = [];
  for (const key of r.areas) {
    const id = `${key.level}\t${key.area}`;
    const measures = new Set<string>();
    for (const s of r.perSeed) for (const m of s.baseline.get(id)?.keys() ?? []) measures.add(m);
    for (const measure of measures) {
      const b: number[] = [];
      const c: number[] = [];
      const d: number[] = [];
      for (const s of r.perSeed) {
        const x = s.baseline.get(id)?.get(measure) ?? NaN;
        const y = s.counterfactual.get(id)?.get(measure) ?? NaN;
        b.push(x);
        c.push(y);
        if (Number.isFinite(x) && Number.isFinite(y)) d.push(y - x);
      }
      out.push({ key, measure, nSeeds: d.length, baseline: seedInterval(b), counterfactual: seedInterval(c), delta: seedInterval(d) });
    }
  }
  return out;
}

/** Per place: means over seeds of visits, visitors and cross-SES co-presences, before and after. */
export interface PlaceSummary {
  id: string;
  category: string | null;
  msa: string | null;
  lat: number;
  lon: number;
  /** added by the scenario (absent from the baseline) */
  hub: boolean;
  nSeeds: number;
  baseline: { visits: number; visitors: number; cross: number };
  counterfactual: { visits: number; visitors: number; cross: number };
}

/**
 * Places ranked by the absolute change in cross-SES co-presences (largest first; ties by id). On a
 * synthetic base each seed draws a new city: a place id is then the generator's k-th place, and its row
 * averages over the draws (location of the first seed's draw).
 */
export function summarisePlaces(r: ScenarioResult): PlaceSummary[] {
  const acc = new Map<string, PlaceSummary>();
  const zero = () => ({ visits: 0, visitors: 0, cross: 0 });
  for (const s of r.perSeed) {
    const before = new Map(s.baselinePlaces.map((p) => [p.id, p]));
    for (const p of s.counterfactualPlaces) {
      let a = acc.get(p.id);
      if (!a) {
        a = { id: p.id, category: p.category, msa: p.msa, lat: p.lat, lon: p.lon, hub: false, nSeeds: 0, baseline: zero(), counterfactual: zero() };
        acc.set(p.id, a);
      }
      const b = before.get(p.id);
      if (!b) a.hub = true;
      a.nSeeds++;
      a.baseline.visits += b?.visits ?? 0;
      a.baseline.visitors += b?.visitors ?? 0;
      a.baseline.cross += b?.cross ?? 0;
      a.counterfactual.visits += p.visits;
      a.counterfactual.visitors += p.visitors;
      a.counterfactual.cross += p.cross;
    }
  }
  const out = [...acc.values()];
  for (const a of out) {
    for (const side of [a.baseline, a.counterfactual]) {
      side.visits /= a.nSeeds;
      side.visitors /= a.nSeeds;
      side.cross /= a.nSeeds;
    }
  }
  const change = (a: PlaceSummary) => Math.abs(a.counterfactual.cross - a.baseline.cross) || 0; // NaN (no graph): last
  out.sort((x, y) => change(y) - change(x) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return out;
}
