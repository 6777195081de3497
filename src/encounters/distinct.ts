/**
 * `distinct` counting (SPEC section 2, the paper's): each unordered pair of persons counts once however
 * often they met. For every person i the groups i belongs to are walked in time order and each partner
 * j is counted the first time it qualifies; "already counted" and the day tally live in per-person
 * stamp arrays (stamp[j] = i), so pairs are de-duplicated without sorting and without pair objects.
 * Filters: minDays (met on at least N distinct local days; day = floor((bin start + dayOffset) / 86400))
 * and same-home exclusion (partners in i's household are skipped).
 */
import type { CoPresenceGroups } from './groups.js';
import { MAX_ENDPOINTS, tooManyEndpoints, type PartnerLists } from './person-stats.js';
import { splitRange, type TaskContext, type WorkerPool } from '../parallel/pool.js';

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
export function personGroupsInTimeOrder(groups: CoPresenceGroups, timeOrder = true): { offsets: Int32Array; groupsOf: Int32Array } {
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
  const offsets = new Int32Array(groups.nPersons + 1);
  for (let k = 0; k < groupMembers.length; k++) offsets[groupMembers[k] + 1]++;
  for (let i = 0; i < groups.nPersons; i++) offsets[i + 1] += offsets[i];
  const cursor = offsets.slice(0, groups.nPersons);
  const groupsOf = new Int32Array(groupMembers.length);
  for (let x = 0; x < nGroups; x++) {
    const g = byTime[x];
    for (let k = groupOffsets[g]; k < groupOffsets[g + 1]; k++) groupsOf[cursor[groupMembers[k]]++] = g;
  }
  return { offsets, groupsOf };
}

/** The arrays the distinct count reads: the groups and each person's memberships. */
interface DistinctInputs {
  nPersons: number;
  groupOffsets: Int32Array;
  groupMembers: Int32Array;
  groupBin: Float64Array;
  binSeconds: number;
  memberOffsets: Int32Array;
  groupsOf: Int32Array;
  homeOf: Int32Array | null;
  minDays: number;
  dayOffset: number;
}

/**
 * Distinct partners of persons [from, to): partners of person from + k are
 * partners[offsets[k] .. offsets[k + 1]). The one implementation behind the serial and parallel counts.
 */
function distinctPartnersOfRange(d: DistinctInputs, from: number, to: number, onProgress?: (fraction: number) => void): { offsets: Int32Array; partners: Int32Array } {
  const { nPersons: n, groupOffsets, groupMembers, groupBin, binSeconds, memberOffsets, groupsOf, homeOf, minDays, dayOffset } = d;
  const stamp = new Int32Array(n).fill(-1);
  const lastDay = minDays > 1 ? new Float64Array(n) : null;
  const days = minDays > 1 ? new Int32Array(n) : null;
  const offsets = new Int32Array(to - from + 1);
  // the output buffer is managed inline (this loop runs once per partner occurrence)
  let out = new Int32Array(Math.max(1024, Math.min(groupMembers.length * 2, 1 << 26)));
  let w = 0;
  for (let i = from; i < to; i++) {
    const home = homeOf === null ? -1 : homeOf[i];
    for (let x = memberOffsets[i]; x < memberOffsets[i + 1]; x++) {
      const g = groupsOf[x];
      const a = groupOffsets[g];
      const b = groupOffsets[g + 1];
      if (w + (b - a) > out.length) {
        if (w + (b - a) > MAX_ENDPOINTS) throw tooManyEndpoints(w + (b - a));
        const grown = new Int32Array(Math.max(out.length * 2, w + (b - a)));
        grown.set(out.subarray(0, w));
        out = grown;
      }
      if (lastDay === null) {
        for (let k = a; k < b; k++) {
          const j = groupMembers[k];
          if (stamp[j] === i || j === i) continue;
          if (home >= 0 && homeOf![j] === home) continue;
          stamp[j] = i;
          out[w++] = j;
        }
        continue;
      }
      const day = Math.floor((groupBin[g] * binSeconds + dayOffset) / 86400);
      for (let k = a; k < b; k++) {
        const j = groupMembers[k];
        if (j === i || (home >= 0 && homeOf![j] === home)) continue;
        if (stamp[j] !== i) {
          stamp[j] = i;
          lastDay[j] = day;
          days![j] = 1;
        } else if (lastDay[j] !== day) {
          lastDay[j] = day;
          if (++days![j] === minDays) out[w++] = j;
        }
      }
    }
    offsets[i - from + 1] = w;
    if (onProgress && ((i - from) & 0xffff) === 0xffff) onProgress((i + 1 - from) / (to - from));
  }
  return { offsets, partners: out.slice(0, w) };
}

