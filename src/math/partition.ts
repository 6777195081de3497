/**
 * Areas of home (MSA, county): persons partitioned by an integer area code, as CSR.
 * Persons with code -1 (no area) belong to none.
 */
export interface AreaPartition {
  nAreas: number;
  /** persons of area a: persons[offsets[a] .. offsets[a + 1]), ascending */
  offsets: Int32Array;
  persons: Int32Array;
}

export function partitionByCode(codes: Int32Array, nAreas: number): AreaPartition {
  const offsets = new Int32Array(nAreas + 1);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) offsets[codes[i] + 1]++;
  for (let a = 0; a < nAreas; a++) offsets[a + 1] += offsets[a];
  const cursor = offsets.slice(0, nAreas);
  const persons = new Int32Array(offsets[nAreas]);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) persons[cursor[codes[i]]++] = i;
  return { nAreas, offsets, persons };
}

/**
 * Dense codes for labels in order of first appearance: codes[i] indexes values. Missing labels (negative
 * numbers, e.g. county FIPS -1) get code -1.
 */
export function denseCodes<T extends number | string>(labels: ArrayLike<T>): { codes: Int32Array; values: T[] } {
  const map = new Map<T, number>();
  const values: T[] = [];
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v === 'number' && v < 0) {
      codes[i] = -1;
      continue;
    }
    let c = map.get(v);
    if (c === undefined) {
      c = values.length;
      map.set(v, c);
      values.push(v);
    }
    codes[i] = c;
  }
  return { codes, values };
}

/**
 * Re-code areas so that codes follow the sorted order of their labels (output tables list MSAs by name
 * and counties by FIPS, whatever the input order).
 */
export function sortedCodes<T extends string | number>(codes: Int32Array, labels: T[]): { codes: Int32Array; labels: T[] } {
  const order = labels.map((_, k) => k).sort((x, y) => (labels[x] < labels[y] ? -1 : labels[x] > labels[y] ? 1 : 0));
  const rank = new Int32Array(labels.length);
  order.forEach((k, r) => (rank[k] = r));
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : rank[codes[i]];
  return { codes: out, labels: order.map((k) => labels[k]) };
}
