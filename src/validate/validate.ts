/**
 * Validation against the published exposure-segregation data (SPEC section 10): join a run's `msa.csv` /
 * `county.csv` with the published files (by MSA name, by county FIPS), compare every shared column
 * (n matched, Pearson, Spearman, MAE, the largest absolute differences), and recompute the published
 * headline facts (SPEC section 9). Pure functions on arrays; file reading lives in validate-files.ts.
 */
import { mean, meanAbsoluteError, median, pearson, spearman } from '../math/stats.js';

/** Result of joining our rows to the published rows on a key. */
export interface KeyJoin<K> {
  /** Matched pairs as [our row, published row] (0-based), in our row order. */
  readonly pairs: ReadonlyArray<readonly [number, number]>;
  /** Our keys with no published row, in our order. */
  readonly unmatchedOurs: K[];
  /** Published keys with no row of ours, in published order. */
  readonly unmatchedPublished: K[];
}

/** Keys that occur more than once (each listed once, in first-seen order). */
export function duplicateKeys<K>(keys: readonly K[]): K[] {
  const seen = new Set<K>();
  const dup = new Set<K>();
  for (const k of keys) (seen.has(k) ? dup : seen).add(k);
  return [...dup];
}

/**
 * Exact one-to-one join on a key (MSA name or FIPS). Both sides must be free of duplicate keys
 * (check with {@link duplicateKeys} first; a duplicate here throws a RangeError).
 */
export function joinOnKey<K>(ours: readonly K[], published: readonly K[]): KeyJoin<K> {
  const index = new Map<K, number>();
  published.forEach((k, j) => {
    if (index.has(k)) throw new RangeError(`joinOnKey: duplicate published key ${String(k)}`);
    index.set(k, j);
  });
  const pairs: Array<readonly [number, number]> = [];
  const unmatchedOurs: K[] = [];
  const used = new Set<number>();
  const seen = new Set<K>();
  ours.forEach((k, i) => {
    if (seen.has(k)) throw new RangeError(`joinOnKey: duplicate key ${String(k)}`);
    seen.add(k);
    const j = index.get(k);
    if (j === undefined) unmatchedOurs.push(k);
    else {
      pairs.push([i, j]);
      used.add(j);
    }
  });
  const unmatchedPublished = published.filter((_, j) => !used.has(j));
  return { pairs, unmatchedOurs, unmatchedPublished };
}

/**
 * A loose form of an MSA title for "did you mean" suggestions: lower case, accents removed, every run of
 * non-alphanumerics as one space, and a trailing "metropolitan/micropolitan statistical area" or
 * "msa" dropped. "Akron OH", "akron, oh" and "Akron, OH Metro Area" all become "akron oh".
 */
export function normaliseMsaName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+(metropolitan|micropolitan)( statistical)? area$/, '')
    .replace(/\s+(metro|micro) area$/, '')
    .replace(/\s+msa$/, '');
}

/** First principal city and first state of a CBSA title: "Boston-Cambridge-Newton, MA-NH" -> "boston|ma". */
function principalCityKey(name: string): string | undefined {
  const m = /^([^,]+),\s*([A-Za-z]{2})/.exec(name.trim());
  if (!m) return undefined;
  return `${normaliseMsaName(m[1].split('-')[0])}|${m[2].toLowerCase()}`;
}

/**
 * "Did you mean" for MSA names that matched nothing: the candidates whose normalised title equals the
 * name's, else those sharing the first principal city and first state (a renamed CBSA, e.g.
 * "Boston, MA" -> "Boston-Cambridge-Newton, MA-NH"). Returns name -> suggestions (only names with one).
 */
export function suggestMsaNames(unmatched: readonly string[], candidates: readonly string[]): Map<string, string[]> {
  const byNorm = new Map<string, string[]>();
  const byCity = new Map<string, string[]>();
  for (const c of candidates) {
    const norm = normaliseMsaName(c);
    byNorm.set(norm, [...(byNorm.get(norm) ?? []), c]);
    const city = principalCityKey(c);
    if (city !== undefined) byCity.set(city, [...(byCity.get(city) ?? []), c]);
  }
  const out = new Map<string, string[]>();
  for (const name of unmatched) {
    const exact = byNorm.get(normaliseMsaName(name));
    const city = principalCityKey(name);
    const hits = exact ?? (city === undefined ? undefined : byCity.get(city));
    if (hits && hits.length > 0) out.set(name, hits);
  }
  return out;
}

/** One of the largest differences between our value and the published one. */
export interface LargestDifference {
  readonly key: string;
  readonly label: string;
  readonly ours: number;
  readonly published: number;
  /** ours - published. */
  readonly difference: number;
}

/** Agreement of one column between our rows and the published rows (over matched rows with both values). */
export interface ColumnComparison {
  readonly column: string;
  /** Matched rows where both values are finite. */
  readonly n: number;
  /** Matched rows where ours is missing (NaN) and the published value is not. */
  readonly missingOurs: number;
  /** Matched rows where the published value is missing and ours is not. */
  readonly missingPublished: number;
  readonly pearson: number;
  readonly spearman: number;
  /** mean(|ours - published|). */
  readonly mae: number;
  /** max(|ours - published|). */
  readonly maxAbsDifference: number;
  /** Rows (of the n) where ours equals the published value exactly. */
  readonly identical: number;
  /** Up to `top` rows with the largest nonzero |ours - published|, largest first (ties: our row order). */
  readonly largest: LargestDifference[];
}

