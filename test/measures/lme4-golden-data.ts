/**
 * Loader for the lme4 golden sets in test/golden/lme4 (written by make-golden.R; see its header for the
 * file layout and the standardisation). Plain numeric CSV, parsed here by splitting lines.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const GOLDEN_DIR = fileURLToPath(new URL('../golden/lme4/', import.meta.url));

function readText(file: string): string {
  const buf = readFileSync(GOLDEN_DIR + file);
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** Numeric columns of a headered CSV without quotes. */
export function readNumericCsv(file: string): Record<string, Float64Array> {
  const lines = readText(file).split('\n').filter((l) => l.length > 0);
  const names = lines[0].split(',');
  const cols: Record<string, Float64Array> = {};
  for (const name of names) cols[name] = new Float64Array(lines.length - 1);
  for (let r = 1; r < lines.length; r++) {
    const cells = lines[r].split(',');
    for (let c = 0; c < names.length; c++) cols[names[c]][r - 1] = Number(cells[c]);
  }
  return cols;
}

/** golden.csv as set -> quantity -> value (numbers parsed; 'true'/'false' kept as strings). */
export function readGolden(): Map<string, Map<string, string>> {
  const lines = readText('golden.csv').split('\n').filter((l) => l.length > 0);
  const out = new Map<string, Map<string, string>>();
  for (const line of lines.slice(1)) {
    const m = /^"([^"]*)","([^"]*)","([^"]*)"$/.exec(line);
    if (!m) throw new Error(`golden.csv: bad line ${line}`);
    if (!out.has(m[1])) out.set(m[1], new Map());
    out.get(m[1])!.set(m[2], m[3]);
  }
  return out;
}

/** Per-person statistics around centre c for the estimator's contract, from a raw set (persons + obs). */
export interface PersonStats {
  n: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  ses: Float64Array;
}

/**
 * Build the contract's per-person sufficient statistics from raw observations, around centre c:
 * n_i, sum (y - c), sum (y - c)^2, ses_i - c. Persons are in persons.csv order (ids 1..P).
 */
export function rawSetStats(set: string, c: number): PersonStats {
  const persons = readNumericCsv(`${set}.persons.csv`);
  const obs = readNumericCsv(`${set}.obs.csv.gz`);
  const P = persons.person.length;
  const index = new Map<number, number>();
  for (let i = 0; i < P; i++) index.set(persons.person[i], i);
  const n = new Float64Array(P);
  const sum = new Float64Array(P);
  const sumSq = new Float64Array(P);
  for (let r = 0; r < obs.person.length; r++) {
    const i = index.get(obs.person[r])!;
    const d = obs.partner_ses[r] - c;
    n[i] += 1;
    sum[i] += d;
    sumSq[i] += d * d;
  }
  const ses = persons.ses.map((v) => v - c);
  return { n, sum, sumSq, ses };
}

/** The big set: integer SES, per-person sums written by R (exact), shifted to centre c. */
export function bigSetStats(c: number): PersonStats {
  const t = readNumericCsv('big.stats.csv.gz');
  const P = t.person.length;
  const n = t.n;
  const sum = new Float64Array(P);
  const sumSq = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    // sum (y - c) = S - n c; sum (y - c)^2 = SS - 2 c S + n c^2.
    sum[i] = t.sum[i] - n[i] * c;
    sumSq[i] = t.sum_sq[i] - 2 * c * t.sum[i] + n[i] * c * c;
  }
  return { n, sum, sumSq, ses: t.ses.map((v) => v - c) };
}

/** Raw set names (persons.csv + obs.csv.gz). */
export const RAW_SETS = ['tiny', 'boundary', 'singletons', 'heavy', 'balanced', 'nearboundary'] as const;
