/**
 * bench/ingest: visits per second from file into the CSR person-place graph, with peak memory.
 *   node --import tsx bench/ingest.ts [--rows 10000000] [--repeats 5] [--only csv-str,parquet-str]
 * Generates persons (1 per 10 visits) and visits with integer and string ids, writes them as Arrow
 * IPC, CSV and Parquet (and Arrow and Parquet with int64 ids, Parquet with dictionary-encoded string
 * ids, CSV with string ids ordered by person) under bench/work/, then times
 * each (format, id kind) in a fresh process: loadVisits + buildBipartiteGraph, in rounds (every input once per round, rotated order), with the
 * median time, the process's peak RSS, the fresh memory the timed part touched (its growth of the resident
 * set) and the median of the per-round ratios to Arrow integer ids. The machine's memory scan speed
 * (summing a 1 GiB Float64Array), its random cache-line cost (in 64 MB and 8 MB, the sizes of the person
 * and place slot tables) and its first-touch rate of fresh memory (page faults) are measured in the same
 * run as yardsticks: fresh memory / first-touch rate is a floor under an input's time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { columnTable } from '../src/io/column-table.js';
import { writeTable } from '../src/io/table-writer.js';
import { loadPersons } from '../src/io/load-persons.js';
import { loadVisits } from '../src/io/load-visits.js';
import { IdIndex } from '../src/io/id-index.js';
import { buildBipartiteGraph } from '../src/graph/bipartite.js';
import { createRng } from '../src/math/random.js';
import { benchOption } from './options.js';
import { firstTouchGBps, memoryScanGBps, randomLineNs } from './yardstick.js';

const args = process.argv.slice(2);
const work = join(import.meta.dirname, 'work');

async function child(persons: string, visits: string): Promise<void> {
  const p = await loadPersons(persons);
  const places = new IdIndex();
  // start the peak-RSS count here (Linux: writing 5 to clear_refs resets VmHWM), so that the persons
  // load does not set it
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux, or not allowed: the peak then includes the persons load
  }
  const rssBefore = procStatusBytes('VmRSS');
  const t0 = performance.now();
  const v = await loadVisits(visits, p.ids, places, { placesFixed: false });
  const g = buildBipartiteGraph(v.chunks, p.count, places.size);
  const seconds = (performance.now() - t0) / 1000;
  const rss = peakRssBytes();
  // memory the timed part touched for the first time (its growth of the resident set); 0 off Linux
  const fresh = rssBefore > 0 ? procStatusBytes('VmHWM') - rssBefore : 0;
  process.stdout.write(JSON.stringify({ rows: g.nVisits, seconds, rss, fresh }) + '\n');
}

/** A size field of /proc/self/status (VmRSS, VmHWM) in bytes; 0 where there is no /proc (not Linux). */
function procStatusBytes(field: string): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return 0;
}

/**
 * Peak resident memory of this process: VmHWM from /proc (Linux). getrusage's maxRSS is not used: Linux
 * carries the parent's high-water mark across fork + exec, so a child of a large parent reports the parent's.
 */
function peakRssBytes(): number {
  return procStatusBytes('VmHWM') || process.resourceUsage().maxRSS * 1024;
}

/** The bench's visits (seeded): integer ids 1.., one person per 10 visits and one place per 100, random order. */
function visitData(rows: number) {
  const nPersons = Math.max(10, Math.floor(rows / 10));
  const nPlaces = Math.max(10, Math.floor(rows / 100));
  const rng = createRng(1);
  const personInt = new Int32Array(rows);
  const placeInt = new Int32Array(rows);
  const start = new Float64Array(rows);
  const end = new Float64Array(rows);
  for (let k = 0; k < rows; k++) {
    personInt[k] = 1 + rng.int(nPersons);
    placeInt[k] = 1 + rng.int(nPlaces);
    start[k] = 1_546_819_200 + rng.int(14 * 86400);
    end[k] = start[k] + 300 + rng.int(3600);
  }
  return { nPersons, personInt, placeInt, start, end, rng };
}

