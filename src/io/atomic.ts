/**
 * Atomic output: everything is written to a temporary sibling and renamed into place, so a failed run
 * leaves no half-written file. A write the system refuses (disk full, no permission, a file-size limit)
 * is raised as an OutputError naming the file asked for, after the temporary file is removed.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { asOutputError } from './errors.js';

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Write a whole file atomically (creating the folder if needed). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = temporarySibling(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw asOutputError(path, e);
  }
}

/** A write stream to a temporary file; `commit()` closes and renames it, `abort()` removes it. */
export interface AtomicStream {
  readonly stream: WriteStream;
  write(chunk: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): void;
}

export function openAtomicStream(path: string): AtomicStream {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw asOutputError(path, e);
  }
  const tmp = temporarySibling(path);
  const stream = createWriteStream(tmp);
  let failed: unknown;
  stream.on('error', (e) => (failed ??= asOutputError(path, e)));
  return {
    stream,
    write(chunk) {
      if (failed) return Promise.reject(failed);
      if (stream.write(chunk)) return Promise.resolve();
      // wait for drain or error, and remove the other listener either way (no listener build-up)
      return new Promise((res, rej) => {
        const onDrain = () => {
          stream.off('error', onError);
          res();
        };
        const onError = (e: Error) => {
          stream.off('drain', onDrain);
          rmSync(tmp, { force: true });
          rej(asOutputError(path, e));
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    commit() {
      return new Promise((res, rej) => {
        // end's callback gets the stream's error when the last writes or the close failed
        stream.end((err?: Error | null) => {
          if (err) failed ??= asOutputError(path, err);
          if (failed) {
            rmSync(tmp, { force: true });
            rej(failed);
            return;
          }
          try {
            renameSync(tmp, path);
            res();
          } catch (e) {
            rmSync(tmp, { force: true });
            rej(asOutputError(path, e));
          }
        });
      });
    },
    abort() {
      stream.destroy();
      rmSync(tmp, { force: true });
    },
  };
}
