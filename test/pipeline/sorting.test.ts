import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCitySpec, withResidentialSorting } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { writeTable } from '../../src/io/table-writer.js';
import { runMobility } from '../../src/pipeline/mobility-run.js';
import { defaultCitySpecPath } from '../../src/pipeline/inputs.js';
import { createProgress } from '../../src/report/progress.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-sorting-'));

async function esAndBi(sorting: number, seed: number): Promise<Map<string, { es: number; bi: number }>> {
  const spec = withResidentialSorting(loadCitySpec(defaultCitySpecPath()), sorting);
  const city = generateCity(spec, seed);
  const d = join(dir, `s${sorting}-seed${seed}`);
  for (const t of ['persons', 'places', 'visits'] as const) await writeTable(join(d, `${t}.arrow`), city[t], 'arrow');
  const r = await runMobility(
    { persons: join(d, 'persons.arrow'), places: join(d, 'places.arrow'), visits: join(d, 'visits.arrow') },
    join(d, 'out'),
    { mode: 'distinct', binSeconds: 300, minDays: 1, excludeSameHome: false, dayOffsetSeconds: 0, seed: 1, bootstrap: 0, permutations: 0, threads: 1, smoothK: 5, smoothWeight: 0.5, dropInvalid: false },
    createProgress({ quiet: true }),
  );
  return new Map(r.msa!.names.map((name, k) => [name, { es: r.msa!.level.areas[k].exposure.es, bi: r.msa!.level.areas[k].bridging!.bi }]));
}

describe('residential sorting on the default synthetic city', () => {
  it('more sorting gives higher ES and lower BI, in every one of three seeds (the larger MSA) and on average over both', async () => {
    const seeds = [11, 12, 13];
    let meanDiffEs = 0;
    let meanDiffBi = 0;
    for (const seed of seeds) {
      const low = await esAndBi(0.2, seed);
      const high = await esAndBi(0.8, seed);
      const big = 'Springfield, XS';
      expect(high.get(big)!.es).toBeGreaterThan(low.get(big)!.es);
      expect(high.get(big)!.bi).toBeLessThan(low.get(big)!.bi);
      for (const name of low.keys()) {
        meanDiffEs += (high.get(name)!.es - low.get(name)!.es) / (seeds.length * low.size);
        meanDiffBi += (high.get(name)!.bi - low.get(name)!.bi) / (seeds.length * low.size);
      }
    }
    expect(meanDiffEs).toBeGreaterThan(0.05);
    expect(meanDiffBi).toBeLessThan(0);
  });
});
