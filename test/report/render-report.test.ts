/**
 * report.html's renderer on small hand-made tables: one mark per row with finite values in every
 * chart, the published MSAs behind only when names match (or on calibrate), every text escaped, the
 * same bytes for the same data, nothing that loads or runs.
 */
import { describe, it, expect } from 'vitest';
import { renderReportHtml, reportParts } from '../../src/report/html/render-report.js';
import type { PublishedMsas, ReportData } from '../../src/report/html/report-data.js';
import { sizeFit } from '../../src/report/html/chart-es-size.js';
import { placeRows, scenarioRows } from '../../src/report/html/scenario-rows.js';
import { smallTableOf } from '../../src/io/small-table.js';
import { figureHtml, symbolMarks, tableOf } from './helpers.js';
import { PLACES_CSV, SCENARIO_CSV, SCENARIO_MANIFEST } from './scenario-fixture.js';

/** Three published MSAs, one without BI (so 2 drawn on ES-BI), one without population (2 on size). */
const published: PublishedMsas = {
  names: ['Akron, OH', 'Albany, GA', 'Abilene, TX'],
  es: Float64Array.from([0.55, 0.4, 0.44]),
  bi: Float64Array.from([0.65, 0.79, NaN]),
  population: Float64Array.from([704367, NaN, 170516]),
  populationColumn: 'pop_2017',
};

const EVIL = '<script>alert("x")</script> & Co';

function msaTable(names: string[]) {
  return tableOf('msa.csv', {
    exposure_segregation: [0.44, 0.47, NaN, 0.3],
    msa: names,
    bridging_index: [0.95, 0.92, 0.9, NaN],
    n_residents: [6000, 14000, 900, 60000],
    res_dissimilarity_low: [0.58, 0.59, 0.6, NaN],
    res_nsi: [0.76, 0.77, 0.7, 0.8],
    note: ['', '', 'fewer than 10 persons', ''],
  });
}

const warnings: string[] = [];
const render = (data: ReportData) => renderReportHtml(data, { onWarning: (w) => warnings.push(w) });

