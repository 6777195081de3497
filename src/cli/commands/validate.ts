/** `mobiseg validate`: compare msa/county tables with the published ones and check the headline facts. */
import type { Command } from 'commander';
import { validateAgainstPublished } from '../../validate/validate-files.js';
import { formatValidationJson, formatValidationText } from '../../validate/validate-format.js';
import { collectColumnRemap, outputFile, parseNumberOption } from '../options.js';
import { writeFileAtomic } from '../../io/atomic.js';

interface ValidateCliOptions {
  msa?: string;
  county?: string;
  against?: string;
  population?: string;
  top: string;
  col: Record<string, string>;
  json?: boolean;
  out?: string;
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('Join msa/county tables with the published exposure-segregation CSVs (by MSA name, by FIPS): matched and unmatched rows, Pearson, Spearman, MAE, largest differences; and the published headline facts.')
    .option('--msa <file>', 'an MSA table (msa, exposure_segregation, bridging_index), e.g. a run\'s msa.csv')
    .option('--county <file>', 'a county table (fips_code, exposure_segregation, exposure_segregation_smoothed), e.g. a run\'s county.csv')
    .option('--against <dir>', 'folder with exposure-segregation-msa.csv and exposure-segregation-county.csv (default: the bundled data/published)')
    .option('--population <file>', 'CBSA population table with name and pop_2017 (default: the bundled data/census/cbsa-population.csv)')
    .option('--top <n>', 'largest differences listed per column', '10')
    .option('--col <name=column>', 'use another column of your tables for a default name (repeatable), e.g. --col msa=cbsa_title', collectColumnRemap, {} as Record<string, string>)
    .option('--json', 'print the report as JSON')
    .option('--out <file>', 'write the report (text, or JSON with --json) to this file instead of stdout; nothing is written when validation fails')
    .addHelpText(
      'after',
      '\nExamples:\n  mobiseg validate                     # the published headline facts, recomputed from the bundled data\n' +
        '  mobiseg validate --msa data/published/exposure-segregation-msa.csv --county data/published/exposure-segregation-county.csv\n' +
        '  mobiseg validate --msa my-run/msa.csv --json --out validation.json   # a run on real data (CBSA titles, county FIPS)\n',
    )
    .action(async (opts: ValidateCliOptions) => {
      const top = parseNumberOption('--top', opts.top, { integer: true, min: 0, max: 10_000 });
      const out = opts.out === undefined ? undefined : outputFile(opts.out);
      const report = await validateAgainstPublished({
        msa: opts.msa,
        county: opts.county,
        against: opts.against,
        population: opts.population,
        columns: opts.col,
        top,
      });
      const text = opts.json ? formatValidationJson(report) : formatValidationText(report);
      if (out === undefined) {
        process.stdout.write(text);
      } else {
        writeFileAtomic(out, text);
        process.stdout.write(`wrote ${out}\n`);
      }
    });
}
