/**
 * Per-person sufficient statistics of encounter partners' SES (SPEC section 2): for person i,
 *   n_i = number of encounter endpoints, sum_i = sum_j (y_ij - c), sumSq_i = sum_j (y_ij - c)^2,
 * with a constant centre c (the mean SES of all persons) so the sums do not lose precision when SES is
 * large (rents, incomes). Estimators standardise per area, so results do not depend on c.
 */
import { InputError } from '../io/errors.js';
import { sharedBufferOf, splitByOffsets, type TaskContext, type WorkerPool } from '../parallel/pool.js';

export interface PersonStats {
  n: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  centre: number;
}

export function emptyPersonStats(nPersons: number, centre: number): PersonStats {
  return { n: new Float64Array(nPersons), sum: new Float64Array(nPersons), sumSq: new Float64Array(nPersons), centre };
}

/** Encounter partners per person, CSR: partners of i are partners[offsets[i] .. offsets[i + 1]), each with a weight (co-presence count) or weight 1. */
export interface PartnerLists {
  nPersons: number;
  offsets: Int32Array;
  partners: Int32Array;
  /** null = every endpoint counts once (distinct mode) */
  weights: Float64Array | null;
}

/** Partner lists index their endpoints with int32 offsets: one run holds at most this many. */
export const MAX_ENDPOINTS = 2 ** 31 - 1;

/** The error for a run with more encounter endpoints than int32 offsets can index. */
export function tooManyEndpoints(count: number): InputError {
  // a size limit of the input at these options, not a bug: exit code 2 with what to do
  return new InputError(
    `${count} encounter endpoints exceed what one run indexes (${MAX_ENDPOINTS}); run areas separately (filter persons by MSA or county) or use a coarser --bin`,
  );
}

/** n, sum and sum of squares of partners' centred SES from partner lists. */
export function partnerStats(lists: PartnerLists, ses: Float64Array, centre: number): PersonStats {
  const out = emptyPersonStats(lists.nPersons, centre);
  const { offsets, partners, weights } = lists;
  for (let i = 0; i < lists.nPersons; i++) {
    let n = 0;
    let s = 0;
    let q = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const y = ses[partners[k]] - centre;
      const w = weights === null ? 1 : weights[k];
      n += w;
      s += w * y;
      q += w * y * y;
    }
    out.n[i] = n;
    out.sum[i] = s;
    out.sumSq[i] = q;
  }
  return out;
}

/**
 * For each person i with a finite threshold t_i: the number of encounter endpoints whose partner has
 * SES >= t_i (the "high partners" of the bridging index, SPEC section 4). NaN threshold -> 0.
 */
export function partnerHighCounts(lists: PartnerLists, ses: Float64Array, threshold: Float64Array, from = 0, to = lists.nPersons): Float64Array {
  const out = new Float64Array(to - from);
  const { offsets, partners, weights } = lists;
  for (let i = from; i < to; i++) {
    const t = threshold[i];
    if (Number.isNaN(t)) continue;
    let h = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) if (ses[partners[k]] >= t) h += weights === null ? 1 : weights[k];
    out[i - from] = h;
  }
  return out;
}

/** Pool task: partnerHighCounts of persons [task.start, task.end) on the shared lists (no weights). */
export function partnerHighCountsTask({ shared, args, task }: TaskContext<{ nPersons: number }>): Float64Array {
  const lists: PartnerLists = { nPersons: args.nPersons, offsets: new Int32Array(shared.offsets), partners: new Int32Array(shared.partners), weights: null };
  return partnerHighCounts(lists, new Float64Array(shared.ses), new Float64Array(shared.threshold), task.start, task.end);
}

/**
 * partnerHighCounts by ranges of persons of about equal partners on a pool (each person's count is its
 * own sum, in the same order): the same numbers for any number of threads. Weighted lists, or no pool,
 * count in the calling thread.
 */
export async function partnerHighCountsParallel(lists: PartnerLists, ses: Float64Array, threshold: Float64Array, pool: WorkerPool | null): Promise<Float64Array> {
  if (!pool || pool.threads <= 1 || lists.weights !== null) return partnerHighCounts(lists, ses, threshold);
  const shared = { offsets: sharedBufferOf(lists.offsets), partners: sharedBufferOf(lists.partners), ses: sharedBufferOf(ses), threshold: sharedBufferOf(threshold) };
  const tasks = splitByOffsets(lists.offsets, lists.nPersons, pool.threads * 4);
  const parts = await pool.run<{ nPersons: number }, Float64Array>({ moduleUrl: import.meta.url, exportName: 'partnerHighCountsTask', shared, args: { nPersons: lists.nPersons }, tasks });
  const out = new Float64Array(lists.nPersons);
  parts.forEach((part, k) => out.set(part, tasks[k].start));
  return out;
}

/** Mean SES of all persons: the centre used for the sums. */
export function sesCentre(ses: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ses.length; i++) s += ses[i];
  return ses.length === 0 ? 0 : s / ses.length;
}
