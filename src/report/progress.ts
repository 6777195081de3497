/**
 * Progress on a terminal: a bar on stderr when stderr is a TTY and the run is not --quiet, nothing
 * otherwise (CI logs and pipes stay clean). Built on cli-progress.
 */
import cliProgress from 'cli-progress';
import { silentProgress, type Progress } from '../estimate/progress.js';

export type { Progress } from '../estimate/progress.js';

export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  // warnings go to stderr always, progress only to a terminal and without --quiet
  const warn = (message: string) => void stream.write(`mobiseg: warning: ${message}\n`);
  if (options.quiet || !stream.isTTY) return { ...silentProgress, warn };
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
    warn(message) {
      if (bar) bar.stop();
      bar = undefined;
      warn(message);
    },
  };
}
