/**
 * bench/bridging: permutations of the bridging-index null per second, against encounter endpoints.
 *   node --import tsx bench/bridging.ts [--persons 100000] [--endpoints 10000000] [--permutations 1000]
 * One area of `persons` persons (all in the area), each with endpoints/persons distinct partners
 * (symmetric pairs, 70% within the own SES half), as in distinct mode. Times the permutation test on
 * 1 thread and on 2 worker threads (same seed: the results must be identical), median of 3 runs.
 */
import { cpus, totalmem } from 'node:os';
import { areaEndpointsFromPartners, bridgingPermutationTest } from '../src/measures/bridging-permutation.js';
import { areaMedianSes } from '../src/measures/bridging.js';
import { WorkerPool } from '../src/parallel/pool.js';
import { createRng } from '../src/math/random.js';
import { benchOption } from './options.js';
import { countingOffsets } from '../src/graph/bipartite.js';
import { memoryScanGBps } from './yardstick.js';

const nPersons = benchOption('persons', 100_000);
const nEndpoints = benchOption('endpoints', 10_000_000);
const K = benchOption('permutations', 1000);
const repeats = benchOption('repeats', 3);

const rng = createRng(3);
const nPairs = Math.floor(nEndpoints / 2);
const from = new Int32Array(2 * nPairs);
const to = new Int32Array(2 * nPairs);
const half = nPersons / 2;
for (let p = 0; p < nPairs; p++) {
  const i = rng.int(nPersons);
  const same = rng.next() < 0.7;
  const lowSide = i < half === same;
  let j = lowSide ? rng.int(half) : half + rng.int(half);
  if (j === i) j = (j + 1) % nPersons;
  from[2 * p] = i;
  to[2 * p] = j;
  from[2 * p + 1] = j;
  to[2 * p + 1] = i;
}
const offsets = countingOffsets(from, nPersons);
const cursor = offsets.slice(0, nPersons);
const partners = new Int32Array(from.length);
for (let e = 0; e < from.length; e++) partners[cursor[from[e]]++] = to[e];
const ses = Float64Array.from({ length: nPersons }, (_, i) => i + rng.next());
const fitted = Int32Array.from({ length: nPersons }, (_, i) => i);
const g = areaEndpointsFromPartners(fitted, ses, { nPersons, offsets, partners, weights: null }, areaMedianSes(fitted, ses));

async function timed(threads: number) {
  const times: number[] = [];
  let result;
  for (let r = 0; r < repeats; r++) {
    const pool = threads > 1 ? new WorkerPool(threads) : null;
    const t0 = performance.now();
    result = await bridgingPermutationTest(g, { permutations: K, seed: 1, areaKey: 'bench', pool });
    times.push((performance.now() - t0) / 1000);
    await pool?.close();
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], result: result! };
}

const one = await timed(1);
const two = await timed(2);
if (JSON.stringify(one.result) !== JSON.stringify(two.result)) throw new Error('1 and 2 threads disagree');
console.log(`Machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; median of ${repeats}`);
console.log(`Area: ${nPersons} persons, ${partners.length} encounter endpoints (distinct), ${K} permutations; p = ${one.result.pValue.toFixed(4)}, null BI [${one.result.biNullLow.toFixed(4)}, ${one.result.biNullHigh.toFixed(4)}] (identical on 1 and 2 threads)`);
console.log('');
const scan = memoryScanGBps();
console.log(`Memory scan yardstick (same run): ${scan.toFixed(2)} GB/s. Each endpoint evaluation reads a 4-byte partner index (and a 1-byte flag).`);
console.log('');
console.log('| threads | seconds | permutations/s | endpoint evaluations/s | partner-index bytes/s vs memory scan |');
console.log('|---|---|---|---|---|');
for (const [t, r] of [[1, one], [2, two]] as const) {
  const rate = (K * partners.length) / r.seconds;
  console.log(`| ${t} | ${r.seconds.toFixed(2)} | ${(K / r.seconds).toFixed(1)} | ${(rate / 1e6).toFixed(0)} M | ${((rate * 4) / 1e9 / scan).toFixed(2)} |`);
}
