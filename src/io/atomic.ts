/**
 * Atomic output: everything is written to a temporary sibling and renamed into place, so a failed run
 * leaves no half-written file.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Write a whole file atomically (creating the folder if needed). */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = temporarySibling(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
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
  mkdirSync(dirname(path), { recursive: true });
  const tmp = temporarySibling(path);
  const stream = createWriteStream(tmp);
  let failed: Error | undefined;
  stream.on('error', (e) => (failed = e));
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
          rej(e);
        };
        stream.once('drain', onDrain);
        stream.once('error', onError);
      });
    },
    commit() {
      return new Promise((res, rej) => {
        stream.end(() => {
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
            rej(e);
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
