import { describe, it, expect } from 'vitest';
import { applyIntervention } from '../../src/scenarios/apply.js';
import { interventionSchema } from '../../src/scenarios/interventions.js';
import { visitColumns } from '../../src/scenarios/world-index.js';
import { KM_PER_DEGREE } from '../../src/simulation/tract-layout.js';
import { handWorld, permutation, visitMultiset, visitsPerPlace, type HandPerson, type HandPlace, type HandVisit } from './helpers.js';

const ctx = { seed: 11, index: 0, baseline: null, dayOffsetSeconds: 0 };
const redirect = (extra: Record<string, unknown>) => interventionSchema.parse({ type: 'redirect-visits', ...extra });

/** Km between two places of a world (the plane the interventions use: the area's mean latitude). */
function kmBetween(world: ReturnType<typeof handWorld>, p: number, q: number): number {
  const { lat, lon } = world.places;
  let mean = 0;
  for (let k = 0; k < world.places.count; k++) mean += lat![k] / world.places.count;
  const dx = (lon![p] - lon![q]) * KM_PER_DEGREE * Math.cos((mean * Math.PI) / 180);
  const dy = (lat![p] - lat![q]) * KM_PER_DEGREE;
  return Math.hypot(dx, dy);
}

/** Two areas, two categories, places on a 7 x 7 km grid of 1 km steps; 40 persons with 25 visits each. */
function gridCity(): ReturnType<typeof handWorld> {
  const persons: HandPerson[] = [];
  const places: HandPlace[] = [];
  const visits: HandVisit[] = [];
  for (const [area, dx] of [['North', 0], ['South', 100]] as const) {
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) places.push({ id: `${area}-${i}-${j}`, category: (i + j) % 2 === 0 ? 'cafe' : 'park', at: [dx + i, j], msa: area });
    }
    for (let k = 0; k < 20; k++) persons.push({ id: `${area}-p${k}`, ses: k, msa: area, home: [dx + (k % 7), Math.floor(k / 7)] });
  }
  persons.forEach((p, k) => {
    for (let v = 0; v < 25; v++) {
      const area = p.msa!;
      const i = (k * 3 + v) % 7;
      const j = (k + 2 * v) % 7;
      visits.push({ person: p.id, place: `${area}-${i}-${j}`, start: 1_000_000 + 600 * (25 * k + v) });
    }
  });
  return handWorld(persons, places, visits);
}

