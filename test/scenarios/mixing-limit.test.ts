import { describe, it, expect } from 'vitest';
import { loadCitySpec, parseCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { worldFromTables } from '../../src/estimate/world.js';
import { estimateWorld, ESTIMATE_DEFAULTS } from '../../src/estimate/estimate-world.js';
import { applyIntervention } from '../../src/scenarios/apply.js';
import { interventionSchema } from '../../src/scenarios/interventions.js';

/*
 * The limit of perfect mixing. A one-category city (the default city's law with only "grocery", a
 * quarter of its population: ~1,500 and ~3,500 persons), every visit redirected uniformly at random to
 * another grocery of its area. A visit's place then no longer depends on who makes it, so a person's
 * partners are a random draw of whoever is out at that time in that area, whatever their SES (both
 * MSAs draw SES from the same law, so the 1% of visits across MSAs carry no SES signal either).
 * Same-home encounters are excluded: household members share SES and would keep a small trace of it.
 *
 * Bounds, for n ~ 1,500 persons with ~500 encounter endpoints each (partner SES standardised, var 1):
 *  - exposure slope a (REML fixed effect of own SES on partner SES, standardised): under independence
 *    its standard error is about sqrt(var(ybar_i) / n) ~ sqrt((1/500) / 1500) = 0.0012; |a| < 0.01 is
 *    more than 8 standard errors, while the base city has a >= 0.025 in every area and seed;
 *  - the between-person variance of exposure tau^2: REML puts it on its boundary, 0 (no person has a
 *    mean exposure different from another's beyond sampling noise). SPEC section 3 reports ES = 1 on the
 *    boundary by convention, so ES itself is not the number that goes to 0 here: a and tau^2 are;
 *  - the naive exposure correlation corr(x_i, ybar_i) at least halves (its own noise, ~1/sqrt(n) = 0.026
 *    for the smaller MSA, is large next to the sd of ybar_i, so it is not bounded near 0);
 *  - BI = min(1, P_obs / P_rand): under independence E[P_obs] = P_rand; P_obs averages ~750 low persons'
 *    shares of high partners, each with sd sqrt(0.25 / 500) = 0.022, so se(P_obs) ~ 0.0008 and
 *    se(ratio) ~ 0.0016: BI > 0.99 is more than 6 standard errors, where the base city has BI 0.93-0.99.
 */
describe('redirecting 100% of visits at random in a one-category city', () => {
  const base = loadCitySpec('sims/cities/default.json');
  const spec = parseCitySpec({ ...base, categories: [base.categories[0]], msas: base.msas.map((m) => ({ ...m, population: Math.round(m.population / 4) })) }, 'one-category city');
  const options = { ...ESTIMATE_DEFAULTS, bootstrap: 0, centroids: null, places: false, excludeSameHome: true };
  const step = interventionSchema.parse({ type: 'redirect-visits', share: 1, choice: 'random' });

  it('drives the exposure slope and tau^2 to 0 and BI to 1, over three seeds', { timeout: 60_000 }, async () => {
    for (const seed of [1, 2, 3]) {
      const world = worldFromTables(generateCity(spec, seed));
      const before = await estimateWorld(world, options);
      const { world: mixed, counts } = applyIntervention(world, step, { seed, index: 0, baseline: before, dayOffsetSeconds: 0 });
      expect(counts.visits_moved).toBe(world.visits!.rows);
      const after = await estimateWorld(mixed, options);
      before.msa!.level.areas.forEach((b, k) => {
        const a = after.msa!.level.areas[k];
        expect(b.exposure.a).toBeGreaterThan(0.025);
        expect(b.exposure.tau2).toBeGreaterThan(0.01);
        expect(Math.abs(a.exposure.a)).toBeLessThan(0.01);
        expect(a.exposure.tau2).toBe(0);
        expect(a.exposure.boundary).toBe(true);
        expect(Math.abs(a.exposure.esNaive)).toBeLessThan(b.exposure.esNaive / 2);
        expect(b.bridging!.bi).toBeLessThan(0.99);
        expect(a.bridging!.bi).toBeGreaterThan(0.99);
      });
    }
  });
});
