/**
 * Errors for bad input and bad usage. The CLI prints `message` to stderr and exits with `exitCode`
 * (2 for input and usage errors). Messages name the file, the rows (first ten offenders) and the column.
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
