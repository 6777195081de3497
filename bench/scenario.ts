/**
 * bench/scenario: the cost of one seed of a one-intervention scenario against the encounter + estimate
 * stages of a plain run, on the same city, in the same process (issue 15's target: at most 1.3x).
 *
 *   node --import tsx bench/scenario.ts [--scale 10] [--rounds 3] [--threads 2] [--share 0.2]
 *
 * City: the bundled default city with every MSA's population times `scale` (10: 200,000 persons),
 * generated once (seed 1) into a World in memory. Estimator options: the scenario defaults (distinct
 * pairs, 300-s bins, no bootstrap, places and communities on), the same for both sides.
 * Alternating rounds:
 *   plain run:     estimateWorld(world)                          (encounters, places, ES, BI, indices)
 *   scenario seed: applyInterventions(world, [redirect-visits random, share]) + estimateWorld(world')
 * With a data base the baseline is estimated once per scenario, so one more seed costs the second line.
 * A synthetic base also redraws the city and its baseline per seed: reported apart (generate + 2 estimates).
 */
import { cpus, totalmem } from 'node:os';
import { loadCitySpec } from '../src/simulation/city-spec.js';
import { generateCity } from '../src/simulation/generate-city.js';
import { worldFromTables } from '../src/estimate/world.js';
import { estimateWorld, ESTIMATE_DEFAULTS } from '../src/estimate/estimate-world.js';
import { defaultCitySpecPath } from '../src/pipeline/inputs.js';
import { WorkerPool } from '../src/parallel/pool.js';
import { applyInterventions } from '../src/scenarios/apply.js';
import { interventionSchema } from '../src/scenarios/interventions.js';
import { median } from '../src/math/stats.js';
import { benchOption } from './options.js';

const scale = benchOption('scale', 10);
const rounds = benchOption('rounds', 3);
const threads = benchOption('threads', 2);
const share = benchOption('share', 0.2);

const base = loadCitySpec(defaultCitySpecPath());
const spec = { ...base, msas: base.msas.map((m) => ({ ...m, population: m.population * scale })) };
let t = performance.now();
const tables = generateCity(spec, 1);
const generateSeconds = (performance.now() - t) / 1000;
const world = worldFromTables(tables);
const options = { ...ESTIMATE_DEFAULTS, bootstrap: 0, centroids: null };
const step = interventionSchema.parse({ type: 'redirect-visits', share, choice: 'random' });
const pool = threads > 1 ? new WorkerPool(threads) : null;
const seconds = (since: number) => (performance.now() - since) / 1000;

const baseline = await estimateWorld(world, options, { pool });
const plain: number[] = [];
const scenario: number[] = [];
const intervention: number[] = [];
for (let r = 0; r < rounds; r++) {
  t = performance.now();
  await estimateWorld(world, options, { pool });
  plain.push(seconds(t));
  t = performance.now();
  const changed = applyInterventions(world, [step], { seed: r + 1, baseline, dayOffsetSeconds: 0 });
  intervention.push(seconds(t));
  await estimateWorld(changed.world, { ...options, ...changed.estimateOptions }, { pool });
  scenario.push(seconds(t));
}
await pool?.close();
const visits = world.visits!.rows;
const m = (x: number[]) => median(Float64Array.from(x));
console.log(`# bench/scenario, ${new Date().toISOString().slice(0, 10)}`);
console.log(`machine: ${cpus().length} x ${cpus()[0].model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; threads ${threads}`);
console.log(`city: default x ${scale}: ${world.persons.count} persons, ${world.places.count} places, ${visits} visits, ${baseline.counts.encounter_endpoints} encounter endpoints; generated in ${generateSeconds.toFixed(2)} s`);
console.log(`intervention: redirect-visits, choice random, share ${share} (all categories)`);
console.log('');
console.log('| step | runs (s) | median (s) |');
console.log('|---|---|---|');
console.log(`| plain run: encounters + estimates | ${plain.map((x) => x.toFixed(2)).join(', ')} | ${m(plain).toFixed(2)} |`);
console.log(`| scenario seed: intervention + estimates | ${scenario.map((x) => x.toFixed(2)).join(', ')} | ${m(scenario).toFixed(2)} |`);
console.log(`| of which the intervention | ${intervention.map((x) => x.toFixed(3)).join(', ')} | ${m(intervention).toFixed(3)} |`);
console.log('');
console.log(`ratio scenario seed / plain run: ${(m(scenario) / m(plain)).toFixed(3)} (target <= 1.3)`);
console.log(`synthetic base, one seed (generate + baseline + scenario seed): about ${(generateSeconds + m(plain) + m(scenario)).toFixed(2)} s`);
