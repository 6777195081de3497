/**
 * `mobiseg validate` at the file level: read our msa/county tables and the published ones (default the
 * bundled data/published), join them (MSA by exact name, county by FIPS), compare every shared column,
 * and recompute the headline facts with the bundled CBSA populations. The statistics are in validate.ts.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readSmallTable, type SmallTable } from '../io/small-table.js';
import { InputError, MAX_REPORTED_ROWS } from '../io/errors.js';
import { BUNDLED, bundledDataPath } from '../io/bundled-data.js';
import { assertUniqueFips, parseFipsColumn } from '../smoothing/centroids.js';
import {
  compareAlignedColumns,
  computeHeadlineFacts,
  joinOnKey,
  suggestMsaNames,
  type ColumnComparison,
  type HeadlineFacts,
} from './validate.js';

/** Columns compared when present in both tables (the published columns). */
export const MSA_COLUMNS = ['exposure_segregation', 'bridging_index'] as const;
export const COUNTY_COLUMNS = ['exposure_segregation', 'exposure_segregation_smoothed'] as const;
/** The population column of data/census/cbsa-population.csv used for the headline facts. */
export const POPULATION_COLUMN = 'pop_2017';
/** What the paper states (SPEC sections 4 and 9), printed beside the recomputed values. */
export const PAPER_FACTS = {
  medianEs: 0.35,
  meanEsLargest: 0.457,
  meanEsSmall: 0.274,
  ratioLargestToSmall: 1.67,
  corrEsBi: -0.79,
  corrLogPopEs: 0.59,
  corrLogPopBi: -0.76,
} as const;

export interface TableJoinReport {
  readonly ours: string;
  readonly published: string;
  readonly rowsOurs: number;
  readonly rowsPublished: number;
  readonly matched: number;
  /** Keys (MSA names or FIPS codes) of ours with no published row. */
  readonly unmatchedOurs: string[];
  /** Published keys with no row of ours. */
  readonly unmatchedPublished: string[];
  /** MSA only: "did you mean" for our unmatched names. */
  readonly suggestions: Record<string, string[]>;
  readonly columns: ColumnComparison[];
  /** Published columns our table lacks (not compared). */
  readonly columnsMissing: string[];
}

export interface FactsReport {
  readonly populationFile: string;
  readonly populationColumn: string;
  readonly paper: typeof PAPER_FACTS;
  readonly published: HeadlineFacts;
  /** The same facts on our MSA table (when --msa is given and has bridging_index). */
  readonly ours?: HeadlineFacts;
  /** MSA names of each table without a population row (left out of the facts). */
  readonly withoutPopulation: { readonly published: string[]; readonly ours?: string[] };
}

export interface ValidationReport {
  readonly against: string;
  readonly msa?: TableJoinReport;
  readonly county?: TableJoinReport;
  readonly facts: FactsReport;
}

export interface ValidateOptions {
  readonly msa?: string;
  readonly county?: string;
  /** Folder with exposure-segregation-msa.csv and exposure-segregation-county.csv (default: bundled). */
  readonly against?: string;
  /** CBSA population table (default: the bundled data/census/cbsa-population.csv, `name` + pop_2017). */
  readonly population?: string;
  /** Logical column name -> our file's column name. */
  readonly columns?: Record<string, string>;
  /** Largest differences to list per column (default 10). */
  readonly top?: number;
}

function publishedFile(against: string | undefined, bundled: string): string {
  if (against === undefined) return bundledDataPath(bundled);
  const file = join(against, bundled.split('/').pop()!);
  if (!existsSync(file)) throw new InputError(`--against ${against}: no ${bundled.split('/').pop()} in that folder`, file);
  return file;
}

/** Run the whole validation; throws InputError for bad input (duplicate keys, bad FIPS, nothing matched). */
export async function validateAgainstPublished(options: ValidateOptions): Promise<ValidationReport> {
  const remap = options.columns ?? {};
  const top = options.top ?? 10;
  const against = options.against ?? bundledDataPath('published');
  const publishedMsaFile = publishedFile(options.against, BUNDLED.publishedMsa);
  const publishedMsa = await readSmallTable(publishedMsaFile);
  let msa: TableJoinReport | undefined;
  let oursMsa: SmallTable | undefined;
  if (options.msa !== undefined) {
    oursMsa = await readSmallTable(options.msa, { columns: remap });
    msa = compareMsaTables(oursMsa, publishedMsa, remap, top);
  }
  let county: TableJoinReport | undefined;
  if (options.county !== undefined) {
    const ours = await readSmallTable(options.county, { columns: remap });
    const published = await readSmallTable(publishedFile(options.against, BUNDLED.publishedCounty));
    county = compareCountyTables(ours, published, remap, top);
  }
  const facts = await headlineFactsReport(publishedMsa, oursMsa, options.population);
  return { against, msa, county, facts };
}

