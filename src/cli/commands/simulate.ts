/**
 * `mobiseg simulate`: generate a synthetic city (SPEC section 9) and write persons, places and visits
 * (SPEC section 1 columns) plus city.json, the resolved spec with the seed used, which regenerates the
 * same files when given back as --city.
 */
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { writeFileAtomic } from '../../io/atomic.js';
import { FORMAT_EXTENSION, writeTable } from '../../io/table-writer.js';
import { outputFolder, parseNumberOption, parseSeed, RANGES } from '../options.js';
import type { TableFormat } from '../../io/table-source.js';
import { createProgress } from '../../report/progress.js';
import { resolveSimsPath } from '../../io/bundled-data.js';
import { loadCitySpec, withResidentialSorting, type CitySpec } from '../../simulation/city-spec.js';
import { generateCity, type MsaSummary } from '../../simulation/generate-city.js';

interface SimulateOptions {
  city: string;
  out: string;
  format: TableFormat;
  seed?: string;
  sorting?: string;
  quiet?: boolean;
  json?: boolean;
}

/** A spec path as given, or a bundled city by name ("default" -> sims/cities/default.json in the package). */
export function resolveCityPath(city: string): string {
  return resolveSimsPath('cities', city);
}

function summaryText(summary: MsaSummary[], outDir: string, files: string[]): string {
  const header = ['msa', 'persons', 'households', 'counties', 'tracts', 'places', 'visits', 'cross_msa', 'sorting'];
  const rows = summary.map((s) => [s.msa, s.persons, s.households, s.counties, s.tracts, s.places, s.visits, s.crossMsaVisits, s.residentialSorting].map(String));
  const total = (f: (s: MsaSummary) => number) => String(summary.reduce((a, s) => a + f(s), 0));
  rows.push(['total', total((s) => s.persons), total((s) => s.households), total((s) => s.counties), total((s) => s.tracts), total((s) => s.places), total((s) => s.visits), total((s) => s.crossMsaVisits), '']);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line), '', `wrote ${files.map((f) => join(outDir, f)).join(', ')}`, ''].join('\n');
}

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Generate a synthetic city (persons with homes and SES, places with categories and prices, visits) from a city spec')
    .option('--city <file>', 'city spec JSON, or the name of a bundled city (default, tiny)', 'default')
    .requiredOption('--out <dir>', 'output folder (persons, places, visits and city.json are written into it)')
    .addOption(new Option('--format <format>', 'table format').choices(['csv', 'arrow', 'parquet']).default('csv'))
    .option('--seed <n>', "seed (overrides the spec's seed; the same seed gives byte-identical files)")
    .option('--sorting <s>', 'residential sorting in [0, 1] for every MSA (overrides the spec)')
    .option('--json', 'print the per-MSA summary as JSON')
    .option('--quiet', 'no progress messages')
    .addHelpText(
      'after',
      '\nExample:\n  mobiseg simulate --city sims/cities/default.json --out city --format csv --seed 1\n' +
        '  mobiseg simulate --city tiny --out tiny-city --sorting 0.9\n',
    )
    .action(async (opts: SimulateOptions) => {
      // every option is checked before the city spec is read
      const sorting = opts.sorting === undefined ? undefined : parseNumberOption('--sorting', opts.sorting, RANGES.unit);
      const seed = opts.seed === undefined ? undefined : parseSeed(opts.seed);
      const progress = createProgress({ quiet: opts.quiet });
      outputFolder(opts.out);
      const path = resolveCityPath(opts.city);
      let spec: CitySpec = loadCitySpec(path);
      if (sorting !== undefined) spec = withResidentialSorting(spec, sorting);
      if (seed !== undefined) spec = { ...spec, seed };
      progress.note(`generating ${spec.name} (seed ${spec.seed})`);
      const city = generateCity(spec, spec.seed);
      const ext = FORMAT_EXTENSION[opts.format];
      const files = [`persons.${ext}`, `places.${ext}`, `visits.${ext}`, 'city.json'];
      progress.note(`writing ${opts.out}`);
      await writeTable(join(opts.out, files[0]), city.persons, opts.format);
      await writeTable(join(opts.out, files[1]), city.places, opts.format);
      await writeTable(join(opts.out, files[2]), city.visits, opts.format);
      writeFileAtomic(join(opts.out, files[3]), JSON.stringify(spec, null, 2) + '\n');
      if (opts.json) {
        process.stdout.write(JSON.stringify({ city: spec.name, seed: spec.seed, out: opts.out, format: opts.format, msas: city.summary }, null, 2) + '\n');
      } else {
        process.stdout.write(summaryText(city.summary, opts.out, files));
      }
    });
}
