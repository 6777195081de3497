/**
 * Permutation null of the bridging index (SPEC section 4): SES is shuffled among the area's persons
 * (those entering the estimate), the encounter graph fixed; partners living elsewhere keep their SES.
 * The area's median m is invariant under the shuffle, so each permutation re-labels low persons and
 * high partners and recomputes P_obs, P_rand and BI in one pass over the area's encounter endpoints.
 *
 *   p-value (lower tail: fewer cross-SES encounters than chance)  p = (1 + #{P_obs* <= P_obs}) / (K + 1)
 *   null interval of BI                                           [Q(0.025), Q(0.975)] of BI*
 *
 * Permutation b draws from createRng(deriveSeed(seed, 'permutation', areaKey, b)), so results do not
 * depend on how permutations are spread over threads.
 */
import { createRng, deriveSeed, shuffleInPlace } from '../math/random.js';
import { quantileSorted } from '../math/stats.js';
import { runParallel, sharedBufferOf, splitRange, type TaskContext, type WorkerPool } from '../parallel/pool.js';
import { MAX_ENDPOINTS, tooManyEndpoints, type PartnerLists } from '../encounters/person-stats.js';
import type { CoPresenceGroups } from '../encounters/groups.js';
import { personGroupsInTimeOrder } from '../encounters/distinct.js';
import { GrowableFloat64, GrowableInt32 } from '../io/growable.js';

/**
 * The encounters of an area's persons, re-indexed locally: local person k = fitted[k]. Partners inside
 * the set are stored as local indices; partners outside it only as a count of high-SES endpoints
 * (`fixedHigh`), which no permutation changes.
 */
export interface AreaEndpoints {
  size: number;
  ses: Float64Array;
  /** encounter endpoints of each local person (weighted) */
  n: Float64Array;
  /** endpoints whose partner lives outside the set and has SES >= median */
  fixedHigh: Float64Array;
  offsets: Int32Array;
  partners: Int32Array;
  /** multiplicity of each stored endpoint (null = 1) */
  weights: Float64Array | null;
  median: number;
}

/** Build the local endpoint graph of `fitted` from partner lists (distinct mode, pair input). */
export function areaEndpointsFromPartners(fitted: Int32Array, ses: Float64Array, lists: PartnerLists, median: number): AreaEndpoints {
  const local = localIndex(fitted, ses.length);
  const size = fitted.length;
  const n = new Float64Array(size);
  const fixedHigh = new Float64Array(size);
  const offsets = new Int32Array(size + 1);
  let total = 0;
  for (let k = 0; k < size; k++) {
    const i = fitted[k];
    for (let e = lists.offsets[i]; e < lists.offsets[i + 1]; e++) if (local[lists.partners[e]] >= 0) total++;
  }
  const partners = new Int32Array(total);
  const weights = lists.weights === null ? null : new Float64Array(total);
  let w = 0;
  for (let k = 0; k < size; k++) {
    const i = fitted[k];
    for (let e = lists.offsets[i]; e < lists.offsets[i + 1]; e++) {
      const j = lists.partners[e];
      const m = lists.weights === null ? 1 : lists.weights[e];
      n[k] += m;
      if (local[j] >= 0) {
        partners[w] = local[j];
        if (weights) weights[w] = m;
        w++;
      } else if (ses[j] >= median) fixedHigh[k] += m;
    }
    offsets[k + 1] = w;
  }
  return { size, ses: Float64Array.from(fitted, (i) => ses[i]), n, fixedHigh, offsets, partners, weights, median };
}

/**
 * Build the local endpoint graph from co-presence groups (weighted mode): partner j of i carries the
 * number of groups they share; members of i's household are skipped when homeOf is given.
 */
export function areaEndpointsFromGroups(fitted: Int32Array, ses: Float64Array, groups: CoPresenceGroups, median: number, homeOf: Int32Array | null): AreaEndpoints {
  const local = localIndex(fitted, ses.length);
  const size = fitted.length;
  const { offsets: memberOffsets, groupsOf } = personGroupsInTimeOrder(groups);
  const n = new Float64Array(size);
  const fixedHigh = new Float64Array(size);
  const offsets = new Int32Array(size + 1);
  const count = new Float64Array(size); // multiplicity of in-area partners of the current person
  const touched = new Int32Array(size);
  const partnersOut = new GrowableInt32();
  const weightsOut = new GrowableFloat64();
  for (let k = 0; k < size; k++) {
    const i = fitted[k];
    const home = homeOf === null ? -1 : homeOf[i];
    let nTouched = 0;
    for (let x = memberOffsets[i]; x < memberOffsets[i + 1]; x++) {
      const g = groupsOf[x];
      for (let e = groups.groupOffsets[g]; e < groups.groupOffsets[g + 1]; e++) {
        const j = groups.groupMembers[e];
        if (j === i || (home >= 0 && homeOf![j] === home)) continue;
        n[k] += 1;
        const lj = local[j];
        if (lj >= 0) {
          if (count[lj] === 0) touched[nTouched++] = lj;
          count[lj] += 1;
        } else if (ses[j] >= median) fixedHigh[k] += 1;
      }
    }
    for (let t = 0; t < nTouched; t++) {
      const lj = touched[t];
      partnersOut.push(lj);
      weightsOut.push(count[lj]);
      count[lj] = 0;
    }
    if (partnersOut.length > MAX_ENDPOINTS) throw tooManyEndpoints(partnersOut.length);
    offsets[k + 1] = partnersOut.length;
  }
  return { size, ses: Float64Array.from(fitted, (i) => ses[i]), n, fixedHigh, offsets, partners: partnersOut.finish(), weights: weightsOut.finish(), median };
}

