/**
 * The interventions of a scenario (SPEC section 8) as zod schemas: strict objects with snake_case keys
 * and every default filled in, one per `type`, joined in `interventionSchema` (a discriminated union).
 * What each one does, exactly: the operators in this folder (redirect-visits.ts, hub.ts,
 * filter-encounters.ts, relocate-homes.ts); what needs the world to check (categories, place ids, a hub's
 * area, lat/lon columns): validate-interventions.ts.
 */
import { z } from 'zod';

/** A number in [lo, hi] whose error message says so and shows the value. */
function numberIn(lo: number, hi: number) {
  const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}]`;
  const message = (iss: { input?: unknown }) => `must be a number ${range}, got ${JSON.stringify(iss.input)}`;
  return z.number({ error: message }).min(lo, { error: message }).max(hi, { error: message });
}

/** A number > 0 (a length, a scale). */
function positive() {
  const message = (iss: { input?: unknown }) => `must be a number > 0, got ${JSON.stringify(iss.input)}`;
  return z.number({ error: message }).positive({ error: message }).finite({ error: message });
}

const share = numberIn(0, 1);
const categories = z.array(z.string().min(1)).min(1);

/** Where a hub goes: a point, or between the two most SES-distant Louvain communities of an area. */
export const hubLocationSchema = z.union([z.strictObject({ lat: numberIn(-90, 90), lon: numberIn(-180, 180) }), z.literal('between-communities')], {
  error: (iss) => `must be {"lat": .., "lon": ..} or "between-communities", got ${JSON.stringify(iss.input)}`,
});

/** The Huff model's parameters (Huff 1963): P_k = A_k^alpha d_k^-beta / sum_m A_m^alpha d_m^-beta. */
const huffFields = {
  alpha: numberIn(0, Infinity).default(1),
  beta: numberIn(0, Infinity).default(1.5),
  /** persons whose home is within this distance of the hub are affected; places this close to the origin compete */
  catchment_km: positive().default(3),
  /** distances of the Huff model measured from the visitor's home or from the visit's original place */
  origin: z.enum(['home', 'place']).default('home'),
  /** the MSA the hub serves (required with "between-communities" unless the world has one area) */
  area: z.string().min(1).optional(),
};

export const redirectVisitsSchema = z
  .strictObject({
    type: z.literal('redirect-visits'),
    share,
    categories: categories.optional(),
    choice: z.enum(['random', 'distance-decay', 'no-destination-preference', 'equalized-range']),
    /** distance-decay: P(place) proportional to exp(-d / scale_km) or max(d, 0.1 km)^-beta, d from home */
    law: z.enum(['exponential', 'power']).optional(),
    scale_km: positive().optional(),
    beta: positive().optional(),
    /** no-destination-preference: the ring around the original place (Liao et al. 2025, simulation 1) */
    min_km: numberIn(0, Infinity).optional(),
    max_km: positive().optional(),
  })
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (s.choice === 'distance-decay') {
      if (s.law === undefined) issue('law', 'distance-decay needs "law": "exponential" (with scale_km) or "power" (with beta)');
      else if (s.law === 'exponential' && s.scale_km === undefined) issue('scale_km', 'the exponential law needs scale_km (P ~ exp(-d / scale_km))');
      else if (s.law === 'power' && s.beta === undefined) issue('beta', 'the power law needs beta (P ~ d^-beta)');
    } else {
      for (const key of ['law', 'scale_km', 'beta'] as const) if (s[key] !== undefined) issue(key, `only for choice "distance-decay", not "${s.choice}"`);
    }
    if (s.choice !== 'no-destination-preference') {
      for (const key of ['min_km', 'max_km'] as const) if (s[key] !== undefined) issue(key, `only for choice "no-destination-preference", not "${s.choice}"`);
    } else if ((s.min_km ?? 0.03) >= (s.max_km ?? 1)) {
      issue('max_km', `must be greater than min_km (${s.min_km ?? 0.03}), got ${s.max_km ?? 1}`);
    }
  })
  .transform((s) => (s.choice === 'no-destination-preference' ? { ...s, min_km: s.min_km ?? 0.03, max_km: s.max_km ?? 1 } : s));

const attractiveness = z.union([numberIn(0, Infinity), z.enum(['median', 'max'])], {
  error: (iss) => `must be a number >= 0, "median" or "max", got ${JSON.stringify(iss.input)}`,
});

export const addHubSchema = z
  .strictObject({
    type: z.literal('add-hub'),
    /** the new place's id; default "hub-<index of the step>" */
    id: z.string().min(1).optional(),
    /** the visit categories the hub competes in; the new place gets the first */
    category: z.union([z.string().min(1), categories]).transform((c) => (typeof c === 'string' ? [c] : c)),
    location: hubLocationSchema,
    /** A_hub: a number, or the median / max of the base visit counts of the area's places in these categories */
    attractiveness: attractiveness.default('median'),
    ...huffFields,
  });

export const moveHubSchema = z.strictObject({
  type: z.literal('move-hub'),
  place_id: z.union([z.string().min(1), z.number()]).transform(String),
  location: hubLocationSchema,
  ...huffFields,
});

const hour = numberIn(0, 24);

export const filterEncountersSchema = z
  .strictObject({
    type: z.literal('filter-encounters'),
    exclude_same_home: z.boolean().optional(),
    min_days: z.number().int().min(1, { error: (iss) => `must be an integer >= 1, got ${JSON.stringify(iss.input)}` }).optional(),
    /** [from, to): local hours of the day (day offset of the run); from > to wraps past midnight */
    hours: z.tuple([hour, hour]).optional(),
    categories: categories.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.hours && s.hours[0] === s.hours[1]) ctx.addIssue({ code: 'custom', path: ['hours'], message: `from and to are equal (${s.hours[0]}): an empty window; use [0, 24] for the whole day` });
    if (s.hours && s.hours[0] === 24) ctx.addIssue({ code: 'custom', path: ['hours', 0], message: 'from must be below 24' });
  });

export const relocateHomesSchema = z.strictObject({
  type: z.literal('relocate-homes'),
  /** share of households that move */
  share,
  mode: z.enum(['random', 'mixed-income']),
  /** only households of this MSA move (default: every MSA, each within itself) */
  area: z.string().min(1).optional(),
});

export const INTERVENTION_TYPES = ['redirect-visits', 'add-hub', 'move-hub', 'filter-encounters', 'relocate-homes'] as const;

export const interventionSchema = z.discriminatedUnion('type', [redirectVisitsSchema, addHubSchema, moveHubSchema, filterEncountersSchema, relocateHomesSchema], {
  error: (iss) => {
    const input = iss.input as { type?: unknown } | undefined;
    const known = INTERVENTION_TYPES.map((t) => `"${t}"`).join(', ');
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return `must be an object with a "type" (${known}), got ${JSON.stringify(input)}`;
    return `unknown intervention type ${JSON.stringify(input.type)}: expected one of ${known}`;
  },
});

export type RedirectVisits = z.output<typeof redirectVisitsSchema>;
export type AddHub = z.output<typeof addHubSchema>;
export type MoveHub = z.output<typeof moveHubSchema>;
export type FilterEncounters = z.output<typeof filterEncountersSchema>;
export type RelocateHomes = z.output<typeof relocateHomesSchema>;
export type HubLocation = z.output<typeof hubLocationSchema>;
export type Intervention = z.output<typeof interventionSchema>;
