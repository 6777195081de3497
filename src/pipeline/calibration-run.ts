/**
 * `mobiseg calibrate`: do the published size gradient and the ES-BI relation emerge from a city spec's
 * laws (SPEC section 9)? One simulated MSA per published MSA (msa-sweep.ts), the full `mobiseg run`
 * pipeline on it (REML ES and BI by MSA of home; no bootstrap), then the headline facts of the paper
 * (validate.ts: median ES, ES of the ten largest over ES under 100,000 people, corr(log population, ES),
 * corr(log population, BI), corr(ES, BI)) on the simulated MSAs, beside the same facts of the published
 * MSAs that were simulated. Writes <out>/city (the sweep city), the run's outputs, calibration.csv and
 * report.html (drawn again with calibration.csv).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { writeCsv } from '../io/csv-writer.js';
import { columnTable, tableRowCount } from '../io/column-table.js';
import { writeTable } from '../io/table-writer.js';
import { readSmallTable } from '../io/small-table.js';
import type { Progress } from '../estimate/progress.js';
import { computeHeadlineFacts, type HeadlineFacts } from '../validate/validate.js';
import { ksDistance } from '../math/stats.js';
import { PAPER_FACTS, POPULATION_COLUMN, readPopulation } from '../validate/validate-files.js';
import { BUNDLED, bundledDataPath } from '../io/bundled-data.js';
import type { CitySpec } from '../simulation/city-spec.js';
import { generateCity } from '../simulation/generate-city.js';
import { msaSweepSpec, type RealMsa, type SweepScaling } from '../simulation/msa-sweep.js';
import { runMobility } from './mobility-run.js';
import { writeReport } from './report-run.js';

export interface CalibrationOptions {
  readonly scaling: SweepScaling;
  /** Simulate every k-th published MSA by population (1: all 382). */
  readonly every: number;
  readonly seed: number | string;
  readonly threads: number;
  /** Draw report.html again with calibration.csv (default true; a search's evaluations skip it). */
  readonly report?: boolean;
}

/** One headline fact: the paper's value, the published MSAs' (those simulated), the simulated MSAs'. */
export interface CalibrationFact {
  readonly fact: string;
  readonly paper: number;
  readonly published: number;
  readonly simulated: number;
}

export interface CalibrationResult {
  readonly outDir: string;
  readonly spec: CitySpec;
  readonly persons: number;
  readonly visits: number;
  readonly published: HeadlineFacts;
  readonly simulated: HeadlineFacts;
  readonly facts: CalibrationFact[];
  /** ES of the simulated MSAs (NaN where not estimable) and of the published MSAs simulated (for their KS distance). */
  readonly simulatedEs: Float64Array;
  readonly publishedEs: Float64Array;
  /** Kolmogorov-Smirnov distance between the simulated and the published MSAs' ES */
  readonly ksEs: number;
  /** files written, relative to outDir */
  readonly outputs: string[];
  readonly seconds: number;
}

/** The published MSAs with a population (POPULATION_COLUMN), largest first, every k-th kept. */
async function publishedMsas(every: number): Promise<{ real: RealMsa[]; es: Float64Array; bi: Float64Array }> {
  const table = await readSmallTable(bundledDataPath(BUNDLED.publishedMsa));
  const population = await readPopulation(bundledDataPath(BUNDLED.cbsaPopulation));
  const names = table.text('msa').map((s) => s.trim());
  const es = table.numbers('exposure_segregation', { allowMissing: true });
  const bi = table.numbers('bridging_index', { allowMissing: true });
  const rows = names.map((title, i) => ({ title, population: population.get(title) ?? NaN, es: es[i], bi: bi[i] })).filter((r) => Number.isFinite(r.population));
  rows.sort((a, b) => b.population - a.population || (a.title < b.title ? -1 : 1));
  const kept = rows.filter((_, i) => i % every === 0);
  return { real: kept.map(({ title, population }) => ({ title, population })), es: Float64Array.from(kept, (r) => r.es), bi: Float64Array.from(kept, (r) => r.bi) };
}

/** Headline facts as rows (the order printed and written). */
export function calibrationFacts(published: HeadlineFacts, simulated: HeadlineFacts): CalibrationFact[] {
  const row = (fact: string, paper: number, pick: (h: HeadlineFacts) => number): CalibrationFact => ({ fact, paper, published: pick(published), simulated: pick(simulated) });
  return [
    row('median ES', PAPER_FACTS.medianEs, (h) => h.medianEs),
    row('mean ES, 10 largest MSAs', PAPER_FACTS.meanEsLargest, (h) => h.meanEsLargest),
    row('mean ES, MSAs under 100,000', PAPER_FACTS.meanEsSmall, (h) => h.meanEsSmall),
    row('ratio largest / small', PAPER_FACTS.ratioLargestToSmall, (h) => h.ratioLargestToSmall),
    row('corr(log population, ES)', PAPER_FACTS.corrLogPopEs, (h) => h.corrLogPopEs),
    row('corr(log population, BI)', PAPER_FACTS.corrLogPopBi, (h) => h.corrLogPopBi),
    row('corr(ES, BI)', PAPER_FACTS.corrEsBi, (h) => h.corrEsBi),
    row('median BI', NaN, (h) => h.medianBi),
    row('mean BI, 10 largest MSAs', NaN, (h) => h.meanBiLargest),
    row('mean BI, MSAs under 100,000', NaN, (h) => h.meanBiSmall),
  ];
}

