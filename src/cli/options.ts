/** Option parsers shared by the commands: each turns bad text into a UsageError naming the option. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { UsageError } from '../io/errors.js';

/** Collect repeated `--col logical=file` options into a remap. */
export function collectColumnRemap(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([^=]+)=(.+)$/.exec(value);
  if (!m) throw new UsageError(`--col expects logical=column (e.g. --col ses=rent_zestimate), got "${value}"`);
  return { ...previous, [m[1].trim()]: m[2].trim() };
}

export function parseInteger(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`${name} must be an integer${max < Number.MAX_SAFE_INTEGER ? ` in [${min}, ${max}]` : ` >= ${min}`}, got "${text}"`);
  }
  return v;
}

export function parsePositiveNumber(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0) throw new UsageError(`${name} must be a positive number, got "${text}"`);
  return v;
}

/** --seed: an integer stays a number, anything else is a string seed. */
export function parseSeed(text: string): number | string {
  if (text.trim() === '') throw new UsageError('--seed must not be empty');
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}

/** A finite number in [lo, hi]. */
export function parseNumberInRange(name: string, text: string, lo: number, hi: number): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi) throw new UsageError(`${name} must be a number in [${lo}, ${hi}], got "${text}"`);
  return v;
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

/** The parsed text of the counting options (addCountingOptions). */
export interface CountingCliOptions {
  mode: 'distinct' | 'weighted';
  bin: string;
  minDays: string;
  excludeSameHome?: boolean;
  dayOffset: string;
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
