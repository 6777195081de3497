/**
 * Scenario files (SPEC section 8): JSON in sims/scenarios/, validated on load with errors that name the
 * file and the JSON path. A scenario names
 *   - `base`: a synthetic city (a bundled name or a spec file, with its seed), or data files
 *     (persons, visits, optional places, optional column remap); paths relative to the scenario file;
 *   - `interventions`: applied in order to the in-memory person-place graph (interventions.ts);
 *   - `seeds`: a count n (seeds 1..n) or a list; default 20;
 *   - `options`: the estimator options of `mobiseg run` (snake_case), bootstrap 0 by default (the
 *     interval of a change comes from the seeds);
 *   - `outputs`: which files to write (default all).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { parseJsonSpec, readJsonFile } from '../io/json-spec.js';
import { interventionSchema } from './interventions.js';

const seed = z.union([z.number().int(), z.string().min(1)]);

const cityBase = z.strictObject({
  /** a bundled city name (default, tiny) or a city spec file */
  city: z.string().min(1),
  /** the city's seed; each scenario seed s generates the city with seed "<seed>/<s>" */
  seed: seed.optional(),
});

const dataBase = z.strictObject({
  persons: z.string().min(1),
  visits: z.string().min(1),
  places: z.string().min(1).optional(),
  /** logical column -> file column, as `--col` */
  columns: z.record(z.string(), z.string()).optional(),
});

export const SCENARIO_OUTPUTS = ['scenario.csv', 'scenario-seeds.csv', 'scenario-places.csv', 'report.html'] as const;

const estimatorOptions = z.strictObject({
  mode: z.enum(['distinct', 'weighted']).default('distinct'),
  bin_seconds: z.number().positive().max(86_400).default(300),
  min_days: z.number().int().min(1).default(1),
  exclude_same_home: z.boolean().default(false),
  day_offset_seconds: z.number().min(-86_400).max(86_400).default(0),
  bootstrap: z.number().int().min(0).max(10_000).default(0),
  max_people: z.number().int().min(1).optional(),
  /** place metrics and Louvain communities in each estimate (needed by between-communities hubs) */
  places: z.boolean().default(true),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  base: z.union([cityBase, dataBase]),
  interventions: z.array(interventionSchema),
  seeds: z.union([z.number().int().min(1).max(10_000), z.array(seed).min(1).max(10_000)]).default(20),
  options: estimatorOptions.default(estimatorOptions.parse({})),
  outputs: z
    .array(z.enum(SCENARIO_OUTPUTS))
    .min(1)
    .default([...SCENARIO_OUTPUTS])
    .refine((o) => !o.includes('report.html') || (o.includes('scenario.csv') && o.includes('scenario-places.csv')), {
      message: 'report.html is drawn from scenario.csv and scenario-places.csv: list them too',
    }),
});

/** A validated scenario with every default filled in (what the manifest records). */
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioBase = Scenario['base'];

/** The list of seeds of a scenario (a count n means 1..n). */
export function scenarioSeeds(s: Scenario): Array<number | string> {
  return typeof s.seeds === 'number' ? Array.from({ length: s.seeds }, (_, k) => k + 1) : s.seeds;
}

/** Validate a parsed JSON value as a scenario; data paths are resolved against `baseDir`. */
export function parseScenario(value: unknown, source: string, baseDir = '.'): Scenario {
  const s = parseJsonSpec(scenarioSchema, value, source, 'scenario');
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  // a city given as a file is relative to the scenario; a bare name is a bundled city
  if ('city' in s.base && s.base.city.endsWith('.json')) s.base = { ...s.base, city: at(s.base.city) };
  if ('persons' in s.base) {
    s.base = { ...s.base, persons: at(s.base.persons), visits: at(s.base.visits), ...(s.base.places ? { places: at(s.base.places) } : {}) };
  }
  return s;
}

/** Read and validate a scenario file; relative data paths are relative to the file's folder. */
export function loadScenario(path: string): Scenario {
  return parseScenario(readJsonFile(path, 'scenario'), path, dirname(path));
}
