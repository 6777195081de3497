/**
 * bench/scale: the in-memory path against the SQL route (DuckDB) on the same Parquet files, side by side.
 *   node --import tsx bench/scale.ts [--visits 1000000,10000000] [--threads 2] [--memory-limit 8GB] [--modes distinct,weighted]
 * For each size, persons and visits are generated once into bench/work/scale-<visits>/ (Parquet, as a
 * warehouse exports them): 1 person per 10 visits in 10 MSAs and 50 counties, households of 2, 1 place
 * per 200 visits with Zipf(0.8) popularity, daytime starts over 14 days in time order, each visit one
 * 5-minute bin (the paper's consolidated pings), so visits = visit-bins.
 * Then, each in a fresh process under /usr/bin/time -v (wall time, CPU time, peak resident set):
 *   in memory:  mobiseg run --persons P --visits V --bootstrap 0 --skip-places --threads T
 *   DuckDB:     mobiseg stats --engine duckdb --persons P --visits V --out stats.parquet --threads T --memory-limit M
 *   from stats: mobiseg run --person-stats stats.parquet --bootstrap 0
 * and checks that both routes counted the same encounter endpoints. With --spill-limit 1GB, DuckDB runs
 * once more per size and mode under that memory limit (so that it spills), with the largest size of its
 * spill folder, and must give the same table to the bit. Prints Markdown tables.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { columnTable } from '../src/io/column-table.js';
import { writeTable } from '../src/io/table-writer.js';
import { loadPersonStats } from '../src/io/load-person-stats.js';
import { createRng } from '../src/math/random.js';
import { zipfSampler } from './zipf.js';

function listOption(name: string, fallback: string): string[] {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return (i < 0 ? fallback : args[i + 1]).split(',');
}

const sizes = listOption('visits', '1000000,10000000').map(Number);
const threads = listOption('threads', '2')[0];
const memoryLimit = listOption('memory-limit', '8GB')[0];
const modes = listOption('modes', 'distinct,weighted');
const spillLimit = process.argv.includes('--spill-limit') ? listOption('spill-limit', '1GB')[0] : null;
const root = join(import.meta.dirname, '..');
const work = join(root, 'bench', 'work');

/** persons.parquet and visits.parquet with n visits (made once per size). */
async function inputs(n: number): Promise<{ persons: string; visits: string }> {
  const dir = join(work, `scale-${n}`);
  const persons = join(dir, 'persons.parquet');
  const visits = join(dir, 'visits.parquet');
  if (existsSync(persons) && existsSync(visits)) return { persons, visits };
  mkdirSync(dir, { recursive: true });
  const rng = createRng(20231);
  const nPersons = Math.floor(n / 10);
  const nPlaces = Math.max(1, Math.floor(n / 200));
  const ses = new Float64Array(nPersons);
  const msa: string[] = [];
  const county = new Float64Array(nPersons);
  const home = new Float64Array(nPersons);
  for (let i = 0; i < nPersons; i++) {
    const c = rng.int(50);
    county[i] = 90001 + c;
    msa.push(`Metro ${String.fromCharCode(65 + (c % 10))}, XX`);
    // lognormal rents, sorted a little by county
    ses[i] = Math.round(100 * Math.exp(7 + 0.01 * c + 0.5 * Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()))) / 100;
    home[i] = Math.floor(i / 2);
  }
  await writeTable(
    persons,
    columnTable([
      { name: 'person_id', values: Int32Array.from({ length: nPersons }, (_, i) => i + 1) },
      { name: 'ses', values: ses },
      { name: 'msa', values: msa },
      { name: 'county_fips', values: Int32Array.from(county) },
      { name: 'home_id', values: Int32Array.from(home) },
    ]),
    'parquet',
  );
  const placeOf = zipfSampler(nPlaces, 0.8);
  const start = new Float64Array(n);
  for (let k = 0; k < n; k++) start[k] = 1_546_819_200 + rng.int(14) * 86400 + 8 * 3600 + rng.int(14 * 3600);
  start.sort();
  const person = new Int32Array(n);
  const place = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    person[k] = 1 + rng.int(nPersons);
    place[k] = placeOf(rng.next()) + 1;
  }
  await writeTable(visits, columnTable([{ name: 'person_id', values: person }, { name: 'place_id', values: place }, { name: 'start', values: start }]), 'parquet');
  return { persons, visits };
}

interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakGiB: number;
  stdout: string;
}

/** Bytes under a folder (0 when it is gone). */
function folderBytes(dir: string): number {
  let total = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) total += statSync(join(e.parentPath, e.name)).size;
  } catch {
    // a file removed while listed, or the folder itself gone: counted as far as it went
  }
  return total;
}

