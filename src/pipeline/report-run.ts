/**
 * report.html for an output folder: read whichever of its tables exist (msa.csv, county.csv,
 * comparison.csv, calibration.csv, scenario.csv, scenario-places.csv, manifest.json), add the bundled
 * published MSAs and their populations, draw the page (src/report/html) and write it atomically.
 * `mobiseg run` and `calibrate` call this last; `mobiseg report DIR` redraws a folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { InputError } from '../io/errors.js';
import { readSmallTable, type SmallTable } from '../io/small-table.js';
import { BUNDLED, bundledDataPath } from '../io/bundled-data.js';
import { POPULATION_COLUMN, readPopulation } from '../validate/validate-files.js';
import type { ManifestJson, PublishedMsas, ReportData } from '../report/html/report-data.js';
import { renderReportHtml, reportParts } from '../report/html/render-report.js';

export const REPORT_FILE = 'report.html';

/** The files a report is drawn from, by their part of ReportData. */
export const REPORT_SOURCES = {
  msa: 'msa.csv',
  county: 'county.csv',
  comparison: 'comparison.csv',
  calibration: 'calibration.csv',
  scenario: 'scenario.csv',
  scenarioPlaces: 'scenario-places.csv',
  manifest: 'manifest.json',
} as const;

type TableKey = Exclude<keyof typeof REPORT_SOURCES, 'manifest'>;

/** The bundled published MSAs with their populations (data/published, data/census). */
export async function readPublishedMsas(): Promise<PublishedMsas> {
  const table = await readSmallTable(bundledDataPath(BUNDLED.publishedMsa));
  const population = await readPopulation(bundledDataPath(BUNDLED.cbsaPopulation));
  const names = table.text('msa').map((s) => s.trim());
  return {
    names,
    es: table.numbers('exposure_segregation', { allowMissing: true }),
    bi: table.numbers('bridging_index', { allowMissing: true }),
    population: Float64Array.from(names, (n) => population.get(n) ?? NaN),
    populationColumn: POPULATION_COLUMN,
  };
}

function readManifest(file: string): ManifestJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`, file);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError(`${file}: expected a JSON object (a mobiseg manifest)`, file);
  return parsed as ManifestJson;
}

/**
 * The data of a folder's report. `manifest` stands in for manifest.json when a command draws its
 * report before writing the manifest (it is normalised through JSON, so the page is the one that
 * manifest.json will give).
 */
export async function readReportData(outDir: string, options: { manifest?: object } = {}): Promise<ReportData> {
  if (!existsSync(outDir)) throw new InputError(`${outDir}: no such folder (give an output folder of mobiseg run, calibrate or scenario)`, outDir);
  if (!statSync(outDir).isDirectory()) throw new InputError(`${outDir} is not a folder (give an output folder of mobiseg run, calibrate or scenario)`, outDir);
  const tables: Partial<Record<TableKey, SmallTable>> = {};
  for (const key of Object.keys(REPORT_SOURCES) as Array<keyof typeof REPORT_SOURCES>) {
    if (key === 'manifest') continue;
    const file = join(outDir, REPORT_SOURCES[key]);
    if (existsSync(file)) tables[key] = await readSmallTable(file);
  }
  const manifestFile = join(outDir, REPORT_SOURCES.manifest);
  const manifest = options.manifest ? (JSON.parse(JSON.stringify(options.manifest)) as ManifestJson) : existsSync(manifestFile) ? readManifest(manifestFile) : undefined;
  if (Object.keys(tables).length === 0 && !manifest) {
    throw new InputError(`${outDir}: nothing to draw a report from: none of ${Object.values(REPORT_SOURCES).join(', ')} is there (is it an output folder of mobiseg run, calibrate or scenario?)`, outDir);
  }
  return { ...tables, manifest, published: await readPublishedMsas() };
}

export interface WrittenReport {
  readonly file: string;
  /** ids of the charts drawn, in page order */
  readonly charts: string[];
}

/** Draw and write <outDir>/report.html. */
export async function writeReport(outDir: string, options: { manifest?: object } = {}): Promise<WrittenReport> {
  const data = await readReportData(outDir, options);
  const html = await renderReportHtml(data);
  const file = join(outDir, REPORT_FILE);
  writeFileAtomic(file, html);
  return { file, charts: reportParts(data).flatMap((p) => (p.kind === 'figure' ? [p.figure.id] : [])) };
}