/**
 * Compare two aligned columns: n, Pearson r, Spearman rho (average ranks), MAE = mean |x - y|, and the
 * `top` largest nonzero absolute differences with their keys and labels. Rows where either value is NaN are
 * left out of the statistics and counted as missing.
 */
export function compareAlignedColumns(
  column: string,
  ours: ArrayLike<number>,
  published: ArrayLike<number>,
  keys: readonly string[],
  labels: readonly string[],
  top = 10,
): ColumnComparison {
  const x: number[] = [];
  const y: number[] = [];
  const rows: number[] = [];
  let missingOurs = 0;
  let missingPublished = 0;
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i];
    const b = published[i];
    const okA = Number.isFinite(a);
    const okB = Number.isFinite(b);
    if (okA && okB) {
      x.push(a);
      y.push(b);
      rows.push(i);
    } else if (okB) missingOurs++;
    else if (okA) missingPublished++;
  }
  const order = rows.map((_, p) => p).sort((p, q) => Math.abs(x[q] - y[q]) - Math.abs(x[p] - y[p]) || p - q);
  let identical = 0;
  for (let p = 0; p < x.length; p++) if (x[p] === y[p]) identical++;
  const largest = order.filter((p) => x[p] !== y[p]).slice(0, top).map((p) => ({
    key: keys[rows[p]],
    label: labels[rows[p]],
    ours: x[p],
    published: y[p],
    difference: x[p] - y[p],
  }));
  return {
    column,
    n: x.length,
    missingOurs,
    missingPublished,
    pearson: pearson(x, y),
    spearman: spearman(x, y),
    mae: meanAbsoluteError(x, y),
    maxAbsDifference: order.length === 0 ? NaN : Math.abs(x[order[0]] - y[order[0]]),
    identical,
    largest,
  };
}

/** The published headline facts (SPEC section 9) recomputed on a set of MSAs. */
export interface HeadlineFacts {
  /** MSAs with ES, BI and a population (the ones used). */
  readonly n: number;
  /** Median ES and median BI over them (published: 0.353 and 0.866 over 382 MSAs). */
  readonly medianEs: number;
  readonly medianBi: number;
  /** The ten most populous of them, largest first. */
  readonly largestMsas: string[];
  readonly meanEsLargest: number;
  /** MSAs with population < smallThreshold. */
  readonly nSmall: number;
  readonly meanEsSmall: number;
  /** Mean BI of the ten largest and of the MSAs under smallThreshold (published: 0.653 and 0.954). */
  readonly meanBiLargest: number;
  readonly meanBiSmall: number;
  /** meanEsLargest / meanEsSmall (published: 0.457 / 0.274 = 1.67 with 2017 populations). */
  readonly ratioLargestToSmall: number;
  /** Pearson corr(ES, BI) over MSAs with both (published: -0.79 over 382 MSAs). */
  readonly corrEsBi: number;
  /** Pearson corr(log population, ES) and corr(log population, BI) (published: +0.59, -0.76). */
  readonly corrLogPopEs: number;
  readonly corrLogPopBi: number;
}

/**
 * Headline facts of Nilforoshan et al. (2023) on per-MSA arrays: mean ES of the `nLargest` (10) most
 * populous MSAs over mean ES of MSAs under `smallThreshold` (100,000) people; Pearson corr(ES, BI);
 * corr(log population, ES) and corr(log population, BI); mean BI of the same two groups (over those with
 * a BI). Rows with a NaN ES or population are left out
 * (NaN BI only leaves the BI correlations). Ties in population keep the input order.
 */
export function computeHeadlineFacts(
  names: readonly string[],
  es: ArrayLike<number>,
  bi: ArrayLike<number>,
  population: ArrayLike<number>,
  nLargest = 10,
  smallThreshold = 100_000,
): HeadlineFacts {
  const rows: number[] = [];
  for (let i = 0; i < names.length; i++) if (Number.isFinite(es[i]) && Number.isFinite(population[i])) rows.push(i);
  const byPopulation = [...rows].sort((a, b) => population[b] - population[a] || a - b);
  const largest = byPopulation.slice(0, nLargest);
  const small = rows.filter((i) => population[i] < smallThreshold);
  const meanEsLargest = mean(largest.map((i) => es[i]));
  const meanEsSmall = mean(small.map((i) => es[i]));
  const withBi = rows.filter((i) => Number.isFinite(bi[i]));
  return {
    n: rows.length,
    medianEs: rows.length > 0 ? median(rows.map((i) => es[i])) : NaN,
    medianBi: withBi.length > 0 ? median(withBi.map((i) => bi[i])) : NaN,
    largestMsas: largest.map((i) => names[i]),
    meanEsLargest,
    nSmall: small.length,
    meanEsSmall,
    meanBiLargest: meanOfFinite(largest.map((i) => bi[i])),
    meanBiSmall: meanOfFinite(small.map((i) => bi[i])),
    ratioLargestToSmall: meanEsLargest / meanEsSmall,
    corrEsBi: pearson(withBi.map((i) => es[i]), withBi.map((i) => bi[i])),
    corrLogPopEs: pearson(rows.map((i) => Math.log(population[i])), rows.map((i) => es[i])),
    corrLogPopBi: pearson(withBi.map((i) => Math.log(population[i])), withBi.map((i) => bi[i])),
  };
}

/** Mean of the finite values (NaN if none). */
function meanOfFinite(x: readonly number[]): number {
  return mean(x.filter((v) => Number.isFinite(v)));
}
