/** The readable result of `mobiseg run`: per-MSA estimates, a county overview, and what was written. */
import { join } from 'node:path';
import type { RunResult } from '../pipeline/mobility-run.js';
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

export function runSummaryText(r: RunResult): string {
  const out: string[] = [];
  const c = r.encounters.counts;
  const p = r.inputs.persons;
  const source = r.inputs.city ? `synthetic city ${r.inputs.city.spec} (seed ${r.inputs.city.seed})` : r.inputs.records.map((x) => x.path).join(', ');
  out.push(`mobiseg run on ${source}`);
  out.push(`${p.count} persons, ${r.inputs.places.count} places, ${c.visits ?? c.pair_records} ${c.visits !== undefined ? 'visits' : 'pair records'}, ${c.encounter_endpoints} encounter endpoints`);
  const dropped = r.inputs.records.flatMap((x) => Object.entries(x.dropped).map(([k, v]) => `${x.role}: ${v} ${k}`));
  if (dropped.length > 0) out.push(`dropped: ${dropped.join('; ')}`);
  const m = r.manifestCounts;
  const outside = [
    r.inputs.persons.msa && m.persons_without_msa > 0 ? `${m.persons_without_msa} without an MSA` : '',
    r.inputs.persons.countyFips && m.persons_without_county > 0 ? `${m.persons_without_county} without a county` : '',
  ].filter((x) => x !== '');
  if (outside.length > 0) out.push(`persons outside every area (in no estimate of that level, still partners of others): ${outside.join(', ')}`);
  out.push('');
  if (r.msa) {
    out.push('Exposure segregation (ES, REML; 0 = integrated, 1 = segregated) and bridging index (BI) by MSA of home:');
    const rows = r.msa.level.areas.map((a, k) => [
      r.msa!.names[k],
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
  if (r.county) {
    const est = r.county.level.areas.filter((a) => Number.isFinite(a.exposure.es)).length;
    out.push(`Counties: ${est} of ${r.county.level.areas.length} estimated (smoothed by the 5 nearest counties, SPEC section 6).`);
    const rows = r.county.level.areas.map((a, k) => [
      `${r.county!.fips[k]} ${r.county!.names[k] ?? ''}`.trim(),
      fixed(a.exposure.es),
      fixed(Number(r.county!.table.columns[3].values[k])),
      fixed(a.bridging?.bi ?? NaN),
      String(a.exposure.nPeople),
      exposureNote(a.exposure),
    ]);
    if (rows.length <= 40) out.push(formatTextTable(['county', 'ES', 'smoothed', 'BI', 'people', 'note'], rows));
    out.push('');
  }
  out.push(`wrote ${r.outputs.map((f) => join(r.outDir, f)).join(', ')} in ${r.timings.total} s`);
  return out.join('\n') + '\n';
}
