// TEMPORARY SCAFFOLD (not committed): replaced by the interventions branch
import type { World } from '../estimate/world.js';
import type { WorldEstimate } from '../estimate/estimate-world.js';
import type { EncounterOptions } from '../estimate/encounter-stage.js';
import type { Intervention } from './interventions.js';
export function validateInterventions(_w: World, _s: Intervention[], _p: string): void {}
export function applyInterventions(world: World, _steps: Intervention[], _ctx: { seed: number | string; baseline: WorldEstimate; dayOffsetSeconds: number }): { world: World; estimateOptions: Partial<EncounterOptions>; counts: Record<string, number> } {
  return { world, estimateOptions: {}, counts: {} };
}
