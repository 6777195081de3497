/**
 * bench/threads: a whole `mobiseg run` (default options: distinct encounters, bootstrap 200, places and
 * communities) with --threads 1 against --threads 2, same input, same bytes out.
 *   node --import tsx bench/threads.ts [--every 1 | --city DIR] [--rounds 3] [--threads 1,2]
 * The input is the calibration sweep city (one simulated MSA per published MSA; `--every 1`: all 382,
 * about 1.0 M persons and 187 M visit-bins, generated once by `mobiseg calibrate --every K` into
 * bench/work/threads-every-K/city and reused), or any folder holding persons, visits and places tables
 * (`--city`, e.g. /tmp/thr-cal/city from `calibrate --every 8`). The CLI is compiled first (tsc), then
 * run from dist/ like an installed `mobiseg`: in rounds, each round running every thread count once in
 * a fresh process under /usr/bin/time -v (wall time, CPU time, peak resident set), the order alternating
 * between rounds. After every run the output folder is compared with that of the first thread count:
 * every file byte for byte (msa.csv, county.csv, places.csv, communities*.csv, comparison.csv,
 * person-stats.arrow), manifest.json but its timings, creation time and thread count; report.html shows
 * the manifest's timings, so it is not compared. Prints two Markdown tables: medians per thread count
 * with the ratio of wall times, and the medians of the manifest's stage timings.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../src/math/stats.js';
import { parseTimeV, type TimeV } from './time-v.js';

const args = process.argv.slice(2);
function option(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
}

const root = join(import.meta.dirname, '..');
const work = join(root, 'bench', 'work');
const rounds = Number(option('rounds', '3'));
const threadCounts = option('threads', '1,2').split(',').map(Number);
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

/** The input tables of a city folder: persons, visits and places in the first format found. */
function cityTables(dir: string): { persons: string; visits: string; places: string } {
  for (const ext of ['arrow', 'parquet', 'csv']) {
    const t = { persons: join(dir, `persons.${ext}`), visits: join(dir, `visits.${ext}`), places: join(dir, `places.${ext}`) };
    if (Object.values(t).every((f) => existsSync(f))) return t;
  }
  throw new Error(`${dir}: no persons, visits and places tables (.arrow, .parquet or .csv)`);
}

type Measured = TimeV;

/** Run a command under /usr/bin/time -v; its wall time, CPU time (user + system) and peak RSS. */
async function measure(command: string[]): Promise<Measured> {
  const child = spawn('/usr/bin/time', ['-v', ...command], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((res) => child.on('close', res));
  if (status !== 0) throw new Error(`${command.join(' ')} failed (${status}):\n${stderr}`);
  return parseTimeV(stderr);
}

/** manifest.json without what may differ between thread counts: timings, creation time, --threads. */
function comparableManifest(out: string): string {
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  delete m.timings;
  delete m.created;
  delete m.options.threads;
  return JSON.stringify(m);
}

/** The files of `out` that differ from those of `reference` (report.html aside: it shows the timings). */
function differences(reference: string, out: string): string[] {
  const names = new Set([...readdirSync(reference), ...readdirSync(out)].filter((f) => f !== 'report.html' && f !== 'manifest.json'));
  const bad: string[] = [];
  for (const f of [...names].sort()) {
    const a = join(reference, f);
    const b = join(out, f);
    if (!existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b))) bad.push(f);
  }
  if (comparableManifest(reference) !== comparableManifest(out)) bad.push('manifest.json');
  return bad;
}

console.error('bench/threads: compiling the CLI (tsc -p tsconfig.json)');
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });

// the input: a given city folder, or the sweep city of calibrate --every K (made once)
let cityDir: string;
let label: string;
if (args.includes('--city')) {
  cityDir = resolve(option('city', ''));
  label = cityDir;
} else {
  const every = Number(option('every', '1'));
  const calibration = join(work, `threads-every-${every}`);
  cityDir = join(calibration, 'city');
  label = `calibrate --every ${every} sweep city`;
  if (!existsSync(join(cityDir, 'visits.arrow'))) {
    console.error(`bench/threads: generating the sweep city into ${cityDir} (mobiseg calibrate --every ${every})`);
    mkdirSync(calibration, { recursive: true });
    execFileSync(process.execPath, [cli, 'calibrate', '--out', calibration, '--every', String(every), '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
}
const tables = cityTables(cityDir);
console.error(`bench/threads: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ${label}; ${rounds} rounds of --threads ${threadCounts.join(', ')}`);

const runs = new Map<number, Measured[]>(threadCounts.map((t) => [t, []]));
const stages = new Map<number, Array<Record<string, number>>>(threadCounts.map((t) => [t, []]));
const outOf = (t: number) => join(work, `threads-out-${t}`);
let counts: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? threadCounts : [...threadCounts].reverse();
  for (const t of order) {
    const out = outOf(t);
    const m = await measure([process.execPath, cli, 'run', '--persons', tables.persons, '--visits', tables.visits, '--places', tables.places, '--out', out, '--threads', String(t), '--quiet']);
    runs.get(t)!.push(m);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    stages.get(t)!.push(manifest.timings);
    counts = manifest.counts;
    console.error(`round ${r + 1}, --threads ${t}: ${m.seconds.toFixed(1)} s, ${m.cpuSeconds.toFixed(1)} s CPU, ${m.peakGiB.toFixed(2)} GiB`);
  }
  for (const t of threadCounts.slice(1)) {
    const bad = differences(outOf(threadCounts[0]), outOf(t));
    if (bad.length > 0) throw new Error(`--threads ${t} wrote other bytes than --threads ${threadCounts[0]}: ${bad.join(', ')}`);
  }
}

const med = (t: number, pick: (m: Measured) => number) => median(Float64Array.from(runs.get(t)!, pick));
const base = med(threadCounts[0], (m) => m.seconds);
const f = (x: number, d = 1) => x.toFixed(d);
console.log(`${label}: ${(counts.persons ?? 0).toLocaleString('en-US')} persons, ${(counts.visit_bins ?? 0).toLocaleString('en-US')} visit-bins, ${(counts.encounter_endpoints ?? 0).toLocaleString('en-US')} encounter endpoints; medians of ${rounds} alternating runs; outputs byte-identical across thread counts\n`);
console.log(`| --threads | wall | CPU | peak RSS | wall ratio to --threads ${threadCounts[0]} |`);
console.log('|---|---|---|---|---|');
for (const t of threadCounts) {
  const wall = med(t, (m) => m.seconds);
  console.log(`| ${t} | ${f(wall)} s | ${f(med(t, (m) => m.cpuSeconds))} s | ${f(med(t, (m) => m.peakGiB), 2)} GiB | ${f(base / wall, 2)} |`);
}
const stageNames = [...new Set(threadCounts.flatMap((t) => stages.get(t)!.flatMap((s) => Object.keys(s))))];
console.log(`\n| stage (manifest timings, s) | ${threadCounts.map((t) => `--threads ${t}`).join(' | ')} |`);
console.log(`|---|${threadCounts.map(() => '---').join('|')}|`);
for (const s of stageNames) {
  const cells = threadCounts.map((t) => {
    const v = stages.get(t)!.map((x) => x[s]).filter((x) => x !== undefined);
    return v.length === 0 ? '' : f(median(Float64Array.from(v)), 2);
  });
  console.log(`| ${s} | ${cells.join(' | ')} |`);
}
