/**
 * The msa.csv and county.csv tables (SPEC section 10): the published columns first and in the
 * published order, then the extra columns.
 */
import { columnTable, type Column, type ColumnTable } from '../io/column-table.js';
import type { AreaLevelResult } from '../estimate/area-stage.js';

/** The published column order. */
export const MSA_PUBLISHED_COLUMNS = ['exposure_segregation', 'msa', 'bridging_index'] as const;
export const COUNTY_PUBLISHED_COLUMNS = ['exposure_segregation', 'fips_code', 'county_name', 'exposure_segregation_smoothed'] as const;

function numbers(level: AreaLevelResult, f: (a: AreaLevelResult['areas'][number]) => number): Float64Array {
  return Float64Array.from(level.areas, f);
}

/** Extra columns shared by both tables, after the published ones. */
export function extraColumns(level: AreaLevelResult, extra: Column[] = [], moreNotes: readonly string[] = []): Column[] {
  const notes = level.areas.map((a, k) => [a.exposure.note, a.bootstrap?.note ?? '', a.bridging?.note ?? '', moreNotes[k] ?? ''].filter((s) => s !== '').join('; ') || null);
  return [
    { name: 'estimator', values: level.areas.map(() => 'reml') },
    { name: 'n_people', values: numbers(level, (a) => a.exposure.nPeople) },
    { name: 'n_residents', values: numbers(level, (a) => a.residents) },
    { name: 'n_obs', values: numbers(level, (a) => a.exposure.nObs) },
    { name: 'es_ci_low', values: numbers(level, (a) => a.bootstrap?.esCiLow ?? NaN) },
    { name: 'es_ci_high', values: numbers(level, (a) => a.bootstrap?.esCiHigh ?? NaN) },
    { name: 'es_se', values: numbers(level, (a) => a.bootstrap?.esSe ?? NaN) },
    { name: 'es_naive', values: numbers(level, (a) => a.exposure.esNaive) },
    { name: 'a', values: numbers(level, (a) => a.exposure.a) },
    { name: 'tau2', values: numbers(level, (a) => a.exposure.tau2) },
    { name: 'sigma2', values: numbers(level, (a) => a.exposure.sigma2) },
    { name: 'median_ses', values: numbers(level, (a) => a.bridging?.median ?? NaN) },
    { name: 'p_obs', values: numbers(level, (a) => a.bridging?.pObs ?? NaN) },
    { name: 'p_rand', values: numbers(level, (a) => a.bridging?.pRand ?? NaN) },
    { name: 'ec', values: numbers(level, (a) => a.bridging?.ec ?? NaN) },
    { name: 'bi_p_value', values: numbers(level, (a) => a.permutation?.pValue ?? NaN) },
    { name: 'bi_null_low', values: numbers(level, (a) => a.permutation?.biNullLow ?? NaN) },
    { name: 'bi_null_high', values: numbers(level, (a) => a.permutation?.biNullHigh ?? NaN) },
    ...extra,
    { name: 'note', values: notes },
  ];
}

export function msaTable(level: AreaLevelResult, names: string[], extra: Column[] = []): ColumnTable {
  return columnTable([
    { name: 'exposure_segregation', values: numbers(level, (a) => a.exposure.es) },
    { name: 'msa', values: names },
    { name: 'bridging_index', values: numbers(level, (a) => a.bridging?.bi ?? NaN) },
    ...extraColumns(level, extra),
  ]);
}

export function countyTable(level: AreaLevelResult, fips: Int32Array, names: Array<string | null>, smoothed: Float64Array, extra: Column[] = [], notes: readonly string[] = []): ColumnTable {
  return columnTable([
    { name: 'exposure_segregation', values: numbers(level, (a) => a.exposure.es) },
    { name: 'fips_code', values: fips },
    { name: 'county_name', values: names },
    { name: 'exposure_segregation_smoothed', values: smoothed },
    { name: 'bridging_index', values: numbers(level, (a) => a.bridging?.bi ?? NaN) },
    ...extraColumns(level, extra, notes),
  ]);
}
