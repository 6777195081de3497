/**
 * `mobiseg run`: the main job. Exposure segregation and bridging per MSA and county from persons plus
 * visits (or pair encounters); with no inputs, on the bundled default synthetic city.
 */
import type { Command } from 'commander';
import { UsageError } from '../../io/errors.js';
import { createProgress } from '../../report/progress.js';
import { runSummaryText } from '../../report/run-summary.js';
import { defaultThreads, runJson, runMobility, runSummaryInput, type RunOptions } from '../../pipeline/mobility-run.js';
import { addCountingOptions, collectColumnRemap, outputFolder, parseCountingOptions, parseDelimiter, parseNumberOption, parseSeed, RANGES, type CountingCliOptions } from '../options.js';

export interface RunCliOptions extends CountingCliOptions {
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
  delimiter: string;
  quiet?: boolean;
  json?: boolean;
}

/**
 * The options of a run, each parsed with its range (a bad value is a UsageError naming the option):
 * the counting options (parseCountingOptions), --weight in [0, 1].
 */
export function runOptions(opts: RunCliOptions): RunOptions {
  return {
    ...parseCountingOptions(opts),
    maxPeople: opts.maxPeople === undefined ? undefined : parseNumberOption('--max-people', opts.maxPeople, { integer: true, min: 1 }),
    seed: parseSeed(opts.seed),
    bootstrap: parseNumberOption('--bootstrap', opts.bootstrap, RANGES.replicates),
    permutations: parseNumberOption('--permutations', opts.permutations, RANGES.replicates),
    threads: opts.threads === undefined ? defaultThreads() : parseNumberOption('--threads', opts.threads, RANGES.threads),
    smoothK: parseNumberOption('--k', opts.k, RANGES.neighbours),
    smoothWeight: parseNumberOption('--weight', opts.weight, RANGES.unit),
    centroids: opts.centroids,
    remap: opts.col,
    dropInvalid: opts.dropInvalid ?? false,
    delimiter: parseDelimiter(opts.delimiter),
    places: !opts.skipPlaces,
  };
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
    .option('--delimiter <c>', 'field delimiter of CSV inputs: one character, or tab', ',')
    .option('--drop-invalid', 'drop invalid rows (counted by reason in the manifest) instead of stopping')
    .option('--quiet', 'no progress on the terminal')
    .option('--json', 'print the results as JSON instead of the readable summary: per MSA and county the row of msa.csv / county.csv, counts, drops by reason, warnings, timings, outputs')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg run --out output                      # the bundled synthetic city\n' +
        '  mobiseg simulate --out city && mobiseg run --persons city/persons.csv --visits city/visits.csv --places city/places.csv --out output --mode weighted --bootstrap 50\n' +
        '  mobiseg run --person-stats output/person-stats.arrow --out output-again   # statistics of a run, of mobiseg stats or of the SQL in sql/\n',
    )
    .action(async (opts: RunCliOptions, self: Command) => {
      // every option is checked before any input is read
      if (opts.personStats) checkPersonStatsOptions(self);
      const options = runOptions(opts);
      const out = outputFolder(opts.out);
      const progress = createProgress({ quiet: opts.quiet });
      const result = await runMobility(
        { persons: opts.persons, visits: opts.visits, encounters: opts.encounters, places: opts.places, personStats: opts.personStats },
        out,
        options,
        progress,
      );
      if (opts.json) {
        process.stdout.write(JSON.stringify(runJson(result), null, 2) + '\n');
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
