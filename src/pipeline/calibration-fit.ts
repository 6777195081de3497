/**
 * `mobiseg calibrate --fit` (issue 19): a seeded search over named laws of a city spec (law-parameters.ts)
 * for the laws whose sweep reproduces the published facts best. Each evaluation runs the calibration
 * sweep (calibration-run.ts) on every k-th MSA for each fit seed and scores it with calibrationLoss
 * (validate/calibration-loss.ts: squared misses in units of the acceptance tolerances, plus the KS
 * distance of ES); the loss of a point is the mean over the seeds. The path: the base spec's own laws,
 * a Latin hypercube over the ranges, then Nelder-Mead from the best point so far, all in the unit cube
 * (math/search.ts). Writes fit.csv (the path, rewritten after every evaluation, so a stopped search
 * leaves a usable file), city.json (the base spec with the best laws) and, unless checkSeeds is 0, the
 * final check of the chosen laws on all MSAs over seeds 1..checkSeeds (check.csv).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { columnTable, type Column } from '../io/column-table.js';
import { writeCsv } from '../io/csv-writer.js';
import { silentProgress, type Progress } from '../estimate/progress.js';
import { createRng, deriveSeed } from '../math/random.js';
import { latinHypercube, nelderMead } from '../math/search.js';
import { mean } from '../math/stats.js';
import type { CitySpec } from '../simulation/city-spec.js';
import { lawValue, withLaws, type LawParameter } from '../simulation/law-parameters.js';
import type { SweepScaling } from '../simulation/msa-sweep.js';
import { calibrationLoss, FIT_TERMS, type FitLoss, type FitTermValue } from '../validate/calibration-loss.js';
import { runCalibration } from './calibration-run.js';

export interface FitOptions {
  readonly scaling: SweepScaling;
  readonly parameters: readonly LawParameter[];
  /** every k-th MSA in each evaluation */
  readonly every: number;
  /** the first fit seed; the others follow it (seed + 1, ... when it is an integer) */
  readonly seed: string;
  readonly fitSeeds: number;
  /** total evaluations (base laws + Latin hypercube + Nelder-Mead) */
  readonly evaluations: number;
  readonly lhs: number;
  /** final check on all MSAs over seeds 1..checkSeeds (0: none) */
  readonly checkSeeds: number;
  readonly threads: number;
}

/** One evaluation of the path. */
export interface FitEvaluation {
  readonly index: number;
  readonly phase: 'base' | 'lhs' | 'nelder-mead';
  readonly values: number[];
  /** mean loss over the fit seeds */
  readonly loss: number;
  /** each term's simulated value, mean over the seeds (NaN where a term was left out) */
  readonly facts: number[];
  readonly seconds: number;
}

/** The chosen laws' facts on all MSAs: per seed and their mean, against the published ones. */
export interface FitCheck {
  readonly seeds: string[];
  readonly terms: FitTermValue[];
  readonly perSeed: number[][];
  readonly loss: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly outDir: string;
  readonly path: FitEvaluation[];
  readonly best: FitEvaluation;
  readonly spec: CitySpec;
  readonly check: FitCheck | null;
  readonly outputs: string[];
}

/** The i-th seed after `seed` (seed + i for an integer seed, "seed-i" otherwise). */
export function nthSeed(seed: string, i: number): string {
  return i === 0 ? seed : /^\d+$/.test(seed) ? String(Number(seed) + i) : `${seed}-${i}`;
}

/** One sweep of `spec` scored: the loss and the terms (a temporary run folder, removed afterwards). */
async function scoreSweep(spec: CitySpec, every: number, seed: string, options: FitOptions, dir: string, progress: Progress, keep: boolean): Promise<FitLoss> {
  const r = await runCalibration(spec, { scaling: options.scaling, every, seed, threads: options.threads, report: keep }, dir, progress);
  const scored = calibrationLoss(r.simulated, r.published, r.ksEs);
  // the sweep city is about 1 GB for all MSAs: a check keeps its tables and facts, not the city
  rmSync(keep ? join(dir, 'city') : dir, { recursive: true, force: true });
  return scored;
}

/** The mean over seeds of each term's simulated value (in FIT_TERMS order; NaN if absent). */
function meanFacts(scores: { terms: FitTermValue[] }[]): number[] {
  return FIT_TERMS.map((t) => mean(scores.map((s) => s.terms.find((v) => v.term.key === t.key)?.simulated ?? NaN)));
}

function pathTable(parameters: readonly LawParameter[], path: readonly FitEvaluation[]) {
  const columns: Column[] = [
    { name: 'evaluation', values: Int32Array.from(path, (e) => e.index) },
    { name: 'phase', values: path.map((e) => e.phase) },
    ...parameters.map((p, j) => ({ name: p.path, values: Float64Array.from(path, (e) => e.values[j]) })),
    { name: 'loss', values: Float64Array.from(path, (e) => e.loss) },
    ...FIT_TERMS.map((t, k) => ({ name: t.label, values: Float64Array.from(path, (e) => e.facts[k]) })),
    { name: 'seconds', values: Float64Array.from(path, (e) => e.seconds) },
  ];
  return columnTable(columns);
}

/**
 * Run the search (module comment). `onEvaluation` sees each evaluation as it ends (the command prints
 * the path with it).
 */
