/**
 * `mobiseg calibrate`: simulate one MSA per published MSA with a city spec's laws, run the estimators,
 * and compare the headline facts (SPEC section 9) with the published ones (pipeline/calibration-run.ts).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { createProgress } from '../../report/progress.js';
import { fixed, formatTextTable } from '../../report/text-table.js';
import { loadCitySpec } from '../../simulation/city-spec.js';
import { defaultThreads } from '../../pipeline/mobility-run.js';
import { runCalibration, type CalibrationResult } from '../../pipeline/calibration-run.js';
import { outputFolder, parseNumberOption, parseSeed, RANGES } from '../options.js';
import { resolveCityPath } from './simulate.js';

interface CalibrateCliOptions {
  city: string;
  out: string;
  smallest: string;
  exponent: string;
  every: string;
  seed: string;
  threads?: string;
  quiet?: boolean;
  json?: boolean;
}

export function calibrationText(r: CalibrationResult): string {
  const rows = r.facts.map((f) => [f.fact, Number.isFinite(f.paper) ? String(f.paper) : '', fixed(f.published), fixed(f.simulated)]);
  return [
    `mobiseg calibrate: ${r.spec.msas.length} simulated MSAs (laws of ${r.spec.name.replace(/-msa-sweep$/, '')}, seed ${String(r.spec.seed)}), ${r.persons} persons, ${r.visits} visits`,
    `estimated: ${r.simulated.n} MSAs with ES and BI (published column: the same ${r.published.n} MSAs)`,
    '',
    formatTextTable(['headline fact', 'paper', 'published', 'simulated'], rows),
    '',
    `wrote ${r.outputs.map((f) => join(r.outDir, f)).join(', ')} in ${r.seconds.toFixed(1)} s`,
    '',
  ].join('\n');
}

export function register(program: Command): void {
  program
    .command('calibrate')
    .description("Simulate one MSA per published MSA with a city spec's laws, estimate ES and BI, and compare the size gradient and the ES-BI relation with the published ones (SPEC section 9)")
    .option('--city <file>', 'city spec whose laws (everything but its MSAs) are used, or a bundled city name', 'default')
    .requiredOption('--out <dir>', 'output folder (the sweep city in <out>/city, the run outputs, calibration.csv)')
    .option('--smallest <n>', 'persons of the counterpart of the smallest MSA', '800')
    .option('--exponent <b>', 'persons = smallest * (population / smallest population)^b (1: one scale factor for all)', '0.55')
    .option('--every <k>', 'simulate every k-th MSA by population (1: all 382; 8 for a quick look)', '1')
    .option('--seed <s>', 'seed of the sweep city and the run', '1')
    .option('--threads <n>', 'worker threads (results do not depend on it)')
    .option('--json', 'print the facts as JSON')
    .option('--quiet', 'no progress on the terminal')
    .addHelpText('after', '\nExamples:\n  mobiseg calibrate --out calibration                 # all 382 MSAs, about 1.5 minutes\n  mobiseg calibrate --out calibration-quick --every 8  # 48 MSAs\n')
    .action(async (opts: CalibrateCliOptions) => {
      // every option is checked before the city spec is read
      const options = {
        scaling: { smallestPersons: parseNumberOption('--smallest', opts.smallest, { integer: true, min: 10, max: 1_000_000 }), exponent: parseNumberOption('--exponent', opts.exponent, { min: 0.05, max: 1 }) },
        every: parseNumberOption('--every', opts.every, { integer: true, min: 1, max: 382 }),
        seed: parseSeed(opts.seed),
        threads: opts.threads === undefined ? defaultThreads() : parseNumberOption('--threads', opts.threads, RANGES.threads),
      };
      const out = outputFolder(opts.out);
      const progress = createProgress({ quiet: opts.quiet });
      const base = loadCitySpec(resolveCityPath(opts.city));
      const result = await runCalibration(base, options, out, progress);
      if (opts.json) {
        const json = { out: result.outDir, msas: result.spec.msas.length, persons: result.persons, visits: result.visits, facts: result.facts, simulated: result.simulated, published: result.published, seconds: result.seconds };
        process.stdout.write(JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
      } else {
        process.stdout.write(calibrationText(result));
      }
    });
}
