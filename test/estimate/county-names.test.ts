/**
 * What county.csv says of a county that does not depend on the persons' row order: its name (the name
 * most residents carry; a tie goes to the first in sorted order) and, when the centroid table does not
 * list it, its centroid from the residents' mean home.
 */
import { describe, it, expect } from 'vitest';
import { columnTable } from '../../src/io/column-table.js';
import { worldFromTables } from '../../src/estimate/world.js';
import { estimateWorld, ESTIMATE_DEFAULTS } from '../../src/estimate/estimate-world.js';

async function countyOf(names: string[], homeLat?: number[]) {
  const n = names.length;
  const persons = columnTable([
    { name: 'person_id', values: Int32Array.from({ length: n }, (_, i) => i + 1) },
    { name: 'ses', values: Float64Array.from({ length: n }, (_, i) => 100 + i) },
    { name: 'county_fips', values: new Int32Array(n).fill(1001) },
    { name: 'county_name', values: names },
    ...(homeLat ? [{ name: 'home_lat', values: Float64Array.from(homeLat) }, { name: 'home_lon', values: Float64Array.from(homeLat, (x) => -x) }] : []),
  ]);
  const places = columnTable([{ name: 'place_id', values: Int32Array.of(1) }]);
  const visits = columnTable([
    { name: 'person_id', values: Int32Array.from({ length: n }, (_, i) => i + 1) },
    { name: 'place_id', values: new Int32Array(n).fill(1) },
    { name: 'start', values: new Float64Array(n).fill(0) },
    { name: 'end', values: new Float64Array(n).fill(NaN) },
  ]);
  const e = await estimateWorld(worldFromTables({ persons, places, visits }), { ...ESTIMATE_DEFAULTS, bootstrap: 0, places: false, centroids: null });
  return e.county!;
}

const countyNamesOf = async (names: string[]) => (await countyOf(names)).names;

describe('county names', () => {
  it('the majority name wins', async () => {
    expect(await countyNamesOf(['Beta County', 'Alpha County', 'Beta County'])).toEqual(['Beta County']);
  });
  it('a tie goes to the first name in sorted order, in either row order', async () => {
    expect(await countyNamesOf(['Beta County', 'Alpha County', 'Beta County', 'Alpha County'])).toEqual(['Alpha County']);
    expect(await countyNamesOf(['Alpha County', 'Beta County', 'Alpha County', 'Beta County'])).toEqual(['Alpha County']);
  });
  it("a centroid from residents' homes is the same in any row order (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1 in floating point)", async () => {
    const names = ['A', 'A', 'A'];
    const a = await countyOf(names, [0.1, 0.2, 0.3]);
    const b = await countyOf(names, [0.3, 0.2, 0.1]);
    expect(0.1 + 0.2 + 0.3).not.toBe(0.3 + 0.2 + 0.1);
    expect(a.lat[0]).toBe(b.lat[0]);
    expect(a.lon[0]).toBe(b.lon[0]);
    expect(a.lat[0]).toBeCloseTo(0.2, 15);
  });
});
