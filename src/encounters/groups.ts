/**
 * Co-presence groups (SPEC section 2): time is cut into bins of `binSeconds`, bin = floor(t / bin); a
 * visit occupies every bin its [start, end) interval touches (only the bin of start without an end).
 * A group is the set of distinct persons at one place in one bin. Groups are built with two stable
 * counting sorts of the (place, bin, person) entries (by bin, then by place), so they come out ordered
 * by place and, within a place, by bin; a person counted twice in a group (overlapping visits) is kept
 * once, and groups of a single person (no encounter) are not kept.
 */
import type { BipartiteGraph } from '../graph/bipartite.js';

export interface CoPresenceGroups {
  nPersons: number;
  nGroups: number;
  /** members of group g: groupMembers[groupOffsets[g] .. groupOffsets[g + 1]) (distinct persons) */
  groupOffsets: Int32Array;
  groupMembers: Int32Array;
  groupPlace: Int32Array;
  /** bin index = floor(t / binSeconds), as a double (epoch bins exceed int32 for small bins) */
  groupBin: Float64Array;
  binSeconds: number;
  /** entries before de-duplication (visit-bins) */
  nEntries: number;
}

/** First and last bin touched by [start, end): last = max(first, ceil(end / bin) - 1). */
export function visitBins(start: number, end: number, binSeconds: number): [number, number] {
  const first = Math.floor(start / binSeconds);
  if (Number.isNaN(end)) return [first, first];
  const last = Math.max(first, Math.ceil(end / binSeconds) - 1);
  return [first, last];
}

/** Largest bin range a counting sort may allocate (Int32Array counts: 4 bytes a bin). */
const MAX_BIN_RANGE = 64_000_000;

export function buildCoPresenceGroups(g: BipartiteGraph, binSeconds: number): CoPresenceGroups {
  if (!(binSeconds > 0)) throw new RangeError(`bin must be positive, got ${binSeconds}`);
  const m = g.nVisits;
  // 1. count entries and find the bin range
  let nEntries = 0;
  let minBin = Infinity;
  let maxBin = -Infinity;
  for (let r = 0; r < m; r++) {
    const [a, b] = visitBins(g.placeStart[r], g.placeEnd[r], binSeconds);
    nEntries += b - a + 1;
    if (a < minBin) minBin = a;
    if (b > maxBin) maxBin = b;
  }
  if (nEntries > 2 ** 31 - 1) throw new RangeError(`${nEntries} visit-bins exceed what one run holds; use a larger --bin or split the input`);
  const range = m === 0 ? 1 : maxBin - minBin + 1;
  if (range > MAX_BIN_RANGE) throw new RangeError(`visits span ${range} bins of ${binSeconds} s (more than ${MAX_BIN_RANGE}); check the times or use a larger --bin`);

  // 2. expand visits to entries in place order (place-side CSR order), with bins relative to minBin
  const ePlace = new Int32Array(nEntries);
  const eBin = new Int32Array(nEntries);
  const ePerson = new Int32Array(nEntries);
  let k = 0;
  for (let q = 0; q < g.nPlaces; q++) {
    for (let r = g.placeOffsets[q]; r < g.placeOffsets[q + 1]; r++) {
      const [a, b] = visitBins(g.placeStart[r], g.placeEnd[r], binSeconds);
      const p = g.placePerson[r];
      for (let t = a; t <= b; t++) {
        ePlace[k] = q;
        eBin[k] = t - minBin;
        ePerson[k] = p;
        k++;
      }
    }
  }
  // 3. stable counting sort by bin, then by place: entries ordered by (place, bin)
  const byBin = new Int32Array(range + 1);
  for (let i = 0; i < nEntries; i++) byBin[eBin[i] + 1]++;
  for (let t = 0; t < range; t++) byBin[t + 1] += byBin[t];
  const order = new Int32Array(nEntries);
  for (let i = 0; i < nEntries; i++) order[byBin[eBin[i]]++] = i;
  const byPlace = new Int32Array(g.nPlaces + 1);
  for (let i = 0; i < nEntries; i++) byPlace[ePlace[i] + 1]++;
  for (let q = 0; q < g.nPlaces; q++) byPlace[q + 1] += byPlace[q];
  const sorted = new Int32Array(nEntries);
  for (let j = 0; j < nEntries; j++) {
    const i = order[j];
    sorted[byPlace[ePlace[i]]++] = i;
  }
  // 4. scan runs of equal (place, bin); keep each person once per group; drop groups of one person
  //    (they hold no encounter). `run` numbers every run, kept or not, so stamps never collide.
  const lastRunOf = new Int32Array(g.nPersons).fill(-1);
  const groupOffsets = new Int32Array(nEntries + 1);
  const groupMembers = new Int32Array(nEntries);
  const groupPlace = new Int32Array(nEntries);
  const groupBin = new Float64Array(nEntries);
  let nGroups = 0;
  let w = 0;
  let j = 0;
  let run = 0;
  while (j < nEntries) {
    const i0 = sorted[j];
    const q = ePlace[i0];
    const t = eBin[i0];
    const from = w;
    while (j < nEntries) {
      const i = sorted[j];
      if (ePlace[i] !== q || eBin[i] !== t) break;
      const p = ePerson[i];
      if (lastRunOf[p] !== run) {
        lastRunOf[p] = run;
        groupMembers[w++] = p;
      }
      j++;
    }
    run++;
    if (w - from < 2) {
      w = from;
      continue;
    }
    groupOffsets[nGroups] = from;
    groupPlace[nGroups] = q;
    groupBin[nGroups] = t + minBin;
    nGroups++;
  }
  groupOffsets[nGroups] = w;
  return {
    nPersons: g.nPersons,
    nGroups,
    groupOffsets: groupOffsets.slice(0, nGroups + 1),
    groupMembers: groupMembers.slice(0, w),
    groupPlace: groupPlace.slice(0, nGroups),
    groupBin: groupBin.slice(0, nGroups),
    binSeconds,
    nEntries,
  };
}
