/**
 * The world the estimators see: persons, places and either visits or pair encounters, all in memory as
 * typed columns with dense indices (SPEC section 1). `mobiseg run` reads one from files; a scenario
 * rewrites one (scenarios/); a synthetic city becomes one without touching the disk (worldFromTables).
 */
import type { ColumnTable, ColumnValues } from '../io/column-table.js';
import { IdIndex } from '../io/id-index.js';
import type { CodedColumn } from '../io/load-entities.js';
import type { PairColumns } from '../io/load-encounters.js';
import type { PersonTable } from '../io/load-persons.js';
import type { PersonStatsFile } from '../io/load-person-stats.js';
import { placesFromIds, type PlaceTable } from '../io/load-places.js';
import type { VisitColumns } from '../io/load-visits.js';

export interface World {
  readonly persons: PersonTable;
  readonly places: PlaceTable;
  /** visits (person-place graph input), or null with pair input */
  readonly visits: VisitColumns | null;
  readonly pairs: PairColumns | null;
  /** per-person statistics made elsewhere (`run --person-stats`): then visits and pairs are null */
  readonly personStats?: PersonStatsFile | null;
}

function column(table: ColumnTable, name: string): ColumnValues | null {
  return table.columns.find((c) => c.name === name)?.values ?? null;
}

function numbers(table: ColumnTable, name: string): Float64Array | null {
  const v = column(table, name);
  if (v === null) return null;
  if (v instanceof Float64Array) return v;
  if (v instanceof Int32Array) return Float64Array.from(v);
  return Float64Array.from(v, (s) => (s === null || s === '' ? NaN : Number(s)));
}

/** Integer codes (-1 = missing), as the loader's optional integer columns. */
function integers(table: ColumnTable, name: string): Int32Array | null {
  const v = numbers(table, name);
  return v === null ? null : Int32Array.from(v, (x) => (Number.isNaN(x) ? -1 : x));
}

/** A text (or integer-valued) column coded by first appearance, as the loader codes it. */
function coded(table: ColumnTable, name: string): CodedColumn | null {
  const v = column(table, name);
  if (v === null) return null;
  const index = new IdIndex();
  const codes = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    codes[i] = x === null || x === '' || (typeof x === 'number' && Number.isNaN(x)) ? -1 : index.intern(x, true);
  }
  return { codes, names: index.idsAsStrings() };
}

function ids(table: ColumnTable, name: string): IdIndex {
  const v = column(table, name);
  if (v === null) throw new RangeError(`table has no ${name} column`);
  const index = new IdIndex();
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x === null || index.intern(x, true) !== i) throw new RangeError(`${name} at row ${i + 1} is missing or repeated`);
  }
  return index;
}

/**
 * A world from in-memory tables in the layout of SPEC section 1 (a generated synthetic city): the same
 * dense indices, codes and missing values as reading the tables back from files, so the estimates are
 * the same numbers. Visits must name known persons and places and end at or after their start.
 */
export function worldFromTables(tables: { persons: ColumnTable; places: ColumnTable; visits: ColumnTable }, label = 'in-memory city'): World {
  const p = tables.persons;
  const personIds = ids(p, 'person_id');
  const persons: PersonTable = {
    file: `${label}: persons`,
    count: personIds.size,
    ids: personIds,
    ses: numbers(p, 'ses')!,
    msa: coded(p, 'msa'),
    countyFips: integers(p, 'county_fips'),
    countyName: coded(p, 'county_name'),
    homeTract: coded(p, 'home_tract'),
    homeLat: numbers(p, 'home_lat'),
    homeLon: numbers(p, 'home_lon'),
    homeId: coded(p, 'home_id')?.codes ?? null,
    rowsRead: personIds.size,
    dropped: {},
  };
  const q = tables.places;
  const placeIds = ids(q, 'place_id');
  const places: PlaceTable = {
    file: `${label}: places`,
    count: placeIds.size,
    ids: placeIds,
    category: coded(q, 'category'),
    lat: numbers(q, 'lat'),
    lon: numbers(q, 'lon'),
    countyFips: integers(q, 'county_fips'),
    msa: coded(q, 'msa'),
    priceLevel: numbers(q, 'price_level'),
    rowsRead: placeIds.size,
    dropped: {},
  };
  const v = tables.visits;
  const vp = column(v, 'person_id')!;
  const vq = column(v, 'place_id')!;
  const n = vp.length;
  const person = new Int32Array(n);
  const place = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    person[r] = personIds.intern(vp[r]!, false);
    place[r] = placeIds.intern(vq[r]!, false);
    if (person[r] < 0 || place[r] < 0) throw new RangeError(`visit ${r + 1} names an unknown ${person[r] < 0 ? 'person' : 'place'}`);
  }
  const start = numbers(v, 'start')!;
  const end = numbers(v, 'end') ?? new Float64Array(n).fill(NaN);
  const visits: VisitColumns = { chunks: n > 0 ? [{ person, place, start, end }] : [], rows: n, rowsRead: n, dropped: {} };
  return { persons, places, visits, pairs: null };
}

/** A world of per-person statistics made elsewhere (`run --person-stats`): no places, visits or pairs. */
export function worldFromPersonStats(personStats: PersonStatsFile): World {
  return { persons: personStats.persons, places: placesFromIds(new IdIndex()), visits: null, pairs: null, personStats };
}
