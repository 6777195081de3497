import { describe, it, expect } from 'vitest';
import { z } from 'zod';
import { UsageError } from '../../src/io/errors.js';
import { parseJsonSpec } from '../../src/io/json-spec.js';
import { applyInterventions } from '../../src/scenarios/apply.js';
import { interventionSchema, type Intervention } from '../../src/scenarios/interventions.js';
import { validateInterventions } from '../../src/scenarios/validate-interventions.js';
import { thrownMessage } from '../helpers/errors.js';
import { handWorld, latLon } from './helpers.js';

const file = z.strictObject({ interventions: z.array(interventionSchema) });
const parse = (interventions: unknown[]) => parseJsonSpec(file, { interventions }, 'scenario.json', 'scenario').interventions;
const parseError = (interventions: unknown[]) => thrownMessage(() => parse(interventions), UsageError);

const world = handWorld(
  [
    { id: 'p1', ses: 1, msa: 'Lakeside, XS', home: [0, 0], tract: 't1', household: 'h1' },
    { id: 'p2', ses: 2, msa: 'Hillview, XN', home: [200, 0], tract: 't2' },
  ],
  [
    { id: 'shop-1', category: 'shop', at: [1, 0], msa: 'Lakeside, XS' },
    { id: 'park-1', category: 'park', at: [201, 0], msa: 'Hillview, XN' },
  ],
  [
    { person: 'p1', place: 'shop-1', start: 0 },
    { person: 'p2', place: 'park-1', start: 0 },
  ],
);
const noLocations = handWorld([{ id: 'p1', ses: 1 }], [{ id: 'shop-1', category: 'shop' }], [{ person: 'p1', place: 'shop-1', start: 0 }]);
const validationError = (w: typeof world, steps: unknown[]) => thrownMessage(() => validateInterventions(w, parse(steps)), UsageError);

describe('intervention schemas', () => {
  it('fill in every default', () => {
    const [ndp, hub, move] = parse([
      { type: 'redirect-visits', share: 0.5, choice: 'no-destination-preference' },
      { type: 'add-hub', category: 'shop', location: { lat: 40, lon: -100 } },
      { type: 'move-hub', place_id: 17, location: 'between-communities', area: 'Lakeside, XS' },
    ]);
    expect(ndp).toEqual({ type: 'redirect-visits', share: 0.5, choice: 'no-destination-preference', min_km: 0.03, max_km: 1 });
    expect(hub).toEqual({ type: 'add-hub', category: ['shop'], location: { lat: 40, lon: -100 }, attractiveness: 'median', alpha: 1, beta: 1.5, catchment_km: 3, origin: 'home' });
    expect(move).toMatchObject({ place_id: '17', alpha: 1, beta: 1.5, catchment_km: 3, origin: 'home' });
  });

  it('name the JSON path and the value of a bad parameter', () => {
    expect(parseError([{ type: 'relocate-homes', share: 0.1, mode: 'random' }, {}, { type: 'redirect-visits', share: 1.5, choice: 'random' }])).toContain('interventions[2].share: must be a number in [0, 1], got 1.5');
    expect(parseError([{ type: 'teleport' }])).toContain('interventions[0].type: unknown intervention type "teleport": expected one of "redirect-visits", "add-hub", "move-hub", "filter-encounters", "relocate-homes"');
    expect(parseError([{ type: 'redirect-visits', share: 1, choice: 'distance-decay', law: 'exponential' }])).toContain('interventions[0].scale_km: the exponential law needs scale_km');
    expect(parseError([{ type: 'redirect-visits', share: 1, choice: 'random', max_km: 2 }])).toContain('interventions[0].max_km: only for choice "no-destination-preference", not "random"');
    expect(parseError([{ type: 'redirect-visits', share: 1, choice: 'no-destination-preference', min_km: 2, max_km: 1 }])).toContain('interventions[0].max_km: must be greater than min_km (2), got 1');
    expect(parseError([{ type: 'add-hub', category: 'shop', location: { lat: 95, lon: 0 } }])).toContain('interventions[0].location');
    expect(parseError([{ type: 'add-hub', category: 'shop', location: 'downtown' }])).toContain('interventions[0].location: must be {"lat": .., "lon": ..} or "between-communities", got "downtown"');
    expect(parseError([{ type: 'add-hub', category: 'shop', location: 'between-communities', catchment_km: 0 }])).toContain('interventions[0].catchment_km: must be a number > 0, got 0');
    expect(parseError([{ type: 'filter-encounters', hours: [9, 9] }])).toContain('interventions[0].hours: from and to are equal (9)');
    expect(parseError([{ type: 'filter-encounters', min_days: 0 }])).toContain('interventions[0].min_days: must be an integer >= 1, got 0');
    expect(parseError([{ type: 'relocate-homes', share: 0.5, mode: 'random', shares: 1 }])).toContain('Unrecognized key: "shares"');
  });
});