describe('redirect-visits', () => {
  it('share 0 moves nothing: the same world, byte for byte', () => {
    const world = gridCity();
    for (const choice of ['random', 'no-destination-preference', 'equalized-range']) {
      const { world: out, counts } = applyIntervention(world, redirect({ share: 0, choice }), ctx);
      expect(out).toBe(world);
      expect(counts.visits_moved).toBe(0);
      expect(counts.visits_in_scope).toBe(1000);
    }
  });

  it('random, share 1: every visit goes to another place of its category and area; persons and times stay', () => {
    const world = gridCity();
    const { world: out, counts } = applyIntervention(world, redirect({ share: 1, choice: 'random' }), ctx);
    expect(counts.visits_selected).toBe(1000);
    expect(counts.visits_moved).toBe(1000);
    const before = visitColumns(world);
    const after = visitColumns(out);
    for (let r = 0; r < before.place.length; r++) {
      const [p, q] = [before.place[r], after.place[r]];
      expect(q).not.toBe(p);
      expect(world.places.category!.codes[q]).toBe(world.places.category!.codes[p]);
      expect(world.places.msa!.codes[q]).toBe(world.places.msa!.codes[p]);
    }
    expect(after.person).toBe(before.person);
    expect(after.start).toBe(before.start);
    expect(after.end).toBe(before.end);
    // the input world is untouched
    expect(before.place).toEqual(visitColumns(gridCity()).place);
  });

  it('a share of 0.3 selects about 30% of the visits in scope, only in the categories named', () => {
    const { counts } = applyIntervention(gridCity(), redirect({ share: 0.3, choice: 'random', categories: ['park'] }), ctx);
    // 24 of the 49 places per area are parks; visits in scope are those to parks
    expect(counts.visits_in_scope).toBeGreaterThan(300);
    expect(counts.visits_in_scope).toBeLessThan(700);
    const sd = Math.sqrt(counts.visits_in_scope * 0.3 * 0.7);
    expect(Math.abs(counts.visits_selected - 0.3 * counts.visits_in_scope)).toBeLessThan(5 * sd);
  });

  it('no-destination-preference only picks same-category places within [min_km, max_km] of the original place', () => {
    const world = gridCity();
    // on the 1 km grid, same-category (checkerboard) neighbours are at sqrt(2) = 1.41 and 2 km; the ring
    // [1.2, 1.9] holds only the diagonal ones
    const { world: out, counts } = applyIntervention(world, redirect({ share: 1, choice: 'no-destination-preference', min_km: 1.2, max_km: 1.9 }), ctx);
    expect(counts.visits_moved).toBe(1000);
    const before = visitColumns(world);
    const after = visitColumns(out);
    const seen = new Set<number>();
    for (let r = 0; r < before.place.length; r++) {
      const d = kmBetween(world, before.place[r], after.place[r]);
      expect(d).toBeGreaterThanOrEqual(1.2);
      expect(d).toBeLessThanOrEqual(1.9);
      seen.add(Math.round(d * 1000));
    }
    expect([...seen]).toEqual([1414]);
    // a ring nothing falls in: every visit stays and is counted
    const empty = applyIntervention(world, redirect({ share: 1, choice: 'no-destination-preference', min_km: 0.1, max_km: 0.5 }), ctx);
    expect(empty.counts.visits_moved).toBe(0);
    expect(empty.counts.visits_without_candidate).toBe(1000);
    expect(empty.world).toBe(world);
  });

  it('the default ring [0.03, 1] km picks among the places up to 1 km away (none on this grid: all stay)', () => {
    const { counts } = applyIntervention(gridCity(), redirect({ share: 1, choice: 'no-destination-preference' }), ctx);
    expect(counts.visits_without_candidate).toBe(1000);
  });

  it('a shuffled visit order gives the same multiset of rewritten visits, for every choice', () => {
    const world = gridCity();
    const v = visitColumns(world);
    const order = permutation(v.person.length, 5);
    const shuffledVisits: HandVisit[] = Array.from(order, (r) => ({ person: String(world.persons.ids.idOf(v.person[r])), place: String(world.places.ids.idOf(v.place[r])), start: v.start[r], end: v.end[r] }));
    const persons: HandPerson[] = [];
    for (let i = 0; i < world.persons.count; i++) {
      const id = String(world.persons.ids.idOf(i));
      const area = id.split('-')[0];
      const k = Number(id.split('-p')[1]);
      persons.push({ id, ses: k, msa: area, home: [(area === 'South' ? 100 : 0) + (k % 7), Math.floor(k / 7)] });
    }
    const places: HandPlace[] = [];
    for (let q = 0; q < world.places.count; q++) {
      const id = String(world.places.ids.idOf(q));
      const [area, i, j] = id.split('-');
      places.push({ id, category: (Number(i) + Number(j)) % 2 === 0 ? 'cafe' : 'park', at: [(area === 'South' ? 100 : 0) + Number(i), Number(j)], msa: area });
    }
    const shuffled = handWorld(persons, places, shuffledVisits);
    expect(visitMultiset(shuffled)).toEqual(visitMultiset(world));
    const steps = [
      { share: 0.6, choice: 'random' },
      { share: 0.6, choice: 'distance-decay', law: 'exponential', scale_km: 2 },
      { share: 0.6, choice: 'distance-decay', law: 'power', beta: 1.5 },
      { share: 0.6, choice: 'no-destination-preference', min_km: 1, max_km: 3 },
      { share: 0.6, choice: 'equalized-range' },
    ];
    for (const s of steps) {
      const a = applyIntervention(world, redirect(s), ctx);
      const b = applyIntervention(shuffled, redirect(s), ctx);
      expect(a.counts.visits_moved).toBeGreaterThan(0);
      expect(visitMultiset(b.world)).toEqual(visitMultiset(a.world));
    }
  });
});

