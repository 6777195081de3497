/**
 * `mobiseg residential` from files to files (the I/O edge of this folder): read a unit table (wide counts,
 * shares x total, or a long unit/group/count table) or a persons table (home tracts x SES groups, plus the
 * NSI on continuous SES) and optional GeoJSON, compute the catalogue of global
 * indices, the local indices per unit, the OBI classes, the within/between decomposition by region and
 * the permutation / bootstrap inference, and write residential-indices.csv, units.csv and
 * decomposition.csv (atomically).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallTable, type SmallTable } from '../io/small-table.js';
import { InputError, UsageError } from '../io/errors.js';
import { columnTable, type Column, type ColumnTable } from '../io/column-table.js';
import { writeCsv } from '../io/csv-writer.js';
import {
  checkTotals,
  compositionFromCounts,
  compositionFromLong,
  compositionFromShares,
  countPersons,
  hasIntegerCounts,
  roundCounts,
  sesQuantileGroups,
  unitTotals,
  type Composition,
  type CountMatrix,
} from './composition.js';
import { loadPersons } from '../io/load-persons.js';
import { neighbourhoodSortingIndex } from './nsi.js';
import { indexCatalogue, withRestColumn, type IndexSpec } from './catalogue.js';
import { decomposeDivergence, divergencePerUnit, type DivergenceDecomposition } from './divergence.js';
import { localEntropy, locationQuotients, normalisedLocalEntropy, percentileRanks } from './local.js';
import { obiClasses } from './obi-classes.js';
import { unitGeometryFromGeoJson, type UnitGeometry } from './geometry.js';
import type { CentreMethod } from './spatial.js';
import { bootstrapCounts, permutationTest, type BootstrapResult, type PermutationResult } from './inference.js';

export interface ResidentialRunOptions {
  /** unit table (wide or long); exactly one of units and persons */
  units?: string;
  /** persons table (person_id, ses, home_tract): units are home tracts, groups SES groups */
  persons?: string;
  /** with persons: SES median split (low/high) or quartiles (q1..q4), cut over the file's persons */
  sesGroups?: 'median' | 'quartiles';
  /** with persons: logical column -> file column (--col home_tract=GEOID) */
  columns?: Record<string, string>;
  /** group columns (wide) or group values to keep, in order (long) */
  groups?: string[];
  /** long layout: unit, group and count columns */
  long?: { unit: string; group: string; count: string };
  /** unit id column (wide; default the first column) */
  id?: string;
  /** unit total column: single-group indices compare a group with total - group */
  total?: string;
  /** group columns are shares of `total` */
  shares?: boolean;
  /** the listed shares may sum to less than 1 */
  partial?: boolean;
  shareTolerance?: number;
  geometry?: string;
  /** feature property holding the unit id (default: the id column's name) */
  geometryId?: string;
  centre?: CentreMethod | readonly [number, number];
  alpha?: number;
  beta?: number;
  /** region (place) column for the decomposition; with regionFocus, that value against all others */
  region?: string;
  regionFocus?: string;
  base?: number;
  wardCorrection?: boolean;
  /** race group columns for the OBI classes (default: detected from the group names) */
  race?: { white?: string; black?: string; latino?: string };
  permutations?: number;
  bootstrap?: number;
  seed?: number | string;
  level?: number;
  /** output folder; no files are written without it */
  out?: string;
  onNote?: (message: string) => void;
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface IndexRow {
  index: string;
  family: string;
  group: string | null;
  value: number;
  log_base: string | null;
  perm_p_value?: number;
  perm_null_mean?: number;
  perm_null_low?: number;
  perm_null_high?: number;
  boot_bias_corrected?: number;
  boot_se?: number;
  boot_ci_low?: number;
  boot_ci_high?: number;
  boot_bias?: number;
}

export interface ResidentialRunResult {
  file: string;
  nUnits: number;
  groups: string[];
  logBase: string;
  indices: IndexRow[];
  decomposition?: { regions: string[]; parts: DivergenceDecomposition };
  obiClassCounts?: Record<string, number>;
  notes: string[];
  outputs: string[];
}

function baseLabel(base: number): string {
  return base === Math.E ? 'e' : String(base);
}

interface Loaded {
  composition: Composition;
  /** unit totals for single-group indices (the --total column, else the sum of the listed groups) */
  totals: Float64Array | null;
  regionOfUnit: Int32Array | null;
  regionNames: string[];
  idName: string;
}

