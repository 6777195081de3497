/**
 * How long work reports its progress: a step with a known total, updates, and one-line notes. The
 * estimate seam only calls this interface; the terminal bar lives with the report (report/progress.ts)
 * and the planner page forwards it to the browser.
 */
export interface Progress {
  /** Start a step with a known total (rows, persons, replicates). */
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  /** A one-line status message. */
  note(message: string): void;
  /** Something the user should know about the result (shown even where progress is not). */
  warn(message: string): void;
}

/** Progress that shows nothing (tests, library callers, --quiet). */
export const silentProgress: Progress = { start() {}, update() {}, stop() {}, note() {}, warn() {} };

/** A progress that passes everything on to `progress` and keeps every warning (for the run manifest). */
export function recordingWarnings(progress: Progress): Progress & { readonly warnings: string[] } {
  const warnings: string[] = [];
  return {
    start: (label, total) => progress.start(label, total),
    update: (done) => progress.update(done),
    stop: () => progress.stop(),
    note: (message) => progress.note(message),
    warn(message) {
      warnings.push(message);
      progress.warn(message);
    },
    warnings,
  };
}