function localIndex(fitted: Int32Array, nPersons: number): Int32Array {
  const local = new Int32Array(nPersons).fill(-1);
  for (let k = 0; k < fitted.length; k++) local[fitted[k]] = k;
  return local;
}

/**
 * P_obs, P_rand and BI for a labelling of the local persons' SES (`ses`, a permutation of g.ses):
 * one pass over the endpoints. `out` receives [P_obs, P_rand, BI].
 */
export function bridgingForLabels(g: AreaEndpoints, ses: Float64Array, high: Uint8Array, out: Float64Array): void {
  const m = g.median;
  for (let k = 0; k < g.size; k++) high[k] = ses[k] >= m ? 1 : 0;
  let lowN = 0;
  let lowH = 0;
  let allN = 0;
  let allH = 0;
  const { offsets, partners, weights } = g;
  for (let k = 0; k < g.size; k++) {
    let h = g.fixedHigh[k];
    if (weights === null) {
      for (let e = offsets[k]; e < offsets[k + 1]; e++) h += high[partners[e]];
    } else {
      for (let e = offsets[k]; e < offsets[k + 1]; e++) h += high[partners[e]] * weights[e];
    }
    allN += g.n[k];
    allH += h;
    if (high[k] === 0) {
      lowN += g.n[k];
      lowH += h;
    }
  }
  const pObs = lowN > 0 ? lowH / lowN : NaN;
  const pRand = allN > 0 ? allH / allN : NaN;
  out[0] = pObs;
  out[1] = pRand;
  out[2] = pRand > 0 ? Math.min(1, pObs / pRand) : NaN;
}

interface PermutationArgs {
  seed: number | string;
  areaKey: string;
  size: number;
  median: number;
  weighted: boolean;
}

/** Task (pool workers): P_obs and BI of permutations [start, end), interleaved [pObs0, bi0, pObs1, ...]. */
export function bridgingPermutationRange({ shared, args, task }: TaskContext<PermutationArgs>): Float64Array {
  const g: AreaEndpoints = {
    size: args.size,
    ses: new Float64Array(shared.ses),
    n: new Float64Array(shared.n),
    fixedHigh: new Float64Array(shared.fixedHigh),
    offsets: new Int32Array(shared.offsets),
    partners: new Int32Array(shared.partners),
    weights: args.weighted ? new Float64Array(shared.weights) : null,
    median: args.median,
  };
  const labels = new Float64Array(g.size);
  const high = new Uint8Array(g.size);
  const res = new Float64Array(3);
  const out = new Float64Array(2 * (task.end - task.start));
  for (let b = task.start; b < task.end; b++) {
    labels.set(g.ses);
    shuffleInPlace(labels, createRng(deriveSeed(args.seed, 'permutation', args.areaKey, b)));
    bridgingForLabels(g, labels, high, res);
    out[2 * (b - task.start)] = res[0];
    out[2 * (b - task.start) + 1] = res[2];
  }
  return out;
}

export interface PermutationResult {
  permutations: number;
  /** lower-tail p-value of the observed P_obs */
  pValue: number;
  /** 2.5% and 97.5% quantiles of BI under the null */
  biNullLow: number;
  biNullHigh: number;
  /** mean P_obs under the null */
  pObsNullMean: number;
}

/** Run K permutations of an area (module comment), in a pool when given. */
export async function bridgingPermutationTest(g: AreaEndpoints, options: { permutations: number; seed: number | string; areaKey: string; pool?: WorkerPool | null }): Promise<PermutationResult> {
  const K = Math.floor(options.permutations);
  const observed = new Float64Array(3);
  bridgingForLabels(g, g.ses, new Uint8Array(g.size), observed);
  const shared: Record<string, SharedArrayBuffer> = {
    ses: sharedBufferOf(g.ses),
    n: sharedBufferOf(g.n),
    fixedHigh: sharedBufferOf(g.fixedHigh),
    offsets: sharedBufferOf(g.offsets),
    partners: sharedBufferOf(g.partners),
  };
  if (g.weights) shared.weights = sharedBufferOf(g.weights);
  const threads = options.pool?.threads ?? 1;
  const job = {
    moduleUrl: import.meta.url,
    exportName: 'bridgingPermutationRange',
    shared,
    args: { seed: options.seed, areaKey: options.areaKey, size: g.size, median: g.median, weighted: g.weights !== null } satisfies PermutationArgs,
    tasks: splitRange(K, threads === 1 ? 1 : threads * 4),
  };
  const parts = options.pool ? await options.pool.run<PermutationArgs, Float64Array>(job) : await runParallel<PermutationArgs, Float64Array>({ ...job, threads: 1 });
  const pObs = new Float64Array(K);
  const bi = new Float64Array(K);
  let b = 0;
  for (const part of parts) {
    for (let t = 0; t < part.length; t += 2, b++) {
      pObs[b] = part[t];
      bi[b] = part[t + 1];
    }
  }
  let atMost = 0;
  let sum = 0;
  for (let k = 0; k < K; k++) {
    if (pObs[k] <= observed[0]) atMost++;
    sum += pObs[k];
  }
  const sortedBi = bi.filter((v) => Number.isFinite(v)).sort();
  return {
    permutations: K,
    pValue: (1 + atMost) / (K + 1),
    biNullLow: quantileSorted(sortedBi, 0.025),
    biNullHigh: quantileSorted(sortedBi, 0.975),
    pObsNullMean: K > 0 ? sum / K : NaN,
  };
}
