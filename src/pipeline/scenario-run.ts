/**
 * `mobiseg scenario`: a scenario file in, scenario.csv, scenario-seeds.csv, scenario-places.csv and
 * manifest.json out (written atomically). The base is read once (data files) or generated per seed in
 * memory (a synthetic city); the scenario runner (scenarios/run-scenario.ts) does the rest.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeCsv } from '../io/csv-writer.js';
import { resolveSimsPath } from '../io/bundled-data.js';
import type { Progress } from '../estimate/progress.js';
import { worldFromTables } from '../estimate/world.js';
import { deriveSeed } from '../math/random.js';
import { withOneVisitChunk } from '../scenarios/apply.js';
import { runScenario, type ScenarioBase, type ScenarioResult } from '../scenarios/run-scenario.js';
import { loadScenario, scenarioSeeds, type Scenario } from '../scenarios/scenario-file.js';
import { scenarioPlacesTable, scenarioSeedsTable, scenarioTable } from '../scenarios/scenario-tables.js';
import { loadCitySpec, type CitySpec } from '../simulation/city-spec.js';
import { generateCity, type GeneratedCity } from '../simulation/generate-city.js';
import { loadCountyCentroids } from '../smoothing/centroids.js';
import { loadMobilityInputs } from './inputs.js';
import { buildManifest, StepTimer, writeManifest, type InputRecord } from './manifest.js';
import { REPORT_FILE, writeReport } from './report-run.js';
import { withPool } from './mobility-run.js';

export interface ScenarioRunOptions {
  threads: number;
  /** replaces the scenario's seeds (a count n: 1..n) */
  seeds?: number;
  /** stops the run between stages (the planner page's cancel button): it rejects with the signal's reason */
  signal?: AbortSignal;
  /** called after each seed (done, total) */
  onSeed?: (done: number, total: number) => void;
}

export interface ScenarioRun {
  outDir: string;
  file: string;
  result: ScenarioResult;
  inputs: InputRecord[];
  outputs: string[];
  seconds: number;
}

type CityBase = Extract<Scenario['base'], { city: string }>;

/** The synthetic city of a scenario's base: its spec file, spec and seed (the base's, else the spec's). */
export function scenarioCitySpec(base: CityBase): { specPath: string; spec: CitySpec; citySeed: number | string } {
  const specPath = resolveSimsPath('cities', base.city);
  const spec = loadCitySpec(specPath);
  return { specPath, spec, citySeed: base.seed ?? spec.seed };
}

/** The city drawn for scenario seed s: the generator's seed is "<city seed>/<s>", so both sides of a difference share that draw. */
export function scenarioCityDraw(spec: CitySpec, citySeed: number | string, seed: number | string): GeneratedCity {
  return generateCity(spec, deriveSeed(citySeed, seed));
}

/** Where a scenario's worlds come from: a synthetic city drawn per seed, or data read once. */
async function scenarioBase(s: Scenario, progress: Progress): Promise<{ base: ScenarioBase; inputs: InputRecord[]; citySeed?: number | string }> {
  if ('city' in s.base) {
    const { specPath, spec, citySeed } = scenarioCitySpec(s.base);
    return {
      base: {
        world: (seed) => worldFromTables(scenarioCityDraw(spec, citySeed, seed), `city ${spec.name}`),
        perSeed: true,
        label: `synthetic city ${specPath} (seed ${citySeed}/<scenario seed>)`,
      },
      inputs: [],
      citySeed,
    };
  }
  const { persons, visits, places, columns } = s.base;
  const loaded = await loadMobilityInputs({ persons, visits, places }, '.', { remap: columns, progress });
  // one visit chunk, concatenated once for every seed
  const world = withOneVisitChunk(loaded);
  return { base: { world: () => world, perSeed: false, label: loaded.records.map((r) => r.path).join(', ') }, inputs: loaded.records };
}

export async function runScenarioFile(file: string, outDir: string, options: ScenarioRunOptions, progress: Progress): Promise<ScenarioRun> {
  const timer = new StepTimer();
  let scenario = loadScenario(resolveSimsPath('scenarios', file));
  if (options.seeds !== undefined) scenario = { ...scenario, seeds: options.seeds };
  return runLoadedScenario(scenario, file, outDir, options, progress, timer);
}

export async function runLoadedScenario(scenario: Scenario, file: string, outDir: string, options: ScenarioRunOptions, progress: Progress, timer = new StepTimer()): Promise<ScenarioRun> {
  // the folder exists before the work, whichever outputs are asked for
  mkdirSync(outDir, { recursive: true });
  const centroids = await loadCountyCentroids();
  const { base, inputs, citySeed } = await scenarioBase(scenario, progress);
  timer.mark('read_inputs');
  const seeds = scenarioSeeds(scenario);
  const { signal, onSeed } = options;
  const result = await withPool(options.threads, (pool) => runScenario(scenario, base, { pool, progress, centroids, signal, onSeed }));
  // a cancel that came during the last stage writes nothing
  signal?.throwIfAborted();
  timer.mark('scenario');
  const outputs: string[] = [];
  const wanted = new Set(scenario.outputs);
  const tables = [
    ['scenario.csv', scenarioTable],
    ['scenario-seeds.csv', scenarioSeedsTable],
    ['scenario-places.csv', scenarioPlacesTable],
  ] as const;
  for (const [name, table] of tables) {
    if (!wanted.has(name)) continue;
    await writeCsv(join(outDir, name), table(result));
    outputs.push(name);
  }
  timer.mark('write_outputs');
  const counts: Record<string, number> = { seeds: seeds.length, areas: result.areas.length };
  for (const s of result.perSeed) {
    s.counts.forEach((step, j) => {
      for (const [k, v] of Object.entries(step)) counts[`step${j + 1}_${k}`] = (counts[`step${j + 1}_${k}`] ?? 0) + v;
    });
  }
  const seconds = (f: (s: ScenarioResult['perSeed'][number]) => number) => Math.round(1000 * result.perSeed.reduce((a, s) => a + f(s), 0)) / 1000;
  const withReport = wanted.has('report.html');
  const manifest = buildManifest({
    command: 'scenario',
    inputs,
    options: { file, threads: options.threads },
    seeds: { seeds, ...(citySeed !== undefined ? { city_seed: citySeed } : {}) },
    counts,
    dropped: Object.fromEntries(inputs.map((r) => [r.role, r.dropped])),
    timings: {
      ...timer.steps,
      baseline_estimates: seconds((s) => s.seconds.baseline),
      interventions: seconds((s) => s.seconds.interventions),
      counterfactual_estimates: seconds((s) => s.seconds.counterfactual),
      total: timer.total(),
    },
    outputs: [...outputs, ...(withReport ? [REPORT_FILE] : []), 'manifest.json'],
    scenario,
  });
  // the report shows the manifest, so it is drawn from it before the manifest (written last)
  if (withReport) {
    await writeReport(outDir, { manifest });
    outputs.push(REPORT_FILE);
  }
  writeManifest(join(outDir, 'manifest.json'), manifest);
  outputs.push('manifest.json');
  return { outDir, file, result, inputs, outputs, seconds: timer.total() };
}
