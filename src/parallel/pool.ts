/**
 * A small generic worker_threads pool for deterministic data-parallel jobs.
 *
 * A job names a task module (URL of an ES module) and an exported task function, shared inputs
 * (SharedArrayBuffers: seen by every worker without copying), small structured-cloneable `args`, and a
 * list of task ranges. Each range is run by `fn({ shared, args, task })` in some worker; the results come
 * back in task order, whatever the thread count or scheduling. Determinism is the task function's
 * contract: its result must depend only on (shared, args, task), e.g. by deriving one random stream per
 * unit of work with deriveSeed (src/math/random.ts), never per thread.
 *
 * A worker's result is structured-cloned back, except that the ArrayBuffers of typed arrays in it (the
 * result itself, or one level inside an array or object) are moved, not copied: a task returns arrays it
 * does not keep.
 *
 * With threads <= 1 the tasks run in the calling thread (same function, same inputs). A task that
 * throws rejects its job; a worker that dies rejects the job it was running. `close()` terminates the
 * workers; `runParallel` creates and closes a pool around one job. Idle workers are unref'd, so a pool
 * left open does not keep the process alive.
 *
 * Worker script resolution: compiled, this file is dist/src/parallel/pool.js and spawns worker.js beside
 * it; from TypeScript sources (vitest, tsx) it is pool.ts and spawns worker.ts through tsx (spawn-worker.ts).
 */
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from './spawn-worker.js';

/** A half-open range [start, end) of work units. */
export interface TaskRange {
  start: number;
  end: number;
}

/** What a task function receives. */
export interface TaskContext<A> {
  shared: Record<string, SharedArrayBuffer>;
  args: A;
  task: TaskRange;
}

/** A task function exported by a task module. */
export type TaskFunction<A, R> = (context: TaskContext<A>) => R | Promise<R>;

export interface ParallelJob<A> {
  /** URL (file:) of the ES module exporting the task function; usually the caller's import.meta.url. */
  moduleUrl: string;
  /** Name of the exported task function. */
  exportName: string;
  shared: Record<string, SharedArrayBuffer>;
  args: A;
  tasks: TaskRange[];
}

/** Split [0, total) into about `parts` contiguous ranges of near-equal size (no empty ranges). */
export function splitRange(total: number, parts: number): TaskRange[] {
  const k = Math.max(1, Math.min(Math.floor(parts), total));
  const ranges: TaskRange[] = [];
  if (total <= 0) return ranges;
  for (let p = 0; p < k; p++) {
    const start = Math.floor((p * total) / k);
    const end = Math.floor(((p + 1) * total) / k);
    if (end > start) ranges.push({ start, end });
  }
  return ranges;
}

/** Contiguous ranges of keys [0, nKeys) holding about equal rows each (offsets of a CSR), no empty range of keys. */
export function splitByOffsets(offsets: Int32Array, nKeys: number, parts: number): TaskRange[] {
  const total = offsets[nKeys];
  const ranges: TaskRange[] = [];
  let start = 0;
  for (let p = 1; p <= parts && start < nKeys; p++) {
    const target = Math.floor((p * total) / parts);
    let end = start + 1;
    while (end < nKeys && offsets[end] < target) end++;
    if (p === parts) end = nKeys;
    ranges.push({ start, end });
    start = end;
  }
  if (start < nKeys) ranges.push({ start, end: nKeys });
  return ranges;
}

/**
 * A SharedArrayBuffer holding exactly the bytes of a typed array (for a job's `shared` inputs): the
 * array's own buffer when it is already one (allocated with sharedArrays), else a copy.
 */
export function sharedBufferOf(a: Int32Array | Float64Array): SharedArrayBuffer {
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a.buffer;
  const buf = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(buf).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return buf;
}

/** Where a computation puts the large arrays it makes: ordinary memory, or memory workers can share. */
export interface ArrayAllocator {
  int32(n: number): Int32Array;
  float64(n: number): Float64Array;
}

export const heapArrays: ArrayAllocator = {
  int32: (n) => new Int32Array(n),
  float64: (n) => new Float64Array(n),
};

/** Arrays on SharedArrayBuffers: handed to pool workers by sharedBufferOf without a copy. */
export const sharedArrays: ArrayAllocator = {
  int32: (n) => new Int32Array(new SharedArrayBuffer(4 * n)),
  float64: (n) => new Float64Array(new SharedArrayBuffer(8 * n)),
};

/** Copy a typed array into a SharedArrayBuffer-backed Float64Array. */
export function sharedFloat64(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(values.length * Float64Array.BYTES_PER_ELEMENT));
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** One pool worker: worker.js beside this file (worker.ts through tsx from sources). */
function spawnWorker(): Worker {
  return spawnModuleWorker(import.meta.url, 'worker');
}

