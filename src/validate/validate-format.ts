/** Text and JSON renderings of a validation report (`mobiseg validate`). */
import type { ColumnComparison, HeadlineFacts } from './validate.js';
import type { FactsReport, TableJoinReport, ValidationReport } from './validate-files.js';
import { fixed, formatTextTable } from '../report/text-table.js';

function signed(x: number, digits: number): string {
  return Number.isFinite(x) ? (x >= 0 ? '+' : '') + x.toFixed(digits) : '-';
}

function table(header: string[], rows: string[][], indent = '  '): string {
  return formatTextTable(header, rows).split('\n').map((l) => indent + l).join('\n');
}

function nameList(names: readonly string[], max = 20): string {
  const shown = names.slice(0, max).join('; ');
  return names.length > max ? `${shown}; ... (${names.length - max} more)` : shown;
}

function columnRows(columns: readonly ColumnComparison[]): string[][] {
  return columns.map((c) => [
    c.column,
    String(c.n),
    fixed(c.pearson, 6),
    fixed(c.spearman, 6),
    fixed(c.mae, 6),
    fixed(c.maxAbsDifference, 6),
    String(c.identical),
    String(c.missingOurs),
    String(c.missingPublished),
  ]);
}

function joinSection(title: string, r: TableJoinReport): string {
  const lines: string[] = [];
  lines.push(`${title}: ${r.ours} (${r.rowsOurs} rows) vs ${r.published} (${r.rowsPublished} rows)`);
  lines.push(`  matched ${r.matched}; unmatched: ${r.unmatchedOurs.length} of yours, ${r.unmatchedPublished.length} published`);
  if (r.unmatchedOurs.length > 0) {
    const described = r.unmatchedOurs.map((n) => (r.suggestions[n] ? `${n} (did you mean ${r.suggestions[n].join(' or ')}?)` : n));
    lines.push(`  yours without a published row: ${nameList(described)}`);
  }
  if (r.unmatchedPublished.length > 0) lines.push(`  published without a row of yours: ${nameList(r.unmatchedPublished)}`);
  if (r.columnsMissing.length > 0) lines.push(`  published columns you lack (not compared): ${r.columnsMissing.join(', ')}`);
  if (r.columns.length > 0) {
    lines.push('');
    lines.push(table(['column', 'n', 'pearson', 'spearman', 'MAE', 'max |diff|', 'identical', 'NA yours', 'NA published'], columnRows(r.columns)));
    for (const c of r.columns) {
      if (c.largest.length === 0) continue;
      lines.push('');
      lines.push(`  largest differences, ${c.column} (yours - published):`);
      lines.push(table(['', 'yours', 'published', 'difference'], c.largest.map((d) => [d.label, fixed(d.ours, 6), fixed(d.published, 6), signed(d.difference, 6)]), '    '));
    }
  }
  return lines.join('\n');
}

function factRows(f: FactsReport): string[][] {
  const o: HeadlineFacts | undefined = f.ours;
  const row = (label: string, paper: string, pick: (h: HeadlineFacts) => string) => [label, paper, pick(f.published), ...(o ? [pick(o)] : [])];
  return [
    row('MSAs with ES and population', '382', (h) => String(h.n)),
    row('median ES', fixed(f.paper.medianEs, 2), (h) => fixed(h.medianEs, 4)),
    row('mean ES, 10 largest MSAs', fixed(f.paper.meanEsLargest, 3), (h) => fixed(h.meanEsLargest, 4)),
    row('mean ES, MSAs under 100,000', fixed(f.paper.meanEsSmall, 3), (h) => `${fixed(h.meanEsSmall, 4)} (n=${h.nSmall})`),
    row('ratio largest / small', fixed(f.paper.ratioLargestToSmall, 2), (h) => fixed(h.ratioLargestToSmall, 4)),
    row('corr(ES, BI)', fixed(f.paper.corrEsBi, 2), (h) => fixed(h.corrEsBi, 4)),
    row('corr(log population, ES)', signed(f.paper.corrLogPopEs, 2), (h) => signed(h.corrLogPopEs, 4)),
    row('corr(log population, BI)', signed(f.paper.corrLogPopBi, 2), (h) => signed(h.corrLogPopBi, 4)),
  ];
}

/** The human-readable report printed by `mobiseg validate`. */
export function formatValidationText(r: ValidationReport): string {
  const parts: string[] = [`Validation against ${r.against}`];
  if (r.msa) parts.push(joinSection('MSA (joined by name)', r.msa));
  if (r.county) parts.push(joinSection('County (joined by FIPS)', r.county));
  const f = r.facts;
  const header = ['headline fact', 'paper', 'published file', ...(f.ours ? ['yours'] : [])];
  const facts = [`Headline facts (populations: ${f.populationColumn} of ${f.populationFile})`, table(header, factRows(f))];
  if (f.withoutPopulation.published.length > 0) facts.push(`  published MSAs without a population (left out): ${nameList(f.withoutPopulation.published)}`);
  if (f.withoutPopulation.ours && f.withoutPopulation.ours.length > 0) facts.push(`  your MSAs without a population (left out): ${nameList(f.withoutPopulation.ours)}`);
  parts.push(facts.join('\n'));
  return parts.join('\n\n') + '\n';
}

/** The report as JSON (NaN as null). */
export function formatValidationJson(r: ValidationReport): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
}
