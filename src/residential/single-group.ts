/**
 * Single-group (two-group) residential segregation indices: a group of interest with counts x_i in units
 * of total t_i, against the rest y_i = t_i - x_i. Notation: X = sum x_i, T = sum t_i, P = X / T,
 * p_i = x_i / t_i (0 for an empty unit, which then carries no weight). Definitions follow Massey &
 * Denton (1988), "The dimensions of residential segregation", Social Forces 67(2): 281-315, and agree
 * with pysal/segregation's implementations (checked against its Sacramento tests in
 * data/residential/EXPECTED.md). A group absent from the region (P = 0) or making up all of it (P = 1)
 * leaves the evenness indices undefined: they return NaN.
 */
function totals(x: ArrayLike<number>, t: ArrayLike<number>): { X: number; T: number } {
  if (x.length !== t.length) throw new RangeError(`single-group index: ${x.length} group counts for ${t.length} unit totals`);
  let X = 0;
  let T = 0;
  for (let i = 0; i < x.length; i++) {
    X += x[i];
    T += t[i];
  }
  return { X, T };
}

function share(x: number, t: number): number {
  return t > 0 ? x / t : 0;
}

/**
 * Index of dissimilarity D = sum_i t_i |p_i - P| / (2 T P (1 - P)) (Duncan & Duncan 1955; Massey &
 * Denton 1988): the share of the group that would have to move for every unit to have share P.
 */
export function dissimilarity(x: ArrayLike<number>, t: ArrayLike<number>): number {
  const { X, T } = totals(x, t);
  const P = X / T;
  if (!(P > 0 && P < 1)) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += t[i] * Math.abs(share(x[i], t[i]) - P);
  return s / (2 * T * P * (1 - P));
}

/**
 * Isolation xPx = sum_i (x_i / X)(x_i / t_i) (Lieberson; Massey & Denton 1988): the group share in
 * the unit of the average group member. Empty units contribute 0.
 */
export function isolation(x: ArrayLike<number>, t: ArrayLike<number>): number {
  const { X } = totals(x, t);
  if (!(X > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) if (t[i] > 0) s += (x[i] / X) * (x[i] / t[i]);
  return s;
}

/**
 * Interaction (exposure to the rest) xPy = sum_i (x_i / X)(y_i / t_i), y_i = t_i - x_i (Massey & Denton
 * 1988). Equals 1 - xPx.
 */
export function interaction(x: ArrayLike<number>, t: ArrayLike<number>): number {
  const { X } = totals(x, t);
  if (!(X > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) if (t[i] > 0) s += (x[i] / X) * ((t[i] - x[i]) / t[i]);
  return s;
}

/**
 * Atkinson index A_b = 1 - P / (1 - P) |sum_i (1 - p_i)^(1-b) p_i^b t_i / (P T)|^(1 / (1 - b)), 0 <= b < 1
 * (Atkinson 1970; Massey & Denton 1988); b = 0.5 by default as in pysal/segregation.
 */
export function atkinson(x: ArrayLike<number>, t: ArrayLike<number>, b = 0.5): number {
  if (!(b >= 0 && b < 1)) throw new RangeError(`atkinson: b must be in [0, 1), got ${b}`);
  const { X, T } = totals(x, t);
  const P = X / T;
  if (!(P > 0 && P < 1)) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const p = share(x[i], t[i]);
    s += Math.pow(1 - p, 1 - b) * Math.pow(p, b) * t[i];
  }
  return 1 - (P / (1 - P)) * Math.pow(Math.abs(s / (P * T)), 1 / (1 - b));
}

/**
 * S = sum_i sum_j w_i w_j |v_i - v_j| over all ordered pairs, in O(n log n): with the units sorted by v,
 * each unordered pair contributes w_i w_j (v_j - v_i) = the running sums W_j (of w) and S_j (of w v)
 * before j give sum_j w_j (v_j W_j - S_j), doubled for ordered pairs.
 */
export function sumWeightedAbsoluteDifferences(v: ArrayLike<number>, w: ArrayLike<number>): number {
  const n = v.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => v[a] - v[b]);
  let W = 0;
  let S = 0;
  let half = 0;
  for (const j of order) {
    half += w[j] * (v[j] * W - S);
    W += w[j];
    S += w[j] * v[j];
  }
  return 2 * half;
}

/**
 * Gini segregation index G = sum_i sum_j t_i t_j |p_i - p_j| / (2 T^2 P (1 - P)) (Massey & Denton 1988).
 */
export function gini(x: ArrayLike<number>, t: ArrayLike<number>): number {
  const { X, T } = totals(x, t);
  const P = X / T;
  if (!(P > 0 && P < 1)) return NaN;
  const p = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) p[i] = share(x[i], t[i]);
  return sumWeightedAbsoluteDifferences(p, t) / (2 * T * T * P * (1 - P));
}

/**
 * Theil's entropy index H = sum_i t_i (E - E_i) / (E T), with E = P ln(1/P) + (1-P) ln(1/(1-P)) the
 * regional entropy and E_i the same for unit i (0 ln 0 = 0) (Theil & Finizza 1971; Massey & Denton 1988).
 * Base-free (a ratio of entropies).
 */
export function theilEntropyIndex(x: ArrayLike<number>, t: ArrayLike<number>): number {
  const { X, T } = totals(x, t);
  const P = X / T;
  if (!(P > 0 && P < 1)) return NaN;
  const ent = (q: number) => (q > 0 ? -q * Math.log(q) : 0) + (q < 1 ? -(1 - q) * Math.log(1 - q) : 0);
  const E = ent(P);
  let s = 0;
  for (let i = 0; i < x.length; i++) if (t[i] > 0) s += t[i] * (E - ent(x[i] / t[i]));
  return s / (E * T);
}

/**
 * Correlation ratio (eta squared) V = (xPx - P) / (1 - P) (Bell 1954; Massey & Denton 1988): the
 * isolation index adjusted for the group's share.
 */
export function correlationRatio(x: ArrayLike<number>, t: ArrayLike<number>): number {
  const { X, T } = totals(x, t);
  const P = X / T;
  if (!(P > 0 && P < 1)) return NaN;
  return (isolation(x, t) - P) / (1 - P);
}

/**
 * Cutler, Glaeser & Vigdor (1999, "The rise and decline of the American ghetto", JPE 107(3), data
 * appendix) correction for indices computed on wards instead of tracts: tract-equivalent D = D_ward +
 * 0.152, isolation = isolation_ward + 0.157. Only meaningful for ward-based inputs.
 */
export const WARD_TO_TRACT_CORRECTION = { dissimilarity: 0.152, isolation: 0.157 } as const;

/** Ward-to-tract corrected value: value + the Cutler/Glaeser/Vigdor constant for that index. */
export function wardCorrected(index: keyof typeof WARD_TO_TRACT_CORRECTION, value: number): number {
  return value + WARD_TO_TRACT_CORRECTION[index];
}