function requireColumn(table: SmallTable, name: string): void {
  if (!table.has(name)) {
    throw new InputError(`${table.file}: missing column "${name}" (columns present: ${table.names.join(', ')}; use another with --col ${name}=<column>)`, table.file, [], name, 'missing column');
  }
}

/** Our MSA names, trimmed; empty names and duplicates are InputErrors naming the values and rows. */
function msaNames(table: SmallTable, column: string): string[] {
  const names = table.text('msa').map((s) => s.trim());
  const empty: number[] = [];
  names.forEach((n, i) => n === '' && empty.length < MAX_REPORTED_ROWS && empty.push(i + 1));
  if (empty.length > 0) throw new InputError(`${table.file}: empty MSA name in column "${column}" at rows ${empty.join(', ')}`, table.file, empty, column, 'empty MSA name');
  const rowsOf = new Map<string, number[]>();
  names.forEach((n, i) => rowsOf.set(n, [...(rowsOf.get(n) ?? []), i + 1]));
  const dups = [...rowsOf].filter(([, rows]) => rows.length > 1);
  if (dups.length > 0) {
    const shown = dups.slice(0, MAX_REPORTED_ROWS).map(([n, rows]) => `"${n}" (rows ${rows.join(', ')})`).join('; ');
    throw new InputError(`${table.file}: duplicate MSA name${dups.length === 1 ? '' : 's'} in column "${column}": ${shown}`, table.file, dups.flatMap(([, r]) => r).slice(0, MAX_REPORTED_ROWS), column, 'duplicate MSA name');
  }
  return names;
}

/** Join our MSA table with the published one by exact name and compare the shared columns. */
export function compareMsaTables(ours: SmallTable, published: SmallTable, remap: Record<string, string>, top = 10): TableJoinReport {
  requireColumn(ours, 'msa');
  const ourNames = msaNames(ours, remap.msa ?? 'msa');
  const pubNames = msaNames(published, 'msa');
  const joined = joinOnKey(ourNames, pubNames);
  const suggestions = Object.fromEntries(suggestMsaNames(joined.unmatchedOurs, joined.unmatchedPublished.length > 0 ? joined.unmatchedPublished : pubNames));
  if (joined.pairs.length === 0) {
    const shown = joined.unmatchedOurs.slice(0, MAX_REPORTED_ROWS).map((n) => `"${n}"${suggestions[n] ? ` (did you mean "${suggestions[n][0]}"?)` : ''}`);
    throw new InputError(
      `${ours.file}: no MSA name matches the published data, so there is nothing to compare (published names are CBSA titles such as "Akron, OH"; a synthetic city's are not); yours: ${shown.join(', ')}${joined.unmatchedOurs.length > MAX_REPORTED_ROWS ? ', ...' : ''}`,
      ours.file, [], remap.msa ?? 'msa', 'no MSA matched',
    );
  }
  const columns = comparedColumns(MSA_COLUMNS, ours, published, joined.pairs, (j) => pubNames[j], (j) => pubNames[j], top);
  return {
    ours: ours.file,
    published: published.file,
    rowsOurs: ours.nRows,
    rowsPublished: published.nRows,
    matched: joined.pairs.length,
    unmatchedOurs: joined.unmatchedOurs,
    unmatchedPublished: joined.unmatchedPublished,
    suggestions,
    columns,
    columnsMissing: MSA_COLUMNS.filter((c) => !ours.has(c)),
  };
}

