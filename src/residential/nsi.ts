/**
 * Jargowsky's neighbourhood sorting index for a continuous variable (income, SES).
 *
 * Jargowsky, P. A. (1996), "Take the money and run: economic segregation in U.S. metropolitan areas",
 * American Sociological Review 61(6): 984-998: NSI = sigma_N / sigma_H, the standard deviation of the
 * unit (neighbourhood) means over persons divided by the standard deviation over persons:
 *   NSI = sqrt( sum_j n_j (ybar_j - ybar)^2 / sum_i (y_i - ybar)^2 ),
 * i.e. the square root of the between-unit share of the variance (the correlation ratio eta). 0 when
 * every unit has the same mean, 1 when units are internally homogeneous.
 */

/**
 * NSI of values y_i in units unitOfPerson[i] in [0, nUnits) (-1 = unknown, skipped). NaN with fewer
 * than two persons or no variation.
 */
export function neighbourhoodSortingIndex(values: ArrayLike<number>, unitOfPerson: ArrayLike<number>, nUnits: number): number {
  if (values.length !== unitOfPerson.length) throw new RangeError(`neighbourhoodSortingIndex: ${values.length} values for ${unitOfPerson.length} units`);
  const n = new Float64Array(nUnits);
  const sum = new Float64Array(nUnits);
  let N = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const u = unitOfPerson[i];
    if (u < 0) continue;
    n[u]++;
    sum[u] += values[i];
    N++;
    total += values[i];
  }
  if (N < 2) return NaN;
  const mean = total / N;
  const unitMean = new Float64Array(nUnits);
  for (let j = 0; j < nUnits; j++) unitMean[j] = n[j] > 0 ? sum[j] / n[j] : 0;
  let totalSS = 0;
  for (let i = 0; i < values.length; i++) {
    const u = unitOfPerson[i];
    if (u < 0) continue;
    const d = values[i] - mean;
    totalSS += d * d;
  }
  if (!(totalSS > 0)) return NaN;
  let between = 0;
  for (let j = 0; j < nUnits; j++) if (n[j] > 0) between += n[j] * (unitMean[j] - mean) * (unitMean[j] - mean);
  return Math.sqrt(between / totalSS);
}
