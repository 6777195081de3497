/**
 * `mobiseg validate` end to end, on the bundled published files (Nilforoshan et al. 2023) and on copies
 * with known perturbations whose statistics are worked out by hand in the comments.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { csvCell } from '../../src/io/csv-writer.js';
import { bundledDataPath, BUNDLED } from '../../src/io/bundled-data.js';
import type { ValidationReport } from '../../src/validate/validate-files.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-validate-'));
const publishedMsa = bundledDataPath(BUNDLED.publishedMsa);
const publishedCounty = bundledDataPath(BUNDLED.publishedCounty);

const run = (...args: string[]) => runCli('validate', ...args);

async function runJson(...args: string[]): Promise<ValidationReport> {
  const r = await run(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ValidationReport;
}

/** Write rows of cells as CSV. */
function writeCsvFile(name: string, header: string[], rows: Array<Array<string | number>>): string {
  const p = join(dir, name);
  writeFileSync(p, [header, ...rows].map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\n') + '\n');
  return p;
}

afterEach(() => vi.restoreAllMocks());

describe('mobiseg validate on the published files themselves', () => {
  it('reports every row matched, r = 1 and MAE = 0', async () => {
    const r = await runJson('--msa', publishedMsa, '--county', publishedCounty);
    expect(r.msa!.matched).toBe(382);
    expect(r.county!.matched).toBe(2829);
    for (const t of [r.msa!, r.county!]) {
      expect(t.unmatchedOurs).toEqual([]);
      expect(t.unmatchedPublished).toEqual([]);
      for (const c of t.columns) {
        expect(c.pearson, c.column).toBe(1);
        expect(c.spearman, c.column).toBe(1);
        expect(c.mae, c.column).toBe(0);
        expect(c.identical).toBe(c.n);
        expect(c.largest).toEqual([]);
      }
    }
    expect(r.msa!.columns.map((c) => c.column)).toEqual(['exposure_segregation', 'bridging_index']);
    expect(r.county!.columns.map((c) => c.column)).toEqual(['exposure_segregation', 'exposure_segregation_smoothed']);
  });

  it('reproduces the paper\'s headline facts from the bundled data (SPEC sections 4 and 9)', async () => {
    const r = await runJson();
    const f = r.facts.published;
    expect(f.n).toBe(382);
    // SPEC section 9: median ES 0.35 (range 0.13-0.64); section 4: median BI 0.87
    expect(Math.abs(f.medianEs - 0.3527)).toBeLessThan(0.00005);
    expect(Math.abs(f.medianBi - 0.8661)).toBeLessThan(0.00005);
    // Paper: 0.457 in the ten largest MSAs vs 0.274 under 100,000 people (2017 populations), ratio 1.67.
    expect(Math.abs(f.meanEsLargest - 0.457)).toBeLessThan(0.0005);
    expect(Math.abs(f.meanEsSmall - 0.274)).toBeLessThan(0.0005);
    expect(Math.abs(f.ratioLargestToSmall - 1.67)).toBeLessThan(0.005);
    expect(f.largestMsas[0]).toBe('New York-Newark-Jersey City, NY-NJ-PA');
    // corr(ES, BI) = -0.79, corr(log population, ES) = +0.59, corr(log population, BI) = -0.76.
    expect(Math.abs(f.corrEsBi - -0.79)).toBeLessThan(0.005);
    expect(Math.abs(f.corrLogPopEs - 0.59)).toBeLessThan(0.005);
    expect(Math.abs(f.corrLogPopBi - -0.76)).toBeLessThan(0.005);
    expect(r.facts.withoutPopulation.published).toEqual([]);
  });

  it('prints a readable table and exits 0', async () => {
    const r = await run('--msa', publishedMsa);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/matched 382; unmatched: 0 of yours, 0 published/);
    expect(r.stdout).toMatch(/exposure_segregation\s+382\s+1\.000000\s+1\.000000\s+0\.000000/);
    expect(r.stdout).toMatch(/ratio largest \/ small\s+1\.67\s+1\.6652\s+1\.6652/);
  });
});

