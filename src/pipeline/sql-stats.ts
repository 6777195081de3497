/**
 * `mobiseg stats --engine duckdb`: per-person statistics (SPEC sections 2-4) from persons and visits
 * (or pair records) of any size, by running the SQL of sql/ in DuckDB with a memory limit and a spill
 * folder, then writing the table that `mobiseg run --person-stats` reads (Arrow, Parquet or CSV, by the
 * output's extension), atomically. Files in, file out: the estimates are `run --person-stats`'s job.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeThroughTemporary } from '../io/atomic.js';
import { UsageError } from '../io/errors.js';
import { LEVEL_COLUMN, loadPersonStats, PERSON_STATS_COLUMNS, type AreaLevel } from '../io/load-person-stats.js';
import { writeTable } from '../io/table-writer.js';
import type { TableFormat } from '../io/table-source.js';
import type { EncounterOptions } from '../estimate/encounter-stage.js';
import type { Progress } from '../estimate/progress.js';
import { memoryBytes, openDuckSession, sqlString, type DuckSession } from './duckdb-engine.js';
import { machineMemoryBytes } from './memory-fit.js';
import { createSqlInputs, type SqlInputFiles, type SqlInputSummary } from './sql-inputs.js';
import { createdTables, readSqlFile, sqlPlan, sqlStatements, type SqlParameters } from './sql-plan.js';
import { personStatsTable } from './person-stats-table.js';
import { StepTimer } from './manifest.js';

export interface SqlStatsOptions extends EncounterOptions {
  /** DuckDB memory limit, e.g. "8GB" (DuckDB's default when absent: 80% of the RAM) */
  memoryLimit?: string;
  /** where DuckDB spills (a private folder is made inside and removed); default the system's temp folder */
  tempDir?: string;
  threads: number;
  remap?: Record<string, string>;
  /** CSV field delimiter of the inputs (default ",") */
  delimiter?: string;
  dropInvalid: boolean;
  /** K: compute the statistics of the persons in K parts (MOD(person_key, K)); chosen from the input size and memory limit when absent */
  partitions?: number;
  /** the DuckDB package to load (tests name a missing one) */
  duckdbModule?: string;
}

export interface SqlStatsResult {
  out: string;
  inputs: SqlInputSummary;
  /** the parts the persons were computed in (--partitions, or chosen) */
  partitions: number;
  counts: { persons: number; persons_with_encounters: number; encounter_endpoints: number };
  /** seconds per step (reading and checking the inputs, each SQL file, writing) */
  timings: Record<string, number>;
}

/** The output format from the file name: .arrow, .parquet, .csv or .csv.gz. */
export function statsOutputFormat(path: string): TableFormat {
  if (/\.(arrow|feather|ipc)$/i.test(path)) return 'arrow';
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.csv(\.gz)?$/i.test(path)) return 'csv';
  throw new UsageError(`--out ${path}: name the statistics file .arrow, .parquet or .csv (the format follows the extension)`);
}

export async function runSqlStats(files: SqlInputFiles, out: string, options: SqlStatsOptions, progress: Progress): Promise<SqlStatsResult> {
  if (!files.visits === !files.encounters) throw new UsageError('give either --visits or --encounters (one of them)');
  if (options.mode === 'weighted' && options.minDays > 1 && files.visits) {
    throw new UsageError("--min-days applies to distinct pairs; use --mode distinct (the paper's) with --min-days");
  }
  const format = statsOutputFormat(out);
  const timer = new StepTimer();
  const session = await openDuckSession({ memoryLimit: options.memoryLimit, tempDir: options.tempDir ?? tmpdir(), threads: options.threads }, options.duckdbModule);
  try {
    progress.note('reading and checking the inputs (DuckDB)');
    const inputs = await createSqlInputs(session, files, { remap: options.remap, delimiter: options.delimiter, dropInvalid: options.dropInvalid }, options.threads);
    if (options.excludeSameHome && !inputs.personColumns.has('home_id')) {
      throw new UsageError(`--exclude-same-home needs a home_id column in ${files.persons}`);
    }
    timer.mark('read_inputs');
    const partitions = options.partitions ?? choosePartitions(inputs, options.memoryLimit);
    progress.note(`persons in ${partitions} part${partitions > 1 ? 's' : ''} (--partitions${options.partitions === undefined ? ', chosen from the input size and the memory limit' : ''})`);
    const params: SqlParameters = {
      bin_seconds: options.binSeconds,
      min_days: options.minDays,
      day_offset_seconds: options.dayOffsetSeconds,
      exclude_same_home: options.excludeSameHome ? 1 : 0,
      pairs_have_days: inputs.pairsHaveDays ? 1 : 0,
      partitions,
      part: 0,
    };
    // seconds per file, summed over the parts and passes
    const fileSeconds: Record<string, number> = {};
    const stages = sqlPlan(inputs.input, options.mode, partitions, options.minDays);
    const total = stages.reduce((a, st) => a + st.files.length, 0);
    let done = 0;
    for (const stage of stages) {
      const parts = stage.perPart ? partitions : 1;
      for (let part = 0; part < parts; part++) {
        const created: string[] = [];
        for (const [k, file] of stage.files.entries()) {
          const statements = sqlStatements(readSqlFile(file), { ...params, part } as unknown as Record<string, number>, `sql/${file}`);
          created.push(...createdTables(statements));
          const started = performance.now();
          for (const [j, sql] of statements.entries()) {
            const where = `${done + k + 1}/${total} ${file}${stage.perPart && partitions > 1 ? ` part ${part + 1}/${partitions}` : ''}`;
            progress.start(`${where}${statements.length > 1 ? ` (${j + 1}/${statements.length})` : ''}`, 100);
            await session.run(sql, (p) => progress.update(Math.round(p)));
            progress.stop();
          }
          const step = file.replace(/\.sql$/, '');
          fileSeconds[step] = (fileSeconds[step] ?? 0) + (performance.now() - started) / 1000;
        }
        if (stage.perPart && partitions > 1) await collectPart(session, part, stage.collect, created);
      }
      if (stage.perPart && partitions > 1) for (const name of stage.collect) await session.run(`ALTER TABLE ${name}_parts RENAME TO ${name}`);
      done += stage.files.length;
    }
    timer.record(Object.fromEntries(Object.entries(fileSeconds).map(([k, v]) => [k, Math.round(v * 1000) / 1000])));
    const summary = (await session.rows('SELECT COUNT(*) AS persons, SUM(CASE WHEN n_endpoints > 0 THEN 1 ELSE 0 END) AS with_encounters, SUM(n_endpoints) AS endpoints FROM person_stats'))[0];
    progress.note(`writing ${out}`);
    await writeStats(session, out, format, outputColumns(inputs));
    timer.mark('write');
    return {
      out,
      inputs,
      partitions,
      counts: { persons: Number(summary.persons), persons_with_encounters: Number(summary.with_encounters), encounter_endpoints: Number(summary.endpoints) },
      timings: { ...timer.steps, total: timer.total() },
    };
  } finally {
    session.close();
  }
}

