/**
 * Worker entry of the pool (pool.ts). Each message is one job: { job, claims, moduleUrl, exportName,
 * shared, args, tasks }, posted to every worker of the pool. The worker claims the job's tasks from the
 * shared counter `claims` (Atomics.add, so each task is run by exactly one worker) and runs them until
 * none is left or a task has failed, replying { kind: 'result', job, index, ok, result | error } per
 * task and { kind: 'done', job } at the end. Jobs are run one after the other, in the order they came.
 * The task module is imported once per worker (cached); a throwing task rejects its job without
 * killing the worker.
 */
import { parentPort } from 'node:worker_threads';

interface JobMessage {
  job: number;
  /** [next task index to claim, 1 once a task has failed] */
  claims: SharedArrayBuffer;
  moduleUrl: string;
  exportName: string;
  shared: Record<string, SharedArrayBuffer>;
  args: unknown;
  tasks: Array<{ start: number; end: number }>;
}

type AnyTask = (context: { shared: Record<string, SharedArrayBuffer>; args: unknown; task: { start: number; end: number } }) => unknown;

const loaded = new Map<string, Promise<AnyTask>>();

function load(moduleUrl: string, exportName: string): Promise<AnyTask> {
  const key = `${moduleUrl}#${exportName}`;
  let fn = loaded.get(key);
  if (!fn) {
    fn = import(moduleUrl).then((mod: Record<string, unknown>) => {
      const f = mod[exportName];
      if (typeof f !== 'function') throw new Error(`${moduleUrl} does not export a function "${exportName}"`);
      return f as AnyTask;
    });
    loaded.set(key, fn);
  }
  return fn;
}

/**
 * The ArrayBuffers behind the typed arrays of a result (itself, or inside an array or object, one level
 * down): moved to the calling thread instead of copied. A result of 10^8 partners is 400 MB.
 */
function transferables(result: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const visit = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
  };
  visit(result);
  if (Array.isArray(result)) result.forEach(visit);
  else if (result !== null && typeof result === 'object' && !ArrayBuffer.isView(result)) Object.values(result).forEach(visit);
  return [...buffers];
}

if (!parentPort) throw new Error('src/parallel/worker: must run as a worker thread');
const port = parentPort;

async function runJob(msg: JobMessage): Promise<void> {
  const claims = new Int32Array(msg.claims);
  for (;;) {
    if (Atomics.load(claims, 1) !== 0) break;
    const index = Atomics.add(claims, 0, 1);
    if (index >= msg.tasks.length) break;
    try {
      const fn = await load(msg.moduleUrl, msg.exportName);
      const result = await fn({ shared: msg.shared, args: msg.args, task: msg.tasks[index] });
      port.postMessage({ kind: 'result', job: msg.job, index, ok: true, result }, transferables(result));
    } catch (e) {
      Atomics.store(claims, 1, 1);
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({ kind: 'result', job: msg.job, index, ok: false, error: { name: err.name, message: err.message, stack: err.stack } });
    }
  }
  port.postMessage({ kind: 'done', job: msg.job });
}

// one job after the other, in the order they were posted
let queue: Promise<void> = Promise.resolve();
port.on('message', (msg: JobMessage) => {
  queue = queue.then(() => runJob(msg));
});
