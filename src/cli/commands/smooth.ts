/** `mobiseg smooth`: fill exposure_segregation_smoothed in a county table (SPEC section 6). */
import type { Command } from 'commander';
import { UsageError } from '../../io/errors.js';
import { collectColumnRemap, outputFile, parseNumberOption, RANGES } from '../options.js';
import { createProgress } from '../../report/progress.js';
import { smoothCountyFile, type ShrinkageGroup, type SmoothingMethod } from '../../smoothing/smooth-county-file.js';

interface SmoothOptions {
  county: string;
  out: string;
  centroids?: string;
  k: string;
  weight: string;
  method: string;
  group: string;
  round: string;
  col: Record<string, string>;
  json?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  program
    .command('smooth')
    .description('Fill exposure_segregation_smoothed in a county table: k nearest counties (the published rule) or empirical-Bayes shrinkage.')
    .requiredOption('--county <file>', 'county table with exposure_segregation and fips_code (CSV, .csv.gz, Arrow, Parquet)')
    .requiredOption('--out <file>', 'output CSV: the same table with exposure_segregation_smoothed filled (written atomically)')
    .option('--method <name>', 'knn (published rule: 0.5 raw + 0.5 mean of the 5 nearest counties) or eb (empirical Bayes, needs es_se)', 'knn')
    .option('--centroids <file>', 'knn: county centroids (fips_code, lon, lat); default the bundled data/geo/county-centroids.csv')
    .option('--k <n>', 'knn: number of nearest counties', '5')
    .option('--weight <w>', 'knn: weight of the neighbours\' mean (the county keeps 1 - w)', '0.5')
    .option('--group <name>', 'eb: shrink toward the state or msa mean', 'state')
    .option('--round <decimals>', 'decimals of the smoothed value, or "none"', '3')
    .option('--col <name=column>', 'use another column for a default name (repeatable), e.g. --col exposure_segregation=es', collectColumnRemap, {} as Record<string, string>)
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no notes on stderr')
    .addHelpText(
      'after',
      '\nExample:\n  mobiseg smooth --county data/published/exposure-segregation-county.csv --out county-smoothed.csv\n',
    )
    .action(async (opts: SmoothOptions) => {
      const method = opts.method as SmoothingMethod;
      if (method !== 'knn' && method !== 'eb') throw new UsageError(`--method ${opts.method}: expected knn or eb`);
      const group = opts.group as ShrinkageGroup;
      if (group !== 'state' && group !== 'msa') throw new UsageError(`--group ${opts.group}: expected state or msa`);
      const weight = parseNumberOption('--weight', opts.weight, RANGES.unit);
      const k = parseNumberOption('--k', opts.k, RANGES.neighbours);
      const round = opts.round === 'none' ? null : parseNumberOption('--round', opts.round, { integer: true, min: 0, max: 15 });
      const summary = await smoothCountyFile({
        county: opts.county,
        out: outputFile(opts.out),
        method,
        centroids: opts.centroids,
        k,
        weight,
        group,
        round,
        columns: opts.col,
      });
      const progress = createProgress({ quiet: opts.quiet });
      for (const w of summary.warnings) progress.warn(w);
      if (opts.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        return;
      }
      const how = method === 'knn'
        ? `k = ${summary.k} nearest counties, weight ${summary.weight}, centroids ${summary.centroids}`
        : `empirical Bayes toward the ${summary.group} mean`;
      process.stdout.write(
        `${summary.out}: ${summary.withEstimate} of ${summary.rows} counties smoothed (${how}); ` +
          `${summary.withoutEstimate} without an estimate left empty\n`,
      );
      if (!opts.quiet && summary.unshrunkGroups && summary.unshrunkGroups.length > 0) {
        process.stderr.write(`note: ${summary.unshrunkGroups.length} group(s) with a single county left unshrunk: ${summary.unshrunkGroups.slice(0, 10).join(', ')}${summary.unshrunkGroups.length > 10 ? ', ...' : ''}\n`);
      }
    });
}
