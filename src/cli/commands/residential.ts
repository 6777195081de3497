/** `mobiseg residential`: residential segregation indices from unit compositions (SPEC section 7). */
import type { Command } from 'commander';
import { UsageError } from '../../io/errors.js';
import { outputFolder, parseNumberOption, parseSeed, RANGES } from '../options.js';
import { createProgress } from '../../report/progress.js';
import { resultToJson, runResidentialFiles, type IndexRow, type ResidentialRunOptions } from '../../residential/residential-files.js';
import type { CentreMethod } from '../../residential/spatial.js';

interface ResidentialCliOptions {
  units?: string;
  persons?: string;
  sesGroups: string;
  col: string[];
  groups?: string;
  long?: string;
  id?: string;
  total?: string;
  shares?: boolean;
  partial?: boolean;
  shareTolerance: string;
  geometry?: string;
  geometryId?: string;
  centre: string;
  alpha: string;
  beta: string;
  region?: string;
  regionFocus?: string;
  log: string;
  wardCorrection?: boolean;
  race?: string;
  permutations: string;
  bootstrap: string;
  seed: string;
  level: string;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** `--col name=column` occurrences -> { name: column }. */
function parseColumnMappings(mappings: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of mappings) {
    const eq = m.indexOf('=');
    if (eq <= 0 || eq === m.length - 1) throw new UsageError(`--col ${m}: expected name=column (e.g. --col home_tract=GEOID)`);
    out[m.slice(0, eq).trim()] = m.slice(eq + 1).trim();
  }
  return out;
}

function parseCentre(text: string): CentreMethod | readonly [number, number] {
  const methods: CentreMethod[] = ['mean', 'median', 'population-weighted-mean', 'largest-population'];
  if ((methods as string[]).includes(text)) return text as CentreMethod;
  const xy = text.split(',');
  if (xy.length !== 2) throw new UsageError(`--centre ${text}: expected ${methods.join(', ')} or X,Y`);
  return [parseNumberOption('--centre X', xy[0], {}), parseNumberOption('--centre Y', xy[1], {})] as const;
}

function parseRace(text: string): ResidentialRunOptions['race'] {
  const out: NonNullable<ResidentialRunOptions['race']> = {};
  for (const part of list(text)) {
    const [key, col] = part.split('=').map((s) => s.trim());
    if (!col || !['white', 'black', 'latino'].includes(key)) throw new UsageError(`--race ${text}: expected white=COL,black=COL,latino=COL`);
    out[key as 'white' | 'black' | 'latino'] = col;
  }
  return out;
}

function formatIndexRows(rows: readonly IndexRow[]): string {
  const label = (r: IndexRow) => (r.group ? `${r.index} (${r.group})` : r.index);
  const width = Math.max(...rows.map((r) => label(r).length));
  const fmt = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : v.toPrecision(6));
  return rows
    .map((r) => {
      let line = `${label(r).padEnd(width)}  ${fmt(r.value).padStart(12)}`;
      if (r.perm_p_value !== undefined && Number.isFinite(r.perm_p_value)) line += `  p=${fmt(r.perm_p_value)}`;
      if (r.boot_bias_corrected !== undefined) line += `  bias-corrected=${fmt(r.boot_bias_corrected)} [${fmt(r.boot_ci_low)}, ${fmt(r.boot_ci_high)}]`;
      return line;
    })
    .join('\n');
}