interface WorkItem {
  job: JobState;
  index: number;
}

interface JobState {
  message: { moduleUrl: string; exportName: string; shared: Record<string, SharedArrayBuffer>; args: unknown };
  tasks: TaskRange[];
  results: unknown[];
  remaining: number;
  failed: boolean;
  resolve: (results: unknown[]) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  current: WorkItem | null;
}

/** Message from worker.ts. */
interface WorkerReply {
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
}

/** A pool of `threads` workers (spawned lazily), reusable across jobs. */
export class WorkerPool {
  readonly threads: number;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: WorkItem[] = [];
  private closed = false;

  constructor(threads: number) {
    this.threads = Math.max(1, Math.floor(threads) || 1);
  }

  /** Run a job; resolves with one result per task, in task order. */
  async run<A, R>(job: ParallelJob<A>): Promise<R[]> {
    if (this.closed) throw new Error('WorkerPool: run() after close()');
    if (job.tasks.length === 0) return [];
    if (this.threads <= 1) return runInline<A, R>(job);
    return new Promise<R[]>((resolve, reject) => {
      const state: JobState = {
        message: { moduleUrl: job.moduleUrl, exportName: job.exportName, shared: job.shared, args: job.args },
        tasks: job.tasks,
        results: new Array(job.tasks.length),
        remaining: job.tasks.length,
        failed: false,
        resolve: resolve as (results: unknown[]) => void,
        reject,
      };
      for (let i = 0; i < job.tasks.length; i++) this.queue.push({ job: state, index: i });
      this.dispatch();
    });
  }

  /** Terminate all workers; pending jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    for (const item of this.queue.splice(0)) fail(item.job, new Error('WorkerPool closed'));
    const workers = this.workers.splice(0);
    for (const w of workers) if (w.current) fail(w.current.job, new Error('WorkerPool closed'));
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let idle = this.workers.find((w) => w.current === null);
      if (!idle && this.workers.length < this.threads) idle = this.spawn();
      if (!idle) return;
      const item = this.queue.shift()!;
      if (item.job.failed) continue;
      idle.current = item;
      idle.worker.ref();
      idle.worker.postMessage({ ...item.job.message, task: item.job.tasks[item.index] });
    }
  }

  private spawn(): PoolWorker {
    const worker = spawnWorker();
    const entry: PoolWorker = { worker, current: null };
    worker.on('message', (reply: WorkerReply) => {
      const item = entry.current;
      entry.current = null;
      if (item) {
        if (reply.ok) {
          item.job.results[item.index] = reply.result;
          if (--item.job.remaining === 0 && !item.job.failed) item.job.resolve(item.job.results);
        } else {
          const e = new Error(reply.error?.message ?? 'worker task failed');
          e.name = reply.error?.name ?? 'Error';
          if (reply.error?.stack) e.stack = reply.error.stack;
          fail(item.job, e);
        }
      }
      this.dispatch();
      // An idle worker does not keep the process alive (a forgotten close() cannot hang the CLI).
      if (entry.current === null) worker.unref();
    });
    const onDeath = (error: Error): void => {
      const k = this.workers.indexOf(entry);
      if (k >= 0) this.workers.splice(k, 1);
      if (entry.current) fail(entry.current.job, error);
      entry.current = null;
      if (!this.closed) this.dispatch();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => {
      if (!this.closed) onDeath(new Error(`worker exited with code ${code}`));
    });
    this.workers.push(entry);
    return entry;
  }
}

function fail(job: JobState, error: Error): void {
  if (job.failed) return;
  job.failed = true;
  job.reject(error);
}

async function loadTask<A, R>(moduleUrl: string, exportName: string): Promise<TaskFunction<A, R>> {
  const mod = (await import(moduleUrl)) as Record<string, unknown>;
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new Error(`${moduleUrl} does not export a function "${exportName}"`);
  return fn as TaskFunction<A, R>;
}

async function runInline<A, R>(job: ParallelJob<A>): Promise<R[]> {
  const fn = await loadTask<A, R>(job.moduleUrl, job.exportName);
  const results: R[] = [];
  for (const task of job.tasks) results.push(await fn({ shared: job.shared, args: job.args, task }));
  return results;
}

/** Run one job on a fresh pool of `threads` workers and close it. */
export async function runParallel<A, R>(job: ParallelJob<A> & { threads: number }): Promise<R[]> {
  const pool = new WorkerPool(job.threads);
  try {
    return await pool.run<A, R>(job);
  } finally {
    await pool.close();
  }
}

