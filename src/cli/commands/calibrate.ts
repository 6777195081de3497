/**
 * `mobiseg calibrate`: simulate one MSA per published MSA with a city spec's laws, run the estimators,
 * and compare the headline facts (SPEC section 9) with the published ones (pipeline/calibration-run.ts).
 */
import type { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createProgress } from '../../report/progress.js';
import { fixed, formatTextTable } from '../../report/text-table.js';
import { loadCitySpec } from '../../simulation/city-spec.js';
import { defaultThreads } from '../../pipeline/mobility-run.js';
import { runCalibration, type CalibrationResult } from '../../pipeline/calibration-run.js';
import { runCalibrationFit, type FitEvaluation, type FitResult } from '../../pipeline/calibration-fit.js';
import { DEFAULT_FIT_PARAMETERS, parseLawParameter, type LawParameter } from '../../simulation/law-parameters.js';
import { FIT_TERMS } from '../../validate/calibration-loss.js';
import { UsageError } from '../../io/errors.js';
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
  fit?: boolean;
  param: string[];
  evaluations: string;
  lhs: string;
  fitSeeds: string;
  checkSeeds: string;
}

/** One line of the search's path: evaluation, phase, laws, loss and the facts (means over the fit seeds). */
export function fitEvaluationLine(e: FitEvaluation, parameters: readonly LawParameter[]): string {
  const laws = parameters.map((p, j) => `${p.path.split('.').pop()}=${e.values[j].toFixed(3)}`).join(' ');
  const facts = FIT_TERMS.map((t, k) => `${t.key}=${Number.isFinite(e.facts[k]) ? e.facts[k].toFixed(3) : '-'}`).join(' ');
  return `#${e.index} ${e.phase} ${laws} loss=${e.loss.toFixed(3)} | ${facts} (${e.seconds.toFixed(0)} s)`;
}

export function fitText(r: FitResult, parameters: readonly LawParameter[]): string {
  const lines = ['', `best: evaluation ${r.best.index} (${r.best.phase}), loss ${r.best.loss.toFixed(3)} over ${r.path.length} evaluations`];
  for (const [j, p] of parameters.entries()) lines.push(`  ${p.path} = ${r.best.values[j].toFixed(4)}  (searched ${p.lower} to ${p.upper})`);
  if (r.check) {
    const rows = r.check.terms.map((t, k) => [
      t.term.label,
      fixed(t.target),
      `${t.term.key === 'ksEs' ? '< ' : '± '}${t.term.tolerance}`,
      fixed(t.simulated),
      r.check!.perSeed.map((s) => fixed(s[k])).join(' '),
      t.term.bound ? (t.withinBound ? 'yes' : 'NO') : '(no bound)',
    ]);
    lines.push('', `final check: all MSAs, seeds ${r.check.seeds.join(', ')} (${r.check.seconds.toFixed(0)} s), loss ${r.check.loss.toFixed(3)}`, '');
    lines.push(formatTextTable(['fact', 'published', 'bound', 'simulated (mean)', 'per seed', 'within'], rows));
  }
  lines.push('', `wrote ${r.outputs.map((f) => join(r.outDir, f)).join(', ')}`, '');
  return lines.join('\n');
}

