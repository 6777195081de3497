/**
 * `mobiseg report DIR`: (re)draw DIR/report.html from an output folder of `run`, `calibrate` or
 * `scenario` (pipeline/report-run.ts). The same folder gives the same bytes.
 */
import type { Command } from 'commander';
import { writeReport } from '../../pipeline/report-run.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('Draw report.html (self-contained: inline SVG charts and CSS, no script, no network) from an output folder of run, calibrate or scenario')
    .argument('<dir>', 'output folder holding msa.csv, county.csv, comparison.csv, calibration.csv, scenario.csv, scenario-places.csv and/or manifest.json')
    .option('--quiet', 'print nothing')
    .addHelpText('after', '\nExample:\n  mobiseg run --out output && mobiseg report output    # redraws output/report.html\n')
    .action(async (dir: string, opts: { quiet?: boolean }) => {
      const written = await writeReport(dir);
      if (!opts.quiet) process.stdout.write(`wrote ${written.file} (${written.charts.length} chart${written.charts.length === 1 ? '' : 's'}${written.charts.length > 0 ? `: ${written.charts.join(', ')}` : ''})\n`);
    });
}
