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
