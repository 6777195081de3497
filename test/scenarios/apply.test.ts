import { describe, it, expect } from 'vitest';
import { columnTable, type ColumnTable } from '../../src/io/column-table.js';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { worldFromTables, type World } from '../../src/estimate/world.js';
import { estimateWorld, ESTIMATE_DEFAULTS } from '../../src/estimate/estimate-world.js';
import { applyInterventions } from '../../src/scenarios/apply.js';
import { interventionSchema } from '../../src/scenarios/interventions.js';
import { visitColumns } from '../../src/scenarios/world-index.js';
import { permutation, visitMultiset } from './helpers.js';

const city = generateCity(loadCitySpec('sims/cities/tiny.json'));
const world = worldFromTables(city);

/** The city with its visit rows (and persons rows) in a shuffled order. */
function shuffledCity(): World {
  const shuffle = (t: ColumnTable, seed: number): ColumnTable => {
    const n = t.columns[0].values.length;
    const order = permutation(n, seed);
    const pick = (values: ColumnTable['columns'][number]['values']) => {
      if (Array.isArray(values)) return Array.from(order, (r) => values[r]);
      return values instanceof Int32Array ? Int32Array.from(order, (r) => values[r]) : Float64Array.from(order, (r) => values[r]);
    };
    return columnTable(t.columns.map((c) => ({ name: c.name, values: pick(c.values) })));
  };
  return worldFromTables({ persons: shuffle(city.persons, 1), places: city.places, visits: shuffle(city.visits, 2) });
}

/** A place on the tiny city's first MSA: the mean location of its places. */
function centre(w: World): { lat: number; lon: number } {
  let lat = 0;
  let lon = 0;
  let n = 0;
  for (let q = 0; q < w.places.count; q++) {
    if (w.places.msa!.codes[q] !== 0) continue;
    lat += w.places.lat![q];
    lon += w.places.lon![q];
    n++;
  }
  return { lat: lat / n, lon: lon / n };
}

const steps = [
  { type: 'relocate-homes', share: 0.5, mode: 'mixed-income' },
  { type: 'redirect-visits', share: 0.5, choice: 'distance-decay', law: 'exponential', scale_km: 1.5 },
  { type: 'add-hub', category: ['park', 'restaurant'], location: centre(world), attractiveness: 'max', catchment_km: 4 },
  { type: 'move-hub', place_id: 'hub-2', location: centre(world), catchment_km: 2, origin: 'place' },
  { type: 'redirect-visits', share: 0.3, choice: 'equalized-range', categories: ['grocery'] },
  { type: 'filter-encounters', hours: [8, 20], min_days: 1 },
].map((s) => interventionSchema.parse(s));
const ctx = { seed: 99, baseline: null, dayOffsetSeconds: 0 };

describe('applyInterventions', () => {
  it('applies steps in order (a later step moves the hub an earlier one added) and never changes the input', () => {
    const before = { place: visitColumns(world).place.slice(), tract: world.persons.homeTract!.codes.slice(), lat: world.persons.homeLat!.slice(), places: world.places.count };
    const result = applyInterventions(world, steps, ctx);
    expect(result.counts).toHaveLength(steps.length);
    expect(result.counts[0].households_moved).toBeGreaterThan(0);
    expect(result.counts[2].visits_to_hub).toBeGreaterThan(0);
    expect(result.counts[3].hub_place).toBe(world.places.count);
    expect(result.world.places.count).toBe(world.places.count + 1);
    expect(result.estimateOptions).toEqual({ minDays: 1 });
    expect(visitColumns(world).place).toEqual(before.place);
    expect(world.persons.homeTract!.codes).toEqual(before.tract);
    expect(world.persons.homeLat).toEqual(before.lat);
    expect(world.places.count).toBe(before.places);
  });

  it('the same seed gives the same world; a shuffled input gives the same visits and estimates', async () => {
    const a = applyInterventions(world, steps, ctx);
    const b = applyInterventions(world, steps, ctx);
    expect(visitColumns(b.world).place).toEqual(visitColumns(a.world).place);
    const s = applyInterventions(shuffledCity(), steps, ctx);
    expect(visitMultiset(s.world)).toEqual(visitMultiset(a.world));
    expect(s.counts).toEqual(a.counts);
    const options = { ...ESTIMATE_DEFAULTS, bootstrap: 0, centroids: null, places: false, ...a.estimateOptions };
    const ea = await estimateWorld(a.world, options);
    const es = await estimateWorld(s.world, options);
    ea.msa!.level.areas.forEach((area, k) => {
      expect(Math.abs(es.msa!.level.areas[k].exposure.es - area.exposure.es)).toBeLessThan(1e-12);
      expect(Math.abs(es.msa!.level.areas[k].bridging!.bi - area.bridging!.bi)).toBeLessThan(1e-12);
    });
    ea.msa!.residential!.values.forEach((v, j) => v.forEach((x, k) => expect(Math.abs(es.msa!.residential!.values[j][k] - x)).toBeLessThan(1e-12)));
  });
});