function regionsFrom(values: readonly string[], focus: string | undefined): { of: Int32Array; names: string[] } {
  if (focus !== undefined) {
    if (!values.includes(focus)) throw new UsageError(`--region-focus "${focus}": no unit has that region (values look like "${values[0] ?? ''}")`);
    return { of: Int32Array.from(values, (v) => (v === focus ? 0 : 1)), names: [focus, 'all others'] };
  }
  const names: string[] = [];
  const index = new Map<string, number>();
  const of = Int32Array.from(values, (v) => {
    let r = index.get(v);
    if (r === undefined) index.set(v, (r = names.push(v) - 1));
    return r;
  });
  return { of, names };
}

function duplicateIds(ids: readonly string[], file: string, column: string): void {
  const seen = new Map<string, number>();
  const rows: number[] = [];
  let first = '';
  ids.forEach((id, i) => {
    if (seen.has(id)) {
      if (rows.length === 0) first = id;
      rows.push(i + 1);
    } else seen.set(id, i);
  });
  if (rows.length) throw new InputError(`${file}: duplicate unit id "${first}" in column "${column}" at row${rows.length === 1 ? '' : 's'} ${rows.slice(0, 10).join(', ')}`, file, rows.slice(0, 10), column, 'duplicate unit id');
}

function loadWide(table: SmallTable, o: ResidentialRunOptions): Loaded {
  const file = table.file;
  if (!o.groups || o.groups.length < 1) throw new UsageError('--groups: list the group columns, e.g. --groups WHITE_,BLACK_,ASIAN_,HISP_');
  const idName = o.id ?? table.names[0];
  const ids = table.text(idName);
  duplicateIds(ids, file, idName);
  const src = { file };
  let composition: Composition;
  let totals: Float64Array | null = null;
  if (o.shares) {
    if (!o.total) throw new UsageError('--shares needs --total: the column the shares are shares of');
    totals = table.numbers(o.total, { allowMissing: true });
    composition = compositionFromShares(ids, o.groups, o.groups.map((g) => table.numbers(g, { allowMissing: true })), totals, o.total, { tolerance: o.shareTolerance, partial: o.partial }, src);
  } else {
    composition = compositionFromCounts(ids, o.groups, o.groups.map((g) => table.numbers(g, { allowMissing: true })), src);
    if (o.total) {
      totals = table.numbers(o.total, { allowMissing: true });
      checkTotals(ids, totals, composition, o.total, src);
    }
  }
  let regionOfUnit: Int32Array | null = null;
  let regionNames: string[] = [];
  if (o.region) {
    const r = regionsFrom(table.text(o.region), o.regionFocus);
    regionOfUnit = r.of;
    regionNames = r.names;
  }
  return { composition, totals, regionOfUnit, regionNames, idName };
}

function loadLong(table: SmallTable, o: ResidentialRunOptions): Loaded {
  const { unit, group, count } = o.long!;
  if (o.total || o.shares) throw new UsageError('--total and --shares apply to the wide layout, not to --long');
  const units = table.text(unit);
  const composition = compositionFromLong(units, table.text(group), table.numbers(count), o.groups, { file: table.file, countName: count });
  let regionOfUnit: Int32Array | null = null;
  let regionNames: string[] = [];
  if (o.region) {
    const regionOfRow = table.text(o.region);
    const byUnit = new Map<string, string>();
    units.forEach((u, i) => {
      const prev = byUnit.get(u);
      if (prev !== undefined && prev !== regionOfRow[i]) {
        throw new InputError(`${table.file}: unit "${u}" lies in two regions ("${prev}" and "${regionOfRow[i]}") in column "${o.region}" (row ${i + 1})`, table.file, [i + 1], o.region);
      }
      byUnit.set(u, regionOfRow[i]);
    });
    const r = regionsFrom(composition.unitIds.map((u) => byUnit.get(u)!), o.regionFocus);
    regionOfUnit = r.of;
    regionNames = r.names;
  }
  return { composition, totals: null, regionOfUnit, regionNames, idName: unit };
}