function distinctInputs(groups: CoPresenceGroups, options: DistinctOptions): DistinctInputs {
  const minDays = options.minDays ?? 1;
  const { offsets: memberOffsets, groupsOf } = personGroupsInTimeOrder(groups, minDays > 1);
  return {
    nPersons: groups.nPersons,
    groupOffsets: groups.groupOffsets,
    groupMembers: groups.groupMembers,
    groupBin: groups.groupBin,
    binSeconds: groups.binSeconds,
    memberOffsets,
    groupsOf,
    homeOf: options.homeOf ?? null,
    minDays,
    dayOffset: options.dayOffsetSeconds ?? 0,
  };
}

/** Distinct encounter partners of every person (weights null: each partner counts once). */
export function distinctPartners(groups: CoPresenceGroups, options: DistinctOptions = {}): PartnerLists {
  const r = distinctPartnersOfRange(distinctInputs(groups, options), 0, groups.nPersons, options.onProgress);
  return { nPersons: groups.nPersons, offsets: r.offsets, partners: r.partners, weights: null };
}

interface DistinctTaskArgs {
  nPersons: number;
  binSeconds: number;
  minDays: number;
  dayOffset: number;
  hasHome: boolean;
}

/** Pool task: distinct partners of persons [task.start, task.end), as [offsets, partners]. */
export function distinctPartnersTask({ shared, args, task }: TaskContext<DistinctTaskArgs>): [Int32Array, Int32Array] {
  const d: DistinctInputs = {
    nPersons: args.nPersons,
    groupOffsets: new Int32Array(shared.groupOffsets),
    groupMembers: new Int32Array(shared.groupMembers),
    groupBin: new Float64Array(shared.groupBin),
    binSeconds: args.binSeconds,
    memberOffsets: new Int32Array(shared.memberOffsets),
    groupsOf: new Int32Array(shared.groupsOf),
    homeOf: args.hasHome ? new Int32Array(shared.homeOf) : null,
    minDays: args.minDays,
    dayOffset: args.dayOffset,
  };
  const r = distinctPartnersOfRange(d, task.start, task.end);
  return [r.offsets, r.partners];
}

function toShared(a: Int32Array | Float64Array): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(buf).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return buf;
}

/**
 * distinctPartners spread over a worker pool: persons are split into contiguous ranges, each counted by
 * the same range function, and the lists joined in range order, so the result is identical to the serial
 * count for any number of threads. Progress is reported between rounds of tasks.
 */
export async function distinctPartnersParallel(groups: CoPresenceGroups, options: DistinctOptions, pool: WorkerPool | null): Promise<PartnerLists> {
  if (!pool || pool.threads <= 1) return distinctPartners(groups, options);
  const d = distinctInputs(groups, options);
  const n = groups.nPersons;
  const shared: Record<string, SharedArrayBuffer> = {
    groupOffsets: toShared(d.groupOffsets),
    groupMembers: toShared(d.groupMembers),
    groupBin: toShared(d.groupBin),
    memberOffsets: toShared(d.memberOffsets),
    groupsOf: toShared(d.groupsOf),
  };
  if (d.homeOf) shared.homeOf = toShared(d.homeOf);
  const args: DistinctTaskArgs = { nPersons: n, binSeconds: d.binSeconds, minDays: d.minDays, dayOffset: d.dayOffset, hasHome: d.homeOf !== null };
  const tasks = splitRange(n, pool.threads * 8);
  const parts: Array<[Int32Array, Int32Array]> = [];
  const round = pool.threads * 2;
  for (let t = 0; t < tasks.length; t += round) {
    const batch = tasks.slice(t, t + round);
    parts.push(...(await pool.run<DistinctTaskArgs, [Int32Array, Int32Array]>({ moduleUrl: import.meta.url, exportName: 'distinctPartnersTask', shared, args, tasks: batch })));
    options.onProgress?.(batch[batch.length - 1].end / n);
  }
  let total = 0;
  for (const [, p] of parts) total += p.length;
  if (total > MAX_ENDPOINTS) throw tooManyEndpoints(total);
  const offsets = new Int32Array(n + 1);
  const partners = new Int32Array(total);
  let w = 0;
  tasks.forEach((task, k) => {
    const [o, p] = parts[k];
    partners.set(p, w);
    for (let i = task.start; i < task.end; i++) offsets[i + 1] = w + o[i - task.start + 1];
    w += p.length;
  });
  return { nPersons: n, offsets, partners, weights: null };
}
