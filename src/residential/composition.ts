/**
 * Residential composition: the units x groups count matrix every residential index reads.
 *
 * A `CountMatrix` holds counts n_ik (unit i, group k) row-major in a Float64Array of length
 * nUnits * nGroups. A `Composition` adds the unit ids and group names. Builders here turn the usual
 * inputs into one: wide count columns, shares times a total column, a long (unit, group, count) table,
 * or persons' home tracts with SES cut into groups (median split, quartiles). Validation errors name the
 * unit (and the file and row when the caller gives them), as InputError.
 */
import { InputError } from '../io/errors.js';
import { quantileSorted } from '../math/stats.js';

export interface CountMatrix {
  readonly nUnits: number;
  readonly nGroups: number;
  /** n_ik at [i * nGroups + k] */
  readonly counts: Float64Array;
}

export interface Composition extends CountMatrix {
  readonly unitIds: readonly string[];
  readonly groupNames: readonly string[];
}

/** A CountMatrix view of raw counts, checking the length. */
export function countMatrix(counts: Float64Array, nUnits: number, nGroups: number): CountMatrix {
  if (counts.length !== nUnits * nGroups) {
    throw new RangeError(`countMatrix: ${counts.length} counts for ${nUnits} units x ${nGroups} groups`);
  }
  return { nUnits, nGroups, counts };
}

/** Unit totals t_i = sum_k n_ik. */
export function unitTotals(m: CountMatrix): Float64Array {
  const t = new Float64Array(m.nUnits);
  for (let i = 0; i < m.nUnits; i++) {
    let s = 0;
    for (let k = 0; k < m.nGroups; k++) s += m.counts[i * m.nGroups + k];
    t[i] = s;
  }
  return t;
}

/** Group totals N_k = sum_i n_ik. */
export function groupTotals(m: CountMatrix): Float64Array {
  const g = new Float64Array(m.nGroups);
  for (let i = 0; i < m.nUnits; i++) for (let k = 0; k < m.nGroups; k++) g[k] += m.counts[i * m.nGroups + k];
  return g;
}

/** Column k of the matrix: the counts of group k per unit. */
export function groupColumn(m: CountMatrix, k: number): Float64Array {
  const x = new Float64Array(m.nUnits);
  for (let i = 0; i < m.nUnits; i++) x[i] = m.counts[i * m.nGroups + k];
  return x;
}

/** The transposed matrix (groups become units): M is symmetric in units and groups, so a partition of
 * the groups into supergroups decomposes M like a partition of the units into regions. */
export function transposeCounts(m: CountMatrix): CountMatrix {
  const out = new Float64Array(m.counts.length);
  for (let i = 0; i < m.nUnits; i++) for (let k = 0; k < m.nGroups; k++) out[k * m.nUnits + i] = m.counts[i * m.nGroups + k];
  return { nUnits: m.nGroups, nGroups: m.nUnits, counts: out };
}

/**
 * Drop the groups with a zero regional total (N_k = 0). Multigroup indices treat a group absent from the
 * whole region as if it had not been listed: K counts the groups present (so e.g. entropy is normalised
 * by ln K over present groups, and the squared coefficient of variation divides by K - 1 of them).
 */
export function dropAbsentGroups<M extends CountMatrix>(m: M): { matrix: CountMatrix; kept: number[] } {
  const g = groupTotals(m);
  const kept: number[] = [];
  for (let k = 0; k < m.nGroups; k++) if (g[k] > 0) kept.push(k);
  if (kept.length === m.nGroups) return { matrix: m, kept };
  const counts = new Float64Array(m.nUnits * kept.length);
  for (let i = 0; i < m.nUnits; i++) {
    for (let j = 0; j < kept.length; j++) counts[i * kept.length + j] = m.counts[i * m.nGroups + kept[j]];
  }
  return { matrix: { nUnits: m.nUnits, nGroups: kept.length, counts }, kept };
}

/** Round every count to the nearest integer (for the count-based null and bootstrap simulations). */
export function roundCounts(m: CountMatrix): CountMatrix {
  return { nUnits: m.nUnits, nGroups: m.nGroups, counts: m.counts.map((v) => Math.round(v)) };
}

/** True when every count is a whole number. */
export function hasIntegerCounts(m: CountMatrix): boolean {
  for (let j = 0; j < m.counts.length; j++) if (!Number.isInteger(m.counts[j])) return false;
  return true;
}

/** Where a validation error should point: file name and 1-based data row of each unit. */
export interface SourceInfo {
  file?: string;
  /** 1-based data row of unit i (default i + 1) */
  rowOfUnit?: ArrayLike<number>;
}

