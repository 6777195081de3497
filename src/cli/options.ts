/** Option parsers shared by the commands: each turns bad text into a UsageError naming the option. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../io/errors.js';
import type { EncounterOptions } from '../estimate/encounter-stage.js';

/** Collect repeated `--col logical=file` options into a remap. */
export function collectColumnRemap(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([^=]+)=(.+)$/.exec(value);
  if (!m) throw new UsageError(`--col expects logical=column (e.g. --col ses=rent_zestimate), got "${value}"`);
  return { ...previous, [m[1].trim()]: m[2].trim() };
}

/**
 * The range of a numeric option. Bounds are inclusive unless marked open; `integer` for counts. Every
 * numeric option of every command is parsed by parseNumberOption with its range.
 */
export interface NumberRange {
  integer?: boolean;
  min?: number;
  max?: number;
  /** min itself is excluded (e.g. a level in (0, 1)) */
  minOpen?: boolean;
  maxOpen?: boolean;
}

/** Plain decimal notation (sign, digits, point, exponent): no hex, no "Infinity", no units like "5h". */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A numeric option's text as a number within `range`, or a UsageError naming the option, the range
 * and the text given: `--bin must be a number in [1, 86400], got "1e-9"`. Nothing is coerced: an empty,
 * non-decimal or non-finite text is an error, never 0.
 */
export function parseNumberOption(option: string, text: string, range: NumberRange): number {
  const t = text.trim();
  const v = DECIMAL.test(t) ? Number(t) : NaN;
  const { integer = false, min, max, minOpen = false, maxOpen = false } = range;
  const ok =
    Number.isFinite(v) &&
    (!integer || Number.isSafeInteger(v)) &&
    (min === undefined || (minOpen ? v > min : v >= min)) &&
    (max === undefined || (maxOpen ? v < max : v <= max));
  if (!ok) throw new UsageError(`${option} must be ${describeRange(range)}, got "${text}"`);
  return v;
}

/** "an integer >= 1", "a number in [0, 1]", "a positive number", "a number in (0, 1)". */
export function describeRange({ integer = false, min, max, minOpen = false, maxOpen = false }: NumberRange): string {
  const kind = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (min === 0 && minOpen) return integer ? 'a positive integer' : 'a positive number';
  if (min !== undefined) return `${kind} ${minOpen ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${kind} ${maxOpen ? '<' : '<='} ${max}`;
  return `a finite number`;
}

/** Ranges shared by several commands. */
export const RANGES = {
  /** worker threads */
  threads: { integer: true, min: 1, max: 256 },
  /** bootstrap replicates, permutations */
  replicates: { integer: true, min: 0, max: 1_000_000 },
  /** k nearest counties */
  neighbours: { integer: true, min: 1, max: 10_000 },
  /** parts of the persons for the SQL route (mobiseg stats --partitions) */
  partitions: { integer: true, min: 1, max: 1_000_000 },
  /** a weight, share or sorting strength */
  unit: { min: 0, max: 1 },
} as const satisfies Record<string, NumberRange>;

/** --delimiter: one character, or "tab" (also "\t" as typed) for a tab. Quotes and line ends cannot delimit. */
export function parseDelimiter(text: string): string {
  const d = text === 'tab' || text === '\\t' ? '\t' : text;
  if (d.length !== 1 || d.charCodeAt(0) > 127 || d === '"' || d === '\n' || d === '\r') {
    throw new UsageError(`--delimiter must be one ASCII character (e.g. ';' or '|') or tab, got "${text}"`);
  }
  return d;
}

/**
 * A seed is a text, used exactly as written: `1`, `01` and `1e0` are three different seeds (every random
 * stream is derived from the seed's text, math/random.ts). A city spec's integer seed is the text of its
 * decimal digits, so `--seed 20230101` and `"seed": 20230101` are the same seed.
 */
export function parseSeed(text: string): string {
  if (text.trim() === '') throw new UsageError('--seed must not be empty');
  if (text.trim() !== text) throw new UsageError(`--seed must not begin or end with spaces, got "${text}"`);
  return text;
}

/**
 * An output folder: it may not exist yet, but must not be a file, and it must be possible to create it
 * (the nearest existing part of the path is a folder this process may write into), so that a wrong
 * --out fails at once rather than after the work. Nothing is created here. Returns the path.
 */
export function outputFolder(path: string): string {
  if (existsSync(path) && !statSync(path).isDirectory()) throw new UsageError(`--out ${path} exists and is not a folder`);
  const problem = folderProblem(path);
  if (problem !== null) throw new UsageError(`--out ${path}: ${problem}`);
  return path;
}

/** An output file: not a folder, in a folder that exists or can be created (as outputFolder). */
export function outputFile(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--out ${path} is a folder; give the file to write`);
  const problem = folderProblem(dirname(resolve(path)));
  if (problem !== null) throw new UsageError(`--out ${path}: ${problem}`);
  return path;
}

/** Why `folder` can be neither used nor created by this process, or null when it can. */
function folderProblem(folder: string): string | null {
  const target = resolve(folder);
  let nearest = target;
  while (!existsSync(nearest) && dirname(nearest) !== nearest) nearest = dirname(nearest);
  const exists = nearest === target;
  if (!statSync(nearest).isDirectory()) return exists ? `${nearest} is not a folder` : `${nearest} is a file, so the folder cannot be created`;
  if (!writable(nearest)) return exists ? `no permission to write into ${nearest}` : `no permission to create a folder in ${nearest}`;
  return null;
}

function writable(folder: string): boolean {
  try {
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Seconds in a day: the largest --bin and the largest |--day-offset|. */
const DAY = 86_400;

/** The parsed text of the counting options (addCountingOptions). */
export interface CountingCliOptions {
  mode: 'distinct' | 'weighted';
  bin: string;
  minDays: string;
  excludeSameHome?: boolean;
  dayOffset: string;
}

/**
 * The counting options, each parsed with its range: --bin in [1, 86400] s (a bin of a second at the
 * finest; a day at the coarsest, since days are cut separately), --day-offset within one day either way.
 */
export function parseCountingOptions(opts: CountingCliOptions): EncounterOptions {
  return {
    mode: opts.mode,
    binSeconds: parseNumberOption('--bin', opts.bin, { min: 1, max: DAY }),
    minDays: parseNumberOption('--min-days', opts.minDays, { integer: true, min: 1, max: 100_000 }),
    excludeSameHome: opts.excludeSameHome ?? false,
    dayOffsetSeconds: parseNumberOption('--day-offset', opts.dayOffset, { min: -DAY, max: DAY }),
  };
}

/** The options that say how encounters are counted (SPEC section 2), shared by run and stats. */
export function addCountingOptions(command: Command): Command {
  return command
    .addOption(new Option('--mode <mode>', "encounter counting: each pair once (distinct, the paper's) or every co-presence (weighted)").choices(['distinct', 'weighted']).default('distinct'))
    .option('--bin <seconds>', "time bin in seconds (the paper's 5-minute consolidation)", '300')
    .option('--min-days <n>', 'distinct mode: a pair counts once it met on at least n distinct days', '1')
    .option('--exclude-same-home', 'skip encounters between members of the same household (home_id)')
    .option('--day-offset <seconds>', 'seconds added to epoch times before cutting local days (time zone)', '0');
}