type BenchVisits = ReturnType<typeof visitData>;

/** The same ids as text: `person-123`, `place-45`. */
function stringIds(v: BenchVisits): { person: string[]; place: string[] } {
  return { person: Array.from(v.personInt, (i) => `person-${i}`), place: Array.from(v.placeInt, (i) => `place-${i}`) };
}

async function generate(rows: number): Promise<void> {
  mkdirSync(work, { recursive: true });
  const v = visitData(rows);
  const { nPersons, personInt, placeInt, start, end, rng } = v;
  const text = stringIds(v);
  const ids = Int32Array.from({ length: nPersons }, (_, i) => i + 1);
  const ses = Float64Array.from({ length: nPersons }, () => 500 + rng.int(3000));
  const personsInt = columnTable([{ name: 'person_id', values: ids }, { name: 'ses', values: ses }]);
  const personsStr = columnTable([{ name: 'person_id', values: Array.from(ids, (i) => `person-${i}`) }, { name: 'ses', values: ses }]);
  const visitsInt = columnTable([
    { name: 'person_id', values: personInt },
    { name: 'place_id', values: placeInt },
    { name: 'start', values: start },
    { name: 'end', values: end },
  ]);
  const visitsStr = columnTable([
    { name: 'person_id', values: text.person },
    { name: 'place_id', values: text.place },
    { name: 'start', values: start },
    { name: 'end', values: end },
  ]);
  await writeTable(join(work, 'persons-int.arrow'), personsInt, 'arrow');
  await writeTable(join(work, 'persons-str.arrow'), personsStr, 'arrow');
  for (const format of ['arrow', 'csv', 'parquet'] as const) {
    await writeTable(join(work, `visits-int.${format}`), visitsInt, format);
    await writeTable(join(work, `visits-str.${format}`), visitsStr, format);
  }
  writeBatchedArrow(join(work, 'visits-int-batched.arrow'), personInt, placeInt, start, end);
  writeDictionaryParquet(v, text);
  writeInt64Inputs(v);
  await writeVisitsByPerson(v, text);
}

/**
 * The string-id visits ordered by person, and by start within a person: the layout of a device-ordered
 * export (a panel written device by device), where a person's id repeats on consecutive rows.
 */
async function writeVisitsByPerson(v: BenchVisits, text: { person: string[]; place: string[] }): Promise<void> {
  const { personInt, start } = v;
  const n = personInt.length;
  // a stable counting sort by person, then insertion sort by start within each person's rows
  const offsets = new Int32Array(v.nPersons + 2);
  for (let k = 0; k < n; k++) offsets[personInt[k] + 1]++;
  for (let i = 0; i <= v.nPersons; i++) offsets[i + 1] += offsets[i];
  const order = new Int32Array(n);
  const cursor = offsets.slice();
  for (let k = 0; k < n; k++) order[cursor[personInt[k]]++] = k;
  for (let i = 1; i <= v.nPersons; i++) {
    for (let a = offsets[i] + 1; a < offsets[i + 1]; a++) {
      const row = order[a];
      let b = a - 1;
      for (; b >= offsets[i] && start[order[b]] > start[row]; b--) order[b + 1] = order[b];
      order[b + 1] = row;
    }
  }
  const visits = columnTable([
    { name: 'person_id', values: Array.from(order, (k) => text.person[k]) },
    { name: 'place_id', values: Array.from(order, (k) => text.place[k]) },
    { name: 'start', values: Float64Array.from(order, (k) => start[k]) },
    { name: 'end', values: Float64Array.from(order, (k) => v.end[k]) },
  ]);
  await writeTable(join(work, 'visits-str-by-person.csv'), visits, 'csv');
}

