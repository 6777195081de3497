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
import { heapArrays, sharedArrays, sharedBufferOf, splitByOffsets, type ArrayAllocator, type TaskContext, type WorkerPool } from '../parallel/pool.js';

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
  const nEntries = entryOffsets[g.nPlaces];
  // 2. sort each place's entries by bin; the single-bin path shares the graph's placePerson, which is
  //    copied before the first in-place sort
  const ePerson = sortPlacesByBin(entryOffsets, eBin, entries.ePerson, g.nPlaces, entries.ePerson === g.placePerson);
  // 3. the groups, compacted into the entries' person array itself when this function owns it
  const ownsPersons = ePerson !== g.placePerson;
  const maxGroups = nEntries >>> 1;
  const out: GroupArrays = {
    groupOffsets: new Int32Array(maxGroups + 1),
    groupMembers: ownsPersons ? ePerson : new Int32Array(nEntries),
    groupPlace: new Int32Array(maxGroups),
    groupBin: new Float64Array(maxGroups),
  };
  const { nGroups, w } = scanGroups(entryOffsets, eBin, ePerson, g.nPlaces, 0, minBin, g.nPersons, out);
  return {
    nPersons: g.nPersons,
    nGroups,
    // per-group arrays are copied to their size (nGroups is usually far below the entry count they were
    // allocated for); the members stay a view of the entry-sized buffer (w is close to it), unless they
    // must be moved to shared memory anyway
    groupOffsets: copyInto(alloc.int32(nGroups + 1), out.groupOffsets),
    groupMembers: alloc === heapArrays ? out.groupMembers.subarray(0, w) : copyInto(alloc.int32(w), out.groupMembers),
    groupPlace: copyInto(alloc.int32(nGroups), out.groupPlace),
    groupBin: copyInto(alloc.float64(nGroups), out.groupBin),
    binSeconds,
    nEntries,
  };
}

/** `out` filled with the first out.length values of `from`. */
function copyInto<T extends Int32Array | Float64Array>(out: T, from: T): T {
  out.set(from.subarray(0, out.length) as never);
  return out;
}

/**
 * Step 2: the entries of places 0 .. nPlaces - 1 of a block (place q's are entryOffsets[q] ..
 * entryOffsets[q + 1] - 1) sorted by bin, place by place (nothing to do when they are already in time
 * order). Returns the person array, copied before the first sort when it belongs to someone else.
 */
function sortPlacesByBin(entryOffsets: Int32Array, eBin: Int32Array, persons: Int32Array, nPlaces: number, borrowed: boolean): Int32Array {
  let ePerson = persons;
  let owned = !borrowed;
  const sorter = new SegmentSorter();
  for (let q = 0; q < nPlaces; q++) {
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
      if (!owned) {
        ePerson = ePerson.slice();
        owned = true;
      }
      sorter.sort(eBin, ePerson, from, to, lo, hi);
    }
  }
  return ePerson;
}

/** The groups' arrays while they are made (sized for the most groups the entries can hold). */
interface GroupArrays {
  groupOffsets: Int32Array;
  groupMembers: Int32Array;
  groupPlace: Int32Array;
  groupBin: Float64Array;
}

/**
 * Step 3: scan runs of equal bin within each place of a block (places firstPlace + q for q < nPlaces,
 * entries sorted by step 2); keep each person once per group; drop groups of one person (they hold no
 * encounter). `run` numbers every run, kept or not, so stamps never collide. A kept group has at least
 * two members, each from an entry of its own, so there are at most entries / 2 groups. Members may be
 * compacted into ePerson itself (the write position never passes the read position).
 */
function scanGroups(entryOffsets: Int32Array, eBin: Int32Array, ePerson: Int32Array, nPlaces: number, firstPlace: number, minBin: number, nPersons: number, out: GroupArrays): { nGroups: number; w: number } {
  const { groupOffsets, groupMembers, groupPlace, groupBin } = out;
  const lastRunOf = new Int32Array(nPersons).fill(-1);
  let nGroups = 0;
  let w = 0;
  let run = 0;
  for (let q = 0; q < nPlaces; q++) {
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
      groupPlace[nGroups] = firstPlace + q;
      groupBin[nGroups] = t + minBin;
      nGroups++;
    }
  }
  groupOffsets[nGroups] = w;
  return { nGroups, w };
}

/** The groups of places [task.start, task.end) (offsets from 0 within the range): one task of the parallel build. */
interface RangeGroups {
  groupOffsets: Int32Array;
  groupMembers: Int32Array;
  groupPlace: Int32Array;
  groupBin: Float64Array;
  nEntries: number;
}

interface GroupTaskArgs {
  nPersons: number;
  nPlaces: number;
  binSeconds: number;
  minBin: number;
}

