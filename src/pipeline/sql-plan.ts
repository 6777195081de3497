/**
 * The SQL route to per-person statistics (SPEC sections 2-4): which files of sql/ run, in which
 * order, for each input and counting mode, and how their named parameters (:bin_seconds, ...) are
 * bound. The files are plain SQL over three input relations (persons_in, visits_in, pairs_in; see
 * sql/README.md) so that the same text runs on DuckDB here and, with the dialect note, on Spark SQL
 * or BigQuery. Parameters are numbers only, validated and written as literals: nothing else is ever
 * substituted into the text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../io/bundled-data.js';
import { UsageError } from '../io/errors.js';
import type { CountingMode } from '../estimate/encounter-stage.js';

export type SqlInput = 'visits' | 'pairs';

/** The files of one route in one pass (one part of the persons), in order; the last one creates the table person_stats. */
export function sqlSteps(input: SqlInput, mode: CountingMode): string[] {
  const fromPairs = ['partner-counts.sql', 'area-medians.sql', 'partner-stats.sql', 'person-stats.sql'];
  if (input === 'visits') {
    return mode === 'weighted'
      ? ['persons.sql', 'place-keys.sql', 'visit-groups.sql', 'group-sums.sql', 'weighted-sums.sql', 'area-medians.sql', 'weighted-high.sql', 'person-stats.sql']
      : ['persons.sql', 'place-keys.sql', 'visit-groups.sql', 'distinct-pairs.sql', ...fromPairs];
  }
  return ['persons.sql', 'pair-rows.sql', `pair-rows-${mode}.sql`, ...fromPairs];
}

/**
 * A stage of a route: files run once (with :part = 0: with one part, every file; with more, only files
 * that do not read :part), or once per part k = 0 .. K - 1 (perPart),
 * after which the tables named in `collect` are appended to the tables of the parts before and every
 * other table the stage's files created is dropped, so that only one part's rows are held at a time.
 */
export interface SqlStage {
  files: string[];
  perPart: boolean;
  collect: string[];
}

/**
 * The stages of a route with the persons (egos) cut into `partitions` parts by MOD(person_key, K)
 * (sql/README.md, "Parts"). One part: the files of sqlSteps, once. More parts: the co-presence groups
 * of visits are made per part of the places (MOD(place_key, K): groups of different places are
 * independent) and collected. Then, because the bridging index's thresholds are medians over every
 * person with an encounter (SPEC section 4), the set of persons with encounters is made first, over
 * all parts, and the high-partner counts after:
 * - visits, weighted: per part weighted-sums (n, s, q; collected), the medians, per part the high
 *   counts and person-stats (collected);
 * - visits, distinct with min_days <= 1: a person has a distinct partner exactly when its weighted
 *   count is positive (a co-presence with someone outside its household), so the cheap group-level
 *   weighted counts give the persons with encounters without forming pairs; then per part the pairs,
 *   their statistics and person-stats;
 * - distinct with min_days > 1, and pair records: per part the pairs and their counts, the medians,
 *   then per part the pairs again (each part's pairs are made twice) with their statistics.
 */
export function sqlPlan(input: SqlInput, mode: CountingMode, partitions: number, minDays: number): SqlStage[] {
  const once = (...files: string[]): SqlStage => ({ files, perPart: false, collect: [] });
  const perPart = (collect: string[], ...files: string[]): SqlStage => ({ files, perPart: true, collect });
  if (partitions <= 1) return [once(...sqlSteps(input, mode))];
  // the co-presence groups are made per part of the places (MOD(place_key, K)), collected
  const groups = [once('persons.sql', 'place-keys.sql'), perPart(['group_members'], 'visit-groups.sql')];
  if (input === 'visits' && mode === 'weighted') {
    return [
      ...groups,
      once('group-sums.sql'),
      perPart(['person_sums', 'person_counts'], 'weighted-sums.sql'),
      once('area-medians.sql'),
      perPart(['person_stats'], 'weighted-high.sql', 'person-stats.sql'),
    ];
  }
  const pairs = input === 'visits' ? 'distinct-pairs.sql' : `pair-rows-${mode}.sql`;
  const first = input === 'visits' ? groups : [once('persons.sql', 'pair-rows.sql')];
  const counts =
    input === 'visits' && minDays <= 1
      ? [once('group-sums.sql'), perPart(['person_counts'], 'weighted-sums.sql')]
      : [perPart(['person_counts'], pairs, 'partner-counts.sql')];
  return [...first, ...counts, once('area-medians.sql'), perPart(['person_stats'], pairs, 'partner-stats.sql', 'person-stats.sql')];
}

/** The tables a SQL file's statements create (CREATE [TEMP] TABLE name). */
export function createdTables(statements: string[]): string[] {
  return statements.flatMap((s) => {
    const m = /^\s*CREATE\s+(?:TEMP\s+)?TABLE\s+(\w+)/i.exec(s);
    return m ? [m[1]] : [];
  });
}

/** The parameters the SQL files use, all numbers (flags are 0 or 1). */
export interface SqlParameters {
  bin_seconds: number;
  min_days: number;
  day_offset_seconds: number;
  exclude_same_home: 0 | 1;
  /** pair input: 1 when the records have a days column */
  pairs_have_days: 0 | 1;
  /** K: the persons are cut into K parts by MOD(person_key, K) (1: one part, all persons) */
  partitions: number;
  /** the part a per-part stage computes, 0 .. K - 1 */
  part: number;
}

export function sqlDirectory(): string {
  return join(packageRoot(), 'sql');
}

/** The text of one file of sql/. */
export function readSqlFile(name: string, dir = sqlDirectory()): string {
  return readFileSync(join(dir, name), 'utf8');
}

/** A named parameter: a colon and a name, not part of a `::` cast or a longer word. */
const PLACEHOLDER = /(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * The statements of a SQL file, ready to run: comments removed, split at semicolons outside quoted
 * text, and every :name outside quoted text replaced by the value of parameter `name`, written as a
 * numeric literal in parentheses (so a negative value stays one operand). A parameter that is not a
 * finite number, or a placeholder without a value, is an error naming the file.
 */
export function sqlStatements(sql: string, params: Record<string, number>, file = 'SQL'): string[] {
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UsageError(`${file}: parameter :${name} must be a finite number, got ${String(value)}`);
  }
  const bind = (code: string) =>
    code.replace(PLACEHOLDER, (_whole, name: string) => {
      if (!Object.hasOwn(params, name)) throw new UsageError(`${file}: no value for the parameter :${name}`);
      return `(${numericLiteral(params[name])})`;
    });
  const out: string[] = [];
  let current = '';
  let code = '';
  const flushCode = () => {
    current += bind(code);
    code = '';
  };
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      // quoted text or name, copied as it is ('' inside doubles the quote)
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      flushCode();
      current += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === ';') {
      flushCode();
      if (current.trim() !== '') out.push(current.trim());
      current = '';
      i++;
      continue;
    }
    code += ch;
    i++;
  }
  flushCode();
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

/** A number as SQL literal text: integers plainly, other values in exponent form (a DOUBLE everywhere). */
function numericLiteral(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 2 ** 53) return String(v);
  // toExponential() gives the shortest digits that read back to the same double, and the exponent
  // makes every dialect read a double rather than a decimal
  return v.toExponential();
}