/** The integer-id visits with int64 ids (what pandas and pyarrow write), as Arrow IPC and Parquet. */
function writeInt64Inputs({ personInt, placeInt, start, end }: BenchVisits): void {
  const person = BigInt64Array.from(personInt, (v) => BigInt(v));
  const place = BigInt64Array.from(placeInt, (v) => BigInt(v));
  writeFileSync(join(work, 'visits-int64.arrow'), tableToIPC(new Table({ person_id: makeVector(person), place_id: makeVector(place), start: makeVector(start), end: makeVector(end) }), 'file'));
  const columnData = [
    { name: 'person_id', data: person, type: 'INT64', nullable: false },
    { name: 'place_id', data: place, type: 'INT64', nullable: false },
    { name: 'start', data: start, type: 'DOUBLE', nullable: false },
    { name: 'end', data: end, type: 'DOUBLE', nullable: false },
  ];
  writeFileSync(join(work, 'visits-int64.parquet'), new Uint8Array(parquetWriteBuffer({ columnData } as never)));
}

/**
 * The string-id visits as Parquet with dictionary-encoded ids in row groups of 2^20 rows (what pyarrow
 * writes by default), beside the PLAIN file of the project's writer.
 */
function writeDictionaryParquet({ start, end }: BenchVisits, text: { person: string[]; place: string[] }): void {
  const columnData = [
    { name: 'person_id', data: text.person, type: 'STRING', encoding: 'RLE_DICTIONARY' },
    { name: 'place_id', data: text.place, type: 'STRING', encoding: 'RLE_DICTIONARY' },
    { name: 'start', data: start, type: 'DOUBLE', nullable: false },
    { name: 'end', data: end, type: 'DOUBLE', nullable: false },
  ];
  writeFileSync(join(work, 'visits-str-dict.parquet'), new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 1 << 20 } as never)));
}

/** The integer-id visits as an Arrow IPC file of 65,536-row record batches (Feather's default chunk size). */
function writeBatchedArrow(path: string, person: Int32Array, place: Int32Array, start: Float64Array, end: Float64Array): void {
  const batches = [];
  for (let a = 0; a < person.length; a += 65_536) {
    const b = Math.min(person.length, a + 65_536);
    const slice = new Table({ person_id: makeVector(person.subarray(a, b)), place_id: makeVector(place.subarray(a, b)), start: makeVector(start.subarray(a, b)), end: makeVector(end.subarray(a, b)) });
    batches.push(...slice.batches);
  }
  writeFileSync(path, tableToIPC(new Table(batches), 'file'));
}

