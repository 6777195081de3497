/**
 * Benchmark: the bounded place projection (src/graph/place-projection.ts) and Louvain
 * (src/measures/communities.ts, graphology-communities-louvain) on a synthetic area of 100,000 places
 * with planted communities.
 *
 *   npx tsx bench/louvain.ts [--places 100000] [--community-size 100] [--persons 400000]
 *                            [--visits 8] [--heavy 100] [--heavy-places 1000] [--k 20] [--runs 3]
 *                            [--out bench/work/louvain.md]
 *
 * Data (seeded): places in planted groups of `community-size`; each ordinary person belongs to one
 * group and makes `visits` visits, each to a place of its group with probability 0.9, else to a
 * uniformly random place; `heavy` persons each visit `heavy-places` random places (above the degree cap
 * of 200, so they are sampled down). One area.
 * Timing: median of `runs` for the projection (k = 20, cap 200) and for Louvain on the projection
 * (graph construction + graphology Louvain + renumbering), plus our modularity of the result and of the
 * planted partition, and the whole analysePlaces once (metrics, projection, Louvain, encounters, tables).
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { buildBipartiteGraph } from '../src/graph/bipartite.js';
import { buildCoPresenceGroups } from '../src/encounters/groups.js';
import { buildPlaceProjection } from '../src/graph/place-projection.js';
import { analysePlaces, louvainPartition, modularity } from '../src/measures/communities.js';
import { createRng } from '../src/math/random.js';
import { median } from '../src/math/stats.js';

interface Options {
  places: number;
  communitySize: number;
  persons: number;
  visits: number;
  heavy: number;
  heavyPlaces: number;
  k: number;
  runs: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { places: 100_000, communitySize: 100, persons: 400_000, visits: 8, heavy: 100, heavyPlaces: 1000, k: 20, runs: 3, out: 'bench/work/louvain.md' };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof Options;
    if (!(key in o)) throw new Error(`unknown option ${argv[i]}`);
    (o as unknown as Record<string, unknown>)[key] = key === 'out' ? argv[i + 1] : Number(argv[i + 1]);
  }
  return o;
}

function seconds(t0: number): number {
  return (performance.now() - t0) / 1000;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const rng = createRng('bench-louvain');
  const nGroups = Math.ceil(o.places / o.communitySize);
  const nPersons = o.persons + o.heavy;
  const m = o.persons * o.visits + o.heavy * o.heavyPlaces;
  const person = new Int32Array(m);
  const place = new Int32Array(m);
  const start = new Float64Array(m);
  let r = 0;
  for (let i = 0; i < o.persons; i++) {
    const group = i % nGroups;
    const first = group * o.communitySize;
    const size = Math.min(o.communitySize, o.places - first);
    for (let v = 0; v < o.visits; v++) {
      person[r] = i;
      place[r] = rng.next() < 0.9 ? first + rng.int(size) : rng.int(o.places);
      start[r++] = rng.int(7 * 86400);
    }
  }
  for (let h = 0; h < o.heavy; h++) {
    for (let v = 0; v < o.heavyPlaces; v++) {
      person[r] = o.persons + h;
      place[r] = rng.int(o.places);
      start[r++] = rng.int(7 * 86400);
    }
  }
  const ses = Float64Array.from({ length: nPersons }, (_, i) => (i < o.persons ? (i % nGroups) / nGroups + 0.1 * rng.normal() : rng.next()));
  let t0 = performance.now();
  const g = buildBipartiteGraph({ person, place, start, end: new Float64Array(m).fill(NaN) }, nPersons, o.places);
  const tGraph = seconds(t0);
  const area = new Int32Array(o.places);

  const projTimes: number[] = [];
  let proj = buildPlaceProjection(g, area, { k: o.k, seed: 1 });
  for (let run = 0; run < o.runs; run++) {
    t0 = performance.now();
    proj = buildPlaceProjection(g, area, { k: o.k, seed: 1 });
    projTimes.push(seconds(t0));
  }
  let sampled = 0;
  for (let i = 0; i < nPersons; i++) sampled += proj.sampled[i];
  const places = Int32Array.from({ length: o.places }, (_, q) => q);
  const louvainTimes: number[] = [];
  let part = louvainPartition(proj, places, createRng(0).next);
  for (let run = 0; run < o.runs; run++) {
    t0 = performance.now();
    part = louvainPartition(proj, places, createRng(run).next);
    louvainTimes.push(seconds(t0));
  }
  const q = modularity(proj, places, part.community, part.count);
  const plantedCommunity = Int32Array.from(places, (p) => Math.floor(p / o.communitySize));
  const qPlanted = modularity(proj, places, plantedCommunity, nGroups);
  // share of planted groups found whole in one community
  let whole = 0;
  for (let c = 0; c < nGroups; c++) {
    const first = c * o.communitySize;
    let same = true;
    for (let p = first + 1; p < Math.min(first + o.communitySize, o.places); p++) if (part.community[p] !== part.community[first]) same = false;
    if (same) whole++;
  }

  t0 = performance.now();
  const groups = buildCoPresenceGroups(g, 300);
  const tGroups = seconds(t0);
  t0 = performance.now();
  const full = analysePlaces(g, groups, { ses }, { ids: Float64Array.from(places) }, { binSeconds: 300, seed: 1, projectionK: o.k });
  const tFull = seconds(t0);
  const shareWithin = full.areaSummary.columns.find((c) => c.name === 'share_within')!.values[0] as number;

  const mem = process.memoryUsage();
  const cpuModel = cpus()[0]?.model ?? 'unknown';
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    /* keep os.cpus() */
  }
  const fmt = (x: number) => x.toFixed(2);
  const lines = [
    '# Place projection and Louvain benchmark (bench/louvain.ts)',
    '',
    `Run ${new Date().toISOString()}: \`npx tsx bench/louvain.ts ${process.argv.slice(2).join(' ')}\``,
    '',
    `Machine: nproc ${nproc}, ${cpuModel}, Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (shared, loaded),`,
    `memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free at the end; peak-ish RSS ${(mem.rss / 2 ** 20).toFixed(0)} MiB.`,
    '',
    `Data: ${o.places.toLocaleString('en-US')} places in ${nGroups.toLocaleString('en-US')} planted groups of ${o.communitySize}; ${o.persons.toLocaleString('en-US')} persons x ${o.visits} visits`,
    `(90% in their group) + ${o.heavy} heavy persons x ${o.heavyPlaces} random places; ${m.toLocaleString('en-US')} visits. Graph build ${fmt(tGraph)} s.`,
    '',
    '| step | median of ' + o.runs + ' (s) | runs (s) |',
    '|---|---|---|',
    `| projection (k = ${o.k}, cap ${proj.maxPersonPlaces}) | ${fmt(median(projTimes))} | ${projTimes.map(fmt).join(', ')} |`,
    `| Louvain (graphology graph + louvain.detailed) | ${fmt(median(louvainTimes))} | ${louvainTimes.map(fmt).join(', ')} |`,
    `| projection + Louvain | ${fmt(median(projTimes) + median(louvainTimes))} | |`,
    '',
    `Projection: ${proj.nEdges.toLocaleString('en-US')} edges (bound k x places = ${(o.k * o.places).toLocaleString('en-US')}), ${sampled} persons sampled down to ${proj.maxPersonPlaces} places.`,
    `Louvain: ${part.count.toLocaleString('en-US')} communities, modularity ${q.toFixed(4)} (graphology reports ${part.louvainModularity.toFixed(4)}; the planted partition has ${qPlanted.toFixed(4)});`,
    `${whole} of ${nGroups} planted groups found whole in one community.`,
    '',
    `Whole analysePlaces once (place metrics, projection, Louvain, participation, encounters within communities, tables): ${fmt(tFull)} s`,
    `(co-presence groups built beforehand in ${fmt(tGroups)} s, ${groups.nGroups.toLocaleString('en-US')} groups); share_within = ${shareWithin.toFixed(4)}.`,
    '',
  ];
  writeFileSync(o.out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

main();