export function calibrationText(r: CalibrationResult): string {
  const rows = r.facts.map((f) => [f.fact, Number.isFinite(f.paper) ? String(f.paper) : '', fixed(f.published), fixed(f.simulated)]);
  return [
    `mobiseg calibrate: ${r.spec.msas.length} simulated MSAs (laws of ${r.spec.name.replace(/-msa-sweep$/, '')}, seed ${String(r.spec.seed)}), ${r.persons} persons, ${r.visits} visits`,
    `estimated: ${r.simulated.n} MSAs with ES and BI (published column: the same ${r.published.n} MSAs)`,
    '',
    formatTextTable(['headline fact', 'paper', 'published', 'simulated'], rows),
    `KS distance between the simulated and published MSAs' ES: ${fixed(r.ksEs)}`,
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
    .option('--fit', 'search the laws instead (Latin hypercube, then Nelder-Mead on the loss of issue 19, mean over --fit-seeds seeds on every --every-th MSA); writes fit.csv, city.json and the final check')
    .option('--param <path=lo:hi>', 'with --fit: a numeric law to search and its range (repeatable; default: the taste correlation, its choice-set elasticity and MSA-to-MSA log sd, the SES-price affinity and ses.log_sd)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--evaluations <n>', 'with --fit: evaluations in all (the base laws, the hypercube, then Nelder-Mead)', '48')
    .option('--lhs <n>', 'with --fit: points of the Latin hypercube', '12')
    .option('--fit-seeds <n>', 'with --fit: seeds each evaluation is averaged over (--seed, --seed + 1, ...)', '2')
    .option('--check-seeds <n>', 'with --fit: seeds 1..n of the final check of the chosen laws on all MSAs (0: skip it)', '3')
    .option('--json', 'print the facts as JSON')
    .option('--quiet', 'no progress on the terminal')
    .addHelpText('after', '\nExamples:\n  mobiseg calibrate --out calibration                 # all 382 MSAs, about 1.5 minutes\n  mobiseg calibrate --out calibration-quick --every 8  # 48 MSAs\n  mobiseg calibrate --fit --every 32 --evaluations 4 --lhs 2 --fit-seeds 1 --check-seeds 0 --out fit-demo --threads 1  # a tiny search (about a minute)\n  mobiseg calibrate --fit --every 8 --evaluations 48 --out fit   # the scale of the search behind the default city: 48 x 2 sweeps of 48 MSAs, then 382 x 3\n')
    .action(async (opts: CalibrateCliOptions) => {
      // every option is checked before the city spec is read
      const options = {
        scaling: { smallestPersons: parseNumberOption('--smallest', opts.smallest, { integer: true, min: 10, max: 1_000_000 }), exponent: parseNumberOption('--exponent', opts.exponent, { min: 0.05, max: 1 }) },
        every: parseNumberOption('--every', opts.every, { integer: true, min: 1, max: 382 }),
        seed: parseSeed(opts.seed),
        threads: opts.threads === undefined ? defaultThreads() : parseNumberOption('--threads', opts.threads, RANGES.threads),
      };
      const fit = opts.fit
        ? {
            parameters: opts.param.length > 0 ? opts.param.map((t) => parseLawParameter(t)) : [...DEFAULT_FIT_PARAMETERS],
            evaluations: parseNumberOption('--evaluations', opts.evaluations, { integer: true, min: 1, max: 10_000 }),
            lhs: parseNumberOption('--lhs', opts.lhs, { integer: true, min: 1, max: 1000 }),
            fitSeeds: parseNumberOption('--fit-seeds', opts.fitSeeds, { integer: true, min: 1, max: 100 }),
            checkSeeds: parseNumberOption('--check-seeds', opts.checkSeeds, { integer: true, min: 0, max: 100 }),
          }
        : null;
      if (!opts.fit && opts.param.length > 0) throw new UsageError('--param needs --fit');
      if (fit && opts.json) throw new UsageError('--json is not available with --fit (the path is in fit.csv, the check in check.csv)');
      const out = outputFolder(opts.out);
      const progress = createProgress({ quiet: opts.quiet });
      const base = loadCitySpec(resolveCityPath(opts.city));
      if (fit) {
        mkdirSync(out, { recursive: true });
        const result = await runCalibrationFit(base, { ...options, ...fit, seed: options.seed }, out, progress, (e) => process.stdout.write(fitEvaluationLine(e, fit.parameters) + '\n'));
        process.stdout.write(fitText(result, fit.parameters));
        return;
      }
      const result = await runCalibration(base, options, out, progress);
      if (opts.json) {
        const json = { out: result.outDir, msas: result.spec.msas.length, persons: result.persons, visits: result.visits, facts: result.facts, ksEs: result.ksEs, simulated: result.simulated, published: result.published, seconds: result.seconds };
        process.stdout.write(JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
      } else {
        process.stdout.write(calibrationText(result));
      }
    });
}