/**
 * Pool task: steps 1-3 for the places of one range, on the shared place side of the graph: the same
 * expansion, sort and scan as the serial build, place by place, so the range's groups are exactly the
 * serial build's groups of those places.
 */
export function groupsOfPlaceRange({ shared, args, task }: TaskContext<GroupTaskArgs>): RangeGroups {
  const graph = { placeOffsets: new Int32Array(shared.placeOffsets), placePerson: new Int32Array(shared.placePerson), placeTimes: new Float64Array(shared.placeTimes) };
  const { binSeconds, minBin } = args;
  const nq = task.end - task.start;
  const { entryOffsets, eBin, ePerson } = expandPlaceRange(graph, binSeconds, minBin, task.start, task.end);
  const n = entryOffsets[nq];
  sortPlacesByBin(entryOffsets, eBin, ePerson, nq, false);
  const maxGroups = n >>> 1;
  const out: GroupArrays = { groupOffsets: new Int32Array(maxGroups + 1), groupMembers: ePerson, groupPlace: new Int32Array(maxGroups), groupBin: new Float64Array(maxGroups) };
  const { nGroups, w } = scanGroups(entryOffsets, eBin, ePerson, nq, task.start, minBin, args.nPersons, out);
  // only what is kept goes back (a view would send its whole buffer), in shared memory: the calling
  // thread and the workers that join the ranges see it without a copy
  return { groupOffsets: sharedCopy(out.groupOffsets, nGroups + 1), groupMembers: sharedCopy(ePerson, w), groupPlace: sharedCopy(out.groupPlace, nGroups), groupBin: sharedCopy(out.groupBin, nGroups), nEntries: n };
}

function sharedCopy<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const out = (a instanceof Int32Array ? sharedArrays.int32(n) : sharedArrays.float64(n)) as T;
  out.set(a.subarray(0, n) as never);
  return out;
}

/** Where each range's groups and members start in the joined arrays. */
interface JoinArgs {
  groupAt: number[];
  memberAt: number[];
}

/**
 * Pool task: copy the groups of ranges [task.start, task.end) (shared `<k>:offsets`, `<k>:members`,
 * `<k>:place`, `<k>:bin`) into the joined arrays, their offsets shifted by the members before them.
 */
export function joinGroupRanges({ shared, args, task }: TaskContext<JoinArgs>): number {
  const out = { groupOffsets: new Int32Array(shared.groupOffsets), groupMembers: new Int32Array(shared.groupMembers), groupPlace: new Int32Array(shared.groupPlace), groupBin: new Float64Array(shared.groupBin) };
  for (let k = task.start; k < task.end; k++) {
    const range = { groupOffsets: new Int32Array(shared[`${k}:offsets`]), groupMembers: new Int32Array(shared[`${k}:members`]), groupPlace: new Int32Array(shared[`${k}:place`]), groupBin: new Float64Array(shared[`${k}:bin`]) };
    placeGroupRange(out, range, args.groupAt[k], args.memberAt[k]);
  }
  return task.end - task.start;
}

/** Copy one range's groups into the joined arrays at group gAt and member mAt, its offsets shifted by mAt. */
function placeGroupRange(out: GroupArrays, range: GroupArrays, gAt: number, mAt: number): void {
  for (let x = 0; x < range.groupPlace.length; x++) out.groupOffsets[gAt + x] = mAt + range.groupOffsets[x];
  out.groupMembers.set(range.groupMembers, mAt);
  out.groupPlace.set(range.groupPlace, gAt);
  out.groupBin.set(range.groupBin, gAt);
}

/**
 * buildCoPresenceGroups spread over a worker pool: places are split into contiguous ranges of about
 * equal visits, each range's groups made by groupsOfPlaceRange, and the ranges joined in place order
 * into arrays of `alloc`, so the groups are identical to the serial build's for any number of threads.
 * The graph must be in shared memory (built with sharedArrays), or it is copied there once.
 */
