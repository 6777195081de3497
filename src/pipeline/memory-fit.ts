/**
 * Whether an input fits the in-memory path, decided before it is loaded (README "Limits"): a run holds
 * about 50 bytes per visit (the loaded visits and the graph) and 30 per visit-bin (co-presence groups
 * and the distinct walk), a visit touching at least one bin, so at least 80 bytes per visit; a pair
 * record about 60 bytes (its columns, both endpoints and the partner lists). One run indexes at most
 * 2^31 - 1 visit-bins (or pair endpoints). The row count comes from Parquet and Arrow footers, or is
 * estimated for CSV. Past the machine's memory (or the index limit) the run stops with a UsageError
 * that names the route that works: `mobiseg stats --engine duckdb`, then `run --person-stats`.
 */
import { totalmem } from 'node:os';
import { UsageError } from '../io/errors.js';
import { countRows } from '../io/row-count.js';

/** Bytes per visit at the least (README "Limits": 50 per visit + 30 per visit-bin, one bin at least). */
export const BYTES_PER_VISIT = 80;
export const BYTES_PER_PAIR_RECORD = 60;
/**
 * Bytes per person of `run --person-stats` at the least: measured 760 per person at 10^7 persons
 * (7.36 GiB peak, bench/RESULTS.md "Past one machine"), less the process's fixed 0.3 GiB; 500 keeps
 * the check to what certainly cannot fit.
 */
export const BYTES_PER_PERSON_STATS = 500;
const MAX_INDEX = 2 ** 31 - 1;

/** The memory this process may use: the machine's RAM, or its cgroup's limit when lower. */
export function machineMemoryBytes(): number {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const total = totalmem();
  return constrained !== undefined && constrained > 0 && constrained < total ? constrained : total;
}

function gigabytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/**
 * Check that a per-person statistics table (`run --person-stats`) fits in `availableBytes`; throws a
 * UsageError that says how to split it when it does not. Its areas are independent (SPEC sections 3-4:
 * each MSA's and county's estimates use only its own persons), so runs on the persons of disjoint sets
 * of MSAs give the same rows as one run, but county smoothing, which looks across MSAs.
 */
export async function checkPersonStatsFit(file: string, availableBytes = machineMemoryBytes()): Promise<FitCheck> {
  const { rows, exact } = await countRows(file);
  const needBytes = rows * BYTES_PER_PERSON_STATS;
  if (!Number.isNaN(rows) && needBytes > availableBytes) {
    throw new UsageError(
      `${file}: ${exact ? '' : 'about '}${rows.toLocaleString('en-US')} persons need at least ${gigabytes(needBytes)} in memory (about ${BYTES_PER_PERSON_STATS} bytes each, README "Limits"), more than the ${gigabytes(availableBytes)} this machine has. ` +
        `Split the table by MSA where it was made (each MSA's estimates use only its own persons) and run each part with --person-stats, or run on a machine with more memory`,
    );
  }
  return { rows, exact, needBytes, availableBytes };
}

export interface FitCheck {
  rows: number;
  exact: boolean;
  /** lower bound of the bytes the run needs */
  needBytes: number;
  availableBytes: number;
}

/**
 * Check that visits (or pair records) fit in `availableBytes`; returns the estimate, or throws a
 * UsageError naming the SQL route when they do not.
 */
export async function checkInMemoryFit(file: string, kind: 'visits' | 'encounters', persons: string, availableBytes = machineMemoryBytes()): Promise<FitCheck> {
  const { rows, exact } = await countRows(file);
  const perRow = kind === 'visits' ? BYTES_PER_VISIT : BYTES_PER_PAIR_RECORD;
  const needBytes = rows * perRow;
  const indexed = kind === 'visits' ? rows : 2 * rows;
  const counted = `${exact ? '' : 'about '}${rows.toLocaleString('en-US')} ${kind === 'visits' ? 'visits' : 'pair records'}`;
  const route =
    `Compute the per-person statistics where they fit instead: mobiseg stats --engine duckdb --persons ${persons} --${kind} ${file} --out stats.parquet ` +
    `--memory-limit ${Math.max(1, Math.floor((availableBytes * 0.6) / 2 ** 30))}GB --temp-dir <folder with free disk>, then mobiseg run --person-stats stats.parquet --out <folder> ` +
    `(or the same SQL, sql/, on Spark SQL or BigQuery; README "Data larger than memory, and clusters")`;
  // no count (an unreadable sample): nothing to decide here, the reader will name the problem
  if (Number.isNaN(rows)) return { rows, exact, needBytes: NaN, availableBytes };
  if (indexed > MAX_INDEX) {
    throw new UsageError(`${file}: ${counted} are more than one in-memory run indexes (2^31 - 1 ${kind === 'visits' ? 'visit-bins' : 'encounter endpoints'}). ${route}`);
  }
  if (needBytes > availableBytes) {
    throw new UsageError(
      `${file}: ${counted} need at least ${gigabytes(needBytes)} in memory (about ${perRow} bytes each, README "Limits"), more than the ${gigabytes(availableBytes)} this machine has. ${route}`,
    );
  }
  return { rows, exact, needBytes, availableBytes };
}
