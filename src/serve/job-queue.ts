/**
 * The planner's runs: one global first-in first-out queue, one run at a time (a run already uses every
 * thread it is given), and at most one queued or running run per client (by remote address: a second
 * submission is refused with 409). Each run gets its own folder under the server's work folder and its
 * own worker thread (job-worker.ts); a run that fails, is cancelled or whose thread dies ends in state
 * failed or cancelled with its message, and the queue moves on. The last `keep` finished runs are kept
 * (their files can be downloaded); older ones are forgotten and their folders removed.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { spawnModuleWorker } from '../parallel/spawn-worker.js';
import { scenarioSeeds, type Scenario } from '../scenarios/scenario-file.js';
import { HttpError } from './http.js';
import { emptyProgress, type JobProgress, type JobWorkerData, type JobWorkerMessage } from './job-messages.js';
import type { PlannerResult } from './planner-result.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  readonly id: string;
  readonly client: string;
  readonly scenario: Scenario;
  readonly outDir: string;
  state: JobState;
  progress: JobProgress;
  message: string | null;
  result: PlannerResult | null;
  outputs: string[];
  seconds: number | null;
  readonly created: Date;
  started: Date | null;
  finished: Date | null;
}

/** A job as the page sees it (GET /api/jobs/:id). */
export interface JobStatus {
  id: string;
  name: string;
  state: JobState;
  /** runs ahead of this one in the queue (queued runs only) */
  ahead: number | null;
  progress: JobProgress;
  message: string | null;
  outputs: string[];
  seconds: number | null;
  created: string;
  started: string | null;
  finished: string | null;
}

export interface JobQueueOptions {
  /** the runs' folders go below it (one per run) */
  workDir: string;
  threads: number;
  /** finished runs kept */
  keep?: number;
  /** one line per run started or ended */
  log?: (line: string) => void;
}

const ACTIVE: ReadonlySet<JobState> = new Set(['queued', 'running']);

interface Running {
  job: Job;
  worker: Worker;
  cancelFlag: Int32Array;
  ended: Promise<void>;
}

export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly waiting: Job[] = [];
  private running: Running | null = null;
  private closed = false;
  private readonly keep: number;
  private readonly log: (line: string) => void;
  /** resolves when the queue is empty and nothing runs (tests, shutdown) */
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: JobQueueOptions) {
    this.keep = options.keep ?? 20;
    this.log = options.log ?? (() => {});
  }

  /** Queue a run for `client`; 409 while the client has one queued or running. */
  submit(client: string, scenario: Scenario): Job {
    if (this.closed) throw new HttpError(503, 'the server is shutting down');
    const mine = [...this.jobs.values()].find((j) => j.client === client && ACTIVE.has(j.state));
    if (mine) throw new HttpError(409, `you have a run ${mine.state} already (${mine.id}): wait for it or cancel it first`, { job: mine.id, state: mine.state });
    const id = randomUUID();
    const job: Job = {
      id,
      client,
      scenario,
      outDir: join(this.options.workDir, id),
      state: 'queued',
      progress: emptyProgress(scenarioSeeds(scenario).length),
      message: null,
      result: null,
      outputs: [],
      seconds: null,
      created: new Date(),
      started: null,
      finished: null,
    };
    this.jobs.set(id, job);
    this.waiting.push(job);
    this.pump();
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Cancel a run of `client`: a queued run at once, a running one at the next stage boundary. */
  cancel(id: string, client: string): Job {
    const job = this.jobs.get(id);
    if (!job) throw new HttpError(404, `no run ${id}`);
    if (job.client !== client) throw new HttpError(403, 'only the client that started a run may cancel it');
    if (job.state === 'queued') {
      this.waiting.splice(this.waiting.indexOf(job), 1);
      this.finish(job, 'cancelled', 'cancelled before it started');
      this.pump();
    } else if (job.state === 'running' && this.running?.job === job) {
      Atomics.store(this.running.cancelFlag, 0, 1);
      this.running.worker.postMessage('cancel');
      job.progress = { ...job.progress, note: 'cancelling: stops at the end of the current step' };
    }
    return job;
  }

  status(job: Job): JobStatus {
    const at = this.waiting.indexOf(job);
    return {
      id: job.id,
      name: job.scenario.name,
      state: job.state,
      ahead: job.state === 'queued' ? at + (this.running ? 1 : 0) : null,
      progress: job.progress,
      message: job.message,
      outputs: job.outputs,
      seconds: job.seconds,
      created: job.created.toISOString(),
      started: job.started?.toISOString() ?? null,
      finished: job.finished?.toISOString() ?? null,
    };
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancel everything, stop the running thread, remove every run's folder. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) this.finish(job, 'cancelled', 'the server stopped');
    const r = this.running;
    if (r) {
      Atomics.store(r.cancelFlag, 0, 1);
      await r.worker.terminate();
      await r.ended;
    }
    for (const job of this.jobs.values()) rmSync(job.outDir, { recursive: true, force: true });
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const job = this.waiting.shift();
    if (!job) {
      for (const w of this.idleWaiters.splice(0)) w();
      return;
    }
    this.start(job);
  }

  private start(job: Job): void {
    job.state = 'running';
    job.started = new Date();
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    const data: JobWorkerData = { scenario: job.scenario, outDir: job.outDir, threads: this.options.threads, cancelFlag: cancelFlag.buffer as SharedArrayBuffer };
    const worker = spawnModuleWorker(import.meta.url, 'job-worker', { workerData: data });
    this.log(`run ${job.id} (${job.scenario.name}) started`);
    let ended = false;
    const end = (state: JobState, message: string | null) => {
      if (ended) return;
      ended = true;
      this.finish(job, state, message);
    };
    worker.on('message', (m: JobWorkerMessage) => {
      if (m.kind === 'progress') job.progress = m.progress;
      else if (m.kind === 'done') {
        job.result = m.result;
        job.outputs = m.outputs;
        job.seconds = m.seconds;
        end('done', null);
      } else end(m.cancelled ? 'cancelled' : 'failed', m.message);
    });
    worker.on('error', (e) => end(Atomics.load(cancelFlag, 0) ? 'cancelled' : 'failed', `internal error: ${e.message}`));
    const exited = new Promise<void>((resolve) => {
      worker.on('exit', (code) => {
        if (this.closed) end('cancelled', 'the server stopped');
        else end(Atomics.load(cancelFlag, 0) ? 'cancelled' : 'failed', `the run stopped unexpectedly (worker exit code ${code})`);
        this.running = null;
        resolve();
        this.pump();
      });
    });
    this.running = { job, worker, cancelFlag, ended: exited };
  }

  private finish(job: Job, state: JobState, message: string | null): void {
    job.state = state;
    job.message = message;
    job.finished = new Date();
    this.log(`run ${job.id} (${job.scenario.name}) ${state}${message ? `: ${message}` : ''}`);
    if (state !== 'done') rmSync(job.outDir, { recursive: true, force: true });
    this.forgetOld();
  }

  /** Keep the last `keep` finished runs. */
  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => !ACTIVE.has(j.state));
    for (const job of finished.slice(0, Math.max(0, finished.length - this.keep))) {
      this.jobs.delete(job.id);
      rmSync(job.outDir, { recursive: true, force: true });
    }
  }
}
