import { describe, it, expect } from 'vitest';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { worldFromTables, type World } from '../../src/estimate/world.js';
import { residentialIndicesByArea } from '../../src/residential/by-area.js';
import { applyIntervention } from '../../src/scenarios/apply.js';
import { interventionSchema } from '../../src/scenarios/interventions.js';
import { personAreasOf, areaLabelsOf } from '../../src/scenarios/world-index.js';
import { handWorld } from './helpers.js';

const ctx = { seed: 3, index: 0, baseline: null, dayOffsetSeconds: 0 };
const relocate = (extra: Record<string, unknown>) => interventionSchema.parse({ type: 'relocate-homes', ...extra });

function residential(world: World): { dissimilarity: number[]; divergence: number[] } {
  const labels = areaLabelsOf(world);
  const tract = world.persons.homeTract!;
  const r = residentialIndicesByArea({ areaOfPerson: personAreasOf(world, labels), nAreas: labels.length, tractOfPerson: tract.codes, nTracts: tract.names.length, ses: world.persons.ses });
  return { dissimilarity: Array.from(r.values[r.names.indexOf('res_dissimilarity_low')]), divergence: Array.from(r.values[r.names.indexOf('res_divergence_q4')]) };
}

/** Homes of a world by household: "tract|lat|lon|county" of each person, keyed by person id. */
function homes(world: World): Map<string, string> {
  const p = world.persons;
  const out = new Map<string, string>();
  for (let i = 0; i < p.count; i++) out.set(String(p.ids.idOf(i)), `${p.homeTract!.names[p.homeTract!.codes[i]]}|${p.homeLat![i]}|${p.homeLon![i]}|${p.countyFips?.[i]}`);
  return out;
}

describe('relocate-homes on the tiny synthetic city', () => {
  const world = worldFromTables(generateCity(loadCitySpec('sims/cities/tiny.json')));

  it('mixed-income, share 1, lowers dissimilarity and divergence in every area (here by more than half)', () => {
    const before = residential(world);
    const { world: out, counts } = applyIntervention(world, relocate({ share: 1, mode: 'mixed-income' }), ctx);
    const after = residential(out);
    expect(counts.persons_moved).toBe(world.persons.count);
    for (let a = 0; a < before.dissimilarity.length; a++) {
      expect(after.dissimilarity[a]).toBeLessThan(0.5 * before.dissimilarity[a]);
      expect(after.divergence[a]).toBeLessThan(0.5 * before.divergence[a]);
    }
  });

  it('conserves the housing stock: the multiset of homes per area is unchanged, households stay together', () => {
    for (const mode of ['random', 'mixed-income']) {
      const { world: out } = applyIntervention(world, relocate({ share: 0.7, mode }), ctx);
      const homesOf = (w: World) => {
        // one home per household (home_id), as "msa|tract|lat|lon|county"
        const byHousehold = new Map<number, string>();
        const p = w.persons;
        for (let i = 0; i < p.count; i++) {
          const home = `${p.msa!.names[p.msa!.codes[i]]}|${homes(w).get(String(p.ids.idOf(i)))}`;
          const prev = byHousehold.get(p.homeId![i]);
          if (prev !== undefined) expect(home).toBe(prev);
          byHousehold.set(p.homeId![i], home);
        }
        return [...byHousehold.values()].sort();
      };
      expect(homesOf(out)).toEqual(homesOf(world));
    }
  });

  it('share 0 returns the same world; the input persons are never changed', () => {
    const copy = world.persons.homeTract!.codes.slice();
    const same = applyIntervention(world, relocate({ share: 0, mode: 'mixed-income' }), ctx);
    expect(same.world).toBe(world);
    applyIntervention(world, relocate({ share: 1, mode: 'random' }), ctx);
    expect(world.persons.homeTract!.codes).toEqual(copy);
  });

  it('only the named area moves', () => {
    const area = world.persons.msa!.names[0];
    const { world: out } = applyIntervention(world, relocate({ share: 1, mode: 'random', area }), ctx);
    const a = homes(world);
    const b = homes(out);
    for (let i = 0; i < world.persons.count; i++) {
      const id = String(world.persons.ids.idOf(i));
      if (world.persons.msa!.names[world.persons.msa!.codes[i]] !== area) expect(b.get(id)).toBe(a.get(id));
    }
  });
});

describe('relocate-homes by hand', () => {
  /*
   * One area, two tracts of two single-person households each: tract T1 holds SES 1 and 2, tract T2
   * SES 9 and 10 (area mean 5.5). With share 1 all four move; every tract starts empty (counted as the
   * area mean 5.5), so the first mover (whichever the keyed order gives) takes the first tract by name,
   * T1; then each mover goes to the tract whose mean is farthest from its SES. The result is mixed:
   * each tract ends with one low (1 or 2) and one high (9 or 10) person, whatever the order.
   */
  it('mixed-income pairs low and high households in each tract', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const world = handWorld(
        [
          { id: 'a', ses: 1, tract: 'T1', home: [0, 0] },
          { id: 'b', ses: 2, tract: 'T1', home: [0, 0.1] },
          { id: 'c', ses: 9, tract: 'T2', home: [5, 0] },
          { id: 'd', ses: 10, tract: 'T2', home: [5, 0.1] },
        ],
        [{ id: 'q', category: 'shop', at: [1, 1] }],
        [{ person: 'a', place: 'q', start: 0 }],
      );
      const { world: out } = applyIntervention(world, relocate({ share: 1, mode: 'mixed-income' }), { ...ctx, seed });
      const tractOf = (id: string) => out.persons.homeTract!.names[out.persons.homeTract!.codes[out.persons.ids.intern(id, false)]];
      const lows = [tractOf('a'), tractOf('b')].sort();
      const highs = [tractOf('c'), tractOf('d')].sort();
      expect(lows).toEqual(['T1', 'T2']);
      expect(highs).toEqual(['T1', 'T2']);
      // homes are the vacated ones: coordinates travel with the tract
      for (const id of ['a', 'b', 'c', 'd']) {
        const i = out.persons.ids.intern(id, false);
        expect(out.persons.homeLon![i] < world.persons.homeLon![2] - 1e-9).toBe(tractOf(id) === 'T1');
      }
    }
  });

  it('the same choices for any order of the persons rows', () => {
    const rows = [
      { id: 'a', ses: 1, tract: 'T1', home: [0, 0] as [number, number], household: 'h1' },
      { id: 'a2', ses: 1, tract: 'T1', home: [0, 0] as [number, number], household: 'h1' },
      { id: 'b', ses: 3, tract: 'T1', home: [0, 0.1] as [number, number] },
      { id: 'c', ses: 7, tract: 'T2', home: [5, 0] as [number, number] },
      { id: 'd', ses: 9, tract: 'T2', home: [5, 0.1] as [number, number], household: 'h4' },
      { id: 'e', ses: 5, tract: 'T3', home: [9, 0] as [number, number] },
    ];
    const build = (order: number[]) => handWorld(order.map((k) => rows[k]), [{ id: 'q', category: 'shop', at: [1, 1] }], [{ person: 'a', place: 'q', start: 0 }]);
    for (const mode of ['random', 'mixed-income']) {
      const a = homes(applyIntervention(build([0, 1, 2, 3, 4, 5]), relocate({ share: 0.8, mode }), ctx).world);
      const b = homes(applyIntervention(build([5, 3, 1, 4, 0, 2]), relocate({ share: 0.8, mode }), ctx).world);
      expect(b).toEqual(a);
    }
  });
});