export async function runCalibrationFit(base: CitySpec, options: FitOptions, outDir: string, progress: Progress, onEvaluation: (e: FitEvaluation) => void = () => {}): Promise<FitResult> {
  const { parameters } = options;
  const d = parameters.length;
  // every path is checked before any work
  for (const p of parameters) lawValue(base, p.path);
  const toValues = (u: ArrayLike<number>) => parameters.map((p, j) => p.lower + Math.min(1, Math.max(0, u[j])) * (p.upper - p.lower));
  const seeds = Array.from({ length: options.fitSeeds }, (_, i) => nthSeed(options.seed, i));
  const path: FitEvaluation[] = [];
  const fitFile = join(outDir, 'fit.csv');

  // Nelder-Mead starts from a point already evaluated and may return to one: each point is run once
  const seen = new Map<string, number>();
  const evaluate = async (u: ArrayLike<number>, phase: FitEvaluation['phase']): Promise<number> => {
    const started = performance.now();
    const values = toValues(u);
    const key = values.join(',');
    const known = seen.get(key);
    if (known !== undefined) return known;
    const spec = withLaws(base, parameters, values);
    progress.note(`evaluation ${path.length + 1}/${options.evaluations} (${phase}): ${parameters.map((p, j) => `${p.path}=${values[j].toPrecision(4)}`).join(' ')}`);
    const scores: FitLoss[] = [];
    for (const seed of seeds) scores.push(await scoreSweep(spec, options.every, seed, options, join(outDir, 'evaluation'), silentProgress, false));
    const e: FitEvaluation = { index: path.length + 1, phase, values, loss: mean(scores.map((s) => s.loss)), facts: meanFacts(scores), seconds: (performance.now() - started) / 1000 };
    path.push(e);
    seen.set(key, e.loss);
    await writeCsv(fitFile, pathTable(parameters, path));
    onEvaluation(e);
    return e.loss;
  };

  // 1. the base spec's own laws (projected onto the ranges), 2. the Latin hypercube
  const start = Float64Array.from(parameters, (p) => (lawValue(base, p.path) - p.lower) / (p.upper - p.lower));
  const budget = options.evaluations;
  await evaluate(start, 'base');
  const design = latinHypercube(Math.max(1, Math.min(options.lhs, budget - 1)), d, createRng(deriveSeed(options.seed, 'fit', 'lhs')));
  for (const u of design) if (path.length < budget) await evaluate(u, 'lhs');
  // 3. Nelder-Mead from the best point so far, with what is left of the budget
  if (path.length < budget) {
    const bestSoFar = path.reduce((a, b) => (b.loss < a.loss ? b : a));
    const u0 = bestSoFar.values.map((v, j) => (v - parameters[j].lower) / (parameters[j].upper - parameters[j].lower));
    await nelderMead((u) => evaluate(u, 'nelder-mead'), u0, { maxEvaluations: budget - path.length + 1, step: 0.15, lower: 0, upper: 1, lossTolerance: 0.05, pointTolerance: 0.01 });
  }
  const best = path.reduce((a, b) => (b.loss < a.loss ? b : a));
  const fitted = withLaws(base, parameters, best.values);
  const spec: CitySpec = {
    ...fitted,
    description: `${base.description ?? base.name}. Laws ${parameters.map((p) => p.path).join(', ')} fitted by mobiseg calibrate --fit (every ${options.every}th MSA, ${options.fitSeeds} seeds, ${path.length} evaluations; loss ${best.loss.toFixed(3)}).`,
  };
  writeFileAtomic(join(outDir, 'city.json'), JSON.stringify(spec, null, 2) + '\n');
  const outputs = ['fit.csv', 'city.json'];

  let check: FitCheck | null = null;
  if (options.checkSeeds > 0) {
    const started = performance.now();
    const checkSeeds = Array.from({ length: options.checkSeeds }, (_, i) => String(i + 1));
    const scores: FitLoss[] = [];
    for (const seed of checkSeeds) {
      progress.note(`final check on all MSAs, seed ${seed} of ${checkSeeds.length}`);
      scores.push(await scoreSweep(spec, 1, seed, options, join(outDir, `check-seed-${seed}`), progress, true));
    }
    const facts = meanFacts(scores);
    const terms: FitTermValue[] = scores[0].terms.map((t) => {
      const simulated = facts[FIT_TERMS.indexOf(t.term)];
      const miss = (simulated - t.target) / t.term.tolerance;
      return { term: t.term, simulated, target: t.target, miss, withinBound: t.term.key === 'ksEs' ? simulated < t.term.tolerance : Math.abs(miss) <= 1 };
    });
    check = { seeds: checkSeeds, terms, perSeed: scores.map((s) => s.terms.map((t) => t.simulated)), loss: terms.reduce((s, t) => s + t.miss * t.miss, 0), seconds: (performance.now() - started) / 1000 };
    await writeCsv(
      join(outDir, 'check.csv'),
      columnTable([
        { name: 'fact', values: terms.map((t) => t.term.label) },
        { name: 'published', values: Float64Array.from(terms, (t) => t.target) },
        { name: 'tolerance', values: Float64Array.from(terms, (t) => t.term.tolerance) },
        { name: 'acceptance_bound', values: terms.map((t) => (t.term.bound ? 'yes' : 'no')) },
        { name: 'simulated_mean', values: Float64Array.from(terms, (t) => t.simulated) },
        ...checkSeeds.map((s, k) => ({ name: `simulated_seed_${s}`, values: Float64Array.from(scores[k].terms, (t) => t.simulated) })),
        { name: 'within_tolerance', values: terms.map((t) => (t.withinBound ? 'yes' : 'no')) },
      ]),
    );
    outputs.push('check.csv', ...checkSeeds.map((s) => `check-seed-${s}/`));
  }
  return { outDir, path, best, spec, check, outputs };
}
