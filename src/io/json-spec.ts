/**
 * JSON specification files (city specs, scenarios) validated with a zod schema: a missing file, bad
 * JSON or a value that does not fit the schema is a UsageError naming the file and the JSON path of
 * each problem (up to five), e.g. `interventions[1].share: Too big: expected number to be <=1`.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UsageError } from './errors.js';

/** `msas[0].counties[1].share` from a zod issue path. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Validate a parsed JSON value; `kind` names what it is in the message ("city spec", "scenario"). */
export function parseJsonSpec<S extends z.ZodType>(schema: S, value: unknown, source: string, kind: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const lines = issues.slice(0, 5).map((issue) => `  at ${formatJsonPath(issue.path)}: ${issue.message}`);
  if (issues.length > 5) lines.push(`  (and ${issues.length - 5} more)`);
  throw new UsageError(`${source}: invalid ${kind}\n${lines.join('\n')}`);
}

/** Read a JSON file (UsageError for a missing file or bad JSON). */
export function readJsonFile(path: string, kind: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read ${kind} (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}
