/**
 * The input relations of the SQL route (sql/README.md) made in DuckDB from Parquet or CSV files with
 * DuckDB's own readers, checked as mobiseg's readers check them (SPEC section 1):
 *   persons_in(person_key, person_id, ses, msa, county_fips, county_name, home_tract, home_lat,
 *              home_lon, home_id)   a table, person_key = the row's place in the file
 *   visits_in(person_id, place_id, t_start, t_end)   a view over the visits file (epoch seconds)
 *   pairs_in(person_a, person_b, place_id, t, days)  a view over the pair records
 * Ids are compared as integers when every file stores them as integers, else as text (so 42 and "42"
 * are one id, "042" another, as in mobiseg's readers). CSV cells are read as text and converted here:
 * numbers, and times as epoch seconds or ISO-8601 (UTC without a zone). A bad row (missing or
 * duplicate id, non-finite SES, unknown person, unparseable time, an end before the start, negative
 * days) stops with an InputError naming the file, the rows and the column, or with dropInvalid is left
 * out and counted by reason. Self-pairs are always left out and counted.
 */
import { detectFormat } from '../io/table-source.js';
import { isGzipFile } from '../io/csv-reader.js';
import { describeRowProblem, InputError, MAX_REPORTED_ROWS, UsageError } from '../io/errors.js';
import { sqlIdentifier, sqlString, type DuckSession } from './duckdb-engine.js';
import type { SqlInput } from './sql-plan.js';

export interface SqlInputFiles {
  persons: string;
  visits?: string;
  encounters?: string;
}

export interface SqlInputOptions {
  remap?: Record<string, string>;
  /** CSV field delimiter (default ",") */
  delimiter?: string;
  dropInvalid: boolean;
}

export interface SqlInputSummary {
  input: SqlInput;
  /** optional persons columns the file has (msa, county_fips, county_name, home_tract, home_lat, home_lon, home_id) */
  personColumns: Set<string>;
  pairsHaveDays: boolean;
  rowsRead: Record<string, number>;
  /** rows left out, by file role and reason */
  dropped: Record<string, Record<string, number>>;
}

const OPTIONAL_PERSON_COLUMNS = ['msa', 'county_fips', 'county_name', 'home_tract', 'home_lat', 'home_lon', 'home_id'] as const;
const INTEGER_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const NUMBER_TYPE = /^(FLOAT|REAL|DOUBLE|DECIMAL.*|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const TIME_TYPE = /^(TIMESTAMP.*|DATE)$/;

/** One input file as DuckDB sees it: its reader, its columns and their types, and the remap. */
class FileColumns {
  constructor(
    readonly file: string,
    readonly reader: string,
    private readonly types: Map<string, string>,
    private readonly remap: Record<string, string>,
  ) {}

  /** The file's column for a logical name, or null when absent. */
  column(logical: string): string | null {
    const actual = this.remap[logical] ?? logical;
    return this.types.has(actual) ? actual : null;
  }
  has(logical: string): boolean {
    return this.column(logical) !== null;
  }
  require(logical: string): string {
    const c = this.column(logical);
    if (c === null) throw new InputError(`${this.file}: missing column "${logical}" (columns present: ${[...this.types.keys()].join(', ')})`, this.file, [], logical, 'missing column');
    return c;
  }
  type(logical: string): string {
    return this.types.get(this.column(logical)!)!;
  }
  private ref(logical: string): string {
    return sqlIdentifier(this.require(logical));
  }
  /** A number (DOUBLE), NULL when missing or unparseable. */
  number(logical: string): string {
    const c = this.ref(logical);
    return NUMBER_TYPE.test(this.type(logical)) ? `CAST(${c} AS DOUBLE)` : `TRY_CAST(TRIM(CAST(${c} AS VARCHAR)) AS DOUBLE)`;
  }
  /** A time in epoch seconds (DOUBLE): numbers as they are, timestamps and ISO-8601 text converted. */
  time(logical: string): string {
    const c = this.ref(logical);
    const t = this.type(logical);
    if (NUMBER_TYPE.test(t)) return `CAST(${c} AS DOUBLE)`;
    if (TIME_TYPE.test(t)) return `epoch(${c})`;
    const text = `TRIM(CAST(${c} AS VARCHAR))`;
    return `COALESCE(TRY_CAST(${text} AS DOUBLE), epoch(TRY_CAST(${text} AS TIMESTAMPTZ)))`;
  }
  /** Text, NULL for a missing or empty cell. */
  text(logical: string): string {
    return `NULLIF(CAST(${this.ref(logical)} AS VARCHAR), '')`;
  }
  /** An id: BIGINT when `integers`, else text. */
  id(logical: string, integers: boolean): string {
    return integers ? `CAST(${this.ref(logical)} AS BIGINT)` : this.text(logical);
  }
  /** True when the cell holds something (not NULL, not empty text). */
  given(logical: string): string {
    return `(${this.text(logical)} IS NOT NULL)`;
  }
}

/** The reader of a Parquet or CSV file; `rowNumbers` adds file_row_number (Parquet only). */
function readerOf(file: string, delimiter: string, rowNumbers = false): string {
  const format = detectFormat(file);
  if (format === 'parquet') return `read_parquet(${sqlString(file)}${rowNumbers ? ', file_row_number = true' : ''})`;
  if (format === 'csv') {
    return `read_csv(${sqlString(file)}, header = true, all_varchar = true, delim = ${sqlString(delimiter)}, quote = '"', escape = '"', compression = ${isGzipFile(file) ? "'gzip'" : "'none'"})`;
  }
  throw new UsageError(`${file}: an Arrow IPC file; the DuckDB engine reads Parquet and CSV (convert it to Parquet, or use mobiseg run, which reads Arrow)`);
}

async function describeFile(session: DuckSession, file: string, remap: Record<string, string>, delimiter: string): Promise<FileColumns> {
  const reader = readerOf(file, delimiter);
  const rows = await inFile(file, () => session.rows(`DESCRIBE SELECT * FROM ${reader}`));
  const types = new Map(rows.map((r) => [String(r.column_name), String(r.column_type)]));
  return new FileColumns(file, reader, types, remap);
}

/** DuckDB's complaint about a file (malformed CSV, unreadable Parquet) as an InputError naming it. */
async function inFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new InputError(`${file}: ${message.split('\n')[0]}`, file);
  }
}