function unitProblem(reason: string, ids: readonly string[], offenders: number[], src: SourceInfo, column?: string): InputError {
  const shown = offenders.slice(0, 10).map((i) => `"${ids[i]}"`).join(', ');
  const more = offenders.length > 10 ? ` (and ${offenders.length - 10} more)` : '';
  const rows = offenders.slice(0, 10).map((i) => (src.rowOfUnit ? src.rowOfUnit[i] : i + 1));
  const where = src.file ? `${src.file}: ` : '';
  const col = column ? ` in column "${column}"` : '';
  return new InputError(`${where}${reason}${col} for unit${offenders.length === 1 ? '' : 's'} ${shown}${more} (row${rows.length === 1 ? '' : 's'} ${rows.join(', ')})`, src.file, rows, column, reason);
}

/**
 * A composition from wide count columns, one Float64Array per group (counts n_ik >= 0, finite).
 * Throws an InputError naming the units with a negative or non-finite count.
 */
export function compositionFromCounts(unitIds: readonly string[], groupNames: readonly string[], columns: readonly Float64Array[], src: SourceInfo = {}): Composition {
  const nUnits = unitIds.length;
  const nGroups = groupNames.length;
  if (columns.length !== nGroups) throw new RangeError(`compositionFromCounts: ${columns.length} columns for ${nGroups} groups`);
  const counts = new Float64Array(nUnits * nGroups);
  for (let k = 0; k < nGroups; k++) {
    const col = columns[k];
    if (col.length !== nUnits) throw new RangeError(`compositionFromCounts: column ${groupNames[k]} has ${col.length} values for ${nUnits} units`);
    const bad: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < nUnits; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) bad.push(i);
      else if (v < 0) neg.push(i);
      counts[i * nGroups + k] = v;
    }
    if (bad.length) throw unitProblem('missing or non-finite count', unitIds, bad, src, groupNames[k]);
    if (neg.length) throw unitProblem('negative count', unitIds, neg, src, groupNames[k]);
  }
  return { nUnits, nGroups, counts, unitIds, groupNames };
}

/** Check a unit-total column against the group counts: finite, >= 0, and at least each group's count
 * (a single-group index compares group k with the rest t_i - n_ik, which must not be negative). */
export function checkTotals(unitIds: readonly string[], totals: Float64Array, m: CountMatrix, totalName: string, src: SourceInfo = {}): void {
  const bad: number[] = [];
  const neg: number[] = [];
  const short: number[] = [];
  for (let i = 0; i < m.nUnits; i++) {
    const t = totals[i];
    if (!Number.isFinite(t)) bad.push(i);
    else if (t < 0) neg.push(i);
    else {
      for (let k = 0; k < m.nGroups; k++) {
        // tolerance for shares x total rounding: a group may exceed the total by 1e-9 relative
        if (m.counts[i * m.nGroups + k] > t * (1 + 1e-9)) {
          short.push(i);
          break;
        }
      }
    }
  }
  if (bad.length) throw unitProblem('missing or non-finite total', unitIds, bad, src, totalName);
  if (neg.length) throw unitProblem('negative total', unitIds, neg, src, totalName);
  if (short.length) throw unitProblem('a group count exceeds the unit total', unitIds, short, src, totalName);
}

export interface SharesOptions {
  /** |sum of shares - 1| allowed per unit (default 1e-3, enough for shares rounded to 4 decimals) */
  tolerance?: number;
  /** The listed groups are a subset of the population (e.g. black and white only): their shares may sum
   * to less than 1 (never more than 1 + tolerance). */
  partial?: boolean;
}

/**
 * A composition from group shares s_ik and a unit total t_i: n_ik = s_ik * t_i (the rsegregation /
 * census-profile layout). Shares must lie in [0, 1] and sum to 1 within `tolerance` per unit (or to at
 * most 1 with `partial`). A unit with t_i = 0 may have missing shares (its counts are 0). Errors name the
 * units.
 */
export function compositionFromShares(
  unitIds: readonly string[],
  groupNames: readonly string[],
  shares: readonly Float64Array[],
  totals: Float64Array,
  totalName: string,
  options: SharesOptions = {},
  src: SourceInfo = {},
): Composition {
  const tol = options.tolerance ?? 1e-3;
  const nUnits = unitIds.length;
  const nGroups = groupNames.length;
  const counts = new Float64Array(nUnits * nGroups);
  const badTotal: number[] = [];
  const negTotal: number[] = [];
  for (let i = 0; i < nUnits; i++) {
    if (!Number.isFinite(totals[i])) badTotal.push(i);
    else if (totals[i] < 0) negTotal.push(i);
  }
  if (badTotal.length) throw unitProblem('missing or non-finite total', unitIds, badTotal, src, totalName);
  if (negTotal.length) throw unitProblem('negative total', unitIds, negTotal, src, totalName);
  for (let k = 0; k < nGroups; k++) {
    const col = shares[k];
    const bad: number[] = [];
    const out: number[] = [];
    for (let i = 0; i < nUnits; i++) {
      const s = col[i];
      if (totals[i] === 0 && !Number.isFinite(s)) continue; // empty unit: shares undefined, counts 0
      if (!Number.isFinite(s)) bad.push(i);
      else if (s < 0 || s > 1 + tol) out.push(i);
      else counts[i * nGroups + k] = s * totals[i];
    }
    if (bad.length) throw unitProblem('missing or non-finite share', unitIds, bad, src, groupNames[k]);
    if (out.length) throw unitProblem('share outside [0, 1]', unitIds, out, src, groupNames[k]);
  }
  const off: number[] = [];
  let worst = 0;
  for (let i = 0; i < nUnits; i++) {
    if (totals[i] === 0) continue;
    let s = 0;
    for (let k = 0; k < nGroups; k++) s += shares[k][i];
    const tooHigh = s > 1 + tol;
    const tooLow = !options.partial && s < 1 - tol;
    if (tooHigh || tooLow) {
      if (off.length === 0) worst = s;
      off.push(i);
    }
  }
  if (off.length) {
    const hint = options.partial ? '' : ' (if the groups are a subset of the population, say so: --partial)';
    throw unitProblem(`shares of ${groupNames.join(', ')} sum to ${worst.toPrecision(6)}, not 1 within ${tol}${hint}`, unitIds, off, src);
  }
  return { nUnits, nGroups, counts, unitIds, groupNames };
}