export async function buildCoPresenceGroupsParallel(g: BipartiteGraph, binSeconds: number, pool: WorkerPool | null, alloc: ArrayAllocator = sharedArrays): Promise<CoPresenceGroups> {
  if (!pool || pool.threads <= 1) return buildCoPresenceGroups(g, binSeconds, alloc);
  if (!(binSeconds > 0)) throw new RangeError(`bin must be positive, got ${binSeconds}`);
  const { minBin } = binRange(g, binSeconds);
  const shared = { placeOffsets: sharedBufferOf(g.placeOffsets), placePerson: sharedBufferOf(g.placePerson), placeTimes: sharedBufferOf(g.placeTimes) };
  const tasks = splitByOffsets(g.placeOffsets, g.nPlaces, pool.threads * 4);
  const parts = await pool.run<GroupTaskArgs, RangeGroups>({ moduleUrl: import.meta.url, exportName: 'groupsOfPlaceRange', shared, args: { nPersons: g.nPersons, nPlaces: g.nPlaces, binSeconds, minBin }, tasks });
  let nGroups = 0;
  let w = 0;
  let nEntries = 0;
  for (const part of parts) {
    nGroups += part.groupPlace.length;
    w += part.groupMembers.length;
    nEntries += part.nEntries;
  }
  if (nEntries > 2 ** 31 - 1) throw tooManyEntries(binSeconds);
  const out = { groupOffsets: alloc.int32(nGroups + 1), groupMembers: alloc.int32(w), groupPlace: alloc.int32(nGroups), groupBin: alloc.float64(nGroups) };
  const groupAt: number[] = [];
  const memberAt: number[] = [];
  let gAt = 0;
  let mAt = 0;
  for (const part of parts) {
    groupAt.push(gAt);
    memberAt.push(mAt);
    gAt += part.groupPlace.length;
    mAt += part.groupMembers.length;
  }
  if ([out.groupOffsets, out.groupMembers, out.groupPlace, out.groupBin].every((a) => a.buffer instanceof SharedArrayBuffer)) {
    // the ranges are copied into place on the pool (the copy is as large as the groups: 1.5 GB at 10^8
    // visit-bins), each range by one task
    const joinShared: Record<string, SharedArrayBuffer> = { groupOffsets: sharedBufferOf(out.groupOffsets), groupMembers: sharedBufferOf(out.groupMembers), groupPlace: sharedBufferOf(out.groupPlace), groupBin: sharedBufferOf(out.groupBin) };
    parts.forEach((part, k) => {
      joinShared[`${k}:offsets`] = sharedBufferOf(part.groupOffsets);
      joinShared[`${k}:members`] = sharedBufferOf(part.groupMembers);
      joinShared[`${k}:place`] = sharedBufferOf(part.groupPlace);
      joinShared[`${k}:bin`] = sharedBufferOf(part.groupBin);
    });
    await pool.run<JoinArgs, number>({ moduleUrl: import.meta.url, exportName: 'joinGroupRanges', shared: joinShared, args: { groupAt, memberAt }, tasks: parts.map((_, k) => ({ start: k, end: k + 1 })) });
  } else {
    parts.forEach((part, k) => placeGroupRange(out, part, groupAt[k], memberAt[k]));
  }
  out.groupOffsets[nGroups] = w;
  return { nPersons: g.nPersons, nGroups, ...out, binSeconds, nEntries };
}

function tooManyEntries(binSeconds: number): InputError {
  return new InputError(`the visits touch more than 2^31 - 1 visit-bins (a visit counts once per bin of --bin ${binSeconds} s it touches), more than one run holds: use a larger --bin or split the input`);
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
  const { minBin } = binRange(g, binSeconds);
  return { ...expandPlaceRange(g, binSeconds, minBin, 0, g.nPlaces), minBin };
}

/**
 * The (bin - minBin, person) entries of places [qFrom, qTo), place by place in place-side row order, each
 * visit's bins in ascending order; entryOffsets[q - qFrom] is where place q's entries start.
 */
function expandPlaceRange(g: Pick<BipartiteGraph, 'placeOffsets' | 'placePerson' | 'placeTimes'>, binSeconds: number, minBin: number, qFrom: number, qTo: number): Omit<Entries, 'minBin'> {
  const { placeTimes, placePerson, placeOffsets } = g;
  const nq = qTo - qFrom;
  const entryOffsets = new Int32Array(nq + 1);
  for (let q = 0; q < nq; q++) {
    let c = 0;
    for (let r = placeOffsets[qFrom + q]; r < placeOffsets[qFrom + q + 1]; r++) {
      const a = Math.floor(placeTimes[2 * r] / binSeconds);
      c += lastBin(a, placeTimes[2 * r + 1], binSeconds) - a + 1;
    }
    entryOffsets[q + 1] = entryOffsets[q] + c;
    if (entryOffsets[q + 1] > 2 ** 31 - 1 || entryOffsets[q + 1] < entryOffsets[q]) throw tooManyEntries(binSeconds);
  }
  const n = entryOffsets[nq];
  const eBin = new Int32Array(n);
  const ePerson = new Int32Array(n);
  let k = 0;
  for (let r = placeOffsets[qFrom]; r < placeOffsets[qTo]; r++) {
    const a = Math.floor(placeTimes[2 * r] / binSeconds);
    const b = lastBin(a, placeTimes[2 * r + 1], binSeconds);
    const p = placePerson[r];
    for (let t = a; t <= b; t++) {
      eBin[k] = t - minBin;
      ePerson[k] = p;
      k++;
    }
  }
  return { entryOffsets, eBin, ePerson };
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
