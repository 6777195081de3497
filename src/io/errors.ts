/**
 * Errors for bad input, bad usage and outputs the system refuses. The CLI prints `message` to stderr and
 * exits with `exitCode`: 2 for input and usage errors (messages name the file, the rows (first ten
 * offenders) and the column), 3 for an output that could not be written (disk full, no permission, a
 * file-size limit), which is neither the input's fault nor a bug.
 */

/** 1-based data row numbers (the header is not a row). At most ten are kept for the message. */
export const MAX_REPORTED_ROWS = 10;

export class InputError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly file?: string,
    readonly rows: number[] = [],
    readonly column?: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * An output file the system refused to write. `file` is the file the user asked for (never the temporary
 * sibling it is written through), `code` the system's error code (ENOSPC, EACCES, EFBIG, ...).
 */
export class OutputError extends Error {
  readonly exitCode = 3;
  constructor(
    readonly file: string,
    readonly code: string | undefined,
    reason: string,
  ) {
    super(`cannot write ${file}: ${reason}${code === undefined ? '' : ` (${code})`}`);
    this.name = 'OutputError';
  }
}

/** what the usual system errors on writing mean for the user */
const OUTPUT_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file-size limit (see ulimit -f)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error on the device',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
};

/**
 * The system error `e` met while writing `file`, as an OutputError naming that file; anything that is not
 * a system error (a bug) is returned as it is.
 */
export function asOutputError(file: string, e: unknown): unknown {
  if (e instanceof OutputError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (!(e instanceof Error) || typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return e;
  // Node's own message is "CODE: description, syscall 'path'": its description, without the temporary path
  const described = /^E[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1];
  return new OutputError(file, code, OUTPUT_REASONS[code] ?? described ?? e.message);
}

/** Format an input error: `file: reason in column "c" at rows 3, 9 (and 12 more)`. */
export function describeRowProblem(file: string, reason: string, column: string | undefined, rows: number[], total: number): string {
  const shown = rows.slice(0, MAX_REPORTED_ROWS).join(', ');
  const more = total > MAX_REPORTED_ROWS ? ` (and ${total - MAX_REPORTED_ROWS} more)` : '';
  const col = column === undefined ? '' : ` in column "${column}"`;
  return `${file}: ${reason}${col} at row${total === 1 ? '' : 's'} ${shown}${more}`;
}

/**
 * Row problems of one kind (reason + column) collected while streaming a file. With `dropInvalid`
 * the rows are dropped and counted; otherwise the first problem of the file is raised as an InputError
 * once the batch in which it occurs is finished (so the message lists up to ten offending rows).
 */
export class RowProblems {
  private readonly byKey = new Map<string, { reason: string; column?: string; rows: number[]; count: number }>();
  constructor(readonly file: string, readonly dropInvalid: boolean) {}

  add(reason: string, column: string | undefined, row: number): void {
    const key = `${reason}\u0000${column ?? ''}`;
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { reason, column, rows: [], count: 0 };
      this.byKey.set(key, entry);
    }
    entry.count++;
    if (entry.rows.length < MAX_REPORTED_ROWS) entry.rows.push(row);
  }

  get total(): number {
    let t = 0;
    for (const e of this.byKey.values()) t += e.count;
    return t;
  }

  /** Throw the first collected problem unless rows are being dropped. */
  throwIfFatal(): void {
    if (this.dropInvalid) return;
    for (const e of this.byKey.values()) {
      throw new InputError(describeRowProblem(this.file, e.reason, e.column, e.rows, e.count), this.file, e.rows, e.column, e.reason);
    }
  }

  /** Drop counts by reason, for the manifest: { "non-finite ses (column ses)": 12 }. */
  dropCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.byKey.values()) {
      const key = e.column === undefined ? e.reason : `${e.reason} (column ${e.column})`;
      out[key] = (out[key] ?? 0) + e.count;
    }
    return out;
  }
}
