/**
 * `mobiseg run`: the main job. Exposure segregation and bridging per MSA and county from persons plus
 * visits (or pair encounters); with no inputs, on the bundled default synthetic city.
 */
import type { Command } from 'commander';
import { UsageError } from '../../io/errors.js';
import { createProgress } from '../../report/progress.js';
import { runSummaryText } from '../../report/run-summary.js';
import { defaultThreads, runMobility, runSummaryInput } from '../../pipeline/mobility-run.js';
import { collectColumnRemap, outputFolder, parseInteger, parsePositiveNumber, parseSeed , addCountingOptions, type CountingCliOptions } from '../options.js';

interface RunCliOptions extends CountingCliOptions {
  persons?: string;
  visits?: string;
  encounters?: string;
  places?: string;
  personStats?: string;
  skipPlaces?: boolean;
  out: string;
  maxPeople?: string;
  seed: string;
  bootstrap: string;
  permutations: string;
  threads?: string;
  k: string;
  weight: string;
  centroids?: string;
  col?: Record<string, string>;
  dropInvalid?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('run')
    .description('Exposure segregation (REML, lme4 parity) and bridging index per MSA and county of home; with no inputs, on the bundled synthetic city')
    .option('--persons <file>', 'persons table (person_id, ses; optional msa, county_fips, county_name, home_tract, home_lat, home_lon, home_id)')
    .option('--visits <file>', 'visits table (person_id, place_id, start; optional end or dwell_s)')
    .option('--encounters <file>', 'pair encounters (person_a, person_b; optional place_id, time, days), instead of --visits')
    .option('--places <file>', 'places table (place_id; optional category, lat, lon, county_fips, msa, price_level)')
    .option('--person-stats <file>', 'start from per-person statistics (person-stats.arrow of a run, or the table of mobiseg stats / sql/) instead of persons and visits')
    .requiredOption('--out <dir>', 'output folder');
  addCountingOptions(command)
    .option('--max-people <n>', 'fit a seeded random sample of at most n persons per area (the paper used 10000)')
    .option('--seed <s>', 'seed of every random step (bootstrap, sampling)', '1')
    .option('--bootstrap <B>', 'bootstrap replicates for the ES interval (0 = none)', '200')
    .option('--permutations <K>', 'permutations of the bridging-index null (SES shuffled among an area\'s persons): p-value and null interval', '0')
    .option('--threads <n>', 'worker threads (results do not depend on it)')
    .option('--skip-places', 'skip the place metrics and Louvain communities (places.csv, communities*.csv and their columns in msa.csv)')
    .option('--k <n>', 'county smoothing: number of nearest counties', '5')
    .option('--weight <w>', 'county smoothing: weight of the neighbours\' mean', '0.5')
    .option('--centroids <file>', 'county centroids (fips_code, lon, lat); default: the bundled Census centroids')
    .option('--col <logical=column>', 'read a column under another name, e.g. --col ses=rent_zestimate (repeatable)', collectColumnRemap)
    .option('--drop-invalid', 'drop invalid rows (counted by reason in the manifest) instead of stopping')
    .option('--quiet', 'no progress on the terminal')
    .option('--json', 'print the manifest counts as JSON instead of the readable summary')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg run --out output                      # the bundled synthetic city\n' +
        '  mobiseg simulate --out city && mobiseg run --persons city/persons.csv --visits city/visits.csv --places city/places.csv --out output --mode weighted --bootstrap 50\n' +
        '  mobiseg run --person-stats stats.parquet --out output   # statistics made by mobiseg stats or the SQL of sql/\n',
    )
    .action(async (opts: RunCliOptions, self: Command) => {
      if (opts.personStats) checkPersonStatsOptions(self);
      const progress = createProgress({ quiet: opts.quiet });
      const result = await runMobility(
        { persons: opts.persons, visits: opts.visits, encounters: opts.encounters, places: opts.places, personStats: opts.personStats },
        outputFolder(opts.out),
        {
          mode: opts.mode,
          binSeconds: parsePositiveNumber('--bin', opts.bin),
          minDays: parseInteger('--min-days', opts.minDays, 1),
          excludeSameHome: opts.excludeSameHome ?? false,
          dayOffsetSeconds: Number(opts.dayOffset) || 0,
          maxPeople: opts.maxPeople === undefined ? undefined : parseInteger('--max-people', opts.maxPeople, 1),
          seed: parseSeed(opts.seed),
          bootstrap: parseInteger('--bootstrap', opts.bootstrap, 0),
          permutations: parseInteger('--permutations', opts.permutations, 0),
          threads: opts.threads === undefined ? defaultThreads() : parseInteger('--threads', opts.threads, 1, 256),
          smoothK: parseInteger('--k', opts.k, 1),
          smoothWeight: Number(opts.weight),
          centroids: opts.centroids,
          remap: opts.col,
          dropInvalid: opts.dropInvalid ?? false,
          places: !opts.skipPlaces,
        },
        progress,
      );
      if (opts.json) {
        process.stdout.write(JSON.stringify({ out: result.outDir, outputs: result.outputs, counts: result.estimate.encounters.counts, timings: result.timings }, null, 2) + '\n');
      } else {
        process.stdout.write(runSummaryText(runSummaryInput(result)));
      }
    });
}

/** Options about counting encounters, fixed when the statistics were made. */
const COUNTING_OPTIONS = ['mode', 'bin', 'minDays', 'excludeSameHome', 'dayOffset'] as const;

/**
 * With --person-stats the encounters were counted where the table was made: options that count them
 * are errors that say so (--permutations, which needs the encounters themselves, is refused by estimateWorld).
 */
function checkPersonStatsOptions(command: Command): void {
  const given = COUNTING_OPTIONS.filter((k) => command.getOptionValueSource(k) === 'cli').map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (given.length > 0) {
    throw new UsageError(`${given.join(', ')}: with --person-stats the encounters were already counted (mobiseg stats --mode/--bin/--min-days/--exclude-same-home/--day-offset, or the SQL's parameters); leave ${given.length === 1 ? 'it' : 'them'} out`);
  }
}
