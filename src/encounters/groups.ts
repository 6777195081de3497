/**
 * Co-presence groups (SPEC section 2): time is cut into bins of `binSeconds`, bin = floor(t / bin); a
 * visit occupies every bin its [start, end) interval touches (only the bin of start without an end).
 * A group is the set of distinct persons at one place in one bin. The (bin, person) entries of each
 * place are sorted by bin locally: nothing to do when a place's visits are already in time order (logs
 * usually are), else a counting sort over the place's bin range when it is dense, or a sort of packed
 * numeric keys when it is sparse. Groups come out ordered by place and, within a place, by bin; a person
 * counted twice in a group (overlapping visits) is kept once, and groups of a single person (no
 * encounter) are not kept.
 */
import type { BipartiteGraph } from '../graph/bipartite.js';
import { InputError } from '../io/errors.js';
import { heapArrays, type ArrayAllocator } from '../parallel/pool.js';

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
  return [first, lastBin(first, end, binSeconds)];
}

function lastBin(first: number, end: number, binSeconds: number): number {
  if (Number.isNaN(end)) return first;
  const last = Math.ceil(end / binSeconds) - 1;
  return last > first ? last : first;
}

/** Largest bin range allowed (bins are stored relative to the first bin, as int32). */
const MAX_BIN_RANGE = 2 ** 31 - 2;

/** The visits' time span at this bin size is more bins than a run indexes: an input and --bin problem, not a bug. */
function tooManyBins(bins: number, binSeconds: number): InputError {
  return new InputError(`the visits span ${bins} bins of --bin ${binSeconds} s, more than one run indexes (2^31 - 1): check the start and end times, or use a larger --bin`);
}

