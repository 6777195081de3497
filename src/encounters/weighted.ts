/**
 * `weighted` counting (SPEC section 2): every co-presence (pair, place, bin) counts once. For a group of
 * c distinct persons with centred SES sum S and sum of squares Q, member i gains
 *   n_i += c - 1,  sum_i += S - y_i,  sumSq_i += Q - y_i^2
 * in O(group size): no pair is ever materialised. With same-home exclusion the members' own household
 * (its count, sum and sum of squares within the group) is subtracted instead of i alone.
 */
import type { CoPresenceGroups } from './groups.js';
import { emptyPersonStats, type PersonStats } from './person-stats.js';

export function weightedPersonStats(groups: CoPresenceGroups, ses: Float64Array, centre: number, homeOf: Int32Array | null = null): PersonStats {
  const { groupOffsets, groupMembers } = groups;
  const household = homeOf === null ? null : new HouseholdSums(homeOf);
  // n, sum and sumSq of person i at acc[3i .. 3i + 2]: one cache line per update instead of three
  const acc = new Float64Array(3 * groups.nPersons);
  for (let g = 0; g < groups.nGroups; g++) {
    const a = groupOffsets[g];
    const b = groupOffsets[g + 1];
    let S = 0;
    let Q = 0;
    for (let k = a; k < b; k++) {
      const y = ses[groupMembers[k]] - centre;
      S += y;
      Q += y * y;
    }
    const c = b - a;
    if (household === null) {
      for (let k = a; k < b; k++) {
        const i = groupMembers[k];
        const y = ses[i] - centre;
        const x = 3 * i;
        acc[x] += c - 1;
        acc[x + 1] += S - y;
        acc[x + 2] += Q - y * y;
      }
    } else {
      household.collect(groupMembers, a, b, ses, centre, g);
      for (let k = a; k < b; k++) {
        const i = groupMembers[k];
        const [hc, hs, hq] = household.own(i, ses[i] - centre);
        const x = 3 * i;
        acc[x] += c - hc;
        acc[x + 1] += S - hs;
        acc[x + 2] += Q - hq;
      }
    }
  }
  const out = emptyPersonStats(groups.nPersons, centre);
  for (let i = 0; i < groups.nPersons; i++) {
    out.n[i] = acc[3 * i];
    out.sum[i] = acc[3 * i + 1];
    out.sumSq[i] = acc[3 * i + 2];
  }
  return out;
}

/**
 * Per group, the count, sum and sum of squares of each household's members (stamped by group, so no
 * clearing). A person without a household (code -1) is a household of one.
 */
export class HouseholdSums {
  private readonly stamp: Int32Array;
  private readonly count: Float64Array;
  private readonly sum: Float64Array;
  private readonly sq: Float64Array;
  private readonly result: [number, number, number] = [0, 0, 0];
  constructor(private readonly homeOf: Int32Array) {
    let maxHome = -1;
    for (let i = 0; i < homeOf.length; i++) if (homeOf[i] > maxHome) maxHome = homeOf[i];
    this.stamp = new Int32Array(maxHome + 1).fill(-1);
    this.count = new Float64Array(maxHome + 1);
    this.sum = new Float64Array(maxHome + 1);
    this.sq = new Float64Array(maxHome + 1);
  }
  collect(members: Int32Array, a: number, b: number, ses: Float64Array, centre: number, g: number): void {
    for (let k = a; k < b; k++) {
      const i = members[k];
      const h = this.homeOf[i];
      if (h < 0) continue;
      const y = ses[i] - centre;
      if (this.stamp[h] !== g) {
        this.stamp[h] = g;
        this.count[h] = 0;
        this.sum[h] = 0;
        this.sq[h] = 0;
      }
      this.count[h] += 1;
      this.sum[h] += y;
      this.sq[h] += y * y;
    }
  }
  /** [count, sum, sumSq] of i's household in the current group (i alone without a household). */
  own(i: number, y: number): [number, number, number] {
    const h = this.homeOf[i];
    const r = this.result;
    if (h < 0) {
      r[0] = 1;
      r[1] = y;
      r[2] = y * y;
    } else {
      r[0] = this.count[h];
      r[1] = this.sum[h];
      r[2] = this.sq[h];
    }
    return r;
  }
}

/**
 * For each person with a finite threshold t_i, the number of co-presence endpoints whose partner has
 * SES >= t_i (weighted mode; same-home partners excluded when homeOf is given). Per group the members'
 * SES are sorted once and each member's count found by binary search: O(c log c) per group.
 */
export function weightedHighCounts(groups: CoPresenceGroups, ses: Float64Array, threshold: Float64Array, homeOf: Int32Array | null = null): Float64Array {
  const out = new Float64Array(groups.nPersons);
  const { groupOffsets, groupMembers } = groups;
  let sorted = new Float64Array(64);
  for (let g = 0; g < groups.nGroups; g++) {
    const a = groupOffsets[g];
    const b = groupOffsets[g + 1];
    const c = b - a;
    if (sorted.length < c) sorted = new Float64Array(c * 2);
    const view = sorted.subarray(0, c);
    for (let k = a; k < b; k++) view[k - a] = ses[groupMembers[k]];
    view.sort();
    for (let k = a; k < b; k++) {
      const i = groupMembers[k];
      const t = threshold[i];
      if (Number.isNaN(t)) continue;
      // members with SES >= t: c - (first index with value >= t)
      let lo = 0;
      let hi = c;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (view[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      let high = c - lo;
      if (homeOf === null || homeOf[i] < 0) {
        if (ses[i] >= t) high -= 1;
      } else {
        const h = homeOf[i];
        for (let kk = a; kk < b; kk++) {
          const j = groupMembers[kk];
          if (homeOf[j] === h && ses[j] >= t) high -= 1; // includes i itself
        }
      }
      out[i] += high;
    }
  }
  return out;
}