describe('redirect-visits, distance-decay: P(place) proportional to f(distance from home), exactly', () => {
  /*
   * One home at the origin; 120 cafes scattered over a 30 x 30 km square (a fixed LCG), so the grid,
   * the envelope's near cells and its far part are all used; one more cafe, "origin", 0.2 km from home,
   * where every visit starts. 40,000 visits are redirected; the destinations are compared with the
   * exact probabilities f(d_q) / sum_{q' != origin} f(d_q') by a chi-square over the places (expected
   * counts >= 5 pooled). With k - 1 degrees of freedom the statistic has mean k - 1 and sd sqrt(2 (k-1)):
   * the bound k - 1 + 6 sd fails by chance with probability far below 1e-6.
   */
  function scattered(): { world: ReturnType<typeof handWorld>; d: Float64Array } {
    const places: HandPlace[] = [{ id: 'origin', category: 'cafe', at: [0.2, 0] }];
    let s = 12345;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let k = 0; k < 120; k++) places.push({ id: `c${k}`, category: 'cafe', at: [30 * next() - 15, 30 * next() - 15] });
    const visits: HandVisit[] = Array.from({ length: 40000 }, (_, k) => ({ person: 'me', place: 'origin', start: 1_000_000 + 60 * k }));
    const world = handWorld([{ id: 'me', ses: 1, home: [0, 0] }], places, visits);
    // distances on the plane the interventions use (mean latitude of the places)
    const { lat, lon } = world.places;
    let mean = 0;
    for (let q = 0; q < world.places.count; q++) mean += lat![q] / world.places.count;
    const kx = KM_PER_DEGREE * Math.cos((mean * Math.PI) / 180);
    const d = Float64Array.from({ length: world.places.count }, (_, q) => Math.hypot((lon![q] - world.persons.homeLon![0]) * kx, (lat![q] - world.persons.homeLat![0]) * KM_PER_DEGREE));
    return { world, d };
  }

  function chiSquare(world: ReturnType<typeof handWorld>, f: (d: number) => number, d: Float64Array, step: Record<string, unknown>): { chi2: number; df: number } {
    const { world: out, counts } = applyIntervention(world, redirect({ share: 1, choice: 'distance-decay', ...step }), ctx);
    expect(counts.visits_moved).toBe(40000);
    const per = visitsPerPlace(out);
    expect(per.get('origin')).toBeUndefined();
    let total = 0;
    for (let q = 1; q < world.places.count; q++) total += f(d[q]);
    // pool places with expected counts below 5 into one cell
    let chi2 = 0;
    let cells = 0;
    let pooledExpected = 0;
    let pooledObserved = 0;
    for (let q = 1; q < world.places.count; q++) {
      const expected = (40000 * f(d[q])) / total;
      const observed = per.get(String(world.places.ids.idOf(q))) ?? 0;
      if (expected < 5) {
        pooledExpected += expected;
        pooledObserved += observed;
        continue;
      }
      chi2 += (observed - expected) ** 2 / expected;
      cells++;
    }
    if (pooledExpected > 0) {
      chi2 += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
      cells++;
    }
    return { chi2, df: cells - 1 };
  }

  it('exponential law, scale 2 km', () => {
    const { world, d } = scattered();
    const { chi2, df } = chiSquare(world, (x) => Math.exp(-x / 2), d, { law: 'exponential', scale_km: 2 });
    expect(df).toBeGreaterThan(20);
    expect(chi2).toBeLessThan(df + 6 * Math.sqrt(2 * df));
  });

  it('power law, beta 1.5 (distances clamped at 0.1 km)', () => {
    const { world, d } = scattered();
    const { chi2, df } = chiSquare(world, (x) => Math.pow(Math.max(x, 0.1), -1.5), d, { law: 'power', beta: 1.5 });
    expect(df).toBeGreaterThan(20);
    expect(chi2).toBeLessThan(df + 6 * Math.sqrt(2 * df));
  });

  it('a wrong law is caught: the exponential sample is far from the power-law probabilities', () => {
    const { world, d } = scattered();
    const { chi2, df } = chiSquare(world, (x) => Math.pow(Math.max(x, 0.1), -1.5), d, { law: 'exponential', scale_km: 2 });
    expect(chi2).toBeGreaterThan(df + 20 * Math.sqrt(2 * df));
  });
});