async function mainBench(): Promise<void> {
  const rows = benchOption('rows', 10_000_000);
  const repeats = benchOption('repeats', 5);
  const marker = join(work, `rows-${rows}`);
  if (!existsSync(marker) || !existsSync(join(work, 'visits-int-batched.arrow'))) {
    console.error(`generating ${rows} visits in ${work} ...`);
    // the files are about to be overwritten: a marker of another size would now lie
    if (existsSync(work)) for (const f of readdirSync(work)) if (f.startsWith('rows-')) rmSync(join(work, f));
    await generate(rows);
    execFileSync('touch', [marker]);
  }
  if (!existsSync(join(work, 'visits-str-dict.parquet'))) {
    console.error(`writing ${rows} visits as dictionary-encoded Parquet in ${work} ...`);
    const v = visitData(rows);
    writeDictionaryParquet(v, stringIds(v));
  }
  if (!existsSync(join(work, 'visits-int64.parquet'))) {
    console.error(`writing ${rows} visits with int64 ids in ${work} ...`);
    writeInt64Inputs(visitData(rows));
  }
  if (!existsSync(join(work, 'visits-str-by-person.csv'))) {
    console.error(`writing ${rows} visits ordered by person in ${work} ...`);
    const v = visitData(rows);
    await writeVisitsByPerson(v, stringIds(v));
  }
  const scan = memoryScanGBps();
  // the person and place slot tables of the text-id inputs are 64 MB and 8 MB
  const random64 = randomLineNs(64);
  const random8 = randomLineNs(8);
  const touch = firstTouchGBps();
  // --only format-ids[,...] (e.g. csv-str) times just those inputs (Arrow integer, the yardstick of the
  // ratios, is always timed)
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(['arrow-int', ...args[onlyAt + 1].split(',')]) : null;
  const inputs = ([['arrow', 'int'], ['arrow', 'int-batched'], ['arrow', 'int64'], ['arrow', 'str'], ['csv', 'int'], ['csv', 'str'], ['csv', 'str-by-person'], ['parquet', 'int'], ['parquet', 'int64'], ['parquet', 'str'], ['parquet', 'str-dict']] as const).filter(
    ([format, ids]) => only === null || only.has(`${format}-${ids}`),
  );
  type Run = { rows: number; seconds: number; rss: number; fresh: number };
  const runs: Run[][] = inputs.map(() => []);
  // Rounds: every input once per round, in an order rotated from round to round, so that a slow spell
  // of the VM hits all inputs alike; each input's time is also divided by Arrow integer's time of the
  // same round (the side-by-side ratio), and the median of those ratios is reported.
  for (let r = 0; r < repeats; r++) {
    for (let j = 0; j < inputs.length; j++) {
      const i = (j + r) % inputs.length;
      const [format, ids] = inputs[i];
      const visits = join(work, `visits-${ids}.${format}`);
      const persons = join(work, `persons-${ids.startsWith('str') ? 'str' : 'int'}.arrow`);
      const out = execFileSync(process.execPath, ['--max-old-space-size=16000', '--import', 'tsx', import.meta.filename, '--child', persons, visits], { encoding: 'utf8' });
      runs[i].push(JSON.parse(out.trim().split('\n').pop()!));
    }
    console.error(`round ${r + 1}/${repeats}: ${inputs.map(([f, ids], i) => `${f}-${ids} ${runs[i][r].seconds.toFixed(2)} s`).join(', ')}`);
  }
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const arrowInt = runs[0];
  const results = inputs.map(([format, ids], i) => {
    const seconds = median(runs[i].map((x) => x.seconds));
    const rss = Math.max(...runs[i].map((x) => x.rss));
    const rows = runs[i][0].rows;
    const ratios = runs[i].map((x, r) => x.seconds / arrowInt[r].seconds);
    const bytes = statSync(join(work, `visits-${ids}.${format}`)).size;
    const fresh = median(runs[i].map((x) => x.fresh));
    return `| ${format}${ids === 'int-batched' ? ' (65,536-row batches)' : ids === 'str-dict' ? ' (dictionary-encoded ids, 2^20-row groups)' : ids === 'int64' ? ' (int64 ids)' : ids === 'str-by-person' ? ' (rows ordered by person)' : ''} | ${ids.startsWith('str') ? 'string' : 'integer'} | ${(bytes / 1e6).toFixed(0)} MB | ${seconds.toFixed(2)} | ${(rows / seconds / 1e6).toFixed(2)} M | ${(bytes / 1e9 / seconds).toFixed(3)} | ${(bytes / 1e9 / seconds / scan).toFixed(4)} | ${(rss / 2 ** 30).toFixed(2)} GiB | ${(fresh / 1e9).toFixed(2)} GB, ${(fresh / 1e9 / touch).toFixed(2)} s | ${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}) |`;
  });
  console.log(`Machine: ${cpus()[0].model}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log(`Memory scan yardstick (sum of a 1 GiB Float64Array, median of 5): ${scan.toFixed(2)} GB/s`);
  console.log(`Random access yardstick (independent random cache lines, median of 5): ${random64.toFixed(1)} ns per line in 64 MB, ${random8.toFixed(1)} ns in 8 MB`);
  console.log(`First-touch yardstick (first write to each 4 KiB page of a fresh 256 MiB array, median of 5): ${touch.toFixed(2)} GB/s`);
  console.log(`Visits: ${rows} rows, ${Math.floor(rows / 10)} persons, ${Math.floor(rows / 100)} places; ${repeats} rounds of every input, each run a fresh process (read + validate + CSR build, one core); medians over the rounds.`);
  console.log('');
  console.log('| format | ids | file | seconds | visits/s | file GB/s | ratio to memory scan | peak RSS | fresh memory touched, and its first-touch time at the yardstick | × Arrow integer seconds, same round: median (range) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) console.log(r);
}

if (args[0] === '--child') await child(args[1], args[2]);
else await mainBench();
