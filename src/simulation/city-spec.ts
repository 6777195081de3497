/**
 * The synthetic city specification (SPEC section 9): a JSON file validated with zod. Every field is a
 * generic behavioural or geographic law shared by all MSAs of the file; nothing is set per city from a
 * target value (ES, BI). Per-MSA fields are only what a census would give (name, population, counties),
 * plus an optional residential-sorting override for sweeps.
 *
 * Field reference and the model in words: sims/cities/README.md.
 */
import { z } from 'zod';
import { UsageError } from '../io/errors.js';
import { parseJsonSpec, readJsonFile } from '../io/json-spec.js';

const probability = z.number().min(0).max(1);
const positive = z.number().positive();

const categorySchema = z.strictObject({
  /** Category label written to places.category. */
  name: z.string().min(1),
  /** Places of this category per 10,000 persons at the reference size (10,000 persons); see scaling. */
  places_per_10k: positive,
  /** Relative share of visits going to this category (normalised over categories). */
  visit_weight: positive,
  /** Opening hours in local hours [open_hour, close_hour): visit starts fall inside. */
  open_hour: z.number().int().min(0).max(23),
  close_hour: z.number().int().min(1).max(24),
  /** Dwell time is log-normal: median (minutes) and sd of its logarithm. */
  dwell_median_minutes: positive,
  dwell_log_sd: z.number().min(0).max(3),
  /** Multiplier of mobility.ses_price_affinity for this category (0: price plays no role, e.g. parks). */
  price_affinity: z.number().min(0).default(1),
  /** Overrides scaling.places_exponent for this category (e.g. restaurants more superlinear than groceries). */
  places_exponent: z.number().min(0.5).max(2).optional(),
});

const countySchema = z.strictObject({
  /** 5-digit county FIPS (2-digit state + 3-digit county) as an integer. Use state codes 90-99: never assigned. */
  fips: z.number().int().min(1000).max(99999),
  name: z.string().min(1),
  /** Share of the MSA's persons living in the county (shares of an MSA sum to 1). */
  share: z.number().positive().max(1),
  /** Number of tracts; default round(persons in county / geography.persons_per_tract), at least 1. */
  tracts: z.number().int().positive().optional(),
});

const msaSchema = z.strictObject({
  /** CBSA-style title "Name, ST" with a fictional two-letter state code (never a real CBSA title). */
  name: z.string().regex(/^[^,]+, [A-Z]{2}(-[A-Z]{2})*$/, 'expected a CBSA-style title like "Springfield, XS"'),
  /** Persons generated for this MSA. */
  population: z.number().int().min(2).max(5_000_000),
  /** Population of the real MSA this one is scaled from (msa-sweep.ts); documentation for comparisons, never used by the generator. */
  reference_population: z.number().int().positive().optional(),
  /** Centre of the MSA's disk in degrees; default: MSAs placed 3 degrees of longitude apart along 40N. */
  center_lat: z.number().min(-75).max(75).optional(),
  center_lon: z.number().min(-180).max(180).optional(),
  counties: z.array(countySchema).min(1),
  /** Overrides the file's residential_sorting for this MSA (for sweeps; never set from a target). */
  residential_sorting: probability.optional(),
});

const hourlyProfileDefault = [
  0.05, 0.02, 0.01, 0.01, 0.02, 0.1, 0.4, 0.8, 1.1, 1.2, 1.3, 1.5, 1.9, 1.7, 1.3, 1.3, 1.4, 1.7, 1.9, 1.7, 1.2, 0.8, 0.4, 0.15,
];