/** Register `mobiseg residential` on the program. */
export function register(program: Command): void {
  program
    .command('residential')
    .description('Residential segregation indices (single group, multigroup, local, spatial), the divergence index with its within/between decomposition, OBI classes, permutation and bootstrap inference.')
    .option('--units <file>', 'unit table (CSV, .csv.gz, Arrow, Parquet): one row per unit with group counts (or shares, --shares), or a long table (--long)')
    .option('--persons <file>', 'instead of --units: a persons table (person_id, ses, home_tract); units are home tracts, groups SES groups, plus Jargowsky\'s NSI')
    .option('--ses-groups <cut>', 'with --persons: quartiles (q1..q4) or median (low/high), cut over the file\'s persons', 'quartiles')
    .option('--col <name=column>', 'with --persons: use another column for a default name (repeatable), e.g. --col home_tract=GEOID', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--groups <a,b,...>', 'group columns (wide layout), or the group values to keep and their order (--long)')
    .option('--long <unit,group,count>', 'long layout: the unit, group and count columns (e.g. school,race,n); repeated rows are summed')
    .option('--id <column>', 'unit id column (default: the first column)')
    .option('--total <column>', 'unit total: single-group indices compare each group with total - group (default: the sum of the listed groups); with --shares, what the shares are shares of')
    .option('--shares', 'the group columns hold shares of --total (counts = share x total)')
    .option('--partial', 'with --shares: the listed groups are a subset of the population (their shares may sum to less than 1)')
    .option('--share-tolerance <x>', 'allowed |sum of shares - 1| per unit', '0.001')
    .option('--geometry <file.geojson>', 'unit polygons (Polygon/MultiPolygon) for the spatial indices; coordinates are used as planar')
    .option('--geometry-id <property>', 'feature property holding the unit id (default: the id column\'s name)')
    .option('--centre <method>', 'centre for absolute centralization: mean, median, population-weighted-mean, largest-population, or X,Y', 'mean')
    .option('--alpha <a>', 'proximity kernel: a unit\'s distance to itself is (alpha x area)^beta', '0.6')
    .option('--beta <b>', 'proximity kernel exponent', '0.5')
    .option('--region <column>', 'place/region column: within/between decomposition of the divergence index and M (decomposition.csv)')
    .option('--region-focus <value>', 'with --region: that place against all the others combined (e.g. a city against its suburbs)')
    .option('--log <base>', 'log base of M, the divergence index and entropies: e or 2', 'e')
    .option('--ward-correction', 'add Cutler/Glaeser/Vigdor ward-to-tract corrected dissimilarity (+0.152) and isolation (+0.157)')
    .option('--race <white=COL,black=COL,latino=COL>', 'race groups for the OBI classes (default: detected from group names: white*, black*, hisp*/latin*)')
    .option('--permutations <n>', 'permutation null: persons relabelled at random across units (p-values)', '0')
    .option('--bootstrap <n>', 'bootstrap of counts with bias-corrected estimates and intervals', '0')
    .option('--seed <s>', 'seed of the permutations and bootstrap', '1')
    .option('--level <x>', 'level of the intervals', '0.95')
    .option('--out <dir>', 'output folder: residential-indices.csv, units.csv, decomposition.csv (with --region)')
    .option('--json', 'print the indices (and decomposition) as JSON on stdout')
    .option('--quiet', 'no progress or notes on stderr')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  mobiseg residential --units data/residential/sacramento-tracts.csv --groups WHITE_,BLACK_,ASIAN_,HISP_ --total TOT_POP \\\n' +
        '    --geometry data/residential/sacramento-tracts.geojson --out out/sacramento\n' +
        '  mobiseg residential --units data/residential/detroit-tracts.csv --groups black,white --total population --shares --partial \\\n' +
        '    --region place_name --region-focus "Detroit city, MI" --log 2 --out out/detroit\n' +
        '  mobiseg residential --units data/residential/schools00.csv --long school,race,n --region state --bootstrap 100 --json\n',
    )
    .action(async (opts: ResidentialCliOptions) => {
      if (!opts.out && !opts.json) throw new UsageError('--out <dir> (or --json) is required');
      if (opts.out) outputFolder(opts.out);
      if (!opts.units === !opts.persons) throw new UsageError('give either --units (a unit table) or --persons (a persons table with home_tract and ses)');
      if (opts.units && !opts.groups && !opts.long) throw new UsageError('--groups (wide layout) or --long unit,group,count is required');
      if (opts.sesGroups !== 'quartiles' && opts.sesGroups !== 'median') throw new UsageError(`--ses-groups ${opts.sesGroups}: expected quartiles or median`);
      if (opts.partial && !opts.shares) throw new UsageError('--partial applies to --shares');
      if (opts.regionFocus !== undefined && !opts.region) throw new UsageError('--region-focus needs --region');
      let base: number;
      if (opts.log === 'e') base = Math.E;
      else if (opts.log === '2') base = 2;
      else throw new UsageError(`--log ${opts.log}: expected e or 2`);
      let long: ResidentialRunOptions['long'];
      if (opts.long) {
        const cols = list(opts.long);
        if (cols.length !== 3) throw new UsageError(`--long ${opts.long}: expected unit,group,count`);
        long = { unit: cols[0], group: cols[1], count: cols[2] };
      }
      const level = parseNumberOption('--level', opts.level, { min: 0, max: 1, minOpen: true, maxOpen: true });
      const positive = { min: 0, minOpen: true };
      const shareTolerance = parseNumberOption('--share-tolerance', opts.shareTolerance, { ...positive, max: 1 });
      const alpha = parseNumberOption('--alpha', opts.alpha, positive);
      const beta = parseNumberOption('--beta', opts.beta, positive);
      const permutations = parseNumberOption('--permutations', opts.permutations, RANGES.replicates);
      const bootstrap = parseNumberOption('--bootstrap', opts.bootstrap, RANGES.replicates);
      const seed = parseSeed(opts.seed);
      const progress = createProgress({ quiet: opts.quiet });
      let current = '';
      const result = await runResidentialFiles({
        units: opts.units,
        persons: opts.persons,
        sesGroups: opts.sesGroups as 'median' | 'quartiles',
        columns: parseColumnMappings(opts.col),
        groups: opts.groups ? list(opts.groups) : undefined,
        long,
        id: opts.id,
        total: opts.total,
        shares: opts.shares,
        partial: opts.partial,
        shareTolerance,
        geometry: opts.geometry,
        geometryId: opts.geometryId,
        centre: parseCentre(opts.centre),
        alpha,
        beta,
        region: opts.region,
        regionFocus: opts.regionFocus,
        base,
        wardCorrection: opts.wardCorrection,
        race: opts.race ? parseRace(opts.race) : undefined,
        permutations,
        bootstrap,
        seed,
        level,
        out: opts.out,
        onNote: (m) => {
          if (!opts.quiet) process.stderr.write(`note: ${m}\n`);
        },
        onProgress: (label, done, total) => {
          if (label !== current) {
            progress.start(label, total);
            current = label;
          }
          progress.update(done);
          if (done === total) {
            progress.stop();
            current = '';
          }
        },
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(resultToJson(result), null, 2) + '\n');
        return;
      }
      let text = `${result.file}: ${result.nUnits} units, groups ${result.groups.join(', ')} (log base ${result.logBase})\n${formatIndexRows(result.indices)}\n`;
      if (result.decomposition) {
        const d = result.decomposition.parts;
        text += `\ndivergence ${d.total.toPrecision(6)} = within ${d.within.toPrecision(6)} (${(100 * d.withinShare).toFixed(1)}%) + between ${d.between.toPrecision(6)} (${(100 * d.betweenShare).toFixed(1)}%) across ${result.decomposition.regions.length} regions\n`;
      }
      if (result.obiClassCounts) text += `\nOBI classes: ${Object.entries(result.obiClassCounts).map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
      if (result.outputs.length) text += `\nwrote ${result.outputs.join(', ')}\n`;
      process.stdout.write(text);
    });
}