/** Join our county table with the published one by FIPS (integer) and compare the shared columns. */
export function compareCountyTables(ours: SmallTable, published: SmallTable, remap: Record<string, string>, top = 10): TableJoinReport {
  requireColumn(ours, 'fips_code');
  const column = remap.fips_code ?? 'fips_code';
  const ourFips = parseFipsColumn(ours.numbers('fips_code'), ours.file, column);
  assertUniqueFips(ourFips, ours.file, column);
  const pubFips = parseFipsColumn(published.numbers('fips_code'), published.file, 'fips_code');
  assertUniqueFips(pubFips, published.file, 'fips_code');
  const joined = joinOnKey(Array.from(ourFips), Array.from(pubFips));
  if (joined.pairs.length === 0) {
    throw new InputError(
      `${ours.file}: no FIPS code matches the published data, so there is nothing to compare (published codes are US county FIPS; a synthetic city's are not); yours start ${Array.from(ourFips.subarray(0, MAX_REPORTED_ROWS)).join(', ')}`,
      ours.file, [], column, 'no FIPS matched',
    );
  }
  const pubNames = published.has('county_name') ? published.text('county_name') : [];
  const label = (j: number) => (pubNames[j] ? `${pubNames[j]} (${pubFips[j]})` : String(pubFips[j]));
  const columns = comparedColumns(COUNTY_COLUMNS, ours, published, joined.pairs, (j) => String(pubFips[j]), label, top);
  const nameOf = new Map<number, string>();
  if (ours.has('county_name')) ours.text('county_name').forEach((n, i) => nameOf.set(ourFips[i], n));
  pubFips.forEach((f, j) => pubNames[j] && nameOf.set(f, pubNames[j]));
  const describe = (f: number) => (nameOf.get(f) ? `${f} ${nameOf.get(f)}` : String(f));
  return {
    ours: ours.file,
    published: published.file,
    rowsOurs: ours.nRows,
    rowsPublished: published.nRows,
    matched: joined.pairs.length,
    unmatchedOurs: joined.unmatchedOurs.map(describe),
    unmatchedPublished: joined.unmatchedPublished.map(describe),
    suggestions: {},
    columns,
    columnsMissing: COUNTY_COLUMNS.filter((c) => !ours.has(c)),
  };
}

function comparedColumns(
  names: readonly string[],
  ours: SmallTable,
  published: SmallTable,
  pairs: ReadonlyArray<readonly [number, number]>,
  key: (j: number) => string,
  label: (j: number) => string,
  top: number,
): ColumnComparison[] {
  const out: ColumnComparison[] = [];
  for (const name of names) {
    if (!ours.has(name) || !published.has(name)) continue;
    const a = ours.numbers(name, { allowMissing: true });
    const b = published.numbers(name, { allowMissing: true });
    const x = Float64Array.from(pairs, ([i]) => a[i]);
    const y = Float64Array.from(pairs, ([, j]) => b[j]);
    out.push(compareAlignedColumns(name, x, y, pairs.map(([, j]) => key(j)), pairs.map(([, j]) => label(j)), top));
  }
  return out;
}

/** Population by exact CBSA title from the census table (`name`, pop_2017). */
export async function readPopulation(file: string): Promise<Map<string, number>> {
  const table = await readSmallTable(file);
  const names = table.text('name').map((s) => s.trim());
  const pop = table.numbers(POPULATION_COLUMN);
  const out = new Map<string, number>();
  names.forEach((n, i) => out.set(n, pop[i]));
  return out;
}

function factsOf(table: SmallTable, population: Map<string, number>): { facts: HeadlineFacts; withoutPopulation: string[] } {
  const names = table.text('msa').map((s) => s.trim());
  const es = table.numbers('exposure_segregation', { allowMissing: true });
  const bi = table.has('bridging_index') ? table.numbers('bridging_index', { allowMissing: true }) : new Float64Array(names.length).fill(NaN);
  const pop = Float64Array.from(names, (n) => population.get(n) ?? NaN);
  return {
    facts: computeHeadlineFacts(names, es, bi, pop),
    withoutPopulation: names.filter((n) => !population.has(n)),
  };
}

async function headlineFactsReport(published: SmallTable, ours: SmallTable | undefined, populationFile?: string): Promise<FactsReport> {
  const file = populationFile ?? bundledDataPath(BUNDLED.cbsaPopulation);
  const population = await readPopulation(file);
  const pub = factsOf(published, population);
  const mine = ours && ours.has('exposure_segregation') ? factsOf(ours, population) : undefined;
  return {
    populationFile: file,
    populationColumn: POPULATION_COLUMN,
    paper: PAPER_FACTS,
    published: pub.facts,
    ours: mine?.facts,
    withoutPopulation: { published: pub.withoutPopulation, ours: mine?.withoutPopulation },
  };
}
