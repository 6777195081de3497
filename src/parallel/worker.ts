/**
 * Worker entry of the pool (pool.ts). Each message is one task: { moduleUrl, exportName, shared, args,
 * task }. The task module is imported once per worker (cached); the reply is { ok: true, result } or
 * { ok: false, error } so a throwing task rejects its job without killing the worker.
 */
import { parentPort } from 'node:worker_threads';

interface TaskMessage {
  moduleUrl: string;
  exportName: string;
  shared: Record<string, SharedArrayBuffer>;
  args: unknown;
  task: { start: number; end: number };
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

port.on('message', async (msg: TaskMessage) => {
  try {
    const fn = await load(msg.moduleUrl, msg.exportName);
    const result = await fn({ shared: msg.shared, args: msg.args, task: msg.task });
    port.postMessage({ ok: true, result }, transferables(result));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ ok: false, error: { name: err.name, message: err.message, stack: err.stack } });
  }
});
