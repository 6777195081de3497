import { describe, it, expect } from 'vitest';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { worldFromTables } from '../../src/estimate/world.js';
import { estimateWorld, ESTIMATE_DEFAULTS } from '../../src/estimate/estimate-world.js';
import { applyIntervention } from '../../src/scenarios/apply.js';
import { interventionSchema } from '../../src/scenarios/interventions.js';
import { visitColumns } from '../../src/scenarios/world-index.js';
import { handWorld, latLon, visitMultiset, visitsPerPlace, type HandVisit } from './helpers.js';

/*
 * Three places on a north-south line (so the longitude scale plays no role): shop A 1 km north of
 * person p1's home, shop B 2 km north, and a hub 0.5 km north. p1 visits A 3000 times; p2, who lives
 * 50 km away (outside every catchment), visits B 1000 times. Base visit counts: A 3000, B 1000.
 */
function threePlaces(): ReturnType<typeof handWorld> {
  const visits: HandVisit[] = [];
  for (let k = 0; k < 3000; k++) visits.push({ person: 'p1', place: 'A', start: 1_000_000 + 3600 * k });
  for (let k = 0; k < 1000; k++) visits.push({ person: 'p2', place: 'B', start: 1_000_000 + 3600 * k });
  return handWorld(
    [
      { id: 'p1', ses: 1, home: [0, 0] },
      { id: 'p2', ses: 2, home: [0, 50] },
    ],
    [
      { id: 'A', category: 'shop', at: [0, 1] },
      { id: 'B', category: 'shop', at: [0, 2] },
    ],
    visits,
  );
}

const hubAt = latLon(0, 0.5);
const ctx = { seed: 7, index: 0, baseline: null, dayOffsetSeconds: 0 };

function addHub(extra: Record<string, unknown>) {
  return interventionSchema.parse({ type: 'add-hub', id: 'H', category: 'shop', location: { lat: hubAt.lat, lon: hubAt.lon }, attractiveness: 2000, alpha: 1, beta: 1.5, catchment_km: 5, ...extra });
}