/**
 * Append one part's tables (`collect`) to those of the parts before (<name>_parts, renamed to <name>
 * after the last part) and drop every table the part's files created, so that one part is held at a
 * time.
 */
async function collectPart(session: DuckSession, part: number, collect: string[], created: string[]): Promise<void> {
  // the first part's table becomes the collection itself (renamed, not copied: a part of the groups is large)
  for (const name of collect) {
    await session.run(part === 0 ? `ALTER TABLE ${name} RENAME TO ${name}_parts` : `INSERT INTO ${name}_parts SELECT * FROM ${name}`);
  }
  for (const name of new Set(created)) await session.run(`DROP TABLE IF EXISTS ${name}`);
  await session.reclaimDropped();
}

/** Bytes of DuckDB working set per visit-bin (or pair record) that one part holds at the most (bench/RESULTS.md, issue 17). */
export const PART_BYTES_PER_ROW = 64;

/**
 * The number of parts when --partitions is not given: the input rows times PART_BYTES_PER_ROW over the
 * memory limit (DuckDB's default, 80% of the RAM, when none is given), at least 1.
 */
export function choosePartitions(inputs: SqlInputSummary, memoryLimit: string | undefined): number {
  const rows = inputs.rowsRead.visits ?? inputs.rowsRead.encounters ?? 0;
  const limit = memoryLimit === undefined ? 0.8 * machineMemoryBytes() : memoryBytes(memoryLimit);
  return Math.max(1, Math.ceil((rows * PART_BYTES_PER_ROW) / limit));
}

/** The columns of the statistics file for these persons (levels and home columns only when present). */
function outputColumns(inputs: SqlInputSummary): string[] {
  const levelPresent = (level: AreaLevel) => inputs.personColumns.has(LEVEL_COLUMN[level]);
  return PERSON_STATS_COLUMNS.filter((c) => (c.level ? levelPresent(c.level) : c.optional ? inputs.personColumns.has(c.name) : true)).map((c) => c.name);
}

/**
 * Write person_stats in person order: Parquet and CSV by DuckDB's COPY into a temporary sibling then
 * renamed; Arrow through a Parquet copy in the spill folder, read back and written by mobiseg's own
 * writer (the same bytes as a run's person-stats.arrow for the same table).
 */
async function writeStats(session: DuckSession, out: string, format: TableFormat, columns: string[]): Promise<void> {
  const select = `SELECT ${columns.join(', ')} FROM person_stats ORDER BY person_key`;
  if (format === 'parquet') {
    await writeThroughTemporary(out, (tmp) => session.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT parquet)`));
    return;
  }
  if (format === 'csv') {
    const gzip = /\.gz$/i.test(out) ? ", COMPRESSION 'gzip'" : '';
    await writeThroughTemporary(out, (tmp) => session.run(`COPY (${select}) TO ${sqlString(tmp)} (FORMAT csv, HEADER true${gzip})`));
    return;
  }
  const parquet = join(session.spillDir, 'person-stats.parquet');
  await session.run(`COPY (${select}) TO ${sqlString(parquet)} (FORMAT parquet)`);
  const file = await loadPersonStats(parquet);
  const stats = { n: file.n, sum: file.centred!.sum, sumSq: file.centred!.sumSq, centre: file.centred!.centre };
  await writeTable(out, personStatsTable(file.persons, stats, file.levels), 'arrow');
}
