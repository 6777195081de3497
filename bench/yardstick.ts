/**
 * The machine's own sequential memory scan speed, measured in the same run as a benchmark so that its
 * numbers can be read as a ratio: the sum of a 1 GiB Float64Array, median of 5, in GB/s.
 */
export function memoryScanGBps(): number {
  const a = new Float64Array(1 << 27); // 1 GiB
  for (let i = 0; i < a.length; i++) a[i] = i & 1023;
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    sink += s;
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((x, y) => x - y);
  if (sink === 42) console.log(''); // keep the sums observable
  return a.byteLength / 1e9 / times[2];
}

/**
 * The machine's random memory access cost: nanoseconds per read of an independent random cache line
 * in an Int32Array of `megabytes` MB (10 M reads, median of 5). The text-id lookups of the ingest
 * touch one such line in a table of this size, so their time follows this yardstick rather than the
 * scan speed. Addresses come from murmur3's finaliser of a counter: the low bits of a linear
 * congruential generator repeat with short periods and would give a falsely cache-friendly pattern.
 */
export function randomLineNs(megabytes: number): number {
  const words = (megabytes << 20) >> 2;
  const lines = words >> 4;
  const a = new Int32Array(words).fill(1);
  const reads = 10_000_000;
  const at = new Int32Array(reads);
  for (let k = 0; k < reads; k++) {
    let h = k + 1;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    at[k] = ((h >>> 0) % lines) << 4;
  }
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let s = 0;
    for (let k = 0; k < reads; k++) s += a[at[k]];
    sink += s;
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  if (sink === 42) console.log('');
  return (times[2] * 1e6) / reads;
}

/**
 * The machine's cost of fresh memory: GB/s of the first write to a newly allocated 256 MiB Float64Array
 * (a new one each time, median of 5). Every page written for the first time is a page fault that the
 * kernel (and, on a VM, the host) must back and zero; an ingest writes its file buffer and its graph
 * into such pages, so this rate sets a floor under its time that no code in the process can lower.
 */
export function firstTouchGBps(): number {
  const n = 1 << 25; // 256 MiB of doubles
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    const a = new Float64Array(n);
    const t0 = performance.now();
    for (let i = 0; i < n; i += 512) a[i] = i; // one write per 4 KiB page is enough to fault it in
    times.push((performance.now() - t0) / 1000);
    sink += a[n - 512];
  }
  times.sort((x, y) => x - y);
  if (sink === 42) console.log('');
  return (8 * n) / 1e9 / times[2];
}
