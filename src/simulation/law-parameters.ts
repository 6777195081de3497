/**
 * Named numeric laws of a city spec, by JSON path ("mobility.price_taste_ses_correlation", "ses.log_sd",
 * "residential_sorting"), for searches over them (`calibrate --fit`). Only laws shared by all MSAs can
 * be named: a path into `msas` (per-city inputs) or `categories` is refused, so a search can never set a
 * parameter per city.
 */
import { UsageError } from '../io/errors.js';
import { parseCitySpec, type CitySpec } from './city-spec.js';

export interface LawParameter {
  /** dotted JSON path of a number in the city spec */
  readonly path: string;
  readonly lower: number;
  readonly upper: number;
}

/** The laws `calibrate --fit` searches when none are named, with their ranges (sims/cities/README.md). */
export const DEFAULT_FIT_PARAMETERS: readonly LawParameter[] = [
  { path: 'mobility.price_taste_ses_correlation', lower: 0.3, upper: 1 },
  { path: 'mobility.price_taste_choice_elasticity', lower: 0, upper: 2 },
  { path: 'mobility.ses_price_affinity', lower: 4, upper: 16 },
  { path: 'ses.log_sd', lower: 0.4, upper: 1.4 },
  { path: 'mobility.price_taste_msa_log_sd', lower: 0, upper: 0.4 },
];

/** The number at `path` in the spec, or a UsageError naming `option` if the path names no numeric law. */
export function lawValue(spec: CitySpec, path: string, option = '--param'): number {
  const keys = path.split('.');
  if (keys[0] === 'msas' || keys[0] === 'categories') throw new UsageError(`${option}: "${path}" is not a law shared by all MSAs (msas and categories cannot be searched)`);
  let v: unknown = spec;
  for (const k of keys) v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v !== 'number') throw new UsageError(`${option}: "${path}" is not a numeric field of the city spec (e.g. mobility.price_taste_ses_correlation, ses.log_sd, residential_sorting)`);
  return v;
}

/** `path=lower:upper` as a LawParameter (UsageError naming `option` otherwise). */
export function parseLawParameter(text: string, option = '--param'): LawParameter {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)=([^:]+):(.+)$/.exec(text.trim());
  const lower = m ? Number(m[2]) : NaN;
  const upper = m ? Number(m[3]) : NaN;
  if (!m || !Number.isFinite(lower) || !Number.isFinite(upper) || !(lower < upper)) {
    throw new UsageError(`${option} must be PATH=LOWER:UPPER with LOWER < UPPER, e.g. ses.log_sd=0.3:1.3, got "${text}"`);
  }
  return { path: m[1], lower, upper };
}

/**
 * The spec with each law set to its value (validated again as a whole: a value outside a field's own
 * range is a UsageError naming the path). The MSAs are untouched.
 */
export function withLaws(spec: CitySpec, parameters: readonly LawParameter[], values: ArrayLike<number>, source = 'fitted laws'): CitySpec {
  const copy = structuredClone(spec) as unknown as Record<string, unknown>;
  parameters.forEach(({ path }, i) => {
    const keys = path.split('.');
    let o = copy;
    for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
    o[keys[keys.length - 1]] = values[i];
  });
  return parseCitySpec(copy, source);
}
