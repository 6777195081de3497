/**
 * One planner run in its own worker thread, so that the server keeps answering (progress, cancel, other
 * pages) while the estimators hold this thread: runLoadedScenario into the run's folder, exactly as
 * `mobiseg scenario --out` does, then the page's tables and charts drawn from the files it wrote.
 *
 * Cancelling: the server sets a shared flag; every progress call (many per stage) reads it and aborts
 * the run's AbortSignal, which the scenario runner checks between stages. A thread busy computing
 * cannot receive messages, but it can read shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Progress } from '../estimate/progress.js';
import { InputError, OutputError, UsageError } from '../io/errors.js';
import { runLoadedScenario } from '../pipeline/scenario-run.js';
import { scenarioSeeds } from '../scenarios/scenario-file.js';
import { emptyProgress, type JobWorkerData, type JobWorkerMessage } from './job-messages.js';
import { plannerResult } from './planner-result.js';

/** Progress messages at most this often (ms), besides one per step, note and seed. */
const PROGRESS_INTERVAL_MS = 100;

const data = workerData as JobWorkerData;
const port = parentPort!;
const flag = new Int32Array(data.cancelFlag);
const controller = new AbortController();
const state = emptyProgress(scenarioSeeds(data.scenario).length);
let lastPost = 0;

function post(message: JobWorkerMessage): void {
  port.postMessage(message);
}

function checkCancel(): void {
  if (Atomics.load(flag, 0) !== 0 && !controller.signal.aborted) controller.abort(new Error('cancelled'));
}

function report(force: boolean): void {
  checkCancel();
  const now = Date.now();
  if (!force && now - lastPost < PROGRESS_INTERVAL_MS) return;
  lastPost = now;
  post({ kind: 'progress', progress: { ...state, warnings: [...state.warnings] } });
}

const progress: Progress = {
  start(label, total) {
    Object.assign(state, { step: label, done: 0, total });
    report(true);
  },
  update(done) {
    state.done = done;
    report(false);
  },
  stop() {
    state.done = state.total;
    report(false);
  },
  note(message) {
    state.note = message;
    report(true);
  },
  warn(message) {
    state.warnings.push(message);
    report(true);
  },
};

/** The message the page shows for a failed run: the CLI's words for bad input, else marked internal. */
function failure(e: unknown): string {
  if (e instanceof InputError || e instanceof UsageError || e instanceof OutputError) return e.message;
  return `internal error: ${e instanceof Error ? e.message : String(e)}`;
}

port.on('message', (m) => {
  if (m === 'cancel') checkCancel();
});

try {
  const run = await runLoadedScenario(
    data.scenario,
    `planner: ${data.scenario.name}`,
    data.outDir,
    {
      threads: data.threads,
      signal: controller.signal,
      onSeed: (done, total) => {
        Object.assign(state, { seedsDone: done, seedsTotal: total });
        report(true);
      },
    },
    progress,
  );
  progress.note('drawing the charts');
  controller.signal.throwIfAborted();
  post({ kind: 'done', result: await plannerResult(data.outDir), outputs: run.outputs, seconds: run.seconds });
} catch (e) {
  checkCancel();
  const cancelled = controller.signal.aborted;
  post({ kind: 'failed', cancelled, message: cancelled ? `cancelled after ${state.seedsDone} of ${state.seedsTotal} seeds` : failure(e) });
} finally {
  port.close();
}
