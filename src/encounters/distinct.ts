/**
 * `distinct` counting (SPEC section 2, the paper's): each unordered pair of persons counts once however
 * often they met. For every person i the groups i belongs to are walked and each partner j is counted
 * the first time it qualifies, so pairs are de-duplicated without sorting and without pair objects:
 *   - minDays = 1: "already counted" is one bit per person (a bitset of nPersons / 8 bytes, small enough
 *     to stay in the core's cache), cleared from i's partner list once i is done;
 *   - minDays > 1: the groups are walked in time order, with a stamp, the last day and a day count per
 *     person (stamp[j] = i).
 * Filters: minDays (met on at least N distinct local days; day = floor((bin start + dayOffset) / 86400))
 * and same-home exclusion (partners in i's household are skipped).
 * The partners' statistics (n_i, sum and sum of squares of centred SES, as partnerStats computes them
 * from the lists, in the same order, so the same numbers) are summed in the same walk from a copy of the
 * centred SES per group member, which is read in group order rather than by random access.
 */
import type { CoPresenceGroups } from './groups.js';
import { MAX_ENDPOINTS, tooManyEndpoints, type PartnerLists, type PersonStats } from './person-stats.js';
import { heapArrays, sharedArrays, sharedBufferOf, splitRange, type ArrayAllocator, type TaskContext, type WorkerPool } from '../parallel/pool.js';

export interface DistinctOptions {
  /** a pair counts once it met on at least this many distinct days (default 1) */
  minDays?: number;
  /** household code per person (-1 = none): partners sharing i's household are excluded */
  homeOf?: Int32Array | null;
  /** seconds added to epoch time before cutting days (a time zone offset; default 0 = UTC days) */
  dayOffsetSeconds?: number;
  /** called with the share of persons done, every 65,536 persons */
  onProgress?: (fraction: number) => void;
}

/**
 * Memberships of each person: the groups of person i are groupsOf[offsets[i] .. offsets[i + 1]), in time
 * order (or, with timeOrder = false, in group order: place, then bin).
 */
export function personGroupsInTimeOrder(groups: CoPresenceGroups, timeOrder = true, alloc: ArrayAllocator = heapArrays): { offsets: Int32Array; groupsOf: Int32Array } {
  const { nGroups, groupOffsets, groupMembers, groupBin } = groups;
  // order groups by bin (stable counting sort over the bin range, or a plain sort when the range is huge)
  const byTime = new Int32Array(nGroups);
  for (let g = 0; g < nGroups; g++) byTime[g] = g;
  if (nGroups > 0 && timeOrder) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let g = 0; g < nGroups; g++) {
      if (groupBin[g] < lo) lo = groupBin[g];
      if (groupBin[g] > hi) hi = groupBin[g];
    }
    const range = hi - lo + 1;
    if (range <= 4 * nGroups + 1024) {
      const count = new Int32Array(range + 1);
      for (let g = 0; g < nGroups; g++) count[groupBin[g] - lo + 1]++;
      for (let t = 0; t < range; t++) count[t + 1] += count[t];
      for (let g = 0; g < nGroups; g++) byTime[count[groupBin[g] - lo]++] = g;
    } else {
      byTime.sort((x, y) => groupBin[x] - groupBin[y] || x - y);
    }
  }
  const offsets = alloc.int32(groups.nPersons + 1);
  for (let k = 0; k < groupMembers.length; k++) offsets[groupMembers[k] + 1]++;
  for (let i = 0; i < groups.nPersons; i++) offsets[i + 1] += offsets[i];
  const cursor = offsets.slice(0, groups.nPersons);
  const groupsOf = alloc.int32(groupMembers.length);
  for (let x = 0; x < nGroups; x++) {
    const g = byTime[x];
    for (let k = groupOffsets[g]; k < groupOffsets[g + 1]; k++) groupsOf[cursor[groupMembers[k]]++] = g;
  }
  return { offsets, groupsOf };
}

/** The arrays the distinct count reads: the groups, each person's memberships, members' centred SES. */
interface DistinctInputs {
  nPersons: number;
  groupOffsets: Int32Array;
  groupMembers: Int32Array;
  /** ses[groupMembers[k]] - centre */
  memberY: Float64Array;
  groupBin: Float64Array;
  binSeconds: number;
  memberOffsets: Int32Array;
  groupsOf: Int32Array;
  homeOf: Int32Array | null;
  minDays: number;
  dayOffset: number;
}

