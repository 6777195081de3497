/**
 * The input stage of a mobility run: persons, optional places, and visits or pair encounters, read
 * and validated (SPEC section 1), with every file described for the manifest. Without inputs, the
 * bundled default synthetic city is generated into <out>/city and read back through the same loaders.
 */
import { join } from 'node:path';
import { loadPersons } from '../io/load-persons.js';
import { loadPlaces, placesFromIds, type PlaceTable } from '../io/load-places.js';
import { loadVisits, type VisitColumns } from '../io/load-visits.js';
import { loadEncounters, type PairColumns } from '../io/load-encounters.js';
import { loadPersonStats } from '../io/load-person-stats.js';
import { checkInMemoryFit, checkPersonStatsFit } from './memory-fit.js';
import { IdIndex } from '../io/id-index.js';
import { UsageError } from '../io/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { FORMAT_EXTENSION, writeTable } from '../io/table-writer.js';
import type { TableFormat } from '../io/table-source.js';
import { describeInput, type InputRecord } from './manifest.js';
import type { Progress } from '../estimate/progress.js';
import { loadCitySpec } from '../simulation/city-spec.js';
import { generateCity } from '../simulation/generate-city.js';
import { packageRoot } from '../io/bundled-data.js';
import { worldFromPersonStats, type World } from '../estimate/world.js';

export interface InputPaths {
  persons?: string;
  places?: string;
  visits?: string;
  encounters?: string;
  /** per-person statistics (instead of persons + visits or encounters) */
  personStats?: string;
}

/** A world read from files, with each file described for the manifest. */
export interface MobilityInputs extends World {
  records: InputRecord[];
  /** the synthetic city used when no inputs were given */
  city: { spec: string; seed: number | string; dir: string } | null;
}

export interface InputOptions {
  remap?: Record<string, string>;
  dropInvalid?: boolean;
  /** CSV field delimiter (default ",") */
  delimiter?: string;
  progress: Progress;
  /** memory the run may use, for the check that visits or pairs fit (default: the machine's) */
  memoryBytes?: number;
}

/** Generate a city from a spec file into dir (persons, places, visits, city.json); returns the paths. */
export async function writeCityFiles(specPath: string, dir: string, format: TableFormat, seed?: number | string): Promise<Required<Pick<InputPaths, 'persons' | 'places' | 'visits'>> & { seed: number | string }> {
  let spec = loadCitySpec(specPath);
  if (seed !== undefined) spec = { ...spec, seed };
  const city = generateCity(spec, spec.seed);
  const ext = FORMAT_EXTENSION[format];
  const paths = { persons: join(dir, `persons.${ext}`), places: join(dir, `places.${ext}`), visits: join(dir, `visits.${ext}`) };
  await writeTable(paths.persons, city.persons, format);
  await writeTable(paths.places, city.places, format);
  await writeTable(paths.visits, city.visits, format);
  writeFileAtomic(join(dir, 'city.json'), JSON.stringify(spec, null, 2) + '\n');
  return { ...paths, seed: spec.seed };
}

export function defaultCitySpecPath(): string {
  return join(packageRoot(), 'sims', 'cities', 'default.json');
}

export async function loadMobilityInputs(paths: InputPaths, outDir: string, options: InputOptions): Promise<MobilityInputs> {
  const { progress } = options;
  if (paths.personStats) return loadPersonStatsInputs(paths, options);
  let city: MobilityInputs['city'] = null;
  let p = paths;
  if (!paths.persons && !paths.visits && !paths.encounters) {
    const spec = defaultCitySpecPath();
    const dir = join(outDir, 'city');
    progress.note(`no inputs given: generating the bundled default city (${spec}) into ${dir}`);
    const written = await writeCityFiles(spec, dir, 'arrow');
    p = written;
    city = { spec, seed: written.seed, dir };
  }
  if (!p.persons) throw new UsageError('--persons is required with --visits or --encounters');
  if (!p.visits && !p.encounters) throw new UsageError('give --visits or --encounters (or no inputs at all, for the bundled default city)');
  if (p.visits && p.encounters) throw new UsageError('give either --visits or --encounters, not both');

  // before anything is loaded: stop early, naming the SQL route, when the input cannot fit
  if (!city) await checkInMemoryFit(p.visits ?? p.encounters!, p.visits ? 'visits' : 'encounters', p.persons, options.memoryBytes);
  const load = { remap: options.remap, dropInvalid: options.dropInvalid, delimiter: options.delimiter, onWarning: (m: string) => progress.warn(m) };
  progress.note(`reading persons ${p.persons}`);
  const persons = await loadPersons(p.persons, load);
  const records: InputRecord[] = [await describeInput('persons', p.persons, persons.rowsRead, persons.dropped)];
  let places: PlaceTable;
  if (p.places) {
    places = await loadPlaces(p.places, load);
    records.push(await describeInput('places', p.places, places.rowsRead, places.dropped));
  } else {
    places = placesFromIds(new IdIndex());
  }
  let visits: VisitColumns | null = null;
  let pairs: PairColumns | null = null;
  if (p.visits) {
    progress.start(`reading visits`, 1000);
    visits = await loadVisits(p.visits, persons.ids, places.ids, { ...load, placesFixed: p.places !== undefined, onProgress: (f) => progress.update(Math.round(1000 * f)) });
    progress.stop();
    records.push(await describeInput('visits', p.visits, visits.rowsRead, visits.dropped));
  } else {
    progress.start(`reading encounters`, 1000);
    pairs = await loadEncounters(p.encounters!, persons.ids, places.ids, { ...load, placesFixed: p.places !== undefined, onProgress: (f) => progress.update(Math.round(1000 * f)) });
    progress.stop();
    records.push(await describeInput('encounters', p.encounters!, pairs.rowsRead, pairs.dropped));
  }
  if (!p.places) places = placesFromIds(places.ids);
  return { persons, places, visits, pairs, records, city };
}

/** A world of per-person statistics only (`run --person-stats`): no visits, pairs or places. */
async function loadPersonStatsInputs(paths: InputPaths, options: InputOptions): Promise<MobilityInputs> {
  const other = (['persons', 'visits', 'encounters', 'places'] as const).filter((k) => paths[k] !== undefined);
  if (other.length > 0) {
    throw new UsageError(`--person-stats holds the persons and their encounter statistics: give it without ${other.map((k) => `--${k}`).join(', ')}`);
  }
  const file = paths.personStats!;
  await checkPersonStatsFit(file, options.memoryBytes);
  options.progress.note(`reading per-person statistics ${file}`);
  const personStats = await loadPersonStats(file, { remap: options.remap, delimiter: options.delimiter });
  const records = [await describeInput('person-stats', file, personStats.persons.rowsRead, personStats.persons.dropped)];
  return { ...worldFromPersonStats(personStats), records, city: null };
}
