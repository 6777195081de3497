/**
 * Atomic output: everything is written to a temporary sibling and renamed into place, so a failed run
 * leaves no half-written file. A write the system refuses (disk full, no permission, a file-size limit)
 * is raised as an OutputError naming the file asked for, after the temporary file is removed. A run
 * interrupted (Ctrl-C, SIGTERM, a closed terminal) while a stream is open removes that stream's temporary
 * file, then dies of the same signal.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { asOutputError } from './errors.js';

function temporarySibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** temporary files of streams not yet committed or aborted (a whole-buffer write is synchronous) */
const openTemporaries = new Set<string>();
const INTERRUPTS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function removeTemporariesAndDie(signal: NodeJS.Signals): void {
  for (const tmp of openTemporaries) rmSync(tmp, { force: true });
  openTemporaries.clear();
  for (const s of INTERRUPTS) process.off(s, removeTemporariesAndDie);
  // end as the signal would have ended the process without this handler (unless someone else listens)
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/**
 * The signal handlers are installed only while a temporary file is open: a handler stops a signal from
 * ending the process at once, and during a long computation (no file open) Ctrl-C must still stop it.
 */
function holdTemporary(tmp: string): void {
  if (openTemporaries.size === 0) for (const s of INTERRUPTS) process.on(s, removeTemporariesAndDie);
  openTemporaries.add(tmp);
}

function dropTemporary(tmp: string, remove: boolean): void {
  if (remove) rmSync(tmp, { force: true });
  if (openTemporaries.delete(tmp) && openTemporaries.size === 0) for (const s of INTERRUPTS) process.off(s, removeTemporariesAndDie);
}

/** The folder of an output file, made if missing (a refusal is an OutputError naming the file). */
function makeFolderOf(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw asOutputError(path, e);
  }
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

/**
 * Write a file atomically through a writer that takes a path (an external tool, e.g. a database's COPY):
 * `write` fills the temporary sibling it is given, which is then renamed to `path`; on any failure, or
 * an interrupt meanwhile, the temporary file is removed.
 */
export async function writeThroughTemporary(path: string, write: (temporaryPath: string) => Promise<void>): Promise<void> {
  makeFolderOf(path);
  const tmp = temporarySibling(path);
  holdTemporary(tmp);
  try {
    await write(tmp);
    renameSync(tmp, path);
    dropTemporary(tmp, false);
  } catch (e) {
    dropTemporary(tmp, true);
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
  makeFolderOf(path);
  const tmp = temporarySibling(path);
  holdTemporary(tmp);
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
          dropTemporary(tmp, true);
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
            dropTemporary(tmp, true);
            rej(failed);
            return;
          }
          try {
            renameSync(tmp, path);
            dropTemporary(tmp, false);
            res();
          } catch (e) {
            dropTemporary(tmp, true);
            rej(asOutputError(path, e));
          }
        });
      });
    },
    abort() {
      stream.destroy();
      dropTemporary(tmp, true);
    },
  };
}
