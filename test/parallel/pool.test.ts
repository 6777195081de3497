/**
 * The worker pool: results in task order whatever the thread count, shared memory without copies,
 * errors as rejections, and reuse across jobs. Under vitest the pool spawns worker.ts with tsx.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { heapArrays, runParallel, sharedArrays, sharedBufferOf, sharedFloat64, splitRange, WorkerPool } from '../../src/parallel/pool.js';

const tasksUrl = new URL('./fixtures/tasks.ts', import.meta.url).href;

describe('splitRange', () => {
  it('covers [0, total) with contiguous, non-empty, near-equal ranges', () => {
    expect(splitRange(10, 3)).toEqual([{ start: 0, end: 3 }, { start: 3, end: 6 }, { start: 6, end: 10 }]);
    expect(splitRange(2, 8)).toEqual([{ start: 0, end: 1 }, { start: 1, end: 2 }]);
    expect(splitRange(0, 4)).toEqual([]);
    expect(splitRange(5, 1)).toEqual([{ start: 0, end: 5 }]);
  });
});

describe('runParallel', () => {
  const values = sharedFloat64(Float64Array.from({ length: 1000 }, (_, i) => i + 1));
  const tasks = splitRange(1000, 16);

  it('gives the same results, in task order, on 1 and 2 threads', async () => {
    const job = { moduleUrl: tasksUrl, exportName: 'scaledSum', shared: { values: values.buffer as SharedArrayBuffer }, args: { factor: 2 }, tasks };
    const one = await runParallel<{ factor: number }, { start: number; sum: number; thread: number }>({ ...job, threads: 1 });
    const two = await runParallel<{ factor: number }, { start: number; sum: number; thread: number }>({ ...job, threads: 2 });
    expect(one.map((r) => r.start)).toEqual(tasks.map((t) => t.start));
    expect(two.map((r) => r.sum)).toEqual(one.map((r) => r.sum));
    // sum of 2 * (1..1000) = 1000 * 1001
    expect(two.reduce((s, r) => s + r.sum, 0)).toBe(1000 * 1001);
    // threads = 1 runs inline; threads = 2 really uses worker threads.
    expect(new Set(one.map((r) => r.thread))).toEqual(new Set([0]));
    expect(two.every((r) => r.thread !== 0)).toBe(true);
  });

  it('workers write into shared memory seen by the caller', async () => {
    const out = new Float64Array(new SharedArrayBuffer(8 * 100));
    const counts = await runParallel<null, number>({ moduleUrl: tasksUrl, exportName: 'writeSquares', shared: { out: out.buffer as SharedArrayBuffer }, args: null, tasks: splitRange(100, 7), threads: 2 });
    expect(counts.reduce((s, c) => s + c, 0)).toBe(100);
    expect(out[99]).toBe(99 * 99);
    expect(Array.from(out.slice(0, 5))).toEqual([0, 1, 4, 9, 16]);
  });

  it('returns typed arrays from workers (moved, not copied) with the values the task computed', async () => {
    type Typed = { whole: Float64Array; view: Int32Array; pair: [Int32Array, Int32Array] };
    const tasks = splitRange(40, 4);
    for (const threads of [1, 2]) {
      const results = await runParallel<null, Typed>({ moduleUrl: tasksUrl, exportName: 'typedArrays', shared: {}, args: null, tasks, threads });
      results.forEach((r, k) => {
        const { start, end } = tasks[k];
        expect(Array.from(r.whole)).toEqual(Array.from({ length: end - start }, (_, i) => (start + i) / 2));
        expect(Array.from(r.view)).toEqual(Array.from({ length: end - start }, (_, i) => start + 5 + i));
        expect(Array.from(r.pair[1])).toEqual(Array.from({ length: end - start }, (_, i) => -(end - start + i)));
      });
    }
  });

  it('async tasks finishing out of order still come back in task order', async () => {
    const r = await runParallel<null, number>({ moduleUrl: tasksUrl, exportName: 'delayedEcho', shared: {}, args: null, tasks: splitRange(12, 12), threads: 2 });
    expect(r).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('a throwing task rejects the job with its error (inline and in workers)', async () => {
    const job = { moduleUrl: tasksUrl, exportName: 'failsOnThirteen', shared: {}, args: null, tasks: splitRange(20, 20) };
    await expect(runParallel({ ...job, threads: 1 })).rejects.toThrow('thirteen is unlucky');
    await expect(runParallel({ ...job, threads: 2 })).rejects.toThrow('thirteen is unlucky');
  });

  it('a missing export and a dying worker reject', async () => {
    await expect(runParallel({ moduleUrl: tasksUrl, exportName: 'nope', shared: {}, args: null, tasks: splitRange(4, 2), threads: 2 })).rejects.toThrow(/does not export a function "nope"/);
    await expect(runParallel({ moduleUrl: tasksUrl, exportName: 'exitsWorker', shared: {}, args: null, tasks: splitRange(4, 4), threads: 2 })).rejects.toThrow(/exited with code 3/);
  });
});

describe('WorkerPool reuse', () => {
  it('runs several jobs (also concurrently) on the same workers and closes', async () => {
    const pool = new WorkerPool(2);
    try {
      const v1 = sharedFloat64([1, 2, 3, 4]);
      const v2 = sharedFloat64([10, 20, 30, 40]);
      const [r1, r2] = await Promise.all([
        pool.run<{ factor: number }, { sum: number }>({ moduleUrl: tasksUrl, exportName: 'scaledSum', shared: { values: v1.buffer as SharedArrayBuffer }, args: { factor: 1 }, tasks: splitRange(4, 2) }),
        pool.run<{ factor: number }, { sum: number }>({ moduleUrl: tasksUrl, exportName: 'scaledSum', shared: { values: v2.buffer as SharedArrayBuffer }, args: { factor: 3 }, tasks: splitRange(4, 2) }),
      ]);
      expect(r1.map((r) => r.sum)).toEqual([3, 7]);
      expect(r2.map((r) => r.sum)).toEqual([90, 210]);
      // A failed job does not break the pool for the next one.
      await expect(pool.run({ moduleUrl: tasksUrl, exportName: 'failsOnThirteen', shared: {}, args: null, tasks: splitRange(20, 4) })).rejects.toThrow();
      const again = await pool.run<null, number>({ moduleUrl: tasksUrl, exportName: 'delayedEcho', shared: {}, args: null, tasks: splitRange(3, 3) });
      expect(again).toEqual([0, 1, 2]);
    } finally {
      await pool.close();
    }
    await expect(pool.run({ moduleUrl: tasksUrl, exportName: 'delayedEcho', shared: {}, args: null, tasks: splitRange(3, 3) })).rejects.toThrow(/after close/);
  });
});

describe('idle workers', () => {
  it('do not keep the process alive when a pool is never closed', () => {
    const script = fileURLToPath(new URL('./fixtures/forgotten-close.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error).toBeUndefined();
    expect(r.stdout).toBe('done 0,1,2,3\n');
    expect(r.status).toBe(0);
  });
});

describe('sharedBufferOf', () => {
  it('hands over an array made by sharedArrays as it is, and copies any other array (or a view) exactly', () => {
    const made = sharedArrays.float64(5);
    made.set([1, 2, 3, 4, 5]);
    expect(sharedBufferOf(made)).toBe(made.buffer);
    const plain = heapArrays.int32(6);
    plain.set([7, 8, 9, 10, 11, 12]);
    const view = plain.subarray(2, 5);
    const copy = sharedBufferOf(view);
    expect(copy).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(new Int32Array(copy))).toEqual([9, 10, 11]);
    // a view of a shared array is copied too (workers see whole buffers)
    const sharedView = made.subarray(1, 3);
    expect(sharedBufferOf(sharedView)).not.toBe(made.buffer);
    expect(Array.from(new Float64Array(sharedBufferOf(sharedView)))).toEqual([2, 3]);
  });
});