/**
 * A composition from a long table: one row per (unit, group) with a count; repeated (unit, group) rows
 * are summed (as Elbers' `segregation` package does). Units and groups appear in first-seen order unless
 * `groupOrder` fixes the groups (rows of other groups are then ignored). Negative or non-finite counts
 * are errors naming the unit.
 */
export function compositionFromLong(unitKeys: readonly string[], groupKeys: readonly string[], values: ArrayLike<number>, groupOrder?: readonly string[], src: SourceInfo & { countName?: string } = {}): Composition {
  const unitIndex = new Map<string, number>();
  const groupIndex = new Map<string, number>();
  const unitIds: string[] = [];
  const groupNames: string[] = [];
  if (groupOrder) for (const g of groupOrder) if (!groupIndex.has(g)) groupIndex.set(g, groupNames.push(g) - 1);
  const bad: number[] = [];
  const neg: number[] = [];
  for (let r = 0; r < unitKeys.length; r++) {
    if (!unitIndex.has(unitKeys[r])) unitIndex.set(unitKeys[r], unitIds.push(unitKeys[r]) - 1);
    if (!groupOrder && !groupIndex.has(groupKeys[r])) groupIndex.set(groupKeys[r], groupNames.push(groupKeys[r]) - 1);
    if (!Number.isFinite(values[r])) bad.push(r);
    else if (values[r] < 0) neg.push(r);
  }
  const rowIds = unitKeys as string[];
  const rowSrc = { file: src.file, rowOfUnit: undefined };
  if (bad.length) throw unitProblem('missing or non-finite count', rowIds, bad, rowSrc, src.countName);
  if (neg.length) throw unitProblem('negative count', rowIds, neg, rowSrc, src.countName);
  const nGroups = groupNames.length;
  const counts = new Float64Array(unitIds.length * nGroups);
  for (let r = 0; r < unitKeys.length; r++) {
    const k = groupIndex.get(groupKeys[r]);
    if (k === undefined) continue;
    counts[unitIndex.get(unitKeys[r])! * nGroups + k] += values[r];
  }
  return { nUnits: unitIds.length, nGroups, counts, unitIds, groupNames };
}

/**
 * Counts of persons by (unit, group) from per-person indices: unitOfPerson[p] in [0, nUnits) or -1
 * (unknown, skipped), groupOfPerson[p] in [0, nGroups) or -1 (skipped).
 */
export function countPersons(unitOfPerson: ArrayLike<number>, nUnits: number, groupOfPerson: ArrayLike<number>, nGroups: number): CountMatrix {
  const counts = new Float64Array(nUnits * nGroups);
  for (let p = 0; p < unitOfPerson.length; p++) {
    const u = unitOfPerson[p];
    const g = groupOfPerson[p];
    if (u < 0 || g < 0) continue;
    counts[u * nGroups + g] += 1;
  }
  return { nUnits, nGroups, counts };
}

/**
 * SES cut into groups at type-7 quantiles of the given values: with cut points c_1 < ... (quantiles at
 * 1/q, ..., (q-1)/q), a person's group is the number of cut points <= their SES. q = 2 is the median
 * split of SPEC section 4 (low: ses < median -> 0, high: ses >= median -> 1); q = 4 gives quartiles.
 * Ties at a cut point go up, so groups need not be equal in size.
 */
export function sesQuantileGroups(ses: ArrayLike<number>, q: number): { groups: Int32Array; cuts: Float64Array } {
  const sorted = Float64Array.from(ses).sort();
  const cuts = new Float64Array(q - 1);
  for (let j = 1; j < q; j++) cuts[j - 1] = quantileSorted(sorted, j / q);
  const groups = new Int32Array(ses.length);
  for (let p = 0; p < ses.length; p++) {
    let g = 0;
    while (g < cuts.length && ses[p] >= cuts[g]) g++;
    groups[p] = g;
  }
  return { groups, cuts };
}