async function loadPersonsComposition(o: ResidentialRunOptions, note: (m: string) => void): Promise<Loaded & { nsi: number }> {
  const file = o.persons!;
  if (o.groups || o.long || o.total || o.shares || o.region) throw new UsageError('--persons takes no --groups, --long, --total, --shares or --region: units are home tracts, groups SES groups');
  const persons = await loadPersons(file, { remap: o.columns });
  if (!persons.homeTract) throw new InputError(`${file}: missing column "home_tract" (remap it with --col home_tract=COLUMN)`, file, [], 'home_tract', 'missing column');
  const tractOf = persons.homeTract.codes;
  const nTracts = persons.homeTract.names.length;
  const withTract: number[] = [];
  for (let p = 0; p < persons.count; p++) if (tractOf[p] >= 0) withTract.push(p);
  if (withTract.length < persons.count) note(`${file}: ${persons.count - withTract.length} person(s) without a home_tract left out`);
  const ses = Float64Array.from(withTract, (p) => persons.ses[p]);
  const tracts = Int32Array.from(withTract, (p) => tractOf[p]);
  const quartiles = (o.sesGroups ?? 'quartiles') === 'quartiles';
  const { groups, cuts } = sesQuantileGroups(ses, quartiles ? 4 : 2);
  note(`${file}: SES ${quartiles ? 'quartiles' : 'median split'} at ${Array.from(cuts, (c) => c.toPrecision(6)).join(', ')} over ${ses.length} persons in ${nTracts} home tracts`);
  const m = countPersons(tracts, nTracts, groups, quartiles ? 4 : 2);
  const composition: Composition = { ...m, unitIds: persons.homeTract.names, groupNames: quartiles ? ['q1', 'q2', 'q3', 'q4'] : ['low', 'high'] };
  return { composition, totals: null, regionOfUnit: null, regionNames: [], idName: 'home_tract', nsi: neighbourhoodSortingIndex(ses, tracts, nTracts) };
}

function findRaceGroups(groups: readonly string[], given: ResidentialRunOptions['race']): { white: number; black: number; latino: number } | null {
  const pick = (name: string | undefined, pattern: RegExp): number => {
    if (name !== undefined) {
      const k = groups.indexOf(name);
      if (k < 0) throw new UsageError(`--race: "${name}" is not one of the groups (${groups.join(', ')})`);
      return k;
    }
    return groups.findIndex((g) => pattern.test(g));
  };
  const white = pick(given?.white, /^(nh_?)?white/i);
  const black = pick(given?.black, /^(nh_?)?black/i);
  const latino = pick(given?.latino, /^(hisp|latin)/i);
  if (white < 0 || (black < 0 && latino < 0)) return null;
  return { white, black, latino };
}

