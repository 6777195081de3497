/**
 * mobiseg as a library: the in-memory estimate seam and the pieces it is made of, for Node users who
 * call mobiseg without the CLI.
 *
 *   import { worldFromTables, estimateWorld, ESTIMATE_DEFAULTS, generateCity, loadCitySpec } from 'mobiseg';
 *   const world = worldFromTables(generateCity(loadCitySpec('sims/cities/default.json')));
 *   const est = await estimateWorld(world, { ...ESTIMATE_DEFAULTS, centroids: null });
 *   est.msa?.level.areas.map((a) => a.exposure.es);
 */
// the seam: a world in memory in, every estimate of `mobiseg run` out
export { estimateWorld, ESTIMATE_DEFAULTS } from './estimate/estimate-world.js';
export type { EstimateOptions, EstimateContext, WorldEstimate, MsaEstimate, CountyEstimate } from './estimate/estimate-world.js';
export { worldFromTables, worldFromPersonStats } from './estimate/world.js';
export type { World } from './estimate/world.js';
export type { Progress } from './estimate/progress.js';
export { silentProgress } from './estimate/progress.js';
export type { AreaLevelResult, AreaResult } from './estimate/area-stage.js';

// counterfactual scenarios (SPEC section 8): interventions are operators World -> World
export { runScenario, summariseAreas, summarisePlaces } from './scenarios/run-scenario.js';
export type { ScenarioBase, ScenarioResult, ScenarioContext } from './scenarios/run-scenario.js';
export { parseScenario, loadScenario, scenarioSchema } from './scenarios/scenario-file.js';
export type { Scenario } from './scenarios/scenario-file.js';
export { applyIntervention, applyInterventions } from './scenarios/apply.js';
export { interventionSchema } from './scenarios/interventions.js';
export type { Intervention } from './scenarios/interventions.js';
export { validateInterventions } from './scenarios/validate-interventions.js';

// reading worlds from files
export { loadMobilityInputs } from './pipeline/inputs.js';
// per-person statistics made elsewhere (a run's person-stats.arrow, the SQL of sql/): a world of them
export { loadPersonStats } from './io/load-person-stats.js';
export type { PersonStatsFile } from './io/load-person-stats.js';
export { loadCountyCentroids } from './smoothing/centroids.js';

// synthetic cities
export { generateCity } from './simulation/generate-city.js';
export { loadCitySpec, parseCitySpec } from './simulation/city-spec.js';

// the measures (SPEC sections 3-5)
export { fitRandomInterceptReml, profiledRemlCriterion } from './measures/reml.js';
export type { RandomInterceptData, RandomInterceptFit } from './measures/reml.js';
export { fitAreaPersons, estimateAreaExposure } from './measures/exposure.js';
export { naiveExposure } from './measures/naive-exposure.js';
export { bridgingIndex, areaMedianSes } from './measures/bridging.js';
export { moroSegregation, shannonEntropy } from './measures/place-metrics.js';

// residential indices (SPEC section 7) and smoothing (section 6)
export { residentialIndicesByArea } from './residential/by-area.js';
export { dissimilarity, isolation, interaction, atkinson, gini, theilEntropyIndex, correlationRatio } from './residential/single-group.js';
export { multigroupDissimilarity, multigroupGini, multigroupTheilH, mutualInformation, normalisedExposure, relativeDiversity } from './residential/multigroup.js';
export { divergenceIndex, divergencePerUnit, decomposeDivergence } from './residential/divergence.js';
export { neighbourhoodSortingIndex } from './residential/nsi.js';
export { smoothCountyKnn } from './smoothing/knn.js';
export { shrinkEmpiricalBayes } from './smoothing/empirical-bayes.js';

// the parallel pool (results never depend on its size)
export { WorkerPool } from './parallel/pool.js';
