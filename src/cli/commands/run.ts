/**
 * `mobiseg run`: the main job. Exposure segregation and bridging per MSA and county from persons plus
 * visits (or pair encounters); with no inputs, on the bundled default synthetic city.
 */
import { Option, type Command } from 'commander';
import { createProgress } from '../../report/progress.js';
import { runSummaryText } from '../../report/run-summary.js';
import { defaultThreads, runJson, runMobility, runSummaryInput, type RunOptions } from '../../pipeline/mobility-run.js';
import { collectColumnRemap, outputFolder, parseDelimiter, parseNumberOption, parseSeed, RANGES } from '../options.js';

export interface RunCliOptions {
  persons?: string;
  visits?: string;
  encounters?: string;
  places?: string;
  out: string;
  mode: 'distinct' | 'weighted';
  bin: string;
  minDays: string;
  excludeSameHome?: boolean;
  dayOffset: string;
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

/** Seconds in a day: the largest --bin and the largest |--day-offset|. */
const DAY = 86_400;

/**
 * The options of a run, each parsed with its range (a bad value is a UsageError naming the option):
 * --bin in [1, 86400] s (a bin of a second at the finest; a day at the coarsest, since days are cut
 * separately), --day-offset within one day either way, --weight in [0, 1].
 */
export function runOptions(opts: RunCliOptions): RunOptions {
  return {
    mode: opts.mode,
    binSeconds: parseNumberOption('--bin', opts.bin, { min: 1, max: DAY }),
    minDays: parseNumberOption('--min-days', opts.minDays, { integer: true, min: 1, max: 100_000 }),
    excludeSameHome: opts.excludeSameHome ?? false,
    dayOffsetSeconds: parseNumberOption('--day-offset', opts.dayOffset, { min: -DAY, max: DAY }),
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
  };
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Exposure segregation (REML, lme4 parity) and bridging index per MSA and county of home; with no inputs, on the bundled synthetic city')
    .option('--persons <file>', 'persons table (person_id, ses; optional msa, county_fips, county_name, home_tract, home_lat, home_lon, home_id)')
    .option('--visits <file>', 'visits table (person_id, place_id, start; optional end or dwell_s)')
    .option('--encounters <file>', 'pair encounters (person_a, person_b; optional place_id, time, days), instead of --visits')
    .option('--places <file>', 'places table (place_id; optional category, lat, lon, county_fips, msa, price_level)')
    .requiredOption('--out <dir>', 'output folder')
    .addOption(new Option('--mode <mode>', 'encounter counting: each pair once (distinct, the paper\'s) or every co-presence (weighted)').choices(['distinct', 'weighted']).default('distinct'))
    .option('--bin <seconds>', 'time bin in seconds (the paper\'s 5-minute consolidation)', '300')
    .option('--min-days <n>', 'distinct mode: a pair counts once it met on at least n distinct days', '1')
    .option('--exclude-same-home', 'skip encounters between members of the same household (home_id)')
    .option('--day-offset <seconds>', 'seconds added to epoch times before cutting local days (time zone)', '0')
    .option('--max-people <n>', 'fit a seeded random sample of at most n persons per area (the paper used 10000)')
    .option('--seed <s>', 'seed of every random step (bootstrap, sampling)', '1')
    .option('--bootstrap <B>', 'bootstrap replicates for the ES interval (0 = none)', '200')
    .option('--permutations <K>', 'permutations of the bridging-index null (SES shuffled among an area\'s persons): p-value and null interval', '0')
    .option('--threads <n>', 'worker threads (results do not depend on it)')
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
        '  mobiseg simulate --out city && mobiseg run --persons city/persons.csv --visits city/visits.csv --places city/places.csv --out output --mode weighted --bootstrap 50\n',
    )
    .action(async (opts: RunCliOptions) => {
      // every option is checked before any input is read
      const options = runOptions(opts);
      const out = outputFolder(opts.out);
      const progress = createProgress({ quiet: opts.quiet });
      const result = await runMobility(
        { persons: opts.persons, visits: opts.visits, encounters: opts.encounters, places: opts.places },
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
