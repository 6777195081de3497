/** What the server and a run's worker thread (job-worker.ts) tell each other. */
import type { Scenario } from '../scenarios/scenario-file.js';
import type { PlannerResult } from './planner-result.js';

/** Where a run is: seeds done, the current step with its count, the last note. */
export interface JobProgress {
  seedsDone: number;
  seedsTotal: number;
  /** the step under way (the estimators' progress label), its units done and total */
  step: string | null;
  done: number;
  total: number;
  note: string | null;
  warnings: string[];
}

export interface JobWorkerData {
  scenario: Scenario;
  outDir: string;
  threads: number;
  /** Int32 flag, set to 1 by the server to cancel: read by the worker at every progress call */
  cancelFlag: SharedArrayBuffer;
}

export type JobWorkerMessage =
  | { kind: 'progress'; progress: JobProgress }
  | { kind: 'done'; result: PlannerResult; outputs: string[]; seconds: number }
  | { kind: 'failed'; cancelled: boolean; message: string };

export function emptyProgress(seedsTotal: number): JobProgress {
  return { seedsDone: 0, seedsTotal, step: null, done: 0, total: 0, note: null, warnings: [] };
}