/** Generate the sweep city and write it as Arrow tables plus its spec; returns its size. */
async function writeSweepCity(spec: CitySpec, seed: number | string, cityDir: string, paths: { persons: string; places: string; visits: string }): Promise<{ persons: number; visits: number }> {
  const city = generateCity(spec, seed);
  await writeTable(paths.persons, city.persons, 'arrow');
  await writeTable(paths.places, city.places, 'arrow');
  await writeTable(paths.visits, city.visits, 'arrow');
  writeFileAtomic(join(cityDir, 'city.json'), JSON.stringify(spec, null, 2) + '\n');
  return { persons: tableRowCount(city.persons), visits: tableRowCount(city.visits) };
}

export async function runCalibration(base: CitySpec, options: CalibrationOptions, outDir: string, progress: Progress): Promise<CalibrationResult> {
  const started = performance.now();
  const { real, es: pubEs, bi: pubBi } = await publishedMsas(options.every);
  const spec = msaSweepSpec(
    { ...base, seed: options.seed },
    real,
    options.scaling,
    `${base.name}-msa-sweep`,
    `One simulated MSA per published MSA (${real.length}; ${POPULATION_COLUMN} populations), persons = round(${options.scaling.smallestPersons} * (population / smallest)^${options.scaling.exponent}); laws of "${base.name}".`,
  );
  progress.note(`generating ${real.length} MSAs (seed ${options.seed})`);
  const cityDir = join(outDir, 'city');
  const paths = { persons: join(cityDir, 'persons.arrow'), places: join(cityDir, 'places.arrow'), visits: join(cityDir, 'visits.arrow') };
  // the generated tables are released before the run reads them back (about 1 GB for the full sweep)
  const size = await writeSweepCity(spec, options.seed, cityDir, paths);

  const run = await runMobility(paths, outDir, {
    mode: 'distinct',
    binSeconds: spec.bin_seconds,
    minDays: 1,
    excludeSameHome: false,
    dayOffsetSeconds: 0,
    seed: options.seed,
    bootstrap: 0,
    permutations: 0,
    threads: options.threads,
    smoothK: 5,
    smoothWeight: 0.5,
    dropInvalid: false,
  }, progress);
  if (!run.msaTable) throw new Error('the sweep run produced no MSA table');
  const column = (name: string) => run.msaTable!.columns.find((c) => c.name === name)!.values;
  const names = column('msa') as Array<string | null>;
  const reference = new Map(spec.msas.map((m) => [m.name, m.reference_population ?? NaN]));
  const simulatedEs = column('exposure_segregation') as Float64Array;
  const simulated = computeHeadlineFacts(
    names.map((n) => n ?? ''),
    simulatedEs,
    column('bridging_index') as Float64Array,
    Float64Array.from(names, (n) => reference.get(n ?? '') ?? NaN),
  );
  const published = computeHeadlineFacts(real.map((r) => r.title), pubEs, pubBi, Float64Array.from(real, (r) => r.population));
  const facts = calibrationFacts(published, simulated);
  const factsFile = join(outDir, 'calibration.csv');
  await writeCsv(
    factsFile,
    columnTable([
      { name: 'fact', values: facts.map((f) => f.fact) },
      { name: 'paper', values: Float64Array.from(facts, (f) => f.paper) },
      { name: 'published', values: Float64Array.from(facts, (f) => f.published) },
      { name: 'simulated', values: Float64Array.from(facts, (f) => f.simulated) },
    ]),
  );
  // redrawn with calibration.csv: the simulated MSAs against the published ones
  if (options.report !== false) await writeReport(outDir);
  return {
    outDir,
    spec,
    persons: size.persons,
    visits: size.visits,
    published,
    simulated,
    facts,
    simulatedEs,
    publishedEs: pubEs,
    ksEs: ksDistance(simulatedEs, pubEs),
    outputs: ['calibration.csv', 'city/persons.arrow', 'city/places.arrow', 'city/visits.arrow', 'city/city.json', ...run.outputs],
    seconds: (performance.now() - started) / 1000,
  };
}
