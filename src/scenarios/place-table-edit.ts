/**
 * New places tables for hubs: one place appended (add-hub) or one place moved (move-hub). The input
 * table is never changed: columns are copied (a places table is small next to the visits).
 */
import { IdIndex } from '../io/id-index.js';
import type { CodedColumn } from '../io/load-entities.js';
import type { PlaceTable } from '../io/load-places.js';

export interface NewPlace {
  id: string;
  /** category code in places.category */
  category: number;
  lat: number;
  lon: number;
  /** MSA name, written when the table has an msa column */
  msa: string;
}

function appended<T extends Float64Array | Int32Array>(values: T, value: number): T {
  const out = new (values.constructor as new (n: number) => T)(values.length + 1);
  out.set(values);
  out[values.length] = value;
  return out;
}

function codeOf(column: CodedColumn, name: string): { names: string[]; code: number } {
  const at = column.names.indexOf(name);
  return at >= 0 ? { names: column.names, code: at } : { names: [...column.names, name], code: column.names.length };
}

/** The table with `place` appended as index places.count (a copied id index: the input's is untouched). */
export function withAddedPlace(places: PlaceTable, place: NewPlace): PlaceTable {
  const ids = new IdIndex();
  for (let q = 0; q < places.count; q++) ids.intern(places.ids.idOf(q), true);
  if (ids.intern(place.id, true) !== places.count) throw new RangeError(`place id ${place.id} exists already`);
  let msa = places.msa;
  if (msa) {
    const { names, code } = codeOf(msa, place.msa);
    msa = { names, codes: appended(msa.codes, code) };
  }
  return {
    ...places,
    count: places.count + 1,
    ids,
    category: places.category ? { names: places.category.names, codes: appended(places.category.codes, place.category) } : null,
    lat: appended(places.lat ?? new Float64Array(places.count).fill(NaN), place.lat),
    lon: appended(places.lon ?? new Float64Array(places.count).fill(NaN), place.lon),
    countyFips: places.countyFips ? appended(places.countyFips, -1) : null,
    msa,
    priceLevel: places.priceLevel ? appended(places.priceLevel, NaN) : null,
  };
}

/** The table with place q at (lat, lon) in MSA `msa` (written when the table has an msa column). */
export function withPlaceMoved(places: PlaceTable, q: number, lat: number, lon: number, msa: string): PlaceTable {
  const newLat = places.lat!.slice();
  const newLon = places.lon!.slice();
  newLat[q] = lat;
  newLon[q] = lon;
  let msaColumn = places.msa;
  if (msaColumn) {
    const { names, code } = codeOf(msaColumn, msa);
    const codes = msaColumn.codes.slice();
    codes[q] = code;
    msaColumn = { names, codes };
  }
  return { ...places, lat: newLat, lon: newLon, msa: msaColumn };
}
