/** The readable result of `mobiseg run`: per-MSA estimates, a county overview, and what was written. */
import { join } from 'node:path';
import type { WorldEstimate } from '../estimate/estimate-world.js';
import type { World } from '../estimate/world.js';
import type { AreaExposureEstimate } from '../measures/exposure.js';
import { fixed, formatTextTable } from './text-table.js';

/**
 * The note of an area's line: why it has no estimate, or that its fit is on the boundary. SPEC section 3
 * sets ES = 1 when tau^2 = 0, however small the slope a (the naive estimate then tells more).
 */
function exposureNote(e: AreaExposureEstimate): string {
  if (e.note !== '') return e.note;
  return e.boundary ? 'boundary fit (tau^2 = 0): ES = 1 by definition' : '';
}

/** What the summary of a run describes. */
export interface RunSummaryInput {
  /** what was run on: "synthetic city <spec> (seed s)" or the input files */
  source: string;
  world: World;
  estimate: WorldEstimate;
  /** rows dropped, by input role and reason */
  dropped: Record<string, Record<string, number>>;
  outDir: string;
  /** files written, relative to outDir */
  outputs: string[];
  seconds: number;
}

export function runSummaryText(r: RunSummaryInput): string {
  const out: string[] = [];
  const { estimate } = r;
  const c = estimate.encounters.counts;
  const p = r.world.persons;
  out.push(`mobiseg run on ${r.source}`);
  const records = c.visits !== undefined ? `${r.world.places.count} places, ${c.visits} visits` : c.pair_records !== undefined ? `${r.world.places.count} places, ${c.pair_records} pair records` : 'statistics per person';
  out.push(`${p.count} persons, ${records}, ${c.encounter_endpoints} encounter endpoints`);
  const dropped = Object.entries(r.dropped).flatMap(([role, d]) => Object.entries(d).map(([k, v]) => `${role}: ${v} ${k}`));
  if (dropped.length > 0) out.push(`dropped: ${dropped.join('; ')}`);
  const m = estimate.counts;
  const outside = [
    p.msa && m.persons_without_msa > 0 ? `${m.persons_without_msa} without an MSA` : '',
    p.countyFips && m.persons_without_county > 0 ? `${m.persons_without_county} without a county` : '',
  ].filter((x) => x !== '');
  if (outside.length > 0) out.push(`persons outside every area (in no estimate of that level, still partners of others): ${outside.join(', ')}`);
  out.push('');
  const msa = estimate.msa;
  const county = estimate.county;
  if (msa) {
    out.push('Exposure segregation (ES, REML; 0 = integrated, 1 = segregated) and bridging index (BI) by MSA of home:');
    const rows = msa.level.areas.map((a, k) => [
      msa.names[k],
      fixed(a.exposure.es),
      Number.isFinite(a.bootstrap?.esCiLow ?? NaN) ? `[${fixed(a.bootstrap!.esCiLow)}, ${fixed(a.bootstrap!.esCiHigh)}]` : '-',
      fixed(a.exposure.esNaive),
      fixed(a.bridging?.bi ?? NaN),
      fixed(a.bridging?.ec ?? NaN),
      String(a.exposure.nPeople),
      String(a.exposure.nObs),
      exposureNote(a.exposure),
    ]);
    out.push(formatTextTable(['msa', 'ES', '95% CI', 'naive', 'BI', 'ec', 'people', 'endpoints', 'note'], rows));
    out.push('');
  }
  if (county) {
    const est = county.level.areas.filter((a) => Number.isFinite(a.exposure.es)).length;
    out.push(`Counties: ${est} of ${county.level.areas.length} estimated (smoothed by the nearest counties, SPEC section 6).`);
    const rows = county.level.areas.map((a, k) => [
      `${county.fips[k]} ${county.names[k] ?? ''}`.trim(),
      fixed(a.exposure.es),
      fixed(county.smoothed[k]),
      fixed(a.bridging?.bi ?? NaN),
      String(a.exposure.nPeople),
      [exposureNote(a.exposure), county.smoothingNote[k]].filter((x) => x !== '').join('; '),
    ]);
    if (rows.length <= 40) out.push(formatTextTable(['county', 'ES', 'smoothed', 'BI', 'people', 'note'], rows));
    out.push('');
  }
  out.push(`wrote ${r.outputs.map((f) => join(r.outDir, f)).join(', ')} in ${r.seconds} s`);
  return out.join('\n') + '\n';
}