function num(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Run the residential analysis described by the options (see the module comment). */
export async function runResidentialFiles(o: ResidentialRunOptions): Promise<ResidentialRunResult> {
  const notes: string[] = [];
  const note = (m: string) => {
    notes.push(m);
    o.onNote?.(m);
  };
  const base = o.base ?? Math.E;
  if ((o.units === undefined) === (o.persons === undefined)) throw new UsageError('give either --units (a unit table) or --persons (a persons table with home_tract and ses)');
  let loaded: Loaded;
  let nsi = NaN;
  if (o.persons) {
    const p = await loadPersonsComposition(o, note);
    loaded = p;
    nsi = p.nsi;
  } else {
    const table = await readSmallTable(o.units!);
    loaded = o.long ? loadLong(table, o) : loadWide(table, o);
  }
  const { composition } = loaded;
  const K = composition.nGroups;
  if (K < 1) throw new UsageError('no groups to analyse');
  if (K < 2 && !loaded.totals) throw new UsageError('one group needs --total (the group is compared with the rest of the total)');
  const totals = loaded.totals ?? unitTotals(composition);

  let geometry: UnitGeometry | undefined;
  if (o.geometry) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(o.geometry, 'utf8'));
    } catch (e) {
      throw new InputError(`${o.geometry}: cannot read GeoJSON (${(e as Error).message})`, o.geometry);
    }
    const g = unitGeometryFromGeoJson(composition.unitIds, json, o.geometryId ?? loaded.idName, o.geometry);
    if (g.unusedFeatures > 0) note(`${o.geometry}: ${g.unusedFeatures} feature(s) match no unit and are ignored`);
    geometry = g;
  }

  const catalogue = indexCatalogue(composition.groupNames, {
    base,
    hasRestColumn: loaded.totals !== null,
    geometry,
    centre: o.centre,
    alpha: o.alpha,
    beta: o.beta,
    wardCorrection: o.wardCorrection,
  });
  const values = catalogue.evaluateWithTotals(composition, totals);

  // inference on whole-number counts, with the rest of the total as an extra group
  let perm: PermutationResult | undefined;
  let boot: BootstrapResult | undefined;
  if ((o.permutations ?? 0) > 0 || (o.bootstrap ?? 0) > 0) {
    let m: CountMatrix = composition;
    if (loaded.totals) {
      try {
        m = withRestColumn(composition, loaded.totals, composition.unitIds, o.shares ? (o.shareTolerance ?? 1e-3) : 1e-9);
      } catch (e) {
        throw new UsageError(`--permutations/--bootstrap: ${(e as Error).message}; the listed groups must be disjoint parts of --total`);
      }
    }
    if (!hasIntegerCounts(m)) {
      m = roundCounts(m);
      note('inference: counts are not whole numbers (shares x total); the permutations and bootstrap use them rounded to integers');
    }
    const seed = o.seed ?? 1;
    if ((o.permutations ?? 0) > 0) {
      perm = permutationTest(m, catalogue.evaluate, catalogue.specs.map((s) => s.direction), {
        permutations: o.permutations!,
        seed,
        level: o.level,
        onProgress: (d) => o.onProgress?.('permutations', d, o.permutations!),
      });
    }
    if ((o.bootstrap ?? 0) > 0) {
      boot = bootstrapCounts(m, catalogue.evaluate, { replicates: o.bootstrap!, seed, level: o.level, onProgress: (d) => o.onProgress?.('bootstrap', d, o.bootstrap!) });
    }
  }

  const indices: IndexRow[] = catalogue.specs.map((s: IndexSpec, j) => {
    const row: IndexRow = { index: s.name, family: s.family, group: s.group, value: values[j], log_base: s.logBase === null ? null : baseLabel(s.logBase) };
    if (perm) {
      row.perm_p_value = perm.pValue[j];
      row.perm_null_mean = perm.nullMean[j];
      row.perm_null_low = perm.nullLow[j];
      row.perm_null_high = perm.nullHigh[j];
    }
    if (boot) {
      row.boot_bias_corrected = boot.biasCorrected[j];
      row.boot_se = boot.se[j];
      row.boot_ci_low = boot.ciLow[j];
      row.boot_ci_high = boot.ciHigh[j];
      row.boot_bias = boot.bias[j];
    }
    return row;
  });
  if (o.persons) indices.push({ index: 'neighbourhood_sorting_index', family: 'continuous', group: null, value: nsi, log_base: null });

  // local indices per unit
  const unitTotal = unitTotals(composition);
  const lq = locationQuotients(composition);
  const entropy = localEntropy(composition, base);
  const entropyNorm = normalisedLocalEntropy(composition);
  const divergence = divergencePerUnit(composition, base);
  const unitColumns: Column[] = [{ name: loaded.idName, values: [...composition.unitIds] }];
  if (loaded.regionOfUnit) unitColumns.push({ name: 'region', values: Array.from(loaded.regionOfUnit, (r) => loaded.regionNames[r]) });
  unitColumns.push({ name: 'total', values: Float64Array.from(totals) });
  if (loaded.totals) unitColumns.push({ name: 'groups_total', values: unitTotal });
  for (let k = 0; k < K; k++) unitColumns.push({ name: `lq_${composition.groupNames[k]}`, values: Float64Array.from({ length: composition.nUnits }, (_, i) => lq[i * K + k]) });
  unitColumns.push(
    { name: 'local_entropy', values: entropy },
    { name: 'local_entropy_normalised', values: entropyNorm },
    { name: 'local_entropy_pct', values: percentileRanks(entropy) },
    { name: 'local_divergence', values: divergence },
    { name: 'local_divergence_pct', values: percentileRanks(divergence) },
  );
  let obiClassCounts: Record<string, number> | undefined;
  const race = o.persons ? null : findRaceGroups(composition.groupNames, o.race);
  if (race) {
    const share = (k: number) => Float64Array.from({ length: composition.nUnits }, (_, i) => (k < 0 ? 0 : totals[i] > 0 ? composition.counts[i * K + k] / totals[i] : NaN));
    const classes = obiClasses({
      divergence,
      entropy,
      shareWhite: share(race.white),
      shareBlack: share(race.black),
      shareLatino: share(race.latino),
      lqWhite: Float64Array.from({ length: composition.nUnits }, (_, i) => lq[i * K + race.white]),
    });
    unitColumns.push({ name: 'obi_class', values: classes });
    obiClassCounts = {};
    for (const c of classes) if (c) obiClassCounts[c] = (obiClassCounts[c] ?? 0) + 1;
    note(`OBI classes with white = ${composition.groupNames[race.white]}, black = ${race.black >= 0 ? composition.groupNames[race.black] : '(none)'}, latino = ${race.latino >= 0 ? composition.groupNames[race.latino] : '(none)'}`);
  }

  let decomposition: ResidentialRunResult['decomposition'];
  if (loaded.regionOfUnit) {
    decomposition = { regions: loaded.regionNames, parts: decomposeDivergence(composition, loaded.regionOfUnit, loaded.regionNames.length, base) };
  }

  const outputs: string[] = [];
  if (o.out) {
    const indicesFile = join(o.out, 'residential-indices.csv');
    await writeCsv(indicesFile, indexTable(indices, !!perm, !!boot));
    outputs.push(indicesFile);
    const unitsFile = join(o.out, 'units.csv');
    await writeCsv(unitsFile, columnTable(unitColumns));
    outputs.push(unitsFile);
    if (decomposition) {
      const decFile = join(o.out, 'decomposition.csv');
      await writeCsv(decFile, decompositionTable(decomposition.regions, decomposition.parts, loaded.regionOfUnit!));
      outputs.push(decFile);
    }
  }
  return { file: (o.units ?? o.persons)!, nUnits: composition.nUnits, groups: [...composition.groupNames], logBase: baseLabel(base), indices, decomposition, obiClassCounts, notes, outputs };
}

