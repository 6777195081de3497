/**
 * Progress on a terminal: a bar on stderr when stderr is a TTY and the run is not --quiet, nothing
 * otherwise (CI logs and pipes stay clean). Built on cli-progress.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  /** Start a step with a known total (rows, persons, replicates). */
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  /** A one-line status message (stderr, only where progress is shown). */
  note(message: string): void;
}

const silent: Progress = { start() {}, update() {}, stop() {}, note() {} };

export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || !stream.isTTY) return silent;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(label, total) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        { format: `${label.padEnd(28)} {bar} {percentage}% | {value}/{total} | {duration_formatted}`, stream, hideCursor: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
    note(message) {
      if (bar) bar.stop();
      bar = undefined;
      stream.write(`${message}\n`);
    },
  };
}