describe('report.html charts', () => {
  it('ES against BI: one mark per MSA with both values; published in grey only when names match', async () => {
    const synthetic = await render({ msa: msaTable(['Riverton, XN', 'Springfield, XS', 'Tiny, XT', 'Big, XB']), published });
    // rows 1, 2 have ES and BI; row 3 lacks ES, row 4 lacks BI
    expect(symbolMarks(synthetic, 'es-bi')).toEqual({ points_es_bi: 2 });
    expect(figureHtml(synthetic, 'es-bi')).toContain('match no published MSA');

    const real = await render({ msa: msaTable(['Akron, OH', 'Springfield, XS', 'Tiny, XT', 'Big, XB']), published });
    expect(symbolMarks(real, 'es-bi')).toEqual({ published_es_bi: 2, points_es_bi: 2 });

    // a calibration compares simulated MSAs ("Synthetic ...") with the published ones whatever their names
    const calibration = tableOf('calibration.csv', { fact: ['median ES'], paper: [0.35], published: [0.35], simulated: [0.33] });
    const calibrated = await render({ msa: msaTable(['Synthetic Akron, OH', 'b', 'c', 'd']), calibration, published });
    expect(symbolMarks(calibrated, 'es-bi')).toEqual({ published_es_bi: 2, points_es_bi: 2 });
    expect(calibrated).toContain('<h1>mobiseg calibration report</h1>');
  });

  it('ES against size: one mark per MSA with ES and residents, the published panel, each with its line on log size', async () => {
    const html = await render({ msa: msaTable(['a', 'b', 'c', 'd']), published });
    // rows 1, 2, 4 have ES and a size; Albany has no population
    expect(symbolMarks(html, 'es-size')).toEqual({ points_es_size: 3, published_es_size: 2 });
    expect(figureHtml(html, 'es-size')).toContain('class="mark-line role-mark fit_run_es_size_marks"');
    expect(figureHtml(html, 'es-size')).toContain('class="mark-line role-mark fit_published_es_size_marks"');
    // the line: ES = 0.1 + 0.1 log10(size) through (10, 0.2), (100, 0.3), (1000, 0.4)
    const fit = sizeFit([10, 100, 1000].map((size, k) => ({ size, es: 0.2 + 0.1 * k })));
    expect(fit.slope).toBeCloseTo(0.1, 12);
    expect(fit.intercept).toBeCloseTo(0.1, 12);
    expect(fit.ends.map((e) => [e.size, e.es])).toEqual([
      [10, expect.closeTo(0.2, 12)],
      [1000, expect.closeTo(0.4, 12)],
    ]);
    // published: ES 0.55 at 704,367 and 0.44 at 170,516: slope (0.55 - 0.44) / log10(704367 / 170516)
    const slope = (0.55 - 0.44) / Math.log10(704367 / 170516);
    expect(figureHtml(html, 'es-size')).toContain(`ES changes by +${slope.toFixed(3)} per tenfold size`);
  });

  it('residential against ES: one panel per index, one mark per area with both values, the correlation from comparison.csv', async () => {
    const comparison = tableOf('comparison.csv', {
      level: ['msa', 'msa'],
      index: ['res_dissimilarity_low', 'res_nsi'],
      n_es: [2, 3],
      pearson_es: [0.94, -0.5],
      spearman_es: [0.77, -0.5],
    });
    const html = await render({ msa: msaTable(['a', 'b', 'c', 'd']), comparison, published });
    // dissimilarity: rows 1, 2 (row 3 lacks ES, row 4 the index); NSI: rows 1, 2, 4
    expect(symbolMarks(html, 'residential-msa')).toEqual({ points_res_msa_1: 2, points_res_msa_2: 3 });
    const fig = figureHtml(html, 'residential-msa')!;
    expect(fig).toContain('res_dissimilarity_low, r = 0.94');
    expect(fig).toContain('res_nsi, r = \u22120.50');
    expect(fig).toContain('dissimilarity, lower half \u03c1 = 0.77');
    expect(figureHtml(html, 'residential-county')).toBeNull();
  });

  it('county dot map: one dot per county with a centroid and a value, smoothed when county.csv has it', async () => {
    const county = tableOf('county.csv', {
      exposure_segregation: [0.46, 0.18, 0.54, 0.06],
      fips_code: [91001, 91003, 91005, 91007],
      county_name: ['Adams County', EVIL, 'Clark County', 'Dale County'],
      exposure_segregation_smoothed: [0.4, 0.29, NaN, 0.24],
      centroid_lon: [-100, -100.05, -99.99, NaN],
      centroid_lat: [40, 40.03, 39.95, 40.02],
    });
    const html = await render({ county, published });
    // Clark has no smoothed value, Dale no centroid
    expect(symbolMarks(html, 'county-map')).toEqual({ points_county_map: 2 });
    expect(figureHtml(html, 'county-map')).toContain('exposure_segregation_smoothed');
    const raw = await render({ county: tableOf('county.csv', { ...Object.fromEntries(['exposure_segregation', 'fips_code', 'centroid_lon', 'centroid_lat'].map((c) => [c, county.text(c)])), exposure_segregation_smoothed: ['', '', '', ''] }), published });
    expect(symbolMarks(raw, 'county-map')).toEqual({ points_county_map: 3 });
    expect(figureHtml(raw, 'county-map')).toContain('coloured by ES (county.csv column exposure_segregation)');
  });

  it('scenario: forest plot marks per level and measure, places per MSA map, the top places table', async () => {
    const scenario = smallTableOf('scenario.csv', ...csvColumns(SCENARIO_CSV));
    const scenarioPlaces = smallTableOf('scenario-places.csv', ...csvColumns(PLACES_CSV));
    const html = await render({ scenario, scenarioPlaces, manifest: SCENARIO_MANIFEST, published });
    const rows = scenarioRows(scenario);
    const finite = (level: string, measure: string) => rows.filter((r) => r.level === level && r.measure === measure && Number.isFinite(r.delta)).length;
    expect(finite('county', 'es')).toBe(2); // Clark County's ES delta is missing
    expect(symbolMarks(html, 'scenario-forest-msa')).toEqual({ points_forest_msa_es: finite('msa', 'es'), points_forest_msa_bi: finite('msa', 'bi') });
    expect(symbolMarks(html, 'scenario-forest-county')).toEqual({ points_forest_county_es: 2, points_forest_county_bi: 3 });
    // 14 places, one without lat/lon; Riverton first (sorted), 5 there, 8 in Springfield
    const places = placeRows(scenarioPlaces);
    expect(places.filter((p) => Number.isFinite(p.lat)).length).toBe(13);
    expect(symbolMarks(html, 'scenario-places')).toEqual({ points_scenario_places_1: 5, points_scenario_places_2: 8 });
    // the hub is a diamond (vega's diamond path: left vertex, then top), with its hover title
    const riverton = figureHtml(html, 'scenario-places')!.match(/role-mark points_scenario_places_1_marks.*?<\/g>/s)![0];
    expect(riverton.match(/d="M-[0-9.]+,0L0,-/g)).toHaveLength(1);
    expect(riverton).toContain('<title>hub-1 (library, added; Riverton, XN): 821 visits, cross-income encounters +310.4</title>');
    expect(html).toContain('<h1>mobiseg scenario report</h1>');
    // no boundary fit in the fixture: no warning; one seed on the boundary in Riverton: named in the caption
    const warning = /on the boundary tau² = 0 in some seeds/;
    expect(figureHtml(html, 'scenario-forest-msa')).not.toMatch(warning);
    const withBoundary = SCENARIO_CSV + 'msa,"Riverton, XN","Riverton, XN",boundary_fit,20,0,0,0,0,0,1,0,0,1,false\n';
    const bhtml = await render({ scenario: smallTableOf('scenario.csv', ...csvColumns(withBoundary)), published });
    expect(figureHtml(bhtml, 'scenario-forest-msa')).toMatch(/the fit of Riverton, XN is on the boundary tau² = 0 in some seeds/);
    expect(html).toContain('the top 14 places');
    expect(html).toContain('hub-1 (added)');
    expect(html).toContain('0.439 [0.431, 0.447]');
    expect(html).toContain('\u22120.038 [\u22120.047, \u22120.029]');
    // the resolved scenario JSON, escaped
    expect(html).toContain('&quot;between-communities&quot;');
    // the scenario comes first on a scenario's page
    expect(reportParts({ scenario, scenarioPlaces, manifest: SCENARIO_MANIFEST, published }).map((p) => (p.kind === 'figure' ? p.figure.id : p.id))).toEqual([
      'scenario-forest-msa',
      'scenario-forest-county',
      'scenario-places',
      'scenario-top-places',
      'scenario-table',
      'notes',
      'manifest',
    ]);
  });

  it('escapes every text it puts into the page (tables, captions, SVG text and tooltips, manifest)', async () => {
    const manifest = { command: 'run', created: '2026-01-01T00:00:00Z', inputs: [{ role: 'persons', path: `/tmp/${EVIL}.csv`, bytes: 10, rowsRead: 2, sha256: 'ab'.repeat(32), dropped: {} }], options: { note: EVIL } };
    const html = await render({ msa: msaTable([EVIL, 'b', 'c', 'd']), manifest, published });
    expect(html).not.toContain('<script');
    expect(html).not.toContain(EVIL);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'); // table cells, manifest
    // the label (a text node, where " needs no escape) and the hover title of its dot
    expect(figureHtml(html, 'es-bi')).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; Co</text>');
    expect(figureHtml(html, 'es-bi')).toContain('<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co (this run): ES 0.440, BI 0.950</title>');
    expect(html).toContain('abababababab…'); // the first 12 hex digits of the hash
  });

  it('gives the same bytes for the same data, whatever was drawn before, with nothing that loads or runs', async () => {
    const data: ReportData = { msa: msaTable(['Akron, OH', 'b', 'c', 'd']), county: tableOf('county.csv', { exposure_segregation: [0.4, 0.5], fips_code: [1, 2], exposure_segregation_smoothed: [0.41, 0.49], centroid_lon: [-100, -99], centroid_lat: [40, 41] }), published };
    const first = await render(data);
    await render({ scenario: smallTableOf('scenario.csv', ...csvColumns(SCENARIO_CSV)), published }); // moves vega's id counters
    expect(await render(data)).toBe(first);
    // ids unique on the page (vega's gradient and clip ids renamed per chart)
    const ids = [...first.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of first.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
    expect(first).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|href="(?!#)|url\((?!#)|@import/);
    expect(warnings).toEqual([]);
  });

  it('draws no chart for a folder without the data of any, and says nothing it does not have', async () => {
    const html = await render({ manifest: { command: 'run', created: '2026-01-01T00:00:00Z' }, published });
    expect(html).not.toContain('<figure');
    expect(html).toContain('How this was made');
    expect(reportParts({ manifest: {}, published }).map((p) => (p.kind === 'figure' ? p.figure.id : p.id))).toEqual(['notes', 'manifest']);
  });
});

/** A CSV text (no quoted newlines) as smallTableOf's arguments, splitting fields with quotes. */
function csvColumns(text: string): [string[], Map<string, string[]>, number] {
  const lines = text.trim().split('\n').map((l) => [...l.matchAll(/("([^"]*)"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[2] ?? m[1]));
  const names = lines[0];
  const cells = new Map(names.map((n, c) => [n, lines.slice(1).map((r) => r[c])]));
  return [names, cells, lines.length - 1];
}