export const citySpecSchema = z
  .strictObject({
    name: z.string().default('city'),
    description: z.string().optional(),
    /** Default seed (the CLI's --seed overrides it). */
    seed: z.union([z.number().int(), z.string().min(1)]),
    /** Epoch seconds of local midnight of day 0 (times are written as epoch seconds; local = UTC here). */
    start: z.number().int().min(0).max(4_000_000_000),
    days: z.number().int().min(1).max(366),
    /** The co-presence bin the city was designed for (a hint written to city.json; visits are in seconds). */
    bin_seconds: z.number().int().positive().default(300),
    /**
     * Residential sorting s in [0, 1]: households are ranked by sqrt(s) z + sqrt(1 - s) e (z: standardised
     * log SES, e: N(0,1)) and filled into tracts in the order of a smooth spatial field, so s is the squared
     * correlation between a household's SES score and the score of the home it gets. 0: homes at random;
     * 1: fully sorted.
     */
    residential_sorting: probability,
    ses: z
      .strictObject({
        /** SES is rent-like: log-normal with this median (currency units) and log sd. */
        median: positive.default(1200),
        log_sd: positive.max(3).default(0.5),
        /**
         * Income inequality grows with city size (Glaeser, Resseger & Tobio 2009; Baum-Snow & Pavan 2013):
         * an MSA of P persons draws log SES with sd log_sd * (P / 10,000)^log_sd_size_elasticity
         * (ses-spread.ts). 0: the same log sd everywhere. Only SES values change, never their ranks.
         */
        log_sd_size_elasticity: z.number().min(-1).max(1).default(0),
        /** Shares of households of size 1, 2, 3, 4 (persons of a household share home and SES). */
        household_size_shares: z.array(z.number().min(0)).length(4).default([0.28, 0.34, 0.16, 0.22]),
      })
      .prefault({}),
    geography: z
      .strictObject({
        /** Residential density: an MSA of P persons covers a disk of area P / persons_per_km2. */
        persons_per_km2: positive.default(60),
        /** Persons per census tract (default tract count per county). */
        persons_per_tract: positive.default(100),
        /** Length scale (km) of the smooth random field that orders tracts by SES. */
        ses_length_scale_km: positive.default(2.5),
      })
      .prefault({}),
    scaling: z
      .strictObject({
        /**
         * Places per category = round(places_per_10k * (P / 10,000) ^ places_exponent), at least 1, for an MSA
         * of P persons. An exponent above 1 gives large cities more places per person, hence more
         * differentiated choices (the paper's mechanism).
         */
        places_exponent: z.number().min(0.5).max(2).default(1.15),
      })
      .prefault({}),
    mobility: z
      .strictObject({
        /** Mean visits per person per day; each person's rate is this times a Gamma(shape, 1/shape) draw. */
        visits_per_person_per_day: positive.max(50).default(1.5),
        visit_rate_shape: positive.default(4),
        /** Gravity: weight exp(-distance_km / distance_decay_km) of a place from home. */
        distance_decay_km: positive.default(2),
        /** Gravity: weight exp(-affinity * |SES rank of person - price rank of place|) (ranks in [0, 1] within the MSA). */
        ses_price_affinity: z.number().min(0).default(1.5),
        /**
         * Correlation of a person's preferred price position with their own SES (1: SES alone decides;
         * below 1, tastes, errands and habits unrelated to income also shape which places people pick).
         */
        price_taste_ses_correlation: z.number().min(0).max(1).default(1),
        /**
         * How the taste's link to SES grows with the choice set: in an MSA whose places per person are
         * k times those of the reference size (10,000 persons), the taste correlation is
         * min(1, price_taste_ses_correlation * k^elasticity). 0: the same correlation everywhere. More
         * places to choose from let people act on their income (sims/cities/README.md).
         */
        price_taste_choice_elasticity: z.number().min(0).max(10).default(0),
        /**
         * Cities differ in more than size: each MSA's taste correlation is multiplied by exp(sd * u_m),
         * u_m ~ N(0, 1) drawn once per MSA from its own stream (capped at 1). 0: no such variation.
         */
        price_taste_msa_log_sd: z.number().min(0).max(3).default(0),
        /** Correlation of a place's latent price with the mean SES of its tract's residents. */
        price_local_ses_correlation: z.number().min(-1).max(1).default(0.7),
        /** Share of non-return visits made to another MSA (chosen by population; place by price affinity only). */
        cross_msa_share: probability.default(0.01),
        /**
         * Share of the other visits (neither returns nor to another MSA) made from the person's workplace
         * instead of home: gravity around the home of a resident drawn uniformly, one per person.
         */
        work_visit_share: probability.default(0),
        /** Preferential return: probability that a visit goes back to a place the person already visited in that category. */
        revisit_probability: probability.default(0.6),
        /** Relative visit-start intensity for each local hour 0..23 (masked by each category's opening hours). */
        hourly_profile: z.array(z.number().min(0)).length(24).default(hourlyProfileDefault),
      })
      .prefault({}),
    categories: z.array(categorySchema).min(1),
    msas: z.array(msaSchema).min(1),
  })
  .superRefine((spec, ctx) => {
    const msaNames = new Set<string>();
    const fipsSeen = new Set<number>();
    spec.msas.forEach((msa, m) => {
      if (msaNames.has(msa.name)) ctx.addIssue({ code: 'custom', path: ['msas', m, 'name'], message: `duplicate MSA name "${msa.name}"` });
      msaNames.add(msa.name);
      let shareSum = 0;
      msa.counties.forEach((county, c) => {
        shareSum += county.share;
        if (fipsSeen.has(county.fips)) ctx.addIssue({ code: 'custom', path: ['msas', m, 'counties', c, 'fips'], message: `duplicate county FIPS ${county.fips}` });
        fipsSeen.add(county.fips);
        // tract codes are (j + 1) * 100 in 6 digits, so at most 9,999 tracts per county
        const tracts = county.tracts ?? Math.round((msa.population * county.share) / spec.geography.persons_per_tract) + 1;
        if (tracts > 9999) {
          ctx.addIssue({ code: 'custom', path: ['msas', m, 'counties', c], message: `${tracts} tracts in one county (at most 9,999: raise geography.persons_per_tract)` });
        }
      });
      if (Math.abs(shareSum - 1) > 1e-6) {
        ctx.addIssue({ code: 'custom', path: ['msas', m, 'counties'], message: `county shares sum to ${Number(shareSum.toPrecision(6))}, expected 1` });
      }
    });
    const categoryNames = new Set<string>();
    spec.categories.forEach((cat, c) => {
      if (categoryNames.has(cat.name)) ctx.addIssue({ code: 'custom', path: ['categories', c, 'name'], message: `duplicate category "${cat.name}"` });
      categoryNames.add(cat.name);
      if (cat.close_hour <= cat.open_hour) {
        ctx.addIssue({ code: 'custom', path: ['categories', c, 'close_hour'], message: `close_hour ${cat.close_hour} must be after open_hour ${cat.open_hour}` });
        return;
      }
      let mass = 0;
      for (let h = cat.open_hour; h < cat.close_hour; h++) mass += spec.mobility.hourly_profile[h];
      if (!(mass > 0)) {
        ctx.addIssue({ code: 'custom', path: ['categories', c], message: `mobility.hourly_profile is 0 in all opening hours of "${cat.name}"` });
      }
    });
    if (!spec.ses.household_size_shares.some((s) => s > 0)) {
      ctx.addIssue({ code: 'custom', path: ['ses', 'household_size_shares'], message: 'at least one household size share must be positive' });
    }
    if (spec.start + (spec.days + 1) * 86400 > 2 ** 53) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: 'start + days is too large' });
    }
  });

/** A validated city specification with all defaults filled in (what city.json records). */
export type CitySpec = z.infer<typeof citySpecSchema>;
export type CategorySpec = CitySpec['categories'][number];
export type MsaSpec = CitySpec['msas'][number];

/**
 * Validate a parsed JSON value as a city spec. Throws a UsageError naming `source` (the file) and the
 * JSON path of each problem (up to five).
 */
export function parseCitySpec(value: unknown, source: string): CitySpec {
  return parseJsonSpec(citySpecSchema, value, source, 'city spec');
}

/** Read and validate a city spec file (UsageError for a missing file, bad JSON or an invalid spec). */
export function loadCitySpec(path: string): CitySpec {
  return parseCitySpec(readJsonFile(path, 'city spec'), path);
}

/** The spec with residential sorting set to `s` everywhere (file default and every MSA override). */
export function withResidentialSorting(spec: CitySpec, s: number): CitySpec {
  if (!(s >= 0 && s <= 1)) throw new UsageError(`residential sorting must be in [0, 1], got ${s}`);
  return {
    ...spec,
    residential_sorting: s,
    msas: spec.msas.map(({ residential_sorting: _override, ...msa }) => msa),
  };
}
