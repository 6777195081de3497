/**
 * DuckDB through @duckdb/node-api, an optional dependency: loaded on first use (a plain install stays
 * light), with a clear usage error naming the install command when it is missing. One in-memory
 * database per use, with a memory limit and a temporary folder so that large joins and aggregates
 * spill to disk instead of failing, and the query progress DuckDB reports.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../io/bundled-data.js';
import { UsageError } from '../io/errors.js';

export const DUCKDB_PACKAGE = '@duckdb/node-api';

/** What this project uses of @duckdb/node-api (typed here so that building does not need the package). */
export interface DuckConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjectsJS(): Array<Record<string, unknown>> }>;
  readonly progress: { percentage: number };
  interrupt(): void;
  closeSync(): void;
}

interface DuckInstance {
  connect(): Promise<DuckConnection>;
  closeSync(): void;
}

interface DuckModule {
  DuckDBInstance: { create(path: string, options?: Record<string, string>): Promise<DuckInstance> };
}

/** The version package.json pins, for the install command in messages. */
function pinnedVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
    return pkg.optionalDependencies?.[DUCKDB_PACKAGE] ?? 'latest';
  } catch {
    return 'latest';
  }
}

/** The message for a missing DuckDB package: what is missing, and the command that installs it. */
export function duckdbMissingMessage(): string {
  return (
    `--engine duckdb needs the optional package ${DUCKDB_PACKAGE}, which is not installed. ` +
    `Install it where mobiseg is installed: npm install --save-exact ${DUCKDB_PACKAGE}@${pinnedVersion()}`
  );
}

/** Import @duckdb/node-api (or `specifier`, for tests); a missing package is a UsageError (exit 2). */
export async function loadDuckDb(specifier: string = DUCKDB_PACKAGE): Promise<DuckModule> {
  try {
    return (await import(specifier)) as DuckModule;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new UsageError(duckdbMissingMessage());
    throw e;
  }
}

/** The size of the database file past which reclaimDropped checkpoints. */
const RECLAIM_BYTES = 256 * 1024 * 1024;

export interface DuckSettings {
  /** e.g. "8GB"; DuckDB's default (80% of RAM) when absent */
  memoryLimit?: string;
  /** folder under which a private spill folder is made (and removed); the system's default when absent */
  tempDir: string;
  threads: number;
}

/** A DuckDB memory size as DuckDB reads it: a number and a unit (KB, MB, GB, TB, or KiB ... TiB). */
export function parseMemoryLimit(text: string): string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i.exec(text);
  if (!m || !(Number(m[1]) > 0)) throw new UsageError(`--memory-limit must be a size such as 8GB or 512MB, got "${text}"`);
  return `${m[1]}${m[2].toUpperCase().replace('IB', 'iB')}`;
}

/** The bytes of a size parseMemoryLimit accepted: KB, MB, GB, TB powers of 1000, KiB ... TiB of 1024 (as DuckDB reads them). */
export function memoryBytes(limit: string): number {
  const m = /^(\d+(?:\.\d+)?)(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/.exec(parseMemoryLimit(limit))!;
  const power = { B: 0, K: 1, M: 2, G: 3, T: 4 }[m[2][0] as 'B' | 'K' | 'M' | 'G' | 'T'];
  return Number(m[1]) * (m[2].endsWith('iB') ? 1024 : 1000) ** power;
}

export interface DuckSession {
  connection: DuckConnection;
  /** the private folder of the database file and the spill files */
  spillDir: string;
  /** run one statement, calling onProgress with DuckDB's percentage (0-100) while it runs */
  run(sql: string, onProgress?: (percent: number) => void): Promise<void>;
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  /**
   * Let the database file reuse the blocks of the tables dropped so far (a CHECKPOINT), when the file
   * is large enough for that to matter (RECLAIM_BYTES): without it, the file grows by every dropped
   * table; with it on every call, small runs would pay a sync of the file each time.
   */
  reclaimDropped(): Promise<void>;
  close(): void;
}

/**
 * Open a DuckDB database with the given limits in a private folder (its file and its spill files);
 * close() removes the folder. The database is a file rather than in memory because DuckDB compresses
 * the tables it stores in a file (bit packing, frame of reference, dictionaries) and not those it keeps
 * in memory or spills: the co-presence groups, the largest table, take about a fifth of the room
 * (bench/RESULTS.md, issue 17), and that is what bounds the input on a machine's disk.
 */
export async function openDuckSession(settings: DuckSettings, specifier?: string): Promise<DuckSession> {
  const duck = await loadDuckDb(specifier);
  mkdirSync(settings.tempDir, { recursive: true });
  const spillDir = mkdtempSync(join(settings.tempDir, 'mobiseg-duckdb-'));
  const databaseFile = join(spillDir, 'work.duckdb');
  const removeSpill = () => rmSync(spillDir, { recursive: true, force: true });
  // an interrupt while DuckDB works would leave its spill files behind
  const onSignal = (signal: NodeJS.Signals) => {
    removeSpill();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let instance: DuckInstance | undefined;
  let connection: DuckConnection | undefined;
  const close = () => {
    connection?.closeSync();
    instance?.closeSync();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    removeSpill();
  };
  try {
    const options: Record<string, string> = { threads: String(settings.threads), temp_directory: spillDir, preserve_insertion_order: 'true' };
    if (settings.memoryLimit) options.memory_limit = settings.memoryLimit;
    instance = await duck.DuckDBInstance.create(databaseFile, options);
    connection = await instance.connect();
    // times without a zone are UTC, as mobiseg's own readers take them; progress is tracked, not printed
    await connection.run("SET TimeZone = 'UTC'");
    // the file is scratch, removed at close: no checkpoint at shutdown, and none while tables are
    // made (large tables are written compressed to the file as they are made; a checkpoint, which
    // costs a sync of the file, only reclaims the blocks of dropped tables: see reclaimDropped)
    await connection.run('PRAGMA disable_checkpoint_on_shutdown');
    await connection.run("SET checkpoint_threshold = '1TB'");
    await connection.run('SET enable_progress_bar = true');
    await connection.run('SET enable_progress_bar_print = false');
  } catch (e) {
    close();
    throw e;
  }
  const conn = connection;
  return {
    connection: conn,
    spillDir,
    async run(sql, onProgress) {
      const timer = onProgress
        ? setInterval(() => {
            const p = conn.progress.percentage;
            if (p >= 0) onProgress(p);
          }, 250)
        : undefined;
      try {
        await conn.run(sql);
      } finally {
        if (timer) clearInterval(timer);
      }
    },
    async rows(sql) {
      return (await conn.runAndReadAll(sql)).getRowObjectsJS();
    },
    async reclaimDropped() {
      let bytes = 0;
      try {
        bytes = statSync(databaseFile).size;
      } catch {
        // not written yet: nothing to reclaim
      }
      if (bytes > RECLAIM_BYTES) await conn.run('CHECKPOINT');
    },
    close,
  };
}

/** A text as a SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A name as a SQL quoted identifier. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
