/**
 * The SQL files themselves: every route names files that exist, every file is used, every placeholder
 * is a parameter the runner binds, parameters are bound as numbers only, and the only engine-specific
 * spellings are those the dialect note (sql/README.md) translates.
 */
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSqlFile, sqlDirectory, sqlStatements, sqlSteps, type SqlParameters } from '../../src/pipeline/sql-plan.js';
import { UsageError } from '../../src/io/errors.js';

const PARAMS: SqlParameters = { bin_seconds: 300, min_days: 2, day_offset_seconds: -18000, exclude_same_home: 1, pairs_have_days: 0, partitions: 3, part: 1 };
const routes = (['visits', 'pairs'] as const).flatMap((input) => (['distinct', 'weighted'] as const).map((mode) => sqlSteps(input, mode)));
const files = readdirSync(sqlDirectory()).filter((f) => f.endsWith('.sql'));

describe('sql/ files', () => {
  it('are all used by a route, and every route ends with person-stats.sql', () => {
    const used = new Set(routes.flat());
    expect([...used].sort()).toEqual([...files].sort());
    for (const r of routes) expect(r[r.length - 1]).toBe('person-stats.sql');
  });

  it('use only the parameters the runner binds, and bind to numeric literals', () => {
    for (const f of files) {
      const statements = sqlStatements(readSqlFile(f), PARAMS as unknown as Record<string, number>, f);
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) {
        expect(s).not.toMatch(/(?<![:\w]):[a-z_]+/); // no placeholder left
        expect(s).not.toMatch(/--/); // comments removed
      }
    }
    const visitGroups = sqlStatements(readSqlFile('visit-groups.sql'), PARAMS as unknown as Record<string, number>).find((s) => s.includes('group_members'));
    expect(visitGroups).toContain('FLOOR(v.t_start / (300))');
    const [pairs] = sqlStatements(readSqlFile('pair-rows-distinct.sql'), { ...PARAMS, bin_seconds: 2.5 } as unknown as Record<string, number>);
    expect(pairs).toContain('(t + (-18000)) / 86400');
  });

  it('refuses placeholders without a value and values that are not finite numbers', () => {
    expect(() => sqlStatements('SELECT :bin_seconds, :oops', { bin_seconds: 300 }, 'x.sql')).toThrow(UsageError);
    expect(() => sqlStatements('SELECT :oops', {}, 'x.sql')).toThrow(/x\.sql: no value for the parameter :oops/);
    expect(() => sqlStatements('SELECT :b', { b: NaN }, 'x.sql')).toThrow(/x\.sql: parameter :b must be a finite number/);
    expect(() => sqlStatements('SELECT :b', { b: '1; DROP TABLE persons_in' as unknown as number }, 'x.sql')).toThrow(/must be a finite number/);
    // casts, quoted text and comments are left alone; statements split at semicolons outside quotes
    expect(sqlStatements("SELECT x::DOUBLE, ':b;' -- :c\n; SELECT :b", { b: 0.1 })).toEqual(["SELECT x::DOUBLE, ':b;'", 'SELECT (1e-1)']);
  });

  it('use engine-specific spellings only where the dialect note translates them', () => {
    const note = readFileSync(join(sqlDirectory(), 'README.md'), 'utf8');
    // spelled by DuckDB, translated in the note, and confined to the files the note names
    const translated: Array<[RegExp, string[]]> = [
      [/GENERATE_SERIES/g, ['visit-groups.sql']],
      [/HUGEINT/g, ['persons.sql']],
    ];
    for (const [pattern, where] of translated) {
      expect(note).toMatch(pattern);
      for (const f of files) {
        const uses = (readSqlFile(f).replace(/--.*$/gm, '').match(pattern) ?? []).length;
        if (!where.includes(f)) expect([f, uses]).toEqual([f, 0]);
      }
    }
    for (const word of ['CREATE TABLE', 'DOUBLE', 'BIGINT', 'VARCHAR', 'LOG2', 'DROP TABLE']) expect(note).toContain(`\`${word}`);
    // DuckDB-only syntax the note does not translate must not appear at all
    const forbidden = [/::/, /\bQUALIFY\b/i, /%/, /\bILIKE\b/i, /\bEXCLUDE\b/i, /\bepoch\(/i, /\brange\(/i, /\bread_(parquet|csv)\b/i, /\bLIST_/i, /\bSTRUCT_PACK\b/i, /\bOR REPLACE\b/i, /\bUSING SAMPLE\b/i];
    for (const f of files) {
      const code = readSqlFile(f).replace(/--.*$/gm, '');
      for (const p of forbidden) expect([f, p.test(code)]).toEqual([f, false]);
    }
  });
});