describe('add-hub: the Huff model by hand (Huff 1963)', () => {
  it('origin home: P_hub = 2000 * 0.5^-1.5 / (3000 * 1^-1.5 + 1000 * 2^-1.5 + 2000 * 0.5^-1.5) = 0.627813...', () => {
    const world = threePlaces();
    const { world: out, counts } = applyIntervention(world, addHub({ origin: 'home' }), ctx);
    const wHub = 2000 * Math.pow(0.5, -1.5); // 5656.854...
    const p = wHub / (3000 + 1000 * Math.pow(2, -1.5) + wHub);
    expect(p).toBeCloseTo(0.6278134, 6);
    // only p1 lives within the catchment: its 3000 visits are eligible, each with the same P_hub
    expect(counts.persons_in_catchment).toBe(1);
    expect(counts.visits_eligible).toBe(3000);
    expect(counts.expected_visits_to_hub / 3000).toBeCloseTo(p, 9);
    // the moves are Bernoulli(p): within 5 binomial standard deviations (sd = sqrt(3000 p (1 - p)) = 26.5)
    expect(Math.abs(counts.visits_to_hub - 3000 * p)).toBeLessThan(5 * Math.sqrt(3000 * p * (1 - p)));
    // moved, never created: per place, A + hub = 3000 and B untouched; the same persons and times
    const per = visitsPerPlace(out);
    expect(per.get('A')! + per.get('H')!).toBe(3000);
    expect(per.get('H')).toBe(counts.visits_to_hub);
    expect(per.get('B')).toBe(1000);
    expect(out.places.count).toBe(3);
    expect(out.places.ids.idOf(2)).toBe('H');
    expect(out.places.category!.names[out.places.category!.codes[2]]).toBe('shop');
    const strip = (s: string) => s.replace(/\|[AH]\|/, '|x|');
    expect(visitMultiset(out).map(strip).sort()).toEqual(visitMultiset(world).map(strip).sort());
  });

  it('origin place: distances from the original place A, A at d = 0 clamped to 0.1 km', () => {
    const { counts } = applyIntervention(threePlaces(), addHub({ origin: 'place' }), ctx);
    const wHub = 2000 * Math.pow(0.5, -1.5);
    const p = wHub / (3000 * Math.pow(0.1, -1.5) + 1000 * Math.pow(1, -1.5) + wHub); // 0.0557175...
    expect(counts.expected_visits_to_hub / 3000).toBeCloseTo(p, 9);
    expect(Math.abs(counts.visits_to_hub - 3000 * p)).toBeLessThan(5 * Math.sqrt(3000 * p * (1 - p)));
  });

  it('a catchment of 1.5 km leaves B out of reach; the original place A is always in it', () => {
    const { counts } = applyIntervention(threePlaces(), addHub({ catchment_km: 1.5 }), ctx);
    const wHub = 2000 * Math.pow(0.5, -1.5);
    expect(counts.expected_visits_to_hub / 3000).toBeCloseTo(wHub / (3000 + wHub), 9);
    // with a 0.9 km catchment A is out of the catchment too, but still competes as the original place
    const small = applyIntervention(threePlaces(), addHub({ catchment_km: 0.9 }), ctx).counts;
    expect(small.expected_visits_to_hub / 3000).toBeCloseTo(wHub / (3000 + wHub), 9);
  });

  it('alpha and beta enter as exponents: alpha 2, beta 1', () => {
    const { counts } = applyIntervention(threePlaces(), addHub({ alpha: 2, beta: 1 }), ctx);
    const wHub = 2000 ** 2 / 0.5;
    expect(counts.expected_visits_to_hub / 3000).toBeCloseTo(wHub / (3000 ** 2 / 1 + 1000 ** 2 / 2 + wHub), 9);
  });

  it('attractiveness 0 changes no visit, byte for byte (the hub is listed with no visit)', () => {
    const world = threePlaces();
    const { world: out, counts } = applyIntervention(world, addHub({ attractiveness: 0 }), ctx);
    expect(counts.visits_to_hub).toBe(0);
    const before = visitColumns(world);
    const after = visitColumns(out);
    expect(Buffer.from(after.place.buffer, after.place.byteOffset, after.place.byteLength).equals(Buffer.from(before.place.buffer, before.place.byteOffset, before.place.byteLength))).toBe(true);
    expect(after.person).toEqual(before.person);
    expect(after.start).toEqual(before.start);
    expect(out.places.count).toBe(3);
  });

  it('"median" and "max" take the base visit counts of the category in the area (median of 3000 and 1000 = 2000)', () => {
    const median = applyIntervention(threePlaces(), addHub({ attractiveness: 'median' }), ctx).counts;
    expect(median.hub_attractiveness).toBe(2000);
    const max = applyIntervention(threePlaces(), addHub({ attractiveness: 'max' }), ctx).counts;
    expect(max.hub_attractiveness).toBe(3000);
  });

  it('the same seed gives the same moves; another seed other moves with the same expectation', () => {
    const a = applyIntervention(threePlaces(), addHub({}), ctx);
    const b = applyIntervention(threePlaces(), addHub({}), ctx);
    expect(visitColumns(a.world).place).toEqual(visitColumns(b.world).place);
    const c = applyIntervention(threePlaces(), addHub({}), { ...ctx, seed: 8 });
    expect(c.counts.expected_visits_to_hub).toBeCloseTo(a.counts.expected_visits_to_hub, 9);
    expect(visitColumns(c.world).place).not.toEqual(visitColumns(a.world).place);
  });
});

describe('move-hub', () => {
  it("re-draws the moved place's visits among the others in reach by Huff, then takes visits at its new place", () => {
    // B moves to 0.5 km north of p1's home. Its 1000 visits are by p2 (home 50 km away): nothing is in
    // reach of that home, so they stay with B. p1's visits to A then go to B with the add-hub P_hub of
    // A = 1000 (B's base count): 1000 * 0.5^-1.5 / (3000 + 1000 * 0.5^-1.5).
    const step = interventionSchema.parse({ type: 'move-hub', place_id: 'B', location: { lat: hubAt.lat, lon: hubAt.lon }, catchment_km: 5 });
    const world = threePlaces();
    const { world: out, counts } = applyIntervention(world, step, ctx);
    expect(counts.visits_at_old_location).toBe(1000);
    expect(counts.visits_redrawn_away).toBe(0);
    const wHub = 1000 * Math.pow(0.5, -1.5);
    expect(counts.expected_visits_to_hub / 3000).toBeCloseTo(wHub / (3000 + wHub), 9);
    const per = visitsPerPlace(out);
    expect(per.get('A')! + per.get('B')!).toBe(4000);
    expect(per.get('B')).toBe(1000 + counts.visits_to_hub);
    // the place moved; the input table did not
    expect(out.places.lat![1]).toBeCloseTo(hubAt.lat, 12);
    expect(world.places.lat![1]).toBeCloseTo(latLon(0, 2).lat, 12);
    expect(out.places.count).toBe(2);
  });

  it('with origin place, visits of the moved place go to the places in reach of its old location', () => {
    // B's visits have origin B (2 km north); A is 1 km from there, within 5 km: every one of B's visits
    // goes to A (the only other place in reach), then p1's and p2's visits compete for B at its new place
    const step = interventionSchema.parse({ type: 'move-hub', place_id: 'B', location: { lat: hubAt.lat, lon: hubAt.lon }, catchment_km: 5, origin: 'place' });
    const { world: out, counts } = applyIntervention(threePlaces(), step, ctx);
    expect(counts.visits_redrawn_away).toBe(1000);
    const per = visitsPerPlace(out);
    expect((per.get('A') ?? 0) + (per.get('B') ?? 0)).toBe(4000);
  });
});

