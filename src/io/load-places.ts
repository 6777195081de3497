/** The places table (SPEC section 1): place_id (unique); optional category, lat, lon, county_fips, msa, price_level. */
import { loadEntityTable, type CodedColumn, type LoadOptions } from './load-entities.js';
import type { IdIndex } from './id-index.js';

export interface PlaceTable {
  file: string | null;
  count: number;
  ids: IdIndex;
  category: CodedColumn | null;
  lat: Float64Array | null;
  lon: Float64Array | null;
  countyFips: Int32Array | null;
  msa: CodedColumn | null;
  priceLevel: Float64Array | null;
  rowsRead: number;
  dropped: Record<string, number>;
}

export async function loadPlaces(file: string, options: LoadOptions = {}): Promise<PlaceTable> {
  const t = await loadEntityTable(file, { id: 'place_id', numbers: ['lat', 'lon', 'price_level'], integers: ['county_fips'], texts: ['category', 'msa'] }, options);
  return {
    file,
    count: t.count,
    ids: t.ids,
    category: t.texts.category ?? null,
    lat: t.numbers.lat ?? null,
    lon: t.numbers.lon ?? null,
    countyFips: t.integers.county_fips ?? null,
    msa: t.texts.msa ?? null,
    priceLevel: t.numbers.price_level ?? null,
    rowsRead: t.rowsRead,
    dropped: t.dropped,
  };
}

/** Places known only from the visits (no places table): ids, no attributes. */
export function placesFromIds(ids: IdIndex): PlaceTable {
  return { file: null, count: ids.size, ids, category: null, lat: null, lon: null, countyFips: null, msa: null, priceLevel: null, rowsRead: 0, dropped: {} };
}
