/**
 * `mobiseg stats`: per-person statistics (encounter counts and partners' SES sums, high-partner counts
 * of the bridging index) from persons and visits or pair records, by the SQL of sql/ on an engine
 * (DuckDB), for data larger than memory; `mobiseg run --person-stats` estimates from the file.
 */
import { Option, type Command } from 'commander';
import { createProgress } from '../../report/progress.js';
import { defaultThreads } from '../../pipeline/mobility-run.js';
import { parseMemoryLimit } from '../../pipeline/duckdb-engine.js';
import { runSqlStats, statsOutputFormat, type SqlStatsOptions } from '../../pipeline/sql-stats.js';
import { addCountingOptions, collectColumnRemap, outputFile, parseCountingOptions, parseDelimiter, parseNumberOption, RANGES, type CountingCliOptions } from '../options.js';

interface StatsCliOptions extends CountingCliOptions {
  engine: 'duckdb';
  persons: string;
  visits?: string;
  encounters?: string;
  out: string;
  memoryLimit?: string;
  tempDir?: string;
  threads?: string;
  partitions?: string;
  col?: Record<string, string>;
  delimiter: string;
  dropInvalid?: boolean;
  quiet?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  const command = program
    .command('stats')
    .description('Per-person encounter statistics from persons + visits (or pairs) of any size, by SQL on DuckDB (spills to disk); then mobiseg run --person-stats')
    .addOption(new Option('--engine <engine>', 'SQL engine (the same SQL runs on Spark SQL and BigQuery: see sql/README.md)').choices(['duckdb']).makeOptionMandatory())
    .requiredOption('--persons <file>', 'persons table, Parquet or CSV (person_id, ses; optional msa, county_fips, county_name, home_tract, home_lat, home_lon, home_id)')
    .option('--visits <file>', 'visits, Parquet or CSV (person_id, place_id, start; optional end or dwell_s)')
    .option('--encounters <file>', 'pair encounters, Parquet or CSV (person_a, person_b; optional place_id, time, days), instead of --visits')
    .requiredOption('--out <file>', 'statistics file to write: .arrow, .parquet or .csv');
  addCountingOptions(command)
    .option('--memory-limit <size>', 'DuckDB memory limit, e.g. 8GB (past it, DuckDB spills to --temp-dir); default 80% of the RAM')
    .option('--temp-dir <dir>', 'where DuckDB keeps its working database file and spills (needs free disk of the order of the input); default the system temp folder')
    .option('--threads <n>', 'DuckDB threads (results do not depend on it)')
    .option('--partitions <k>', 'compute the persons in K parts (MOD(person_key, K)), one part held at a time, so the working set is about 1/K; the same table for any K; default from the input rows and --memory-limit (printed)')
    .option('--col <logical=column>', 'read a column under another name, e.g. --col ses=rent_zestimate (repeatable)', collectColumnRemap)
    .option('--delimiter <c>', 'field delimiter of CSV inputs: one character, or tab', ',')
    .option('--drop-invalid', 'leave out invalid rows (counted by reason) instead of stopping')
    .option('--quiet', 'no progress on the terminal')
    .option('--json', 'print the counts and timings as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg stats --engine duckdb --persons persons.parquet --visits visits.parquet --out stats.parquet --memory-limit 8GB --temp-dir /scratch\n' +
        '  mobiseg run --person-stats stats.parquet --out output\n',
    )
    .action(async (opts: StatsCliOptions) => {
      // every option is checked before any input is read
      const out = outputFile(opts.out);
      statsOutputFormat(out);
      const options: SqlStatsOptions = {
          ...parseCountingOptions(opts),
          memoryLimit: opts.memoryLimit === undefined ? undefined : parseMemoryLimit(opts.memoryLimit),
          tempDir: opts.tempDir,
          threads: opts.threads === undefined ? defaultThreads() : parseNumberOption('--threads', opts.threads, RANGES.threads),
          partitions: opts.partitions === undefined ? undefined : parseNumberOption('--partitions', opts.partitions, RANGES.partitions),
          remap: opts.col,
          delimiter: parseDelimiter(opts.delimiter),
          dropInvalid: opts.dropInvalid ?? false,
      };
      const progress = createProgress({ quiet: opts.quiet });
      const result = await runSqlStats({ persons: opts.persons, visits: opts.visits, encounters: opts.encounters }, out, options, progress);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ out: result.out, partitions: result.partitions, counts: result.counts, rows_read: result.inputs.rowsRead, dropped: result.inputs.dropped, timings: result.timings }, null, 2) + '\n');
        return;
      }
      const dropped = Object.entries(result.inputs.dropped).flatMap(([role, d]) => Object.entries(d).map(([k, v]) => `${role}: ${v} ${k}`));
      const lines = [
        `mobiseg stats (DuckDB, ${opts.mode}, ${result.partitions} part${result.partitions > 1 ? 's' : ''}): ${result.counts.persons} persons, ${result.counts.persons_with_encounters} with encounters, ${result.counts.encounter_endpoints} encounter endpoints`,
        `rows read: ${Object.entries(result.inputs.rowsRead).map(([role, n]) => `${role} ${n}`).join(', ')}`,
        ...(dropped.length > 0 ? [`dropped: ${dropped.join('; ')}`] : []),
        `wrote ${result.out} in ${result.timings.total} s (${Object.entries(result.timings).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}`).join(', ')})`,
        `next: mobiseg run --person-stats ${result.out} --out <folder>`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