describe('add-hub "between-communities"', () => {
  it('goes to the midpoint of the visit-weighted centres of the two most SES-distant communities (>= 1% of visits)', { timeout: 30_000 }, async () => {
    const world = worldFromTables(generateCity(loadCitySpec('sims/cities/default.json')));
    const baseline = await estimateWorld(world, { ...ESTIMATE_DEFAULTS, bootstrap: 0, centroids: null });
    const places = baseline.places!;
    const a = places.areaLabels.indexOf('Springfield, XS');
    const area = places.areaLabels[a];
    const step = interventionSchema.parse({ type: 'add-hub', category: 'park', location: 'between-communities', area, attractiveness: 'max' });
    const { counts } = applyIntervention(world, step, { ...ctx, baseline });
    // the communities of the area, their visitors' mean SES, visits and visit-weighted centres, by hand
    const column = (name: string) => places.communities.columns.find((c) => c.name === name)!.values as ArrayLike<unknown>;
    const ses = new Map<number, number>();
    for (let k = 0; k < column('area').length; k++) if (column('area')[k] === area) ses.set(Number(column('community')[k]), Number(column('ses_mean')[k]));
    const perPlace = visitsPerPlace(world);
    const stats = new Map<number, { visits: number; lat: number; lon: number }>();
    let total = 0;
    for (let q = 0; q < world.places.count; q++) {
      const c = places.placeCommunity[q];
      if (places.placeArea[q] !== a || c < 0) continue;
      const v = perPlace.get(String(world.places.ids.idOf(q))) ?? 0;
      const s = stats.get(c) ?? { visits: 0, lat: 0, lon: 0 };
      stats.set(c, { visits: s.visits + v, lat: s.lat + v * world.places.lat![q], lon: s.lon + v * world.places.lon![q] });
      total += v;
    }
    const competing = [...stats.keys()].filter((c) => stats.get(c)!.visits >= 0.01 * total).sort((a, b) => a - b);
    expect(competing.length).toBeGreaterThanOrEqual(2);
    let gap = -1;
    let pair: number[] = [];
    for (const c1 of competing) for (const c2 of competing) if (c1 < c2 && Math.abs(ses.get(c1)! - ses.get(c2)!) > gap) [gap, pair] = [Math.abs(ses.get(c1)! - ses.get(c2)!), [c1, c2]];
    expect([counts.hub_community_a, counts.hub_community_b]).toEqual(pair);
    const centre = (c: number) => ({ lat: stats.get(c)!.lat / stats.get(c)!.visits, lon: stats.get(c)!.lon / stats.get(c)!.visits });
    expect(counts.hub_lat).toBeCloseTo((centre(pair[0]).lat + centre(pair[1]).lat) / 2, 10);
    expect(counts.hub_lon).toBeCloseTo((centre(pair[0]).lon + centre(pair[1]).lon) / 2, 10);
    expect(counts.visits_to_hub).toBeGreaterThan(0);
  });

  it('without the baseline communities it is a clear error naming the step', () => {
    const step = interventionSchema.parse({ type: 'add-hub', category: 'shop', location: 'between-communities' });
    expect(() => applyIntervention(threePlaces(), step, { ...ctx, index: 4 })).toThrow('interventions[4].location: "between-communities" needs the baseline\'s Louvain communities (the estimate option places must be on)');
  });
});
