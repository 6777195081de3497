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

/** The files of one route, in order; the last one creates the table person_stats. */
export function sqlSteps(input: SqlInput, mode: CountingMode): string[] {
  const fromPairs = ['partner-counts.sql', 'area-medians.sql', 'partner-stats.sql', 'person-stats.sql'];
  if (input === 'visits') {
    return mode === 'weighted'
      ? ['persons.sql', 'visit-groups.sql', 'weighted-sums.sql', 'area-medians.sql', 'weighted-high.sql', 'person-stats.sql']
      : ['persons.sql', 'visit-groups.sql', 'distinct-pairs.sql', ...fromPairs];
  }
  return ['persons.sql', 'pair-rows.sql', `pair-rows-${mode}.sql`, ...fromPairs];
}

/** The parameters the SQL files use, all numbers (flags are 0 or 1). */
export interface SqlParameters {
  bin_seconds: number;
  min_days: number;
  day_offset_seconds: number;
  exclude_same_home: 0 | 1;
  /** pair input: 1 when the records have a days column */
  pairs_have_days: 0 | 1;
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
