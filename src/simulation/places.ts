/**
 * Places of one MSA: how many per category (a power law in city size, the paper's mechanism: large
 * cities offer more, and more differentiated, places), where (near residents), and at what price
 * (correlated with the SES of the residents around them).
 */
import type { Rng } from '../math/random.js';
import { averageRanks } from '../math/stats.js';
import { standardiseInPlace } from './standardise.js';

/**
 * Places of a category in an MSA of P persons: max(1, round(placesPer10k * (P / 10,000)^exponent)).
 * exponent = 1 keeps places per person constant; exponent > 1 gives large cities more places per person
 * (urban scaling, Bettencourt et al. 2007 PNAS 104:7301), so their residents choose among more options.
 */
export function placesInCategory(placesPer10k: number, population: number, exponent: number): number {
  return Math.max(1, Math.round(placesPer10k * Math.pow(population / 10_000, exponent)));
}

/**
 * The choice set of an MSA relative to the reference size: k = (places / persons) / (sum of
 * places_per_10k / 10,000), its places per person over those of an MSA of 10,000 persons (k = 1 there;
 * with a places exponent e, k = (P / 10,000)^(e - 1) up to rounding).
 */
export function choiceSetRatio(counts: readonly number[], placesPer10k: readonly number[], persons: number): number {
  let places = 0;
  let reference = 0;
  for (const n of counts) places += n;
  for (const r of placesPer10k) reference += r;
  return places / persons / (reference / 10_000);
}

/**
 * The correlation of a price taste with own SES in an MSA with choice set k (choiceSetRatio):
 * min(1, rho * k^elasticity). elasticity 0 gives rho everywhere.
 */
export function tasteSesCorrelation(rho: number, choiceSet: number, elasticity: number): number {
  return elasticity === 0 ? rho : Math.min(1, rho * Math.pow(choiceSet, elasticity));
}

/** Price level 1-4 from a price position in (0, 1): quartiles, 1 + floor(4 p). */
export function priceLevelOf(position: number): number {
  return Math.min(4, 1 + Math.floor(4 * position));
}

export interface MsaPlaces {
  /** km east/north of the MSA centre. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Category index (into spec.categories). */
  readonly category: Int32Array;
  /** Tract index (into the MSA's layout) of the resident the place was anchored at; its county is the place's. */
  readonly tract: Int32Array;
  /** Price rank within (MSA, category), (rank - 0.5) / n in (0, 1). */
  readonly pricePosition: Float64Array;
  readonly priceLevel: Int32Array;
}

export interface PlaceInputs {
  readonly counts: readonly number[];
  /** Home of each person of the MSA, km, and their tract. */
  readonly homeX: Float64Array;
  readonly homeY: Float64Array;
  readonly personTract: Int32Array;
  /** Mean standardised log SES of each tract's residents. */
  readonly tractMeanZ: Float64Array;
  /** Sd (km) of the Gaussian offset of a place from the home it is anchored at. */
  readonly jitterKm: number;
  /** Correlation c of a place's latent price with the standardised mean SES of its tract. */
  readonly priceLocalSesCorrelation: number;
}

/**
 * Generate an MSA's places, category by category. Each place is anchored at the home of a resident drawn
 * uniformly (so places follow population) plus a N(0, jitter^2) offset per coordinate. Its latent price is
 * c * zLocal + sqrt(1 - c^2) * e, e ~ N(0, 1), where zLocal is its tract's mean SES score standardised over
 * the category's places; price positions are the ranks of the latent prices within the category.
 */
export function generateMsaPlaces(input: PlaceInputs, rng: Rng): MsaPlaces {
  const total = input.counts.reduce((a, b) => a + b, 0);
  const nPersons = input.homeX.length;
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  const category = new Int32Array(total);
  const tract = new Int32Array(total);
  const pricePosition = new Float64Array(total);
  const priceLevel = new Int32Array(total);
  const c = input.priceLocalSesCorrelation;
  const noiseWeight = Math.sqrt(Math.max(0, 1 - c * c));
  let offset = 0;
  input.counts.forEach((n, cat) => {
    const local = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = rng.int(nPersons);
      const p = offset + k;
      x[p] = input.homeX[i] + input.jitterKm * rng.normal();
      y[p] = input.homeY[i] + input.jitterKm * rng.normal();
      category[p] = cat;
      tract[p] = input.personTract[i];
      local[k] = input.tractMeanZ[tract[p]];
    }
    standardiseInPlace(local);
    const latent = new Float64Array(n);
    for (let k = 0; k < n; k++) latent[k] = c * local[k] + noiseWeight * rng.normal();
    const ranks = averageRanks(latent);
    for (let k = 0; k < n; k++) {
      pricePosition[offset + k] = (ranks[k] - 0.5) / n;
      priceLevel[offset + k] = priceLevelOf(pricePosition[offset + k]);
    }
    offset += n;
  });
  return { x, y, category, tract, pricePosition, priceLevel };
}
