/**
 * bench/encounters: per-person sufficient statistics from visits, one core.
 *   node --import tsx bench/encounters.ts [--visits 10000000] [--repeats 3] [--dwell 0|1] [--places-per 200]
 * Visits are generated in memory: 1 person per 10 visits, 1 place per `places-per` visits with Zipf(0.8)
 * popularity, daytime starts over 14 days. --dwell 0 (default): records of one 5-minute bin in time
 * order, like the paper's consolidated pings; --dwell 1: [start, end) intervals with exponential dwell
 * (mean 20 min), in random order. Timed stage by stage: CSR graph, co-presence groups (300-s bins),
 * weighted statistics, distinct partners + statistics; reported as visits per second per mode, end to
 * end from the graph (groups + statistics).
 */
import { cpus, totalmem } from 'node:os';
import { buildBipartiteGraph } from '../src/graph/bipartite.js';
import { buildCoPresenceGroups } from '../src/encounters/groups.js';
import { weightedPersonStats } from '../src/encounters/weighted.js';
import { distinctEncounters, distinctEncountersParallel } from '../src/encounters/distinct.js';
import { WorkerPool } from '../src/parallel/pool.js';
import { sesCentre } from '../src/encounters/person-stats.js';
import { createRng } from '../src/math/random.js';
import { benchOption } from './options.js';
import { zipfSampler } from './zipf.js';
import { memoryScanGBps } from './yardstick.js';

const nVisits = benchOption('visits', 10_000_000);
const repeats = benchOption('repeats', 3);
const nPersons = Math.floor(nVisits / 10);
const nPlaces = Math.floor(nVisits / benchOption('places-per', 200));
const dwell = benchOption('dwell', 0) === 1;

const rng = createRng(7);
const placeOf = zipfSampler(nPlaces, 0.8);
const visits = { person: new Int32Array(nVisits), place: new Int32Array(nVisits), start: new Float64Array(nVisits), end: new Float64Array(nVisits) };
for (let k = 0; k < nVisits; k++) {
  visits.person[k] = rng.int(nPersons);
  visits.place[k] = placeOf(rng.next());
  const t = 1_546_819_200 + rng.int(14) * 86400 + 8 * 3600 + rng.int(14 * 3600);
  visits.start[k] = t;
  visits.end[k] = dwell ? t + Math.max(60, -1200 * Math.log(1 - rng.next())) : NaN;
}
if (!dwell) {
  // time order, as logs come
  const order = Array.from({ length: nVisits }, (_, k) => k).sort((x, y) => visits.start[x] - visits.start[y]);
  for (const key of ['person', 'place', 'start'] as const) {
    const src = visits[key].slice();
    for (let k = 0; k < nVisits; k++) visits[key][k] = src[order[k]];
  }
}
const ses = Float64Array.from({ length: nPersons }, () => 500 + rng.next() * 3000);
const centre = sesCentre(ses);

type Row = Record<string, number>;
const rows: Row[] = [];
for (let r = 0; r < repeats; r++) {
  const t0 = performance.now();
  const g = buildBipartiteGraph(visits, nPersons, nPlaces);
  const t1 = performance.now();
  const groups = buildCoPresenceGroups(g, 300);
  const t2 = performance.now();
  const w = weightedPersonStats(groups, ses, centre);
  const t3 = performance.now();
  const { lists, stats: d } = distinctEncounters(groups, ses, centre);
  const t4 = performance.now();
  const pool = new WorkerPool(2);
  const t5 = performance.now();
  const parallel = await distinctEncountersParallel(groups, ses, centre, {}, pool);
  const t6 = performance.now();
  await pool.close();
  if (parallel.lists.partners.length !== lists.partners.length) throw new Error('parallel and serial distinct counts differ');
  let endpointsW = 0;
  for (let i = 0; i < nPersons; i++) endpointsW += w.n[i];
  rows.push({ graph: (t1 - t0) / 1000, groups: (t2 - t1) / 1000, weighted: (t3 - t2) / 1000, distinct: (t4 - t3) / 1000, distinctParallel: (t6 - t5) / 1000, entries: groups.nEntries, nGroups: groups.nGroups, endpointsW, endpointsD: lists.partners.length, check: d.n[0] });
}
const median = (key: string) => rows.map((x) => x[key]).sort((a, b) => a - b)[Math.floor(rows.length / 2)];
const graph = median('graph');
const groupsT = median('groups');
const weighted = median('weighted');
const distinct = median('distinct');
const mps = (s: number) => (nVisits / s / 1e6).toFixed(1);
console.log(`Machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; one core; median of ${repeats}`);
const scan = memoryScanGBps();
// the weighted path reads each visit's person, place and start (16 bytes) at least once
console.log(`Memory scan yardstick (same run): ${scan.toFixed(2)} GB/s; weighted visits→statistics moves ${((nVisits * 16) / 1e9 / (groupsT + weighted)).toFixed(2)} GB/s of visit data = ${((nVisits * 16) / 1e9 / (groupsT + weighted) / scan).toFixed(3)} of it`);
console.log(`Input (${dwell ? 'dwell intervals, random order' : 'single-bin records in time order'}): ${nVisits} visits, ${nPersons} persons, ${nPlaces} places; ${rows[0].entries} visit-bins, ${rows[0].nGroups} co-presence groups, ${rows[0].endpointsW} weighted endpoints, ${rows[0].endpointsD} distinct endpoints`);
console.log('');
console.log('| stage | seconds | visits/s |');
console.log('|---|---|---|');
console.log(`| CSR graph | ${graph.toFixed(3)} | ${mps(graph)} M |`);
console.log(`| co-presence groups (bins of 300 s) | ${groupsT.toFixed(3)} | ${mps(groupsT)} M |`);
console.log(`| weighted statistics | ${weighted.toFixed(3)} | ${mps(weighted)} M |`);
console.log(`| distinct partner lists + statistics | ${distinct.toFixed(3)} | ${mps(distinct)} M |`);
console.log(`| the same on 2 worker threads (identical results; includes starting the workers) | ${median('distinctParallel').toFixed(3)} | ${mps(median('distinctParallel'))} M |`);
console.log(`| **weighted, visits to statistics** (groups + weighted) | ${(groupsT + weighted).toFixed(3)} | **${mps(groupsT + weighted)} M** |`);
console.log(`| **distinct, visits to statistics** (groups + distinct) | ${(groupsT + distinct).toFixed(3)} | **${mps(groupsT + distinct)} M** (ratio to weighted ${((groupsT + distinct) / (groupsT + weighted)).toFixed(2)}) |`);