/** A row problem: a reason, the column it is about, and the SQL condition (on the parsed columns) that finds it. */
interface Problem {
  reason: string;
  column: string;
  when: string;
}

/**
 * Count the problems of a file (each row counted for its first problem, in the order given); throw the
 * earliest one as an InputError with its first rows unless dropInvalid, else return the drop counts.
 * `parsed(reader)` is the SELECT of the parsed columns from a reader (with rn when rows are wanted).
 */
async function checkRows(session: DuckSession, file: string, problems: Problem[], source: (withRows: boolean) => string, dropInvalid: boolean, threads: number): Promise<{ rows: number; dropped: Record<string, number> }> {
  const kind = `CASE ${problems.map((p, k) => `WHEN ${p.when} THEN ${k}`).join(' ')} END`;
  const counts = await inFile(file, () => session.rows(`SELECT ${kind} AS problem, COUNT(*) AS n FROM (${source(false)}) GROUP BY 1`));
  let rows = 0;
  const found = new Map<number, number>();
  for (const r of counts) {
    const n = Number(r.n);
    rows += n;
    if (r.problem !== null && r.problem !== undefined) found.set(Number(r.problem), n);
  }
  const dropped: Record<string, number> = {};
  if (found.size === 0) return { rows, dropped };
  if (dropInvalid) {
    for (const [k, n] of found) dropped[`${problems[k].reason} (column ${problems[k].column})`] = n;
    return { rows, dropped };
  }
  // the rows of the problem met first in the file: one thread, so that rows come in file order
  await session.run('SET threads = 1');
  try {
    const first = await session.rows(`SELECT rn, ${kind} AS problem FROM (${source(true)}) WHERE ${kind} IS NOT NULL ORDER BY rn LIMIT 1`);
    const k = Number(first[0].problem);
    const rowsOf = await session.rows(`SELECT rn FROM (${source(true)}) WHERE ${kind} = ${k} ORDER BY rn LIMIT ${MAX_REPORTED_ROWS}`);
    const numbers = rowsOf.map((r) => Number(r.rn));
    const p = problems[k];
    throw new InputError(describeRowProblem(file, p.reason, p.column, numbers, found.get(k)!), file, numbers, p.column, p.reason);
  } finally {
    await session.run(`SET threads = ${threads}`);
  }
}

/** The data row number column of a reader made with rowNumbers (Parquet), or one computed in scan order. */
function rowNumber(file: string): string {
  return detectFormat(file) === 'parquet' ? 'file_row_number + 1' : 'ROW_NUMBER() OVER ()';
}

