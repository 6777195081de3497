/**
 * The stages of estimateWorld that run on the worker pool give the same numbers for any thread count:
 * the place stage (metrics, projection, Louvain communities) run as one task on a worker beside the
 * encounter count, and the per-area estimates whose bootstraps are all queued on the pool at once. On
 * the bundled default city (20,000 persons, 2 MSAs, several counties), with pools of 1, 2 and 3 threads
 * (3 on a 2-core machine still splits the work three ways).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { worldFromTables, type World } from '../../src/estimate/world.js';
import { estimateWorld, ESTIMATE_DEFAULTS, type WorldEstimate } from '../../src/estimate/estimate-world.js';
import { computeEncounters } from '../../src/estimate/encounter-stage.js';
import { estimateAreas } from '../../src/estimate/area-stage.js';
import { startPlaceStage } from '../../src/estimate/place-stage.js';
import { denseCodes, sortedCodes } from '../../src/math/partition.js';
import { silentProgress } from '../../src/estimate/progress.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import type { BipartiteGraph } from '../../src/graph/bipartite.js';
import type { CoPresenceGroups } from '../../src/encounters/groups.js';
import { defaultCitySpecPath } from '../../src/pipeline/inputs.js';
import { areaTables } from '../../src/pipeline/mobility-run.js';

let world: World;
const pools = new Map<number, WorkerPool>();
const poolOf = (threads: number) => (threads > 1 ? pools.get(threads)! : null);

beforeAll(() => {
  const spec = loadCitySpec(defaultCitySpecPath());
  world = worldFromTables(generateCity(spec, spec.seed));
  for (const t of [2, 3]) pools.set(t, new WorkerPool(t));
});

afterAll(async () => {
  for (const p of pools.values()) await p.close();
});

const options = { ...ESTIMATE_DEFAULTS, bootstrap: 24, centroids: null };

describe('the place stage on a pool worker', () => {
  it('gives the same places, communities and per-area summary as in the calling thread', async () => {
    const results = [];
    for (const threads of [1, 2, 3]) {
      // with a pool the graph and groups are built in shared memory and handed over by onGroups
      let captured: { graph: BipartiteGraph; groups: CoPresenceGroups } | null = null;
      await computeEncounters(world, options, silentProgress, poolOf(threads), (graph, groups) => {
        captured = { graph, groups };
      });
      const { graph, groups } = captured!;
      expect(graph.placePerson.buffer instanceof SharedArrayBuffer).toBe(threads > 1);
      const { persons, places } = world;
      results.push(
        await startPlaceStage(
          {
            graph,
            groups,
            persons: { ses: persons.ses, msaCodes: persons.msa?.codes, msaNames: persons.msa?.names },
            places: { ids: places.ids, msaCodes: places.msa?.codes, msaNames: places.msa?.names, category: places.category ?? undefined },
            options: { binSeconds: options.binSeconds, seed: options.seed },
          },
          poolOf(threads),
        ),
      );
    }
    // not vacuous: two areas, each with several communities, and every place in places.csv
    const communities = results[0].communities.columns.find((c) => c.name === 'community')!.values;
    expect(results[0].areaLabels).toHaveLength(2);
    expect(communities.length).toBeGreaterThan(4);
    expect(results[0].places.columns[0].values).toHaveLength(world.places.count);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('per-area estimates with every bootstrap queued at once', () => {
  it('gives the same replicates, intervals, BI and high-partner counts for 1, 2 and 3 threads', async () => {
    const encounters = await computeEncounters(world, options, silentProgress, null);
    const dense = denseCodes(world.persons.countyFips!);
    const { codes, labels } = sortedCodes(dense.codes, dense.values);
    const levels = [];
    for (const threads of [1, 2, 3]) {
      levels.push(await estimateAreas({ level: 'county', codes, keys: labels.map(String) }, encounters, world.persons.ses, { seed: 5, bootstrap: 24, permutations: 0, pool: poolOf(threads), progress: silentProgress }));
    }
    const withBootstrap = levels[0].areas.filter((a) => a.bootstrap !== null && Number.isFinite(a.bootstrap.esCiLow));
    expect(withBootstrap.length).toBeGreaterThan(3); // several areas, each split into several tasks
    for (const a of withBootstrap) expect(a.bootstrap!.replicateEs).toHaveLength(24);
    expect(levels[1]).toEqual(levels[0]);
    expect(levels[2]).toEqual(levels[0]);
  });
});

describe('estimateWorld on pools of 1, 2 and 3 threads', () => {
  it('gives the same msa.csv and county.csv tables, places, person statistics and counts', async () => {
    // what the run writes (the encounter stage itself holds closures and, on a pool, shared memory)
    const written = (e: WorldEstimate) => ({ tables: areaTables(e), places: [e.places!.places, e.places!.communities, e.places!.areaSummary], stats: e.encounters.stats, high: [e.msa!.level.high, e.county!.level.high], counts: e.counts });
    const one = written(await estimateWorld(world, options, { pool: null }));
    expect(one.tables.county!.columns[0].values.length).toBeGreaterThan(3);
    for (const threads of [2, 3]) expect(written(await estimateWorld(world, options, { pool: poolOf(threads) }))).toEqual(one);
  });
});

describe('progress of the two levels started together', () => {
  it('shows the MSA bar to its end, then the county bar to its end, for 1 and 2 threads', async () => {
    for (const threads of [1, 2]) {
      const events: string[] = [];
      let label = '';
      const progress = {
        start: (l: string, total: number) => {
          label = l;
          events.push(`start ${l} ${total}`);
        },
        update: (done: number) => events.push(`${label} ${done}`),
        stop: () => events.push(`stop ${label}`),
        note() {},
        warn() {},
      };
      const e = await estimateWorld(world, options, { pool: poolOf(threads), progress });
      const nMsa = e.msa!.level.areas.length;
      const nCounty = e.county!.level.areas.length;
      const bars = events.filter((x) => x.includes('estimates'));
      const msaStart = bars.indexOf(`start msa estimates ${nMsa}`);
      const msaStop = bars.indexOf('stop msa estimates');
      const countyStart = bars.indexOf(`start county estimates ${nCounty}`);
      const countyStop = bars.indexOf('stop county estimates');
      expect(msaStart).toBeGreaterThanOrEqual(0);
      expect([msaStart < msaStop, msaStop < countyStart, countyStart < countyStop]).toEqual([true, true, true]);
      // each bar counts only its own level's areas, up to its total, before it stops
      const msaUpdates = bars.slice(msaStart + 1, msaStop).map((x) => Number(x.split(' ').pop()));
      const countyUpdates = bars.slice(countyStart + 1, countyStop).map((x) => Number(x.split(' ').pop()));
      expect(bars.slice(msaStart + 1, msaStop).every((x) => x.startsWith('msa estimates '))).toBe(true);
      expect(bars.slice(countyStart + 1, countyStop).every((x) => x.startsWith('county estimates '))).toBe(true);
      expect(msaUpdates.at(-1)).toBe(nMsa);
      expect(countyUpdates.at(-1)).toBe(nCounty);
      expect(countyUpdates).toEqual([...countyUpdates].sort((a, b) => a - b));
    }
  });
});
