/**
 * Applying interventions: pure operators World -> World (SPEC section 8). The input world's arrays are
 * never changed: a step copies what it rewrites (the visits' place column, a places table, the persons'
 * home columns) and shares the rest; a step that changes nothing returns the input world itself.
 * Every random choice is keyed by (seed, step index, the visit's or household's stable id) (draws.ts),
 * so results do not depend on the order of the input rows or on threads.
 */
import type { EncounterOptions } from '../estimate/encounter-stage.js';
import type { WorldEstimate } from '../estimate/estimate-world.js';
import type { World } from '../estimate/world.js';
import { StepDraws } from './draws.js';
import { filterEncounters } from './filter-encounters.js';
import { addHub, moveHub, withVisitPlaces } from './hubs.js';
import type { Intervention } from './interventions.js';
import { redirectVisits } from './redirect-visits.js';
import { relocateHomes } from './relocate-homes.js';
import { validateInterventions } from './validate-interventions.js';
import { indexWorld, visitColumns } from './world-index.js';

export interface InterventionContext {
  /** the scenario seed of this run */
  seed: number | string;
  /** the step's position in the scenario (keys its draws; default hub ids) */
  index: number;
  /** the baseline's estimates (add-hub / move-hub "between-communities" read its Louvain communities) */
  baseline: WorldEstimate | null;
  /** the run's day offset (filter-encounters' local hours) */
  dayOffsetSeconds: number;
  /** JSON path of the steps in the scenario file, for error messages (default "interventions") */
  pathPrefix?: string;
}

export interface InterventionResult {
  world: World;
  /** estimator options the step sets (filter-encounters: excludeSameHome, minDays) */
  estimateOptions: Partial<EncounterOptions>;
  /** what the step did: visits moved, households moved, visits dropped, ... */
  counts: Record<string, number>;
}

/** Apply one (validated) step. */
export function applyIntervention(world: World, step: Intervention, ctx: InterventionContext): InterventionResult {
  const path = `${ctx.pathPrefix ?? 'interventions'}[${ctx.index}]`;
  const index = indexWorld(world);
  const draws = new StepDraws(ctx.seed, ctx.index, world.persons.ids, world.places.ids, index.visits);
  switch (step.type) {
    case 'redirect-visits': {
      const { place, counts } = redirectVisits(index, step, draws);
      return { world: counts.visits_moved > 0 ? withVisitPlaces(index, place) : world, estimateOptions: {}, counts };
    }
    case 'add-hub':
      return { ...addHub(index, step, ctx.index, draws, ctx.baseline?.places ?? null, path), estimateOptions: {} };
    case 'move-hub':
      return { ...moveHub(index, step, draws, ctx.baseline?.places ?? null, path), estimateOptions: {} };
    case 'filter-encounters':
      return filterEncounters(index, step, ctx.dayOffsetSeconds);
    case 'relocate-homes': {
      const result = relocateHomes(world, step, draws, index.personArea, index.areaLabels);
      return { world: result.counts.households_moved > 0 ? result.world : world, estimateOptions: {}, counts: result.counts };
    }
  }
}

export interface InterventionsResult {
  world: World;
  /** the estimator options set by the steps (a later step's value wins) */
  estimateOptions: Partial<EncounterOptions>;
  /** each step's counts, in order */
  counts: Array<Record<string, number>>;
}

/** The world with its visits in one chunk (the chunks concatenated once; the world itself when already so). */
export function withOneVisitChunk(world: World): World {
  if (!world.visits || world.visits.chunks.length <= 1) return world;
  return { ...world, visits: { ...world.visits, chunks: [visitColumns(world)] } };
}

/**
 * Validate every step against the world (validateInterventions), then apply them in order (the visit
 * chunks are concatenated once, up front).
 */
export function applyInterventions(world: World, steps: readonly Intervention[], ctx: Omit<InterventionContext, 'index'>): InterventionsResult {
  validateInterventions(world, steps, ctx.pathPrefix);
  let current = withOneVisitChunk(world);
  let estimateOptions: Partial<EncounterOptions> = {};
  const counts: Array<Record<string, number>> = [];
  steps.forEach((step, index) => {
    const result = applyIntervention(current, step, { ...ctx, index });
    current = result.world;
    estimateOptions = { ...estimateOptions, ...result.estimateOptions };
    counts.push(result.counts);
  });
  return { world: current, estimateOptions, counts };
}
