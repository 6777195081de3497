/**
 * Cross-SES co-presences per place (SPEC section 8): at each place, the co-presences (a pair of persons
 * at the place in one bin, SPEC section 2) of a low-SES person with a high-SES partner, by the bridging
 * index's median split of the low person's area (SPEC section 4):
 *
 *   cross_q = sum over groups g at q of  sum_{i in g, ses_i < t_i}  #{ j in g, j != i : ses_j >= t_i }
 *
 * with t_i the median SES of i's area (NaN: i is in no estimated area and counts as nobody's low person).
 * A pair of two low persons of different areas can count twice (once from each side), as in P_obs.
 * Groups are small (a place's visitors in one bin), so each low member scans its group: O(sum c_g^2).
 * Groups above 64 members sort their SES once and binary-search instead.
 */
import type { CoPresenceGroups } from '../encounters/groups.js';

const SCAN_LIMIT = 64;

export function placeCrossCopresences(groups: CoPresenceGroups, ses: Float64Array, thresholds: Float64Array, nPlaces: number): Float64Array {
  const out = new Float64Array(nPlaces);
  const { groupOffsets, groupMembers, groupPlace } = groups;
  let sorted = new Float64Array(0);
  for (let g = 0; g < groups.nGroups; g++) {
    const a = groupOffsets[g];
    const b = groupOffsets[g + 1];
    const c = b - a;
    let count = 0;
    if (c <= SCAN_LIMIT) {
      for (let k = a; k < b; k++) {
        const i = groupMembers[k];
        const t = thresholds[i];
        if (!(ses[i] < t)) continue; // not low, or NaN threshold
        for (let l = a; l < b; l++) if (ses[groupMembers[l]] >= t) count++; // i itself is below t
      }
    } else {
      if (sorted.length < c) sorted = new Float64Array(c);
      const view = sorted.subarray(0, c);
      for (let k = 0; k < c; k++) view[k] = ses[groupMembers[a + k]];
      view.sort();
      for (let k = a; k < b; k++) {
        const i = groupMembers[k];
        const t = thresholds[i];
        if (!(ses[i] < t)) continue;
        count += c - lowerBound(view, t);
      }
    }
    out[groupPlace[g]] += count;
  }
  return out;
}

/** First index k with v[k] >= x in an ascending array (v.length when none). */
function lowerBound(v: Float64Array, x: number): number {
  let lo = 0;
  let hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
