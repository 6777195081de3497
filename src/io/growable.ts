/** Append-only typed arrays that double their capacity: column buffers for streamed rows. */

type NumericArray = Int32Array | Float64Array;

class Growable<T extends NumericArray> {
  length = 0;
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  reserve(extra: number): void {
    if (this.length + extra > this.data.length) this.grow(this.length + extra);
  }
  private grow(min: number): void {
    const next = this.make(Math.max(min, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /**
   * The filled part. A view of the buffer when at most a quarter of it is unused (no copy of a column that
   * was sized well); otherwise a trimmed copy, so a doubled buffer does not keep its slack alive.
   */
  finish(): T {
    if (this.length === this.data.length) return this.data;
    if (this.length >= 0.75 * this.data.length) return this.data.subarray(0, this.length) as T;
    return this.data.slice(0, this.length) as T;
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor() {
    super(new Int32Array(1024), (n) => new Int32Array(n));
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor() {
    super(new Float64Array(1024), (n) => new Float64Array(n));
  }
}
