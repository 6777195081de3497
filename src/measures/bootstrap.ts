/**
 * Percentile bootstrap over persons for an area's exposure segregation (SPEC section 3, "Uncertainty").
 *
 * The persons of the fit (exposure.ts step 1, including any `maxPeople` sample) are resampled with
 * replacement, P draws for P persons; each draw is a person of the replicate's fit (a cluster bootstrap:
 * a person's encounters travel together). Draw k of replicate b is fitted person rng.int(P) (in the
 * order of selectFittedPersons) with rng = createRng(deriveSeed(seed, 'bootstrap', areaKey, b)), so the
 * replicates, and hence the interval, are identical for any number of threads. The draws are kept as
 * copy counts per person (frequency weights: cache-friendly, no per-draw arrays); the replicate is
 * standardised with its own persons' SES mean and sd and refitted (exposure.ts
 * `fitAreaPersonsWithCopies`, no minimum-sample rule), which equals fitting the drawn persons as a list.
 *
 *     es_ci_low  = Q(0.025),  es_ci_high = Q(0.975)   (type-7 quantile of the replicate ES values),
 *     es_se      = sd of the replicate ES values (n - 1),
 *
 * over the replicates with a finite ES (a replicate can be unfittable, e.g. every drawn person with one
 * encounter; such replicates are counted in `failed`). Boundary replicates count with ES = 1.
 */
import { createRng, deriveSeed } from '../math/random.js';
import { deviation, quantileSorted } from '../math/stats.js';
import { runParallel, sharedFloat64, splitRange, type TaskContext, type WorkerPool } from '../parallel/pool.js';
import {
  fitAreaPersonsWithCopies,
  minimumSampleNote,
  selectFittedPersons,
  standardiseWithCopies,
  type AreaExposureInput,
  type StandardisedModelData,
} from './exposure.js';

export interface BootstrapOptions {
  /** Number of replicates B (the main run's default is 200). */
  replicates: number;
  /** Seed of the replicate streams. */
  seed: number | string;
  /** Worker threads (1 = in the calling thread). Ignored when `pool` is given. */
  threads?: number;
  /** A pool to reuse across areas (its thread count applies). */
  pool?: WorkerPool;
}

export interface AreaBootstrap {
  esCiLow: number;
  esCiHigh: number;
  esSe: number;
  /** ES of every replicate, in replicate order (NaN for failed ones). */
  replicateEs: Float64Array;
  /** Replicates without a finite ES. */
  failed: number;
  /** Empty, or why there is no interval (the area has no estimate). */
  note: string;
}

interface ReplicateArgs {
  seed: number | string;
  areaKey: string;
}

/**
 * Task function (run in pool workers): ES of replicates [task.start, task.end) for the area whose fitted
 * persons' statistics are in shared n, sum, sumSq, ses (compact, one entry per fitted person).
 */
export function bootstrapReplicateRange({ shared, args, task }: TaskContext<ReplicateArgs>): Float64Array {
  const stats = {
    n: new Float64Array(shared.n),
    sum: new Float64Array(shared.sum),
    sumSq: new Float64Array(shared.sumSq),
    ses: new Float64Array(shared.ses),
  };
  const P = stats.n.length;
  const copies = new Float64Array(P);
  let scratch: StandardisedModelData | undefined;
  const out = new Float64Array(task.end - task.start);
  for (let b = task.start; b < task.end; b++) {
    const rng = createRng(deriveSeed(args.seed, 'bootstrap', args.areaKey, b));
    copies.fill(0);
    for (let k = 0; k < P; k++) copies[rng.int(P)] += 1;
    scratch ??= standardiseWithCopies(stats, copies);
    out[b - task.start] = fitAreaPersonsWithCopies(stats, copies, scratch).es;
  }
  return out;
}

/**
 * Percentile bootstrap CI and standard error of an area's ES (module comment). Areas failing the
 * minimum-sample rule get NaN and its note.
 */
export async function bootstrapAreaExposure(input: AreaExposureInput, options: BootstrapOptions): Promise<AreaBootstrap> {
  const B = Math.floor(options.replicates);
  if (!(B >= 1)) throw new RangeError(`bootstrap replicates must be >= 1 (got ${options.replicates})`);
  const fitted = selectFittedPersons(input);
  let nObs = 0;
  for (let k = 0; k < fitted.length; k++) nObs += input.n[fitted[k]];
  const rule = minimumSampleNote(fitted.length, nObs, input.minPersons, input.minObservations);
  if (rule !== '') return { esCiLow: NaN, esCiHigh: NaN, esSe: NaN, replicateEs: new Float64Array(0), failed: 0, note: rule };

  const pick = (values: ArrayLike<number>): Float64Array => {
    const out = new Float64Array(fitted.length);
    for (let k = 0; k < fitted.length; k++) out[k] = values[fitted[k]];
    return sharedFloat64(out);
  };
  const shared = {
    n: pick(input.n).buffer as SharedArrayBuffer,
    sum: pick(input.sum).buffer as SharedArrayBuffer,
    sumSq: pick(input.sumSq).buffer as SharedArrayBuffer,
    ses: pick(input.ses).buffer as SharedArrayBuffer,
  };
  const threads = options.pool ? options.pool.threads : Math.max(1, Math.floor(options.threads ?? 1));
  const job = {
    moduleUrl: import.meta.url,
    exportName: 'bootstrapReplicateRange',
    shared,
    args: { seed: options.seed, areaKey: input.areaKey ?? '' } satisfies ReplicateArgs,
    tasks: splitRange(B, threads === 1 ? 1 : threads * 4),
  };
  const parts = options.pool ? await options.pool.run<ReplicateArgs, Float64Array>(job) : await runParallel<ReplicateArgs, Float64Array>({ ...job, threads });

  const replicateEs = new Float64Array(B);
  let offset = 0;
  for (const part of parts) {
    replicateEs.set(part, offset);
    offset += part.length;
  }
  const finite = replicateEs.filter((v) => Number.isFinite(v)).sort();
  const failed = B - finite.length;
  return {
    esCiLow: quantileSorted(finite, 0.025),
    esCiHigh: quantileSorted(finite, 0.975),
    esSe: deviation(finite),
    replicateEs,
    failed,
    note: finite.length === 0 ? 'no bootstrap replicate could be fitted' : '',
  };
}
