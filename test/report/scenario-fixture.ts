/**
 * A hand-written scenario output folder (scenario.csv, scenario-places.csv, manifest.json in the
 * schema of `mobiseg scenario`), for the report's tests while the scenario engine is not merged.
 * Rows with a missing value are there on purpose: the charts draw only rows with finite values.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER = 'level,area,area_name,measure,n_seeds,baseline,baseline_low,baseline_high,counterfactual,counterfactual_low,counterfactual_high,delta,delta_low,delta_high,excludes_zero';

export const SCENARIO_CSV = [
  HEADER,
  'msa,"Riverton, XN","Riverton, XN",es,20,0.439,0.431,0.447,0.401,0.392,0.410,-0.038,-0.047,-0.029,true',
  'msa,"Riverton, XN","Riverton, XN",bi,20,0.954,0.950,0.958,0.962,0.957,0.966,0.008,0.002,0.013,true',
  'msa,"Riverton, XN","Riverton, XN",ec,20,0.943,0.938,0.948,0.951,0.946,0.957,0.008,0.001,0.015,true',
  'msa,"Springfield, XS","Springfield, XS",es,20,0.465,0.459,0.471,0.462,0.455,0.470,-0.003,-0.011,0.006,false',
  'msa,"Springfield, XS","Springfield, XS",bi,20,0.919,0.915,0.924,0.921,0.915,0.926,0.002,-0.004,0.007,false',
  'msa,"Springfield, XS","Springfield, XS",res_dissimilarity_low,20,0.588,0.588,0.588,0.588,0.588,0.588,0,0,0,false',
  'county,91001,Adams County,es,20,0.465,0.455,0.474,0.420,0.409,0.431,-0.045,-0.058,-0.031,true',
  'county,91001,Adams County,bi,20,0.928,0.921,0.934,0.940,0.933,0.947,0.012,0.003,0.021,true',
  'county,91003,"Baker <County> & Co",es,20,0.184,0.160,0.210,0.170,0.150,0.195,-0.014,-0.040,0.012,false',
  'county,91003,"Baker <County> & Co",bi,20,0.971,0.962,0.980,0.975,0.966,0.984,0.004,-0.006,0.014,false',
  'county,91005,Clark County,es,20,0.537,,,,,,,,,false',
  'county,91005,Clark County,bi,20,0.870,0.860,0.880,0.878,0.868,0.889,0.008,-0.001,0.017,false',
].join('\n') + '\n';

const PLACES_HEADER = 'rank,place_id,category,msa,lat,lon,hub,baseline_visits,counterfactual_visits,visits_change,baseline_visitors,counterfactual_visitors,baseline_cross,counterfactual_cross,cross_change';

/** 14 places: 13 with a location (one of them a hub the scenario added), one without (not drawn). */
export const PLACES_CSV = [
  PLACES_HEADER,
  '1,hub-1,library,"Riverton, XN",40.010,-100.000,true,0,820.5,820.5,0,410.2,0,310.4,310.4',
  '2,p17,grocery,"Riverton, XN",40.030,-100.050,false,1200,950.0,-250.0,600,480,220.0,150.5,-69.5',
  '3,p4,restaurant,"Riverton, XN",39.950,-99.980,false,900,1010.5,110.5,450,500,140.0,180.0,40.0',
  '4,p9,school,"Riverton, XN",40.020,-99.930,false,700,640.0,-60.0,300,280,90.0,60.0,-30.0',
  '5,"p<script>",cafe,"Riverton, XN",40.000,-100.020,false,300,330.0,30.0,150,160,30.0,55.0,25.0',
  '6,p31,grocery,"Springfield, XS",40.500,-97.000,false,1500,1480.0,-20.0,800,790,260.0,262.0,2.0',
  '7,p32,restaurant,"Springfield, XS",40.520,-96.980,false,800,790.0,-10.0,400,395,120.0,112.0,-8.0',
  '8,p33,park,"Springfield, XS",40.480,-97.020,false,600,610.0,10.0,350,355,95.0,101.0,6.0',
  '9,p34,gym,"Springfield, XS",40.510,-97.030,false,400,395.0,-5.0,200,198,40.0,38.5,-1.5',
  '10,p35,cafe,"Springfield, XS",40.490,-96.990,false,350,352.0,2.0,180,181,35.0,35.5,0.5',
  '11,p36,school,"Springfield, XS",40.505,-97.010,false,500,500.0,0.0,250,250,70.0,70.0,0.0',
  '12,p37,library,"Springfield, XS",40.495,-97.005,false,250,245.0,-5.0,120,118,30.0,29.0,-1.0',
  '13,p38,grocery,"Springfield, XS",40.515,-97.015,false,900,905.0,5.0,450,452,130.0,131.0,1.0',
  '14,p40,grocery,"Springfield, XS",,,false,100,100.0,0.0,50,50,10.0,10.0,0.0',
].join('\n') + '\n';

export const SCENARIO_MANIFEST = {
  tool: 'mobiseg',
  version: '0.1.0',
  node: 'v20.0.0',
  created: '2026-12-01T00:00:00.000Z',
  command: 'scenario',
  scenario: { name: 'library between communities', base: { city: 'default', seed: 20230101 }, interventions: [{ type: 'add-hub', category: 'library', location: 'between-communities', attractiveness: 3 }], seeds: 20 },
  inputs: [],
  options: { mode: 'distinct', bin_seconds: 300 },
  seeds: { seeds: [1, 2, 3] },
  counts: { persons: 20000, places: 1163 },
  dropped: {},
  timings: { baseline: 4.2, counterfactual: 4.5, total: 9.1 },
  outputs: ['scenario.csv', 'scenario-places.csv', 'report.html', 'manifest.json'],
};

/** Write the fixture folder; returns its path. */
export function writeScenarioFixture(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scenario.csv'), SCENARIO_CSV);
  writeFileSync(join(dir, 'scenario-places.csv'), PLACES_CSV);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(SCENARIO_MANIFEST, null, 2) + '\n');
  return dir;
}