/** residential-indices.csv: one row per index. */
export function indexTable(rows: readonly IndexRow[], withPermutations: boolean, withBootstrap: boolean): ColumnTable {
  const f = (key: keyof IndexRow) => Float64Array.from(rows, (r) => (r[key] as number | undefined) ?? NaN);
  const columns: Column[] = [
    { name: 'index', values: rows.map((r) => r.index) },
    { name: 'family', values: rows.map((r) => r.family) },
    { name: 'group', values: rows.map((r) => r.group) },
    { name: 'value', values: f('value') },
    { name: 'log_base', values: rows.map((r) => r.log_base) },
  ];
  if (withPermutations) for (const k of ['perm_p_value', 'perm_null_mean', 'perm_null_low', 'perm_null_high'] as const) columns.push({ name: k, values: f(k) });
  if (withBootstrap) for (const k of ['boot_bias_corrected', 'boot_se', 'boot_ci_low', 'boot_ci_high', 'boot_bias'] as const) columns.push({ name: k, values: f(k) });
  return columnTable(columns);
}

/** decomposition.csv: one row per region and a final "(total)" row. */
export function decompositionTable(regionNames: readonly string[], d: DivergenceDecomposition, regionOfUnit: Int32Array): ColumnTable {
  const n = regionNames.length + 1;
  const units = new Int32Array(n);
  for (const r of regionOfUnit) units[r]++;
  units[n - 1] = regionOfUnit.length;
  const pick = (f: (r: DivergenceDecomposition['regions'][number]) => number, total: number) => Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? f(d.regions[i]) : total));
  const T = d.regions.reduce((s, r) => s + r.population, 0);
  return columnTable([
    { name: 'region', values: [...regionNames, '(total)'] },
    { name: 'n_units', values: units },
    { name: 'population', values: pick((r) => r.population, T) },
    { name: 'weight', values: pick((r) => r.weight, 1) },
    { name: 'divergence', values: pick((r) => r.divergence, d.total) },
    { name: 'divergence_from_region', values: pick((r) => r.divergenceFromRegion, 0) },
    { name: 'within', values: pick((r) => r.withinContribution, d.within) },
    { name: 'between', values: pick((r) => r.betweenContribution, d.between) },
    { name: 'within_share', values: pick((r) => r.withinShare, d.withinShare) },
    { name: 'between_share', values: pick((r) => r.betweenShare, d.betweenShare) },
    { name: 'entropy', values: pick((r) => r.entropy, d.entropy) },
    { name: 'theil_h', values: pick((r) => r.theilH, d.theilH) },
    { name: 'entropy_ratio', values: pick((r) => r.entropyRatio, 1) },
  ]);
}

/** The result as JSON-safe data (NaN -> null). */
export function resultToJson(r: ResidentialRunResult): unknown {
  return {
    file: r.file,
    n_units: r.nUnits,
    groups: r.groups,
    log_base: r.logBase,
    indices: r.indices.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? num(v) : v]))),
    decomposition: r.decomposition
      ? {
          total: num(r.decomposition.parts.total),
          within: num(r.decomposition.parts.within),
          between: num(r.decomposition.parts.between),
          within_share: num(r.decomposition.parts.withinShare),
          between_share: num(r.decomposition.parts.betweenShare),
          theil_h: num(r.decomposition.parts.theilH),
          regions: r.decomposition.parts.regions.map((p, i) => ({
            region: r.decomposition!.regions[i],
            population: p.population,
            weight: num(p.weight),
            divergence: num(p.divergence),
            divergence_from_region: num(p.divergenceFromRegion),
            within: num(p.withinContribution),
            between: num(p.betweenContribution),
            within_share: num(p.withinShare),
            between_share: num(p.betweenShare),
            entropy: num(p.entropy),
            theil_h: num(p.theilH),
            entropy_ratio: num(p.entropyRatio),
          })),
        }
      : undefined,
    obi_classes: r.obiClassCounts,
    notes: r.notes,
    outputs: r.outputs,
  };
}