/** Partner lists and statistics of a range of persons [from, to) (index k = person from + k). */
interface RangeResult {
  offsets: Int32Array;
  partners: Int32Array;
  n: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

/**
 * Distinct partners of persons [from, to) and their statistics: partners of person from + k are
 * partners[offsets[k] .. offsets[k + 1]). The one implementation behind the serial and parallel counts.
 */
function distinctOfRange(d: DistinctInputs, from: number, to: number, onProgress?: (fraction: number) => void): RangeResult {
  const r: RangeResult = {
    offsets: new Int32Array(to - from + 1),
    // Starts at the number of partner occurrences, an upper bound of the distinct partners (up to 2^27),
    // so it usually never grows.
    partners: new Int32Array(Math.max(1024, Math.min(partnerOccurrences(d, from, to), 1 << 27))),
    n: new Float64Array(to - from),
    sum: new Float64Array(to - from),
    sumSq: new Float64Array(to - from),
  };
  const w = d.minDays > 1 ? partnersMetOnDays(d, from, to, r, onProgress) : partnersMetOnce(d, from, to, r, onProgress);
  // a buffer filled to three quarters or more is returned as a view, not copied
  r.partners = w >= 0.75 * r.partners.length ? r.partners.subarray(0, w) : r.partners.slice(0, w);
  return r;
}

/** r.partners with room for `extra` more after w (grown by doubling; MAX_ENDPOINTS at most). */
function partnerRoom(r: RangeResult, w: number, extra: number): Int32Array {
  if (w + extra > r.partners.length) {
    if (w + extra > MAX_ENDPOINTS) throw tooManyEndpoints(w + extra);
    const grown = new Int32Array(Math.min(MAX_ENDPOINTS, Math.max(r.partners.length * 2, w + extra)));
    grown.set(r.partners.subarray(0, w));
    r.partners = grown;
  }
  return r.partners;
}

/** Persons whose groups are touched ahead of the walk (about 4 groups each in the benchmarks). */
const PREFETCH_PERSONS = 64;
/** Where the touching loads' sum goes, so the compiler cannot drop them as unused. */
const prefetchSink = { value: 0 };

/** minDays = 1: the bitset walk. Fills r and returns the number of partners written. */
function partnersMetOnce(d: DistinctInputs, from: number, to: number, r: RangeResult, onProgress?: (fraction: number) => void): number {
  const { nPersons: n, groupOffsets, groupMembers, memberY, memberOffsets, groupsOf, homeOf } = d;
  const seen = new Int32Array((n + 32) >> 5);
  let out = r.partners;
  let w = 0;
  let touched = 0;
  let touchedUpTo = from;
  for (let i = from; i < to; i++) {
    if (i === touchedUpTo) {
      // The walk is bound by cache misses (a group's offsets, then its members), one group after the
      // other. Touching them for the next PREFETCH_PERSONS persons first, in loops of independent loads,
      // lets the misses overlap (measured: the walk takes ~30% less time).
      touchedUpTo = Math.min(to, i + PREFETCH_PERSONS);
      const xEnd = memberOffsets[touchedUpTo];
      for (let x = memberOffsets[i]; x < xEnd; x++) touched += groupOffsets[groupsOf[x]];
      for (let x = memberOffsets[i]; x < xEnd; x++) {
        const a = groupOffsets[groupsOf[x]];
        touched += groupMembers[a] + memberY[a];
      }
    }
    const home = homeOf === null ? -1 : homeOf[i];
    const w0 = w;
    let s = 0;
    let q = 0;
    seen[i >> 5] |= 1 << (i & 31); // i is never its own partner
    for (let x = memberOffsets[i]; x < memberOffsets[i + 1]; x++) {
      const g = groupsOf[x];
      const a = groupOffsets[g];
      const b = groupOffsets[g + 1];
      if (w + (b - a) > out.length) out = partnerRoom(r, w, b - a);
      for (let k = a; k < b; k++) {
        const j = groupMembers[k];
        const word = j >> 5;
        const bit = 1 << (j & 31);
        const bits = seen[word];
        if ((bits & bit) !== 0 || (home >= 0 && homeOf![j] === home)) continue;
        seen[word] = bits | bit;
        out[w++] = j;
        const y = memberY[k];
        s += y;
        q += y * y;
      }
    }
    for (let k = w0; k < w; k++) seen[out[k] >> 5] = 0;
    seen[i >> 5] = 0;
    r.offsets[i - from + 1] = w;
    r.n[i - from] = w - w0;
    r.sum[i - from] = s;
    r.sumSq[i - from] = q;
    if (onProgress && ((i - from) & 0xffff) === 0xffff) onProgress((i + 1 - from) / (to - from));
  }
  prefetchSink.value += touched;
  return w;
}

/** minDays > 1: the time-ordered walk with stamps and day counts. Fills r, returns the partners written. */
function partnersMetOnDays(d: DistinctInputs, from: number, to: number, r: RangeResult, onProgress?: (fraction: number) => void): number {
  const { nPersons: n, groupOffsets, groupMembers, memberY, groupBin, binSeconds, memberOffsets, groupsOf, homeOf, minDays, dayOffset } = d;
  const stamp = new Int32Array(n).fill(-1);
  const lastDay = new Float64Array(n);
  const days = new Int32Array(n);
  let out = r.partners;
  let w = 0;
  for (let i = from; i < to; i++) {
    const home = homeOf === null ? -1 : homeOf[i];
    const w0 = w;
    let s = 0;
    let q = 0;
    for (let x = memberOffsets[i]; x < memberOffsets[i + 1]; x++) {
      const g = groupsOf[x];
      const a = groupOffsets[g];
      const b = groupOffsets[g + 1];
      if (w + (b - a) > out.length) out = partnerRoom(r, w, b - a);
      const day = Math.floor((groupBin[g] * binSeconds + dayOffset) / 86400);
      for (let k = a; k < b; k++) {
        const j = groupMembers[k];
        if (j === i || (home >= 0 && homeOf![j] === home)) continue;
        if (stamp[j] !== i) {
          stamp[j] = i;
          lastDay[j] = day;
          days[j] = 1;
        } else if (lastDay[j] !== day) {
          lastDay[j] = day;
          if (++days[j] === minDays) {
            out[w++] = j;
            const y = memberY[k];
            s += y;
            q += y * y;
          }
        }
      }
    }
    r.offsets[i - from + 1] = w;
    r.n[i - from] = w - w0;
    r.sum[i - from] = s;
    r.sumSq[i - from] = q;
    if (onProgress && ((i - from) & 0xffff) === 0xffff) onProgress((i + 1 - from) / (to - from));
  }
  return w;
}

/** Number of (person, co-member) occurrences of persons [from, to): sum over their groups of size - 1. */
function partnerOccurrences(d: DistinctInputs, from: number, to: number): number {
  const { groupOffsets, memberOffsets, groupsOf } = d;
  let total = 0;
  if (from === 0 && to === d.nPersons) {
    for (let g = 0; g + 1 < groupOffsets.length; g++) {
      const size = groupOffsets[g + 1] - groupOffsets[g];
      total += size * (size - 1);
    }
    return total;
  }
  for (let x = memberOffsets[from]; x < memberOffsets[to]; x++) {
    const g = groupsOf[x];
    total += groupOffsets[g + 1] - groupOffsets[g] - 1;
  }
  return total;
}

/** memberY[k] = ses[groupMembers[k]] - centre for k in [from, to). */
function fillMemberY(memberY: Float64Array, groupMembers: Int32Array, ses: Float64Array, centre: number, from: number, to: number): void {
  for (let k = from; k < to; k++) memberY[k] = ses[groupMembers[k]] - centre;
}

/** Pool task: memberY over a range of group members, written into the shared output (ranges never overlap). */
export function memberYTask({ shared, args, task }: TaskContext<{ centre: number }>): number {
  fillMemberY(new Float64Array(shared.memberY), new Int32Array(shared.groupMembers), new Float64Array(shared.ses), args.centre, task.start, task.end);
  return task.end - task.start;
}

/**
 * The inputs of the walk. `memberY`, when given, is being filled elsewhere (by pool workers, while this
 * thread orders each person's groups: both are single passes over the members, independent of each other).
 */
function distinctInputs(groups: CoPresenceGroups, ses: Float64Array, centre: number, options: DistinctOptions, alloc: ArrayAllocator = heapArrays, filledElsewhere?: Float64Array): DistinctInputs {
  const minDays = options.minDays ?? 1;
  const { groupMembers } = groups;
  const memberY = filledElsewhere ?? alloc.float64(groupMembers.length);
  if (!filledElsewhere) fillMemberY(memberY, groupMembers, ses, centre, 0, groupMembers.length);
  const { offsets: memberOffsets, groupsOf } = personGroupsInTimeOrder(groups, minDays > 1, alloc);
  return {
    nPersons: groups.nPersons,
    groupOffsets: groups.groupOffsets,
    groupMembers,
    memberY,
    groupBin: groups.groupBin,
    binSeconds: groups.binSeconds,
    memberOffsets,
    groupsOf,
    homeOf: options.homeOf ?? null,
    minDays,
    dayOffset: options.dayOffsetSeconds ?? 0,
  };
}

/** Distinct encounter partners of every person (weights null: each counts once) and their statistics. */
export interface DistinctEncounters {
  lists: PartnerLists;
  /** equal to partnerStats(lists, ses, centre) */
  stats: PersonStats;
}

/** Distinct encounters in the calling thread. */
export function distinctEncounters(groups: CoPresenceGroups, ses: Float64Array, centre: number, options: DistinctOptions = {}): DistinctEncounters {
  const r = distinctOfRange(distinctInputs(groups, ses, centre, options), 0, groups.nPersons, options.onProgress);
  return { lists: { nPersons: groups.nPersons, offsets: r.offsets, partners: r.partners, weights: null }, stats: { n: r.n, sum: r.sum, sumSq: r.sumSq, centre } };
}

interface DistinctTaskArgs {
  nPersons: number;
  binSeconds: number;
  minDays: number;
  dayOffset: number;
  hasHome: boolean;
}

/** Pool task: distinct partners and statistics of persons [task.start, task.end). */
export function distinctRangeTask({ shared, args, task }: TaskContext<DistinctTaskArgs>): RangeResult {
  const d: DistinctInputs = {
    nPersons: args.nPersons,
    groupOffsets: new Int32Array(shared.groupOffsets),
    groupMembers: new Int32Array(shared.groupMembers),
    memberY: new Float64Array(shared.memberY),
    groupBin: new Float64Array(shared.groupBin),
    binSeconds: args.binSeconds,
    memberOffsets: new Int32Array(shared.memberOffsets),
    groupsOf: new Int32Array(shared.groupsOf),
    homeOf: args.hasHome ? new Int32Array(shared.homeOf) : null,
    minDays: args.minDays,
    dayOffset: args.dayOffset,
  };
  const r = distinctOfRange(d, task.start, task.end);
  // a view would send its whole buffer back to the calling thread
  if (r.partners.byteLength !== r.partners.buffer.byteLength) r.partners = r.partners.slice();
  return r;
}

/**
 * distinctEncounters spread over a worker pool: persons are split into contiguous ranges, each counted
 * by the same range function, and the results joined in range order, so they are identical to the
 * serial count for any number of threads. Progress is reported between rounds of tasks.
 */
export async function distinctEncountersParallel(groups: CoPresenceGroups, ses: Float64Array, centre: number, options: DistinctOptions, pool: WorkerPool | null): Promise<DistinctEncounters> {
  if (!pool || pool.threads <= 1) return distinctEncounters(groups, ses, centre, options);
  // the arrays made here go straight to shared memory; the groups' own arrays are copied once
  const memberY = sharedArrays.float64(groups.groupMembers.length);
  const ySources = { memberY: sharedBufferOf(memberY), groupMembers: sharedBufferOf(groups.groupMembers), ses: sharedBufferOf(ses) };
  const filled = pool.run({ moduleUrl: import.meta.url, exportName: 'memberYTask', shared: ySources, args: { centre }, tasks: splitRange(groups.groupMembers.length, pool.threads) });
  filled.catch(() => undefined); // awaited below, once this thread has ordered the groups
  const d = distinctInputs(groups, ses, centre, options, sharedArrays, memberY);
  await filled;
  const n = groups.nPersons;
  const shared: Record<string, SharedArrayBuffer> = {
    groupOffsets: sharedBufferOf(d.groupOffsets),
    groupMembers: sharedBufferOf(d.groupMembers),
    memberY: sharedBufferOf(d.memberY),
    groupBin: sharedBufferOf(d.groupBin),
    memberOffsets: sharedBufferOf(d.memberOffsets),
    groupsOf: sharedBufferOf(d.groupsOf),
  };
  if (d.homeOf) shared.homeOf = sharedBufferOf(d.homeOf);
  const args: DistinctTaskArgs = { nPersons: n, binSeconds: d.binSeconds, minDays: d.minDays, dayOffset: d.dayOffset, hasHome: d.homeOf !== null };
  const tasks = splitRange(n, pool.threads * 8);
  const parts: RangeResult[] = [];
  const round = pool.threads * 2;
  for (let t = 0; t < tasks.length; t += round) {
    const batch = tasks.slice(t, t + round);
    parts.push(...(await pool.run<DistinctTaskArgs, RangeResult>({ moduleUrl: import.meta.url, exportName: 'distinctRangeTask', shared, args, tasks: batch })));
    options.onProgress?.(batch[batch.length - 1].end / n);
  }
  let total = 0;
  for (const part of parts) total += part.partners.length;
  if (total > MAX_ENDPOINTS) throw tooManyEndpoints(total);
  // in shared memory: the high-partner counts are made from them on the pool too
  const offsets = sharedArrays.int32(n + 1);
  const partners = sharedArrays.int32(total);
  const stats: PersonStats = { n: new Float64Array(n), sum: new Float64Array(n), sumSq: new Float64Array(n), centre };
  let w = 0;
  tasks.forEach((task, k) => {
    const part = parts[k];
    partners.set(part.partners, w);
    for (let i = task.start; i < task.end; i++) offsets[i + 1] = w + part.offsets[i - task.start + 1];
    stats.n.set(part.n, task.start);
    stats.sum.set(part.sum, task.start);
    stats.sumSq.set(part.sumSq, task.start);
    w += part.partners.length;
  });
  return { lists: { nPersons: n, offsets, partners, weights: null }, stats };
}