describe('mobiseg validate on perturbed copies', () => {
  it('MSA: reports the hand-computed MAE, differences and unmatched names', async () => {
    const pub = await readSmallTable(publishedMsa);
    const names = pub.text('msa');
    const es = pub.numbers('exposure_segregation');
    const bi = pub.numbers('bridging_index');
    const rows: Array<Array<string | number>> = [];
    names.forEach((name, i) => {
      if (name === 'Altoona, PA') return; // dropped: unmatched on the published side
      let e = es[i];
      if (name === 'Akron, OH') e += 0.1;
      if (name === 'Abilene, TX') e -= 0.05;
      // "Albany, GA" renamed: unmatched both ways, with a suggestion.
      rows.push([e, name === 'Albany, GA' ? 'Albany GA' : name, bi[i] + 0.01]);
    });
    const file = writeCsvFile('msa-perturbed.csv', ['exposure_segregation', 'msa', 'bridging_index'], rows);
    const r = await runJson('--msa', file);
    const m = r.msa!;
    // 382 published - Altoona (dropped) - Albany, GA (renamed) = 380 matched.
    expect(m.matched).toBe(380);
    expect(m.unmatchedOurs).toEqual(['Albany GA']);
    expect(m.unmatchedPublished).toEqual(['Albany, GA', 'Altoona, PA']);
    expect(m.suggestions).toEqual({ 'Albany GA': ['Albany, GA'] });
    const [esCmp, biCmp] = m.columns;
    // ES: two rows changed by +0.1 and -0.05 among 380: MAE = 0.15 / 380; the rest identical.
    expect(esCmp.n).toBe(380);
    expect(esCmp.mae).toBeCloseTo(0.15 / 380, 12);
    expect(esCmp.identical).toBe(378);
    expect(esCmp.largest.map((d) => d.key)).toEqual(['Akron, OH', 'Abilene, TX']);
    expect(esCmp.largest[0].difference).toBeCloseTo(0.1, 12);
    expect(esCmp.largest[1].difference).toBeCloseTo(-0.05, 12);
    // BI: every value shifted by +0.01: a shift changes no correlation (r = rho = 1) and MAE = 0.01.
    expect(biCmp.pearson).toBeCloseTo(1, 10);
    expect(biCmp.spearman).toBeCloseTo(1, 10);
    expect(biCmp.mae).toBeCloseTo(0.01, 12);
    // The facts on our copy: 381 rows (Altoona dropped), "Albany GA" has no population row: 380 used.
    expect(r.facts.ours!.n).toBe(380);
    expect(r.facts.withoutPopulation.ours).toEqual(['Albany GA']);
    const text = await run('--msa', file);
    expect(text.stdout).toMatch(/Albany GA \(did you mean Albany, GA\?\)/);
  });

  it('county: reports the hand-computed MAE, missing cells and unmatched FIPS', async () => {
    const pub = await readSmallTable(publishedCounty);
    const fips = pub.text('fips_code');
    const names = pub.text('county_name');
    const raw = pub.text('exposure_segregation');
    const smoothed = pub.text('exposure_segregation_smoothed');
    const rows: string[][] = [];
    fips.forEach((f, i) => {
      if (f === '1003') return; // Baldwin County dropped
      let s = smoothed[i];
      if (f === '1001') s = '0.41'; // published 0.31: +0.1
      if (f === '1005') s = ''; // no smoothed value
      rows.push([raw[i], f, names[i], s]);
    });
    rows.push(['0.3', '99001', 'Nowhere County', '0.3']);
    const file = writeCsvFile('county-perturbed.csv', ['exposure_segregation', 'fips_code', 'county_name', 'exposure_segregation_smoothed'], rows);
    const r = await runJson('--county', file);
    const c = r.county!;
    expect(c.matched).toBe(2828);
    expect(c.unmatchedOurs).toEqual(['99001 Nowhere County']);
    expect(c.unmatchedPublished).toEqual(['1003 Baldwin County']);
    const [rawCmp, smCmp] = c.columns;
    expect([rawCmp.n, rawCmp.mae, rawCmp.pearson]).toEqual([2828, 0, 1]);
    // Smoothed: 2828 matched - Barbour (empty) = 2827 compared; one differs by 0.1: MAE = 0.1 / 2827.
    expect(smCmp.n).toBe(2827);
    expect(smCmp.missingOurs).toBe(1);
    expect(smCmp.mae).toBeCloseTo(0.1 / 2827, 12);
    expect(smCmp.identical).toBe(2826);
    expect(smCmp.largest.map((d) => d.label)).toEqual(['Autauga County (1001)']);
    expect(smCmp.largest[0].difference).toBeCloseTo(0.1, 12);
  });

  it('--against: the hand-worked four-MSA case (r = rho = 0.8, MAE = 0.05)', async () => {
    const against = join(dir, 'against');
    mkdirSync(against, { recursive: true });
    const four = ['Abilene, TX', 'Akron, OH', 'Albany, GA', 'Albany, OR'];
    writeFileSync(
      join(against, 'exposure-segregation-msa.csv'),
      'exposure_segregation,msa,bridging_index\n' + four.map((n, i) => `${(i + 1) / 10},"${n}",0.9`).join('\n') + '\n',
    );
    // published ES .1 .2 .3 .4; ours .1 .2 .4 .3 (see validate.test.ts for the arithmetic).
    const ours = writeCsvFile('four.csv', ['msa', 'exposure_segregation'], four.map((n, i) => [n, [0.1, 0.2, 0.4, 0.3][i]]));
    const r = await runJson('--msa', ours, '--against', against);
    const es = r.msa!.columns[0];
    expect(r.msa!.matched).toBe(4);
    expect(es.pearson).toBeCloseTo(0.8, 12);
    expect(es.spearman).toBeCloseTo(0.8, 12);
    expect(es.mae).toBeCloseTo(0.05, 12);
    expect(r.msa!.columnsMissing).toEqual(['bridging_index']);
  });
});

describe('mobiseg validate on bad input', () => {
  it('names duplicate MSA names and exits 2', async () => {
    const file = writeCsvFile('dup-msa.csv', ['msa', 'exposure_segregation'], [['Akron, OH', 0.5], ['Abilene, TX', 0.4], ['Akron, OH', 0.6]]);
    const r = await run('--msa', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duplicate MSA name in column "msa": "Akron, OH" \(rows 1, 3\)/);
  });

  it('exits 2 when no MSA name matches, with suggestions', async () => {
    const file = writeCsvFile('nomatch.csv', ['msa', 'exposure_segregation'], [['Akron OH', 0.5], ['Atlantis', 0.4]]);
    const r = await run('--msa', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no MSA name matches.*"Akron OH" \(did you mean "Akron, OH"\?\), "Atlantis"/);
  });

  it('names duplicate FIPS codes, and honours --col', async () => {
    const file = writeCsvFile('dup-fips.csv', ['fips', 'exposure_segregation'], [[1001, 0.3], [1003, 0.3], [1003, 0.2]]);
    const r = await run('--county', file, '--col', 'fips_code=fips');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duplicate FIPS code in column "fips": 1003 \(rows 2, 3\)/);
  });
});