describe('redirect-visits, equalized-range', () => {
  it('every resident drew 5 km: visits go to a place about 5 km from home (within the grid cell width)', () => {
    // home at the origin; cafes on a ring of radius 5 km (every 10 degrees) and 8 cafes within 1 km;
    // the residents' observed visits are all to the ring, so the distance distribution is 5 km exactly
    const places: HandPlace[] = [];
    for (let k = 0; k < 36; k++) places.push({ id: `ring${k}`, category: 'cafe', at: [5 * Math.cos((k * Math.PI) / 18), 5 * Math.sin((k * Math.PI) / 18)] });
    for (let k = 0; k < 8; k++) places.push({ id: `near${k}`, category: 'cafe', at: [0.8 * Math.cos((k * Math.PI) / 4), 0.8 * Math.sin((k * Math.PI) / 4)] });
    const visits: HandVisit[] = [];
    for (let k = 0; k < 400; k++) visits.push({ person: 'me', place: `ring${k % 36}`, start: 1_000_000 + 60 * k });
    const world = handWorld([{ id: 'me', ses: 1, home: [0, 0] }], places, visits);
    const { world: out, counts } = applyIntervention(world, redirect({ share: 1, choice: 'equalized-range' }), ctx);
    expect(counts.visits_moved).toBe(400);
    const per = visitsPerPlace(out);
    for (let k = 0; k < 8; k++) expect(per.get(`near${k}`)).toBeUndefined();
    // bearings are uniform: the 36 ring cafes each get about 400 / 36 = 11 visits
    let used = 0;
    for (let k = 0; k < 36; k++) if ((per.get(`ring${k}`) ?? 0) > 0) used++;
    expect(used).toBeGreaterThan(30);
  });

  it('a visitor from outside the area, whose circle of radius r misses the places, gets the place nearest home', () => {
    // area A's only resident lives at the origin and visits a ring of radius 5 km (r = 5 km); a visitor
    // from area B lives 100 km east: every place is farther than 5 km, so the closest to r is the nearest
    const places: HandPlace[] = [];
    for (let k = 0; k < 36; k++) places.push({ id: `ring${k}`, category: 'cafe', at: [5 * Math.cos((k * Math.PI) / 18), 5 * Math.sin((k * Math.PI) / 18)], msa: 'A' });
    places.push({ id: 'centre', category: 'cafe', at: [0, 0], msa: 'A' });
    const visits: HandVisit[] = [];
    for (let k = 0; k < 100; k++) visits.push({ person: 'me', place: `ring${k % 36}`, start: 1_000_000 + 60 * k });
    for (let k = 0; k < 50; k++) visits.push({ person: 'far', place: 'centre', start: 2_000_000 + 60 * k });
    const world = handWorld(
      [
        { id: 'me', ses: 1, home: [0, 0], msa: 'A' },
        { id: 'far', ses: 2, home: [100, 0], msa: 'B' },
      ],
      places,
      visits,
    );
    const { world: out } = applyIntervention(world, redirect({ share: 1, choice: 'equalized-range' }), ctx);
    const v = visitColumns(out);
    for (let r = 100; r < 150; r++) expect(out.places.ids.idOf(v.place[r])).toBe('ring0');
  });

  it('distances follow the residents’ distribution: the mean new home-to-place distance matches the observed one', () => {
    const world = gridCity();
    const { world: out } = applyIntervention(world, redirect({ share: 1, choice: 'equalized-range' }), ctx);
    const meanDistance = (w: ReturnType<typeof handWorld>) => {
      const v = visitColumns(w);
      let sum = 0;
      for (let r = 0; r < v.place.length; r++) {
        const i = v.person[r];
        const q = v.place[r];
        sum += Math.hypot((w.places.lon![q] - w.persons.homeLon![i]) * KM_PER_DEGREE * Math.cos((40 * Math.PI) / 180), (w.places.lat![q] - w.persons.homeLat![i]) * KM_PER_DEGREE);
      }
      return sum / v.place.length;
    };
    // each destination is within one cell width (about 1 km here) of its drawn distance
    expect(Math.abs(meanDistance(out) - meanDistance(world))).toBeLessThan(0.5);
  });
});
