/**
 * The persons table (SPEC section 1): person_id (unique), ses (finite); optional msa, county_fips,
 * county_name, home_tract, home_lat, home_lon, home_id.
 */
import { loadEntityTable, type CodedColumn, type LoadOptions } from './load-entities.js';
import { InputError } from './errors.js';
import type { IdIndex } from './id-index.js';

export interface PersonTable {
  file: string;
  count: number;
  /** input ids: person i <-> ids.idOf(i) */
  ids: IdIndex;
  ses: Float64Array;
  msa: CodedColumn | null;
  /** county FIPS as integers (-1 = missing) */
  countyFips: Int32Array | null;
  countyName: CodedColumn | null;
  homeTract: CodedColumn | null;
  homeLat: Float64Array | null;
  homeLon: Float64Array | null;
  /** household codes (-1 = missing) */
  homeId: Int32Array | null;
  rowsRead: number;
  dropped: Record<string, number>;
}

export async function loadPersons(file: string, options: LoadOptions = {}): Promise<PersonTable> {
  const t = await loadEntityTable(
    file,
    { id: 'person_id', finite: ['ses'], numbers: ['home_lat', 'home_lon'], integers: ['county_fips'], texts: ['msa', 'county_name', 'home_tract', 'home_id'] },
    options,
  );
  // without persons every visit would be blamed on its "unknown person": say what is wrong instead
  if (t.count === 0) {
    const why = t.rowsRead === 0 ? 'the file has a header but no rows' : `all ${t.rowsRead} rows were dropped as invalid (${Object.entries(t.dropped).map(([k, v]) => `${v} ${k}`).join(', ')})`;
    throw new InputError(`${file}: no persons: ${why}`, file);
  }
  return {
    file,
    count: t.count,
    ids: t.ids,
    ses: t.numbers.ses,
    msa: t.texts.msa ?? null,
    countyFips: t.integers.county_fips ?? null,
    countyName: t.texts.county_name ?? null,
    homeTract: t.texts.home_tract ?? null,
    homeLat: t.numbers.home_lat ?? null,
    homeLon: t.numbers.home_lon ?? null,
    homeId: t.texts.home_id?.codes ?? null,
    rowsRead: t.rowsRead,
    dropped: t.dropped,
  };
}
