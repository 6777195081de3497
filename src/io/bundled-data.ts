/**
 * Paths of the data bundled with the package (data/ beside package.json), resolved from this module's
 * location, not the working directory, so they work from src/ (vitest, tsx) and from dist/src/ (compiled).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

/** The package root: the first folder above this module holding a package.json named "mobiseg". */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'mobiseg') return (cachedRoot = dir);
      } catch {
        // not ours (or unreadable): keep walking up
      }
    }
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`cannot find the mobiseg package root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Absolute path of a bundled data file, e.g. bundledDataPath('geo/county-centroids.csv'). */
export function bundledDataPath(relative: string): string {
  return join(packageRoot(), 'data', relative);
}

/** The bundled files this package's smoothing and validation use. */
export const BUNDLED = {
  countyCentroids: 'geo/county-centroids.csv',
  publishedCounty: 'published/exposure-segregation-county.csv',
  publishedMsa: 'published/exposure-segregation-msa.csv',
  cbsaPopulation: 'census/cbsa-population.csv',
} as const;

/**
 * A spec file as given, or a bundled one by name: resolveSimsPath('cities', 'default') ->
 * <package>/sims/cities/default.json, resolveSimsPath('scenarios', 'library') -> sims/scenarios/library.json.
 * A name that matches neither is returned as given, for the loader to report as unreadable.
 */
export function resolveSimsPath(kind: 'cities' | 'scenarios', nameOrPath: string): string {
  if (existsSync(nameOrPath)) return nameOrPath;
  if (/^[A-Za-z0-9_-]+$/.test(nameOrPath)) {
    const bundled = join(packageRoot(), 'sims', kind, `${nameOrPath}.json`);
    if (existsSync(bundled)) return bundled;
  }
  return nameOrPath;
}
