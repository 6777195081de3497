/** Zipf popularity for the bench inputs: index q in 0..n-1 with weight 1 / (q + 1)^exponent. */
export function zipfSampler(n: number, exponent: number): (u: number) => number {
  const cum = new Float64Array(n);
  let acc = 0;
  for (let q = 0; q < n; q++) cum[q] = acc += 1 / Math.pow(q + 1, exponent);
  /** the index of a uniform draw u in [0, 1), by binary search of the cumulative weights */
  return (u: number) => {
    const x = u * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}