/** The groups of a graph (module comment); their arrays come from `alloc` (shared memory for pool workers). */
export function buildCoPresenceGroups(g: BipartiteGraph, binSeconds: number, alloc: ArrayAllocator = heapArrays): CoPresenceGroups {
  if (!(binSeconds > 0)) throw new RangeError(`bin must be positive, got ${binSeconds}`);
  // 1. expand each place's visits into (bin, person) entries, assuming one bin per visit (records of
  //    consolidated pings); a visit spanning several bins sends us to the general path below.
  const entries = expandSingleBins(g, binSeconds) ?? expandIntervals(g, binSeconds);
  const { entryOffsets, eBin, minBin } = entries;
  // the single-bin path shares the graph's placePerson: copy it before the first in-place sort
  let ePerson = entries.ePerson;
  let ownsPersons = ePerson !== g.placePerson;
  const nEntries = entryOffsets[g.nPlaces];

  // 2. sort each place's entries by bin (nothing to do when they are already in time order)
  const sorter = new SegmentSorter();
  for (let q = 0; q < g.nPlaces; q++) {
    const from = entryOffsets[q];
    const to = entryOffsets[q + 1];
    let lo = Infinity;
    let hi = -Infinity;
    let sorted = true;
    for (let k = from; k < to; k++) {
      const t = eBin[k];
      if (k > from && t < eBin[k - 1]) sorted = false;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    if (!sorted) {
      if (!ownsPersons) {
        ePerson = ePerson.slice();
        ownsPersons = true;
      }
      sorter.sort(eBin, ePerson, from, to, lo, hi);
    }
  }

  // 3. scan runs of equal bin within each place; keep each person once per group; drop groups of one
  //    person (they hold no encounter). `run` numbers every run, kept or not, so stamps never collide.
  //    A kept group has at least two members, each from an entry of its own, so there are at most
  //    nEntries / 2 groups. Members are compacted into the entries' person array itself when this
  //    function owns it (the write position never passes the read position).
  const lastRunOf = new Int32Array(g.nPersons).fill(-1);
  const maxGroups = nEntries >>> 1;
  const groupOffsets = new Int32Array(maxGroups + 1);
  const groupMembers = ownsPersons ? ePerson : new Int32Array(nEntries);
  const groupPlace = new Int32Array(maxGroups);
  const groupBin = new Float64Array(maxGroups);
  let nGroups = 0;
  let w = 0;
  let run = 0;
  for (let q = 0; q < g.nPlaces; q++) {
    let j = entryOffsets[q];
    const end = entryOffsets[q + 1];
    while (j < end) {
      const t = eBin[j];
      if (j + 1 === end || eBin[j + 1] !== t) {
        j++; // a run of one entry: no encounter, and no need to touch lastRunOf
        continue;
      }
      const from = w;
      while (j < end && eBin[j] === t) {
        const p = ePerson[j];
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
  }
  groupOffsets[nGroups] = w;
  return {
    nPersons: g.nPersons,
    nGroups,
    // per-group arrays are copied to their size (nGroups is usually far below the entry count they were
    // allocated for); the members stay a view of the entry-sized buffer (w is close to it), unless they
    // must be moved to shared memory anyway
    groupOffsets: copyInto(alloc.int32(nGroups + 1), groupOffsets),
    groupMembers: alloc === heapArrays ? groupMembers.subarray(0, w) : copyInto(alloc.int32(w), groupMembers),
    groupPlace: copyInto(alloc.int32(nGroups), groupPlace),
    groupBin: copyInto(alloc.float64(nGroups), groupBin),
    binSeconds,
    nEntries,
  };
}

/** `out` filled with the first out.length values of `from`. */
function copyInto<T extends Int32Array | Float64Array>(out: T, from: T): T {
  out.set(from.subarray(0, out.length) as never);
  return out;
}

interface Entries {
  entryOffsets: Int32Array;
  /** bin - minBin of each entry */
  eBin: Int32Array;
  ePerson: Int32Array;
  minBin: number;
}

function binRange(g: BipartiteGraph, binSeconds: number): { minBin: number; maxBin: number } {
  let minBin = Infinity;
  let maxBin = -Infinity;
  for (let r = 0; r < g.nVisits; r++) {
    const a = Math.floor(g.placeTimes[2 * r] / binSeconds);
    if (a < minBin) minBin = a;
    const b = lastBin(a, g.placeTimes[2 * r + 1], binSeconds);
    if (b > maxBin) maxBin = b;
  }
  if (g.nVisits > 0 && maxBin - minBin > MAX_BIN_RANGE) throw tooManyBins(maxBin - minBin + 1, binSeconds);
  return { minBin: g.nVisits > 0 ? minBin : 0, maxBin };
}

/** One entry per visit, in place-side order; null as soon as a visit touches a second bin. */
function expandSingleBins(g: BipartiteGraph, binSeconds: number): Entries | null {
  const m = g.nVisits;
  const { placeTimes, placePerson } = g;
  const eBin = new Int32Array(m);
  let minBin = Infinity;
  let maxBin = -Infinity;
  for (let r = 0; r < m; r++) {
    const a = Math.floor(placeTimes[2 * r] / binSeconds);
    const e = placeTimes[2 * r + 1];
    if (!Number.isNaN(e) && lastBin(a, e, binSeconds) !== a) return null;
    if (a < minBin) minBin = a;
    if (a > maxBin) maxBin = a;
  }
  if (m === 0) minBin = maxBin = 0;
  if (maxBin - minBin > MAX_BIN_RANGE) throw tooManyBins(maxBin - minBin + 1, binSeconds);
  for (let r = 0; r < m; r++) eBin[r] = Math.floor(placeTimes[2 * r] / binSeconds) - minBin;
  return { entryOffsets: g.placeOffsets, eBin, ePerson: placePerson, minBin };
}

/** Entries for visits that span several bins: count per place, then expand. */
function expandIntervals(g: BipartiteGraph, binSeconds: number): Entries {
  const { placeTimes, placePerson, placeOffsets } = g;
  const { minBin } = binRange(g, binSeconds);
  const entryOffsets = new Int32Array(g.nPlaces + 1);
  for (let q = 0; q < g.nPlaces; q++) {
    let c = 0;
    for (let r = placeOffsets[q]; r < placeOffsets[q + 1]; r++) {
      const a = Math.floor(placeTimes[2 * r] / binSeconds);
      c += lastBin(a, placeTimes[2 * r + 1], binSeconds) - a + 1;
    }
    entryOffsets[q + 1] = entryOffsets[q] + c;
    if (entryOffsets[q + 1] > 2 ** 31 - 1 || entryOffsets[q + 1] < entryOffsets[q]) {
      throw new InputError(`the visits touch more than 2^31 - 1 visit-bins (a visit counts once per bin of --bin ${binSeconds} s it touches), more than one run holds: use a larger --bin or split the input`);
    }
  }
  const n = entryOffsets[g.nPlaces];
  const eBin = new Int32Array(n);
  const ePerson = new Int32Array(n);
  let k = 0;
  for (let r = 0; r < g.nVisits; r++) {
    const a = Math.floor(placeTimes[2 * r] / binSeconds);
    const b = lastBin(a, placeTimes[2 * r + 1], binSeconds);
    const p = placePerson[r];
    for (let t = a; t <= b; t++) {
      eBin[k] = t - minBin;
      ePerson[k] = p;
      k++;
    }
  }
  return { entryOffsets, eBin, ePerson, minBin };
}

/**
 * Stable sort of one place's entries [from, to) by bin, carrying the person along. Dense bin ranges
 * (range <= 4 x entries) use a counting sort; sparse ones sort packed keys bin * n + position, exact
 * because bin * n < 2^53 there.
 */
class SegmentSorter {
  private counts = new Int32Array(0);
  private bins = new Int32Array(0);
  private persons = new Int32Array(0);
  private keys = new Float64Array(0);

  sort(eBin: Int32Array, ePerson: Int32Array, from: number, to: number, lo: number, hi: number): void {
    const n = to - from;
    if (this.bins.length < n) {
      this.bins = new Int32Array(n);
      this.persons = new Int32Array(n);
    }
    const range = hi - lo + 1;
    if (range <= 4 * n + 64) {
      if (this.counts.length < range + 1) this.counts = new Int32Array(range + 1);
      const counts = this.counts;
      counts.fill(0, 0, range + 1);
      for (let k = from; k < to; k++) counts[eBin[k] - lo + 1]++;
      for (let t = 0; t < range; t++) counts[t + 1] += counts[t];
      for (let k = from; k < to; k++) {
        const pos = counts[eBin[k] - lo]++;
        this.bins[pos] = eBin[k];
        this.persons[pos] = ePerson[k];
      }
    } else {
      if (this.keys.length < n) this.keys = new Float64Array(n);
      const keys = this.keys.subarray(0, n);
      for (let k = 0; k < n; k++) keys[k] = (eBin[from + k] - lo) * n + k;
      keys.sort();
      for (let k = 0; k < n; k++) {
        const pos = keys[k] % n;
        this.bins[k] = eBin[from + pos];
        this.persons[k] = ePerson[from + pos];
      }
    }
    eBin.set(this.bins.subarray(0, n), from);
    ePerson.set(this.persons.subarray(0, n), from);
  }
}