export async function createSqlInputs(session: DuckSession, files: SqlInputFiles, options: SqlInputOptions, threads: number): Promise<SqlInputSummary> {
  const remap = options.remap ?? {};
  const delimiter = options.delimiter ?? ',';
  const persons = await describeFile(session, files.persons, remap, delimiter);
  const visits = files.visits ? await describeFile(session, files.visits, remap, delimiter) : null;
  const pairs = files.encounters ? await describeFile(session, files.encounters, remap, delimiter) : null;
  persons.require('person_id');
  persons.require('ses');
  const idColumns: Array<[FileColumns, string]> = [[persons, 'person_id']];
  if (visits) idColumns.push([visits, 'person_id']);
  if (pairs) idColumns.push([pairs, 'person_a'], [pairs, 'person_b']);
  for (const [f, c] of idColumns) f.require(c);
  const integerIds = idColumns.every(([f, c]) => INTEGER_TYPE.test(f.type(c)));
  const summary: SqlInputSummary = {
    input: visits ? 'visits' : 'pairs',
    personColumns: new Set(OPTIONAL_PERSON_COLUMNS.filter((c) => persons.has(c))),
    pairsHaveDays: pairs?.has('days') ?? false,
    rowsRead: {},
    dropped: {},
  };

  // persons: a table in file order (person_key = the data row - 1)
  const opt = (c: string, expr: () => string) => (persons.has(c) ? expr() : 'NULL');
  await inFile(files.persons, () =>
    session.run(`CREATE TABLE persons_parsed AS
      SELECT ${persons.id('person_id', integerIds)} AS person_id, ${persons.number('ses')} AS ses,
        ${opt('msa', () => persons.text('msa'))} AS msa, ${opt('county_fips', () => persons.number('county_fips'))} AS county_fips_value,
        ${opt('county_name', () => persons.text('county_name'))} AS county_name, ${opt('home_tract', () => persons.text('home_tract'))} AS home_tract,
        ${opt('home_lat', () => persons.number('home_lat'))} AS home_lat, ${opt('home_lon', () => persons.number('home_lon'))} AS home_lon,
        ${opt('home_id', () => persons.text('home_id'))} AS home_id
      FROM ${persons.reader}`),
  );
  await session.run(`CREATE TABLE persons_checked AS
    SELECT rowid AS person_key, *,
      CASE
        WHEN person_id IS NULL THEN 0
        WHEN ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY rowid) > 1 THEN 1
        WHEN ses IS NULL OR NOT isfinite(ses) THEN 2
        WHEN county_fips_value IS NOT NULL AND NOT (county_fips_value = FLOOR(county_fips_value) AND county_fips_value >= 0 AND county_fips_value < 2147483648) THEN 3
      END AS problem
    FROM persons_parsed`);
  const personProblems: Problem[] = [
    { reason: 'missing id', column: 'person_id', when: 'problem = 0' },
    { reason: 'duplicate id', column: 'person_id', when: 'problem = 1' },
    { reason: 'non-finite SES', column: 'ses', when: 'problem = 2' },
    { reason: 'not a non-negative integer', column: 'county_fips', when: 'problem = 3' },
  ];
  const p = await checkRows(session, files.persons, personProblems, () => 'SELECT person_key + 1 AS rn, problem FROM persons_checked', options.dropInvalid, threads);
  summary.rowsRead.persons = p.rows;
  summary.dropped.persons = p.dropped;
  await session.run(`CREATE TABLE persons_in AS
    SELECT person_key, person_id, ses, msa, CAST(county_fips_value AS BIGINT) AS county_fips, county_name, home_tract, home_lat, home_lon, home_id
    FROM persons_checked WHERE problem IS NULL ORDER BY person_key`);
  await session.run('DROP TABLE persons_checked');
  await session.run('DROP TABLE persons_parsed');

  if (visits) {
    const hasEnd = visits.has('end');
    const hasDwell = !hasEnd && visits.has('dwell_s');
    const endGiven = hasEnd ? visits.given('end') : hasDwell ? visits.given('dwell_s') : 'FALSE';
    const endValue = hasEnd ? visits.time('end') : hasDwell ? `(${visits.time('start')} + ${visits.number('dwell_s')})` : 'NULL';
    const parsed = (reader: string, withRows: boolean) =>
      `SELECT ${withRows ? `${rowNumber(visits.file)} AS rn, ` : ''}${visits.id('person_id', integerIds)} AS person_id, ${visits.text('place_id')} AS place_id,
        ${visits.time('start')} AS t_start, ${endGiven} AS end_given, ${endValue} AS t_end_value FROM ${reader}`;
    const endColumn = hasEnd ? 'end' : 'dwell_s';
    const problems: Problem[] = [
      { reason: 'missing id', column: 'person_id', when: 'person_id IS NULL' },
      { reason: 'unknown person', column: 'person_id', when: 'known IS NULL' },
      { reason: 'missing id', column: 'place_id', when: 'place_id IS NULL' },
      { reason: 'unparseable time', column: 'start', when: 't_start IS NULL OR NOT isfinite(t_start)' },
      { reason: hasEnd ? 'unparseable time' : 'dwell_s is not a number', column: endColumn, when: 'end_given AND t_end_value IS NULL' },
      { reason: hasEnd ? 'end before start' : 'negative or infinite dwell_s', column: endColumn, when: 'end_given AND (NOT isfinite(t_end_value) OR t_end_value < t_start)' },
    ];
    const source = (withRows: boolean) => `SELECT v.*, p.person_id AS known FROM (${parsed(readerOf(visits.file, delimiter, withRows), withRows)}) v LEFT JOIN persons_in p ON p.person_id = v.person_id`;
    const v = await checkRows(session, visits.file, problems, source, options.dropInvalid, threads);
    summary.rowsRead.visits = v.rows;
    summary.dropped.visits = v.dropped;
    await session.run(`CREATE TEMP VIEW visits_in AS
      SELECT person_id, place_id, t_start, CASE WHEN end_given THEN t_end_value END AS t_end
      FROM (${parsed(visits.reader, false)})
      WHERE person_id IS NOT NULL AND place_id IS NOT NULL AND isfinite(t_start)
        AND (NOT end_given OR (isfinite(t_end_value) AND t_end_value >= t_start))`);
  }

  if (pairs) {
    const hasPlace = pairs.has('place_id');
    const hasTime = pairs.has('time');
    const hasDays = pairs.has('days');
    const parsed = (reader: string, withRows: boolean) =>
      `SELECT ${withRows ? `${rowNumber(pairs.file)} AS rn, ` : ''}${pairs.id('person_a', integerIds)} AS person_a, ${pairs.id('person_b', integerIds)} AS person_b,
        ${hasPlace ? pairs.text('place_id') : 'NULL'} AS place_id,
        ${hasTime ? pairs.given('time') : 'FALSE'} AS t_given, ${hasTime ? pairs.time('time') : 'NULL'} AS t,
        ${hasDays ? pairs.given('days') : 'FALSE'} AS days_given, ${hasDays ? pairs.number('days') : 'NULL'} AS days
      FROM ${reader}`;
    const problems: Problem[] = [
      { reason: 'missing id', column: 'person_a', when: 'person_a IS NULL' },
      { reason: 'unknown person', column: 'person_a', when: 'known_a IS NULL' },
      { reason: 'missing id', column: 'person_b', when: 'person_b IS NULL' },
      { reason: 'unknown person', column: 'person_b', when: 'known_b IS NULL' },
      { reason: 'unparseable time', column: 'time', when: 't_given AND (t IS NULL OR NOT isfinite(t))' },
      { reason: 'days is not a non-negative number', column: 'days', when: 'days_given AND (days IS NULL OR NOT (days >= 0))' },
    ];
    const source = (withRows: boolean) =>
      `SELECT e.*, pa.person_id AS known_a, pb.person_id AS known_b FROM (${parsed(readerOf(pairs.file, delimiter, withRows), withRows)}) e
       LEFT JOIN persons_in pa ON pa.person_id = e.person_a LEFT JOIN persons_in pb ON pb.person_id = e.person_b`;
    const e = await checkRows(session, pairs.file, problems, source, options.dropInvalid, threads);
    const self = await session.rows(`SELECT COUNT(*) AS n FROM (${parsed(pairs.reader, false)}) WHERE person_a = person_b`);
    summary.rowsRead.encounters = e.rows;
    summary.dropped.encounters = { ...e.dropped };
    const selfPairs = Number(self[0].n);
    if (selfPairs > 0) summary.dropped.encounters['self-pair (column person_b)'] = selfPairs;
    await session.run(`CREATE TEMP VIEW pairs_in AS
      SELECT person_a, person_b, place_id, CASE WHEN t_given THEN t END AS t, CASE WHEN days_given THEN days END AS days
      FROM (${parsed(pairs.reader, false)})
      WHERE person_a IS NOT NULL AND person_b IS NOT NULL AND (NOT t_given OR isfinite(t)) AND (NOT days_given OR days >= 0)`);
  }
  return summary;
}