describe('validateInterventions: what needs the world, before any work', () => {
  it('unknown categories, areas and place ids, with the JSON path and the value', () => {
    expect(validationError(world, [{ type: 'redirect-visits', share: 1, choice: 'random', categories: ['shop', 'bar'] }])).toBe('interventions[0].categories[1]: unknown category "bar"; the categories are "shop", "park"');
    expect(validationError(world, [{ type: 'add-hub', category: 'bar', location: 'between-communities', area: 'Lakeside, XS' }])).toBe('interventions[0].category: unknown category "bar"; the categories are "shop", "park"');
    expect(validationError(world, [{ type: 'move-hub', place_id: 'shop-9', location: { lat: 40, lon: -100 } }])).toBe('interventions[0].place_id: no place has the id "shop-9"');
    expect(validationError(world, [{ type: 'relocate-homes', share: 1, mode: 'random', area: 'Springfield, XS' }])).toBe('interventions[0].area: unknown area "Springfield, XS"; the areas are "Hillview, XN", "Lakeside, XS"');
    expect(validationError(world, [{ type: 'add-hub', category: 'shop', location: 'between-communities' }])).toBe('interventions[0].area: "between-communities" needs the area (one of "Hillview, XN", "Lakeside, XS")');
  });

  it('a hub farther than 10 km from every resident of its area is outside every area', () => {
    const far = latLon(50, 0);
    expect(validationError(world, [{ type: 'add-hub', category: 'shop', location: { lat: far.lat, lon: far.lon } }])).toMatch(/^interventions\[0\]\.location: \{"lat": [-\d.]+, "lon": [-\d.]+\} is outside every area \(Lakeside, XS: 50\.0 km from the nearest resident; a hub must be within 10 km of a resident's home\)$/);
    const near = latLon(3, 4);
    expect(() => validateInterventions(world, parse([{ type: 'add-hub', category: 'shop', location: { lat: near.lat, lon: near.lon } }]))).not.toThrow();
    // a point near Lakeside's resident but named for Hillview is outside Hillview
    expect(validationError(world, [{ type: 'add-hub', category: 'shop', location: { lat: near.lat, lon: near.lon }, area: 'Hillview, XN' }])).toMatch(/outside every area \(Hillview, XN: 19[67]\.\d km from the nearest resident/);
  });

  it('hub ids: a clash with a place, or with a hub added by an earlier step; later steps may name added hubs', () => {
    const at = latLon(1, 1);
    const hub = { type: 'add-hub', category: 'shop', location: { lat: at.lat, lon: at.lon } };
    expect(validationError(world, [{ ...hub, id: 'shop-1' }])).toBe('interventions[0].id: place id "shop-1" exists already');
    expect(validationError(world, [hub, { ...hub, id: 'hub-0' }])).toBe('interventions[1].id: place id "hub-0" exists already (added by interventions[0])');
    expect(() => validateInterventions(world, parse([hub, { type: 'move-hub', place_id: 'hub-0', location: { lat: at.lat, lon: at.lon } }]))).not.toThrow();
  });

  it('missing columns: a clear message naming them', () => {
    expect(validationError(noLocations, [{ type: 'redirect-visits', share: 1, choice: 'distance-decay', law: 'power', beta: 2 }])).toBe('interventions[0].choice: places have no lat/lon column: redirect-visits choice "distance-decay" needs them');
    expect(validationError(noLocations, [{ type: 'relocate-homes', share: 1, mode: 'random' }])).toBe('interventions[0].type: persons have no home_tract column: relocate-homes moves households between homes and needs it');
    expect(validationError(noLocations, [{ type: 'filter-encounters', exclude_same_home: true }])).toBe('interventions[0].exclude_same_home: persons have no home_id column: same-home encounters cannot be told apart');
    expect(() => validateInterventions(noLocations, parse([{ type: 'redirect-visits', share: 1, choice: 'random' }]))).not.toThrow();
  });

  it('applyInterventions validates every step before the first runs, with the caller’s path prefix', () => {
    const steps = parse([
      { type: 'redirect-visits', share: 1, choice: 'random' },
      { type: 'redirect-visits', share: 1, choice: 'random', categories: ['bar'] },
    ]) as Intervention[];
    const message = thrownMessage(() => applyInterventions(world, steps, { seed: 1, baseline: null, dayOffsetSeconds: 0, pathPrefix: 'scenarios.json: interventions' }), UsageError);
    expect(message).toBe('scenarios.json: interventions[1].categories[0]: unknown category "bar"; the categories are "shop", "park"');
  });
});
