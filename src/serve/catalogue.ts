/**
 * What the planner page offers: the bundled cities (sims/cities) and scenarios (sims/scenarios), and
 * the runs' inputs found in the allowed data folders (`--data DIR`): every folder, the data folder
 * itself or up to two levels below it, holding a persons and a visits table (persons.csv, .csv.gz,
 * .arrow, .parquet; places beside them when there). Hidden folders and node_modules are skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { packageRoot } from '../io/bundled-data.js';

/** A base a scenario can start from, as the page lists it. */
export interface CityChoice {
  /** stable id within one server: "city:<name>" or "data:<folder index>:<relative folder>" */
  id: string;
  label: string;
  description: string;
  /** the scenario's `base` for it */
  base: { city: string } | { persons: string; visits: string; places?: string };
}

export interface BundledScenario {
  /** file name without .json (what `mobiseg scenario NAME` takes) */
  file: string;
  name: string;
  description: string;
  /** the file's JSON as written (defaults not filled in) */
  json: unknown;
}

const TABLE_EXTENSIONS = ['csv', 'csv.gz', 'arrow', 'parquet'];
const SCAN_DEPTH = 2;

function bundledFolder(kind: 'cities' | 'scenarios'): string {
  return join(packageRoot(), 'sims', kind);
}

function jsonFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function readJson(file: string): Record<string, unknown> {
  const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The bundled city names (sims/cities/<name>.json). */
export function bundledCityNames(): string[] {
  return jsonFiles(bundledFolder('cities')).map((f) => basename(f, '.json'));
}

export function bundledCities(): CityChoice[] {
  return jsonFiles(bundledFolder('cities')).map((f) => {
    const name = basename(f, '.json');
    const spec = readJson(join(bundledFolder('cities'), f));
    return { id: `city:${name}`, label: `${name} (bundled synthetic city)`, description: text(spec.description), base: { city: name } };
  });
}

export function bundledScenarios(): BundledScenario[] {
  return jsonFiles(bundledFolder('scenarios')).map((f) => {
    const json = readJson(join(bundledFolder('scenarios'), f));
    return { file: basename(f, '.json'), name: text(json.name) || basename(f, '.json'), description: text(json.description), json };
  });
}

/** The table `stem` in `folder` (first of the known extensions), or null. */
function tableIn(folder: string, files: Set<string>, stem: string): string | null {
  for (const ext of TABLE_EXTENSIONS) if (files.has(`${stem}.${ext}`)) return join(folder, `${stem}.${ext}`);
  return null;
}

/** The data sets in the allowed data folders (absolute, symbolic links followed). */
export function dataSets(dataDirs: readonly string[]): CityChoice[] {
  const out: CityChoice[] = [];
  dataDirs.forEach((root, k) => {
    const visit = (folder: string, depth: number) => {
      let entries;
      try {
        entries = readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      const files = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
      const persons = tableIn(folder, files, 'persons');
      const visits = tableIn(folder, files, 'visits');
      if (persons && visits) {
        const places = tableIn(folder, files, 'places');
        const rel = relative(root, folder) || '.';
        out.push({
          id: `data:${k}:${rel}`,
          label: `${folder} (data)`,
          description: `persons, visits${places ? ' and places' : ''} in ${folder}`,
          base: { persons, visits, ...(places ? { places } : {}) },
        });
      }
      if (depth >= SCAN_DEPTH) return;
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') visit(join(folder, e.name), depth + 1);
    };
    visit(root, 0);
  });
  return out;
}
