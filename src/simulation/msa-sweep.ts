/**
 * A synthetic counterpart of the 382 published MSAs (SPEC section 9, "across 382 simulated MSAs sized
 * like the real ones, scaled down"): one simulated MSA per real one, with
 *   persons = round(smallest * (population / smallest population)^exponent),
 * every behavioural law taken unchanged from a base city spec. exponent 1 scales every MSA by the same
 * factor; an exponent below 1 compresses the range (the real one spans 55,000 to 20 million, 360-fold),
 * so that the smallest MSAs still have enough persons and places to estimate ES while the largest stay
 * affordable. log(persons) is then an affine function of log(population), so correlations with log
 * population are the same whichever scale is used. The real population is kept
 * as `reference_population` (used only to pick "the ten largest" and "under 100,000" when comparing with
 * the published size gradient); nothing about a city's published ES or BI enters the spec.
 */
import type { CitySpec, MsaSpec } from './city-spec.js';

export interface RealMsa {
  /** CBSA title as published, e.g. "Abilene, TX". */
  readonly title: string;
  /** Census population the simulated MSA is scaled from. */
  readonly population: number;
}

/** FIPS state code given to the synthetic counties (80-99 are assigned to no state or territory). */
const SWEEP_STATE_FIPS = 93;
/** Simulated MSAs are laid out on a grid of this many columns, GRID_STEP degrees apart. */
const GRID_COLUMNS = 20;
const GRID_STEP = 2;

/** "Synthetic Abilene, TX": a title that keeps the real name readable but never joins with a published row. */
export function syntheticTitle(title: string): string {
  return `Synthetic ${title}`;
}

export interface SweepScaling {
  /** Persons of the simulated counterpart of the smallest real MSA. */
  readonly smallestPersons: number;
  /** Exponent of the size mapping (1: every MSA scaled by the same factor). */
  readonly exponent: number;
}

/**
 * The spec of a sweep city: `base` with its MSAs replaced by one per real MSA (largest first), sized by
 * `scaling` (see the module comment), each in one county (FIPS 93001, 93003, ...), centred on a grid 2
 * degrees apart so that no two MSAs overlap.
 */
export function msaSweepSpec(base: CitySpec, real: readonly RealMsa[], scaling: SweepScaling, name: string, description: string): CitySpec {
  const { smallestPersons, exponent } = scaling;
  if (!(exponent > 0 && exponent <= 1)) throw new RangeError(`exponent must be in (0, 1], got ${exponent}`);
  if (!(Number.isInteger(smallestPersons) && smallestPersons >= 2)) throw new RangeError(`smallestPersons must be an integer >= 2, got ${smallestPersons}`);
  if (real.length === 0) throw new RangeError('no MSAs to simulate');
  if (real.length > 499) throw new RangeError(`at most 499 MSAs fit the synthetic state's county codes, got ${real.length}`);
  const smallest = Math.min(...real.map((m) => m.population));
  const ordered = [...real].sort((a, b) => b.population - a.population || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  const msas: MsaSpec[] = ordered.map((msa, i) => {
    const fips = SWEEP_STATE_FIPS * 1000 + 2 * i + 1;
    const place = msa.title.split(',')[0].split('-')[0].trim();
    return {
      name: syntheticTitle(msa.title),
      population: Math.round(smallestPersons * Math.pow(msa.population / smallest, exponent)),
      reference_population: msa.population,
      center_lat: 20 + GRID_STEP * Math.floor(i / GRID_COLUMNS),
      center_lon: -130 + GRID_STEP * (i % GRID_COLUMNS),
      counties: [{ fips, name: `${place} County`, share: 1 }],
    };
  });
  return { ...base, name, description, msas };
}