/** Run the mobiseg CLI in a fresh process under /usr/bin/time -v; with `watch`, the largest size of that folder meanwhile. */
async function measure(args: string[], watch?: string): Promise<Measured & { watchedGiB: number }> {
  const child = spawn('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let watched = 0;
  const timer = watch ? setInterval(() => (watched = Math.max(watched, folderBytes(watch))), 500) : undefined;
  const status = await new Promise<number | null>((res) => child.on('close', res));
  if (timer) clearInterval(timer);
  if (status !== 0) throw new Error(`mobiseg ${args.join(' ')} failed (${status}):\n${stderr}`);
  const field = (label: string) => {
    const m = new RegExp(`${label}: (.+)`).exec(stderr);
    if (!m) throw new Error(`no "${label}" in /usr/bin/time output`);
    return m[1].trim();
  };
  const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').map(Number);
  return {
    seconds: wall.reduce((a, b) => a * 60 + b, 0),
    cpuSeconds: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    peakGiB: Number(field('Maximum resident set size \\(kbytes\\)')) / 2 ** 20,
    stdout,
    watchedGiB: watched / 2 ** 30,
  };
}

const rows: string[] = [];
const spillRows: string[] = [];
console.error(`bench/scale: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, threads ${threads}, DuckDB --memory-limit ${memoryLimit}`);
for (const n of sizes) {
  const { persons, visits } = await inputs(n);
  for (const mode of modes) {
    const out = join(work, `scale-${n}`, `out-${mode}`);
    const statsFile = join(work, `scale-${n}`, `stats-${mode}.parquet`);
    const inMemory = await measure(['run', '--persons', persons, '--visits', visits, '--out', out, '--mode', mode, '--bootstrap', '0', '--skip-places', '--threads', threads, '--quiet', '--json']);
    const duck = await measure(['stats', '--engine', 'duckdb', '--persons', persons, '--visits', visits, '--out', statsFile, '--mode', mode, '--threads', threads, '--memory-limit', memoryLimit, '--temp-dir', work, '--quiet', '--json']);
    const fromStats = await measure(['run', '--person-stats', statsFile, '--out', `${out}-from-stats`, '--bootstrap', '0', '--threads', threads, '--quiet']);
    const memEndpoints = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).counts.encounter_endpoints as number;
    const duckEndpoints = JSON.parse(duck.stdout).counts.encounter_endpoints as number;
    if (memEndpoints !== duckEndpoints) throw new Error(`endpoints differ: in memory ${memEndpoints}, DuckDB ${duckEndpoints}`);
    const f = (x: number, d = 1) => x.toFixed(d);
    rows.push(
      `| ${n.toExponential(0).replace('e+', 'e')} | ${mode} | ${memEndpoints.toLocaleString('en-US')} | ${f(inMemory.seconds)} s, ${f(inMemory.cpuSeconds)} s CPU, ${f(inMemory.peakGiB, 2)} GiB | ` +
        `${f(duck.seconds)} s, ${f(duck.cpuSeconds)} s CPU, ${f(duck.peakGiB, 2)} GiB | ${f(duck.seconds / inMemory.seconds, 2)} | ${f(fromStats.seconds)} s, ${f(fromStats.peakGiB, 2)} GiB |`,
    );
    console.error(rows[rows.length - 1]);
    if (spillLimit) {
      const spillDir = join(work, `spill-${n}-${mode}`);
      mkdirSync(spillDir, { recursive: true });
      const spilled = join(work, `scale-${n}`, `stats-${mode}-spilled.parquet`);
      const s = await measure(['stats', '--engine', 'duckdb', '--persons', persons, '--visits', visits, '--out', spilled, '--mode', mode, '--threads', threads, '--memory-limit', spillLimit, '--temp-dir', spillDir, '--quiet'], spillDir);
      const x = await loadPersonStats(statsFile);
      const y = await loadPersonStats(spilled);
      const identical = x.n.every((v, i) => v === y.n[i]) && x.centred!.sum.every((v, i) => v === y.centred!.sum[i]) && x.centred!.sumSq.every((v, i) => v === y.centred!.sumSq[i]);
      if (!identical) throw new Error(`the table made under --memory-limit ${spillLimit} differs from the one made under ${memoryLimit}`);
      spillRows.push(`| ${n.toExponential(0).replace('e+', 'e')} | ${mode} | ${spillLimit} | ${f(s.seconds)} s, ${f(s.cpuSeconds)} s CPU | ${f(s.peakGiB, 2)} GiB | ${f(s.watchedGiB, 2)} GiB | identical |`);
      console.error(spillRows[spillRows.length - 1]);
    }
  }
}
console.log('| visit-bins | mode | encounter endpoints | in memory: `run` (time, CPU, peak RSS) | DuckDB: `stats` (time, CPU, peak RSS) | DuckDB / in memory (time) | `run --person-stats` |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (spillRows.length > 0) {
  console.log('\n| visit-bins | mode | DuckDB --memory-limit | time | peak RSS | spill folder at its largest | table vs the run above |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of spillRows) console.log(r);
}
