/**
 * `mobiseg scenario`: run a counterfactual mixing scenario (SPEC section 8) from a scenario file or a
 * bundled scenario by name, and write the before/after tables.
 */
import type { Command } from 'commander';
import { createProgress } from '../../report/progress.js';
import { scenarioSummaryText } from '../../report/scenario-summary.js';
import { summariseAreas } from '../../scenarios/run-scenario.js';
import { defaultThreads } from '../../pipeline/mobility-run.js';
import { runScenarioFile } from '../../pipeline/scenario-run.js';
import { outputFolder, parseNumberOption, RANGES } from '../options.js';

interface ScenarioCliOptions {
  out: string;
  seeds?: string;
  threads?: string;
  quiet?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('scenario')
    .description('Counterfactual mixing scenario: rewrite the person-place graph (redirect visits, add or move a hub, filter encounters, relocate homes) and compare ES, BI, ec and residential indices before and after, over seeds')
    .argument('<scenario>', 'scenario JSON file, or the name of a bundled scenario (sims/scenarios)')
    .requiredOption('--out <dir>', 'output folder (scenario.csv, scenario-seeds.csv, scenario-places.csv, manifest.json)')
    .option('--seeds <n>', "run seeds 1..n instead of the scenario's seeds")
    .option('--threads <n>', 'worker threads (results do not depend on it)')
    .option('--quiet', 'no progress on the terminal')
    .option('--json', 'print the per-area changes as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg scenario no-destination-preference --out scenario-ndp --seeds 5   # a bundled scenario on the default city\n' +
        '  mobiseg scenario sims/scenarios/library-between-communities.json --out scenario-library\n',
    )
    .action(async (file: string, opts: ScenarioCliOptions) => {
      const progress = createProgress({ quiet: opts.quiet });
      const run = await runScenarioFile(
        file,
        outputFolder(opts.out),
        {
          threads: opts.threads === undefined ? defaultThreads() : parseNumberOption('--threads', opts.threads, RANGES.threads),
          seeds: opts.seeds === undefined ? undefined : parseNumberOption('--seeds', opts.seeds, { integer: true, min: 1, max: 10_000 }),
        },
        progress,
      );
      if (opts.json) {
        const areas = summariseAreas(run.result).map((x) => ({ level: x.key.level, area: x.key.area, measure: x.measure, n_seeds: x.nSeeds, baseline: x.baseline, counterfactual: x.counterfactual, delta: x.delta }));
        const json = { out: run.outDir, scenario: run.result.scenario.name, seeds: run.result.seeds, areas, outputs: run.outputs, seconds: run.seconds };
        process.stdout.write(JSON.stringify(json, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
      } else {
        process.stdout.write(scenarioSummaryText(run.result, run));
      }
    });
}
